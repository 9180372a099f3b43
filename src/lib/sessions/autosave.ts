// Debounced autosave. Plain TS (no Svelte) so it can be tested with fake timers in Node.
// Invariants: at most one save in flight; the newest value handed to schedule() is kept until a
// save of exactly that value succeeds (a failed or superseded save never drops it); a full
// disk is retried on a timer and on the next change.
import { StorageFullError } from './errors';

export type AutosaveStatus = 'saved' | 'saving' | 'pending' | 'error';

export interface AutosaveInfo {
	status: AutosaveStatus;
	/** Human-readable; empty when there is nothing to say. */
	message: string;
	/** Date.now() of the last successful save. */
	lastSavedAt?: number;
	/** The error behind status 'error' (StorageFullError, ConflictError, …). */
	error?: unknown;
}

export interface AutosaveOptions {
	/** Quiet time after the last change before saving. */
	delayMs?: number;
	/** Under continuous changes (a dragged slider), save at least this often. */
	maxWaitMs?: number;
	/** Retry interval after StorageFullError. */
	retryMs?: number;
}

export interface Autosaver<T> {
	/** Call on every change with the complete value to store. */
	schedule(value: T): void;
	/** Saves any pending value now and resolves when storage is settled (for beforeunload, navigation). */
	flush(): Promise<void>;
	subscribe(fn: (info: AutosaveInfo) => void): () => void;
	readonly info: AutosaveInfo;
	/** Is there a value not yet stored? */
	readonly dirty: boolean;
	/** Stops timers; later schedule() calls are ignored. */
	dispose(): void;
}

export function createAutosaver<T>(save: (value: T) => Promise<void>, opts: AutosaveOptions = {}): Autosaver<T> {
	const delayMs = opts.delayMs ?? 500;
	const maxWaitMs = opts.maxWaitMs ?? 2000;
	const retryMs = opts.retryMs ?? 5000;

	let info: AutosaveInfo = { status: 'saved', message: '' };
	const subs = new Set<(i: AutosaveInfo) => void>();
	let latest: T | undefined;
	let version = 0; // bumps on each schedule(); a save clears `latest` only if still current
	let savedVersion = 0;
	let firstPendingAt: number | undefined;
	let debounce: ReturnType<typeof setTimeout> | undefined;
	let retry: ReturnType<typeof setTimeout> | undefined;
	let inFlight: Promise<void> | undefined;
	let disposed = false;

	function emit(next: AutosaveInfo) {
		info = next;
		for (const fn of subs) fn(info);
	}

	function clearTimers() {
		clearTimeout(debounce);
		clearTimeout(retry);
		debounce = retry = undefined;
	}

	function arm() {
		clearTimeout(debounce);
		const now = Date.now();
		firstPendingAt ??= now;
		const wait = Math.max(0, Math.min(delayMs, firstPendingAt + maxWaitMs - now));
		debounce = setTimeout(() => void run(), wait);
	}

	async function run(): Promise<void> {
		clearTimeout(debounce);
		debounce = undefined;
		if (inFlight) return inFlight; // the finally-block below picks up newer changes
		if (disposed || version === savedVersion) return;
		clearTimeout(retry);
		retry = undefined;
		const value = latest as T;
		const v = version;
		firstPendingAt = undefined;
		emit({ ...info, status: 'saving' });
		inFlight = (async () => {
			try {
				await save(value);
				savedVersion = v;
				if (version === v) latest = undefined;
				emit({ status: version === v ? 'saved' : 'pending', message: '', lastSavedAt: Date.now() });
			} catch (e) {
				const full = e instanceof StorageFullError;
				const message = e instanceof Error ? e.message : `Could not save: ${String(e)}`;
				emit({ status: 'error', message, lastSavedAt: info.lastSavedAt, error: e });
				if (full && !disposed) retry = setTimeout(() => void run(), retryMs);
			} finally {
				inFlight = undefined;
			}
			// Changes that arrived during the save: save them after the usual quiet time,
			// unless we just failed (then the retry timer or the next change takes over).
			if (!disposed && info.status === 'pending' && !debounce) arm();
		})();
		return inFlight;
	}

	return {
		schedule(value: T) {
			if (disposed) return;
			latest = value;
			version++;
			// Keep an error visible until a save succeeds; otherwise show "pending" (emit on change only).
			if (info.status === 'saved') emit({ ...info, status: 'pending', message: '' });
			if (!inFlight) arm();
			else firstPendingAt ??= Date.now(); // armed when the current save finishes
		},
		async flush() {
			clearTimers();
			if (inFlight) await inFlight;
			if (version !== savedVersion) await run();
		},
		subscribe(fn) {
			subs.add(fn);
			fn(info);
			return () => subs.delete(fn);
		},
		get info() {
			return info;
		},
		get dirty() {
			return version !== savedVersion;
		},
		dispose() {
			disposed = true;
			clearTimers();
			subs.clear();
		}
	};
}
