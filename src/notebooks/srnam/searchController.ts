// Drives one Live SR-NAM search (paper 000 §3.4, Eq. 6) for the search cell's view: run (in
// chunks of RENDER_EVERY Adam steps, one readback each), pause (aborts the chunk in flight after
// the step under way), single step, reset, scrub back through the stored history, pin
// candidates, Eq. 7 scoring of the candidates on view, and saving the run into the session
// (a reload resumes it; mid-run it carries on). No DOM: the view subscribes to `state`.

import { isAbort } from '$lib/runtime/gpuQueue';
import { ObservableState } from '$lib/runtime/observableState';
import { errorMessage } from '$lib/runtime/runtime';
import { rgbImage, type RGBImage } from '$lib/image/rgb';
import type { LatentSearch, Render } from '$lib/srnam/search';
import type { LatentRecord } from '$lib/srnam/history';
import { packSearch, unpackSearch, type CellHistory, type Pin } from '$lib/srnam/persist';
import type { SrnamSession } from './search';

export const RENDER_EVERY = 5;
export const SAVE_EVERY_MS = 2000;
export const MAX_PINS = 8;

export interface SearchViewState {
	/** The search is built (false while opening or after a failure to open). */
	ready: boolean;
	running: boolean;
	/** A step or chunk is under way. */
	busy: boolean;
	stepCount: number;
	/** The latest render of the live latents. */
	live?: Render;
	/** What is on view: the live render, or a stored step while scrubbing. */
	view?: Render;
	scrubbing: boolean;
	losses: Float32Array;
	records: LatentRecord[];
	pins: { pin: Pin; image: RGBImage }[];
	/** Steps per second of the last chunk. */
	rate: number;
	error: string;
	notice: string;
	/** Eq. 7 per candidate of `view` (scored only while not running). */
	eq7?: { view: Render; scores: number[] };
	eq7Error: string;
}

export interface ControllerIO {
	cellId: string;
	/** The session's stored history, as opened (a saved run resumes from it). */
	history?: CellHistory;
	/** Replace this cell's keys of the session history. */
	onHistory?: (mine: CellHistory) => void;
	now?: () => number;
	/** Let the page paint between chunks. */
	pauseBetweenChunks?: () => Promise<void>;
}

const initial = (): SearchViewState => ({
	ready: false,
	running: false,
	busy: false,
	stepCount: 0,
	scrubbing: false,
	losses: new Float32Array(0),
	records: [],
	pins: [],
	rate: 0,
	error: '',
	notice: '',
	eq7Error: ''
});

export class SearchController extends ObservableState<SearchViewState> {
	search: LatentSearch | undefined;
	private generation = 0;
	private lastSave = -Infinity;
	private runCtl: AbortController | undefined;
	private scrubToken = 0;
	private eq7Busy = false;
	private eq7Next: Render | undefined;
	private readonly now: () => number;
	private readonly between: () => Promise<void>;

	constructor(
		readonly session: SrnamSession,
		private readonly io: ControllerIO
	) {
		super(initial());
		this.now = io.now ?? (() => performance.now());
		this.between = io.pauseBetweenChunks ?? (() => new Promise((r) => setTimeout(r, 0)));
	}

	protected override set(patch: Partial<SearchViewState>): void {
		super.set(patch);
		// Eq. 7's landmark passes share the GPU queue: score only while the search is not running,
		// so a run never waits behind them (face-api on SwiftShader WebGPU took minutes in tests).
		if (('view' in patch || 'running' in patch) && this.state.view && !this.state.running && this.session.eq7) void this.scoreEq7(this.state.view);
	}

	private fail(e: unknown): void {
		if (isAbort(e) || this.search?.disposed) return;
		this.set({ error: errorMessage(e), running: false });
	}

	/** Build the search: resume the saved run when it matches these settings and input, else a fresh one. */
	async open(resume = true): Promise<void> {
		const gen = ++this.generation;
		this.runCtl?.abort();
		void this.search?.dispose();
		this.search = undefined;
		this.state = initial();
		this.set({});
		const s = this.session;
		let saved;
		if (resume)
			try {
				saved = unpackSearch(this.io.cellId, this.io.history);
			} catch (e) {
				this.set({ notice: `The saved run could not be read (${(e as Error).message}); a new one starts.` });
			}
		const same = !!saved && saved.fingerprint === s.fingerprint && saved.state.K === s.K;
		let made: LatentSearch;
		try {
			made = same ? await s.resume(saved!.state) : await s.open();
		} catch (e) {
			if (gen === this.generation) this.fail(e);
			return;
		}
		if (gen !== this.generation) return void made.dispose();
		this.search = made;
		if (same) {
			const pins = saved!.pins.map((pin, i) => ({ pin, image: rgbImage(pin.width, pin.height, Float32Array.from(saved!.pinPixels[i], (v) => v / 255)) }));
			this.set({ pins, notice: `Resumed the saved run at step ${made.stepCount}${saved!.running ? '; it was running, so it carries on' : ''}.` });
		}
		this.set({ ready: true });
		try {
			await this.refresh();
			await this.save(true);
		} catch (e) {
			this.fail(e);
		}
		if (same && saved!.running && made.stepCount < s.budget && gen === this.generation) this.start();
	}

