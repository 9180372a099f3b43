// Drives one live GAN training run for the training cell's view: run (chunks of steps sized to
// ~CHUNK_MS each, one readback of losses per chunk, then fresh samples from the fixed latents),
// pause (stops between steps), single step, reset, a measured speed, and saving into the
// session (weights, Adam moments and losses every SAVE_EVERY_MS and on pause), so a reload
// resumes the run; a reload mid-run carries on. No DOM: the view subscribes to `state`.

import { isAbort } from '$lib/runtime/gpuQueue';
import { ObservableState } from '$lib/runtime/observableState';
import { errorMessage } from '$lib/runtime/runtime';
import type { GanTrainer, Samples } from '$lib/gan/trainer';
import type { Phase } from '$lib/gan/schedule';
import { packRun, unpackRun, type CellHistory } from '$lib/gan/persist';
import type { TrainSession } from './train';

export const CHUNK_MS = 1000;
/** The speed shown is over this many recent chunks (one chunk alone is noisy). */
export const RATE_WINDOW = 8;
export const SAVE_EVERY_MS = 3000;

export interface TrainViewState {
	ready: boolean;
	running: boolean;
	busy: boolean;
	step: number;
	phase?: Phase;
	/** 4 values per step (see LOSS_TERMS). */
	losses: Float32Array;
	samples?: Samples;
	/** Steps per second over the last RATE_WINDOW chunks, and the tensors each step made. */
	rate: number;
	tensorsPerStep: number;
	error: string;
	notice: string;
}

export interface ControllerIO {
	cellId: string;
	history?: CellHistory;
	onHistory?: (mine: CellHistory) => void;
	now?: () => number;
	/** Let the page paint between chunks. */
	between?: () => Promise<void>;
}

const initial = (): TrainViewState => ({ ready: false, running: false, busy: false, step: 0, losses: new Float32Array(0), rate: 0, tensorsPerStep: 0, error: '', notice: '' });

export class TrainController extends ObservableState<TrainViewState> {
	trainer: GanTrainer | undefined;
	private runCtl: AbortController | undefined;
	private lastSave = -Infinity;
	private chunk = 1;
	private recent: { ran: number; ms: number }[] = [];
	private generation = 0;
	private readonly now: () => number;
	private readonly between: () => Promise<void>;

	constructor(
		readonly session: TrainSession,
		private readonly io: ControllerIO
	) {
		super(initial());
		this.now = io.now ?? (() => performance.now());
		this.between = io.between ?? (() => new Promise((r) => setTimeout(r, 0)));
	}

	private fail(e: unknown): void {
		if (isAbort(e) || this.trainer?.disposed) return;
		this.set({ error: errorMessage(e), running: false });
	}

	/** Build the trainer: from the saved run when it has these settings and its weights, else fresh. */
	async open(resume = true): Promise<void> {
		const gen = ++this.generation;
		this.runCtl?.abort();
		this.release();
		this.state = initial();
		this.set({});
		let notice = '';
		let saved;
		if (resume)
			try {
				saved = unpackRun(this.io.cellId, this.io.history);
			} catch (e) {
				notice = `The saved run could not be read (${(e as Error).message}); training starts afresh.`;
			}
		try {
			const t = this.session.make();
			if (gen !== this.generation) return void this.session.gpu(() => t.dispose());
			this.trainer = t;
			if (saved && saved.fingerprint !== this.session.fingerprint) notice = `The saved run (step ${saved.step}) had other settings or faces; training starts afresh with these.`;
			else if (saved && !saved.snapshot) notice = `The saved run reached step ${saved.step}, but its weights were too large to keep in the session; training starts afresh.`;
			else if (saved?.snapshot) {
				t.restore(saved.snapshot);
				notice = `Resumed the saved run at step ${t.stepCount} (weights and Adam state as last saved${saved.running ? '; it was running, so it carries on' : ''}).`;
			}
			this.set({ ready: true, notice, step: t.stepCount, phase: t.phase(), losses: t.lossLog().slice() });
			await this.refresh();
			if (!saved?.snapshot || saved.fingerprint !== this.session.fingerprint) await this.save(true);
			if (saved?.snapshot && saved.running && saved.fingerprint === this.session.fingerprint && gen === this.generation) this.start();
		} catch (e) {
			if (gen === this.generation) this.fail(e);
		}
	}

	private async refresh(): Promise<void> {
		const t = this.trainer;
		if (!t) return;
		const samples = await t.samples((task) => this.session.gpu(task));
		if (t !== this.trainer) return;
		this.set({ samples, step: t.stepCount, phase: t.phase(), losses: t.lossLog().slice() });
	}

	private async save(force = false): Promise<void> {
		const t = this.trainer;
		if (!t || !this.io.onHistory || (!force && this.now() - this.lastSave < SAVE_EVERY_MS)) return;
		this.lastSave = this.now();
		const snap = await this.session.gpu(() => t.snapshot());
		if (t !== this.trainer) return;
		this.io.onHistory(packRun(this.io.cellId, this.session.fingerprint, this.state.running, snap));
	}

	/** Run up to n more steps (within the schedule), then show and save the result. */
	async advance(n: number, signal?: AbortSignal): Promise<void> {
		const t = this.trainer;
		if (!t || this.state.busy) return;
		this.set({ busy: true });
		try {
			const r = await t.train(n, { signal, gpu: (task) => this.session.gpu(task), now: this.now });
			if (r.ran) {
				this.recent = [...this.recent, { ran: r.ran, ms: r.ms }].slice(-RATE_WINDOW);
				const rate = this.recent.reduce((a, c) => a + c.ran, 0) / (this.recent.reduce((a, c) => a + c.ms, 0) / 1000);
				// size the next chunk to about CHUNK_MS, so pause answers within a second and samples stay fresh
				this.chunk = Math.max(1, Math.min(50, Math.round((rate * CHUNK_MS) / 1000)));
				this.set({ rate, tensorsPerStep: r.tensorsPerStep });
				await this.refresh();
			}
			await this.save();
		} catch (e) {
			this.fail(e);
		} finally {
			this.set({ busy: false });
		}
	}

	private async loop(signal: AbortSignal): Promise<void> {
		while (this.state.running && !signal.aborted && this.trainer && this.trainer.stepCount < this.session.total) {
			await this.advance(this.chunk, signal);
			await this.between();
		}
		if (this.trainer && this.trainer.stepCount >= this.session.total) this.set({ notice: `The schedule is complete (${this.session.total} steps).` });
		this.set({ running: false });
		await this.save(true).catch((e) => this.fail(e));
	}

	start(): void {
		if (this.state.running || !this.trainer || this.trainer.stepCount >= this.session.total) return;
		this.set({ running: true, error: '' });
		this.runCtl = new AbortController();
		void this.loop(this.runCtl.signal);
	}

	pause(): void {
		this.runCtl?.abort();
		if (this.state.running) this.set({ running: false });
	}

	dispose(): void {
		this.pause();
		this.generation++;
		this.dropListeners();
		this.release();
	}

	/** Dispose the trainer once the GPU task in flight (if any) is done with it. */
	private release(): void {
		const t = this.trainer;
		this.trainer = undefined;
		if (t) void this.session.gpu(() => t.dispose());
	}
}
