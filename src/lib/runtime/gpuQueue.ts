// One queue for all GPU work of a page. tfjs backends are not re-entrant in a useful way:
// two cells interleaving uploads and readbacks only slow each other down, and a device loss
// must be handled once. Tasks run strictly one after another; a task whose signal was
// aborted before its turn is skipped.

export class AbortedError extends Error {
	constructor() {
		super('aborted');
		this.name = 'AbortError';
	}
}

export function isAbort(e: unknown): boolean {
	return e instanceof Error && e.name === 'AbortError';
}

export class GpuQueue {
	private tail: Promise<unknown> = Promise.resolve();
	private pending = 0;

	/** Number of tasks queued or running (for a busy indicator). */
	get size(): number {
		return this.pending;
	}

	run<R>(task: () => Promise<R> | R, signal?: AbortSignal): Promise<R> {
		this.pending++;
		const result = this.tail.then(async () => {
			if (signal?.aborted) throw new AbortedError();
			return task();
		});
		const done = () => {
			this.pending--;
		};
		// The chain must survive a failing task.
		this.tail = result.then(done, done);
		return result;
	}
}
