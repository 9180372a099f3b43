// The page's copy of each faces cell's uploaded set, by cell id. The cell's view fills it (from
// the session's history when it mounts, then after each batch); the compute, which sees no
// history, waits here until the view has said what the set is. Lives only in the page.

import { AbortedError } from '$lib/runtime/gpuQueue';

const sets = new Map<string, Uint8Array[]>();
const waiters = new Map<string, Set<() => void>>();

/** The view publishes the cell's set (possibly empty); waiting computes carry on. */
export function publishUploaded(cellId: string, jpegs: readonly Uint8Array[]): void {
	sets.set(cellId, [...jpegs]);
	const w = waiters.get(cellId);
	waiters.delete(cellId);
	w?.forEach((wake) => wake());
}

/** The cell's set once its view has published it. */
export function uploadedFor(cellId: string, signal?: AbortSignal): Promise<Uint8Array[]> {
	const known = sets.get(cellId);
	if (known) return Promise.resolve(known);
	return new Promise((resolve, reject) => {
		const wake = () => {
			signal?.removeEventListener('abort', stop);
			resolve(sets.get(cellId) ?? []);
		};
		const stop = () => {
			waiters.get(cellId)?.delete(wake);
			reject(new AbortedError());
		};
		if (signal?.aborted) return stop();
		signal?.addEventListener('abort', stop, { once: true });
		if (!waiters.has(cellId)) waiters.set(cellId, new Set());
		waiters.get(cellId)!.add(wake);
	});
}

/** Forget a cell's set (its view unmounted: a new page or notebook starts from its own history). */
export function forgetUploaded(cellId: string): void {
	sets.delete(cellId);
}
