// Page side: one search worker per page and backend, started on first use. Resolves to null
// when a worker cannot run this search (no Worker, the cpu backend, the worker's backend did
// not start): the caller then runs the search in the page as before.

import { SearchChannel } from './searchProxy';

const START_TIMEOUT_MS = 60_000;
let current: { backend: string; channel: Promise<SearchChannel | null> } | undefined;

export function searchWorker(backend: string): Promise<SearchChannel | null> {
	if (typeof Worker === 'undefined' || backend === 'cpu') return Promise.resolve(null);
	if (current?.backend !== backend) current = { backend, channel: start(backend) };
	return current.channel;
}

function start(backend: string): Promise<SearchChannel | null> {
	return new Promise((resolve) => {
		let worker: Worker;
		try {
			worker = new Worker(new URL('./searchWorker.ts', import.meta.url), { type: 'module', name: 'srnam-search' });
		} catch (e) {
			console.warn('srnam: no search worker, searching in the page:', e);
			return resolve(null);
		}
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
			worker.addEventListener('error', (ev) => {
				ch.fail(new Error(`srnam: the search worker failed (${ev.message || 'error'})`));
				if (current?.backend === backend) current = undefined; // the next search starts a new one
			});
			resolve(ch);
		};
		worker.addEventListener('message', onFirst);
		worker.addEventListener('error', (ev) => {
			clearTimeout(timer);
			give(ev.message || 'error');
		}, { once: true });
		worker.postMessage({ backend });
	});
}