	private async refresh(): Promise<void> {
		const s = this.search;
		if (!s) return;
		const r = await s.snapshot();
		if (s !== this.search) return;
		const records = [...s.history.latentRecords()];
		if (records.at(-1)?.step !== r.step) records.push({ step: r.step, z: r.z });
		this.set({ live: r, stepCount: s.stepCount, losses: s.history.losses().slice(), records, ...(this.state.scrubbing ? {} : { view: r }) });
	}

	private async save(force = false): Promise<void> {
		const s = this.search;
		if (!s || !this.io.onHistory || (!force && this.now() - this.lastSave < SAVE_EVERY_MS)) return;
		this.lastSave = this.now();
		const state = await s.serialise();
		if (s !== this.search) return;
		const { pins, running } = this.state;
		const pinPixels = pins.map((p) => Uint8Array.from(p.image.data, (v) => Math.round(v * 255)));
		this.io.onHistory(packSearch(this.io.cellId, { state, fingerprint: this.session.fingerprint, running, pins: pins.map((p) => p.pin), pinPixels }));
	}

	/** Run n more Adam steps (within the budget), then show and save the result. */
	async advance(n: number, signal?: AbortSignal): Promise<void> {
		const s = this.search;
		if (!s || this.state.busy) return;
		this.set({ busy: true });
		try {
			const left = this.session.budget - s.stepCount;
			let ran = 0;
			if (left > 0) {
				const r = await s.step(Math.min(n, left), { signal });
				ran = r.ran;
				if (ran) this.set({ rate: ran / (r.ms / 1000) });
			}
			// nothing ran (paused before the first step): the render on view is still current
			if (ran || !this.state.live) await this.refresh();
			await this.save();
		} catch (e) {
			this.fail(e);
		} finally {
			this.set({ busy: false });
		}
	}

	private async loop(signal: AbortSignal): Promise<void> {
		while (this.state.running && !signal.aborted && this.search && this.search.stepCount < this.session.budget) {
			await this.advance(RENDER_EVERY, signal);
			await this.between();
		}
		this.set({ running: false });
		await this.save(true).catch((e) => this.fail(e));
	}

	start(): void {
		if (this.state.running || !this.search) return;
		this.set({ scrubbing: false, view: this.state.live, running: true });
		this.runCtl = new AbortController();
		void this.loop(this.runCtl.signal);
	}

	pause(): void {
		this.runCtl?.abort();
		if (this.state.running) this.set({ running: false });
	}

	/** Show the stored latents of `step` (the live state is untouched); at or past the end, live again. */
	async scrubTo(step: number): Promise<void> {
		if (!this.search) return;
		this.pause();
		const token = ++this.scrubToken;
		if (step >= this.state.stepCount) return this.set({ scrubbing: false, view: this.state.live });
		this.set({ scrubbing: true });
		try {
			const r = await this.search.restore(step);
			if (token === this.scrubToken && this.state.scrubbing) this.set({ view: r });
		} catch (e) {
			this.fail(e);
		}
	}

	pin(k: number): void {
		const v = this.state.view;
		if (!v) return;
		const c = v.candidates[k];
		const entry = { pin: { restart: k, step: v.step, loss: v.losses[k], width: c.width, height: c.height }, image: c };
		this.set({ pins: [...this.state.pins, entry].slice(-MAX_PINS) });
		void this.save(true).catch((e) => this.fail(e));
	}

	unpin(i: number): void {
		this.set({ pins: this.state.pins.filter((_, j) => j !== i) });
		void this.save(true).catch((e) => this.fail(e));
	}

	private async scoreEq7(r: Render): Promise<void> {
		this.eq7Next = r;
		if (this.eq7Busy) return;
		this.eq7Busy = true;
		try {
			while (this.eq7Next) {
				const v = this.eq7Next;
				this.eq7Next = undefined;
				const scorer = this.session.eq7;
				if (!scorer || v !== this.state.view || this.state.running) continue;
				const scores = await scorer.score(v.candidates);
				if (v === this.state.view) this.set({ eq7: { view: v, scores } });
			}
		} catch (e) {
			if (!isAbort(e)) this.set({ eq7Error: `Eq. 7 could not be computed: ${(e as Error).message}` });
		} finally {
			this.eq7Busy = false;
		}
	}

	dispose(): void {
		this.pause();
		this.generation++;
		this.dropListeners();
		void this.search?.dispose();
	}
}
