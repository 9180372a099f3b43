// Page side: one search worker per page and backend, started on first use. Resolves to null
// when a worker cannot run this search (no Worker, the cpu backend, the worker's backend did
// not start): the caller then runs the search in the page as before. A worker whose backend
// is no longer the page's is terminated; one that died or lost its GPU device is dropped (its
// searches fail with a clear message) and the next search starts a fresh one, unless that
// backend's worker was lost less than a minute ago: then the search runs in the page, whose
// backend manager leaves WebGPU if it keeps failing (no loop of crashing workers).

import { SearchChannel } from './searchProxy';
import { REPEAT_LOSS_MS, backendInfo } from '$lib/backend/backendManager';

const START_TIMEOUT_MS = 60_000;

/** What the host needs of a Worker (tests pass one built on a MessageChannel). */
export interface WorkerLike {
	postMessage(msg: unknown): void;
	addEventListener(type: 'message' | 'error', l: (e: MessageEvent & ErrorEvent) => void, opts?: { once?: boolean }): void;
	removeEventListener(type: 'message', l: (e: MessageEvent) => void): void;
	terminate(): void;
}

export interface WorkerHost {
	/** The channel to this backend's worker, or null (search in the page). */
	channel(backend: string): Promise<SearchChannel | null>;
	/** Called when a worker's searches were lost (device loss or crash), with the reason. */
	onLost(l: (message: string) => void): () => void;
}

export function createWorkerHost(makeWorker: (() => WorkerLike) | null, now: () => number = () => performance.now()): WorkerHost {
	let current: { backend: string; channel: Promise<SearchChannel | null>; worker?: WorkerLike } | undefined;
	const lostListeners = new Set<(message: string) => void>();
	const lostAt = new Map<string, number>();

	function retire(which: typeof current) {
		if (!which) return;
		if (current === which) current = undefined;
		which.worker?.terminate();
	}

	function start(backend: string): NonNullable<typeof current> {
		const entry: NonNullable<typeof current> = { backend, channel: Promise.resolve(null) };
		entry.channel = new Promise((resolve) => {
			let worker: WorkerLike;
			try {
				worker = makeWorker!();
			} catch (e) {
				console.warn('srnam: no search worker, searching in the page:', e);
				return resolve(null);
			}
			entry.worker = worker;
			const give = (why: string) => {
				console.warn(`srnam: no search worker (${why}), searching in the page`);
				worker.terminate();
				resolve(null);
			};
			const timer = setTimeout(() => give('it did not start in time'), START_TIMEOUT_MS);
			const onFirst = (e: MessageEvent) => {
				worker.removeEventListener('message', onFirst);
				clearTimeout(timer);
				const d = e.data as { ready?: string; failed?: string };
				if (!d.ready) return give(d.failed ?? 'unknown reply');
				const ch = new SearchChannel(worker);
				ch.onBroken = (err) => {
					lostAt.set(backend, now());
					retire(entry); // the next search starts a new worker (or, soon after a loss, runs in the page)
					for (const l of lostListeners) l(err.message);
				};
				worker.addEventListener('error', (ev) => ch.fail(new Error(`srnam: the search worker failed (${ev.message || 'error'})`)));
				resolve(ch);
			};
			worker.addEventListener('message', onFirst);
			worker.addEventListener('error', (ev) => {
				clearTimeout(timer);
				give(ev.message || 'error');
			}, { once: true });
			// the same wasm thread count as the page's backend (its ?threads= choice included)
			worker.postMessage({ backend, wasmThreads: backendInfo().threads });
		});
		return entry;
	}

	return {
		channel(backend) {
			if (!makeWorker || backend === 'cpu') return Promise.resolve(null);
			if (now() - (lostAt.get(backend) ?? -Infinity) < REPEAT_LOSS_MS) return Promise.resolve(null);
			if (current?.backend !== backend) {
				retire(current); // its searches belonged to the backend the page no longer runs
				current = start(backend);
			}
			return current.channel;
		},
		onLost(l) {
			lostListeners.add(l);
			return () => lostListeners.delete(l);
		}
	};
}

const pageHost = createWorkerHost(
	typeof Worker === 'undefined'
		? null
		: () => new Worker(new URL('./searchWorker.ts', import.meta.url), { type: 'module', name: 'srnam-search' }) as unknown as WorkerLike
);

/** The page's search worker for `backend` (see createWorkerHost). */
export function searchWorker(backend: string): Promise<SearchChannel | null> {
	return pageHost.channel(backend);
}

/** Listen for a search worker losing its searches (the notebook page re-runs its cells). */
export const onSearchWorkerLost = pageHost.onLost;
