// The page side of the search worker: a LatentSearch whose tensor work runs behind a message
// port (workerProtocol.ts). Same interface as search.ts's, so the cell, saving/resume and the
// exporters do not know where the search runs. The history is mirrored on the page from each
// step's reply (losses and newly stored latents), because the cell reads it synchronously.

import type { AdamConfig } from './adam';
import { SearchHistory } from './history';
import type { Created, PlainSearchOptions, Port, Reply, Request, StepReply } from './workerProtocol';
import type { LatentSearch, Render, SearchState, StepReport } from './types';

type Body = Request extends infer R ? (R extends Request ? Omit<R, 'id' | 'sid'> : never) : never;

/** One channel to a worker, shared by every search on it. */
export class SearchChannel {
	private next = 1;
	private sids = 1;
	private pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
	private broken: Error | undefined;

	constructor(private port: Port) {
		port.addEventListener('message', (e: MessageEvent) => {
			const r = e.data as Reply;
			const p = this.pending.get(r.id);
			if (!p) return;
			this.pending.delete(r.id);
			if (r.ok) p.resolve(r.value);
			else p.reject(new Error(r.error));
		});
	}

	/** The worker died: fail everything in flight and every later call. */
	fail(e: Error): void {
		this.broken = e;
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

	/** Create (or, with a saved state, resume) a search in the worker. */
	async open(nets: unknown, options: PlainSearchOptions, state?: SearchState): Promise<LatentSearch> {
		const sid = this.sids++;
		const made = await this.call<Created>(sid, { op: 'create', nets, options, state }).done;
		return remoteSearch(this, sid, made, options.historyEvery ?? 10);
	}
}

function remoteSearch(ch: SearchChannel, sid: number, made: Created, every: number): LatentSearch {
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
			const { id, done } = ch.call<StepReply>(sid, { op: 'step', n });
			// pause reaches the worker between two of its Adam steps
			const onAbort = () => void ch.call(sid, { op: 'pause', target: id }).done.catch(() => undefined);
			if (opts.signal?.aborted) onAbort();
			else opts.signal?.addEventListener('abort', onAbort, { once: true });
			try {
				const r = await done;
				for (let i = 0; i < r.ran; i++) history.push(r.losses.subarray(i * K, (i + 1) * K));
				for (const rec of r.records) history.addLatents(rec);
				stepCount = r.step;
				const { records: _records, ...report } = r;
				return report;
			} finally {
				opts.signal?.removeEventListener('abort', onAbort);
			}
		},
		snapshot: () => call<Render>({ op: 'snapshot' }),
		restore: (step) => call<Render>({ op: 'restore', step }),
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
