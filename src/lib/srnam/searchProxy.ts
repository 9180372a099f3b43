// The page side of the search worker: a LatentSearch whose tensor work runs behind a message
// port (workerProtocol.ts). Same interface as search.ts's, so the cell, saving/resume and the
// exporters do not know where the search runs. The history is mirrored on the page from each
// step's reply (losses and newly stored latents), because the cell reads it synchronously.
// Given the page's GPU queue, every step chunk, snapshot and restore waits its turn there like
// an in-page search's work, so the worker's GPU use never overlaps the other cells'.

import type { AdamConfig } from './adam';
import { SearchHistory } from './history';
import type { Created, PlainSearchOptions, Port, Reply, Request, StepReply } from './workerProtocol';
import type { LatentSearch, Render, SearchOptions, SearchState, StepReport } from './types';

type Queue = NonNullable<SearchOptions['gpu']>;
const direct: Queue = (task) => task();

type Body = Request extends infer R ? (R extends Request ? Omit<R, 'id' | 'sid'> : never) : never;

/** One channel to a worker, shared by every search on it. */
export class SearchChannel {
	private next = 1;
	private sids = 1;
	private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
	private broken: Error | undefined;

	constructor(private port: Port) {
		port.addEventListener('message', (e: MessageEvent) => {
			const r = e.data as Reply | { lost: string };
			if ('lost' in r) return this.fail(new Error(`srnam: the search worker's GPU device was lost (${r.lost}); the search restarts from its last save`));
			const p = this.pending.get(r.id);
			if (!p) return;
			this.pending.delete(r.id);
			if (r.ok) p.resolve(r.value);
			else p.reject(new Error(r.error));
		});
	}

	/** Set when the worker died or lost its device; the host then starts a new one. */
	onBroken: ((e: Error) => void) | undefined;

	get failed(): boolean {
		return this.broken !== undefined;
	}

	/** The worker died: fail everything in flight and every later call. */
	fail(e: Error): void {
		if (this.broken) return;
		this.broken = e;
		this.onBroken?.(e);
		for (const p of this.pending.values()) p.reject(e);
		this.pending.clear();
	}

	call<T>(sid: number, body: Body): { id: number; done: Promise<T> } {
		const id = this.next++;
		if (this.broken) return { id, done: Promise.reject(this.broken) };
		const done = new Promise<T>((resolve, reject) => this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject }));
		this.port.postMessage({ ...body, id, sid } as Request);
		return { id, done };
	}

	/** Create (or, with a saved state, resume) a search in the worker; `gpu` is the page's GPU queue. */
	async open(nets: unknown, options: PlainSearchOptions, state?: SearchState, gpu: Queue = direct): Promise<LatentSearch> {
		const sid = this.sids++;
		const made = await gpu(() => this.call<Created>(sid, { op: 'create', nets, options, state }).done);
		return remoteSearch(this, sid, made, options.historyEvery ?? 10, gpu);
	}
}

function remoteSearch(ch: SearchChannel, sid: number, made: Created, every: number, gpu: Queue): LatentSearch {
	const { K, latentDim, noiseDim } = made;
	const history = new SearchHistory(K, every);
	history.load(made.history, K * latentDim, K * noiseDim);
	let stepCount = made.stepCount;
	let disposed = false;
	let gone: Promise<void> | undefined;

	function call<T>(body: Body): Promise<T> {
		if (disposed) return Promise.reject(new Error('srnam: search was disposed'));
		return ch.call<T>(sid, body).done;
	}
	const queued = <T>(body: Body): Promise<T> => gpu(() => call<T>(body));

	return {
		K,
		latentDim,
		noiseDim,
		history,
		get stepCount() {
			return stepCount;
		},
		get disposed() {
			return disposed;
		},
		async step(n = 1, opts: { signal?: AbortSignal } = {}): Promise<StepReport> {
			if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`srnam: step count must be an integer >= 0, got ${n}`);
			if (disposed) throw new Error('srnam: search was disposed');
			// pause reaches the worker between two of its Adam steps (it does not wait in the queue);
			// paused before the chunk's turn, nothing is sent: 0 steps, as in the page
			let sent: number | undefined;
			const onAbort = () => {
				if (sent !== undefined) void ch.call(sid, { op: 'pause', target: sent }).done.catch(() => undefined);
			};
			opts.signal?.addEventListener('abort', onAbort, { once: true });
			try {
				const r = await gpu(async (): Promise<StepReply> => {
					if (opts.signal?.aborted) return { step: stepCount, ran: 0, aborted: n > 0, losses: new Float32Array(0), last: new Float32Array(0), ms: 0, records: [] };
					const { id, done } = ch.call<StepReply>(sid, { op: 'step', n });
					sent = id;
					return done;
				});
				for (let i = 0; i < r.ran; i++) history.push(r.losses.subarray(i * K, (i + 1) * K));
				for (const rec of r.records) history.addLatents(rec);
				stepCount = r.step;
				const { records: _records, ...report } = r;
				return report;
			} finally {
				opts.signal?.removeEventListener('abort', onAbort);
			}
		},
		snapshot: () => queued<Render>({ op: 'snapshot' }),
		restore: (step) => queued<Render>({ op: 'restore', step }),
		setAdam(c: Partial<AdamConfig>) {
			void call({ op: 'setAdam', config: c }).catch(() => undefined);
		},
		serialise: (opts = {}) => call<SearchState>({ op: 'serialise', history: opts.history !== false }),
		async deserialise() {
			// a worker search is resumed by SearchChannel.open(…, state) instead
			throw new Error('srnam: deserialise a worker search by opening it with the saved state');
		},
		dispose() {
			if (!gone) {
				disposed = true;
				gone = ch.call<void>(sid, { op: 'dispose' }).done.catch(() => undefined);
			}
			return gone;
		}
	};
}
