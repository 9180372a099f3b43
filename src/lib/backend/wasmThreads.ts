// How many threads tfjs's WebAssembly backend runs. Its SIMD + threads build needs
// SharedArrayBuffer, which browsers give only to a cross-origin isolated page (COOP + COEP:
// scripts/serve.js sends them; on static hosts the service worker adds them). Pure: unit-tested.

/** tfjs 4.22's threaded build pre-allocates 8 pthread workers; more would be spawned mid-op. */
export const MAX_WASM_THREADS = 8;

export interface WasmThreadPlan {
	/** Threads to ask tfjs for (setThreadsCount, before the backend starts). */
	threads: number;
	/** Why it is one thread, when the page cannot have more. */
	why?: string;
}

export const NOT_ISOLATED =
	'this page is not cross-origin isolated (its host sends no COOP/COEP headers and the offline service worker has not added them yet), so WebAssembly runs on one thread';

/** Threads for `cores` logical cores (navigator.hardwareConcurrency), or `requested` if given. */
export function wasmThreadPlan(isolated: boolean, cores: number | undefined, requested?: number): WasmThreadPlan {
	if (!isolated) return { threads: 1, why: NOT_ISOLATED };
	const want = requested ?? cores ?? 1;
	const n = Number.isFinite(want) ? Math.round(want) : 1;
	return { threads: Math.min(MAX_WASM_THREADS, Math.max(1, n)) };
}

/**
 * Runs `start` (the wasm backend's start-up) while navigator.hardwareConcurrency reads 2 × threads.
 * tfjs 4.22's init_with_threads_count caps its pool at hardwareConcurrency / 2 (it assumes two
 * hyperthreads per core), so a 2-vCPU machine would get one thread whatever setThreadsCount says.
 * The wasm module reads the count once, as it starts; the real value is back right after.
 */
export async function withThreadsVisible<T>(threads: number, start: () => Promise<T>): Promise<T> {
	const nav = globalThis.navigator as Navigator | undefined;
	if (!nav || threads <= 1) return start();
	Object.defineProperty(nav, 'hardwareConcurrency', { value: 2 * threads, configurable: true });
	try {
		return await start();
	} finally {
		delete (nav as unknown as Record<string, unknown>).hardwareConcurrency; // the prototype's getter answers again
	}
}

/** `?threads=N` (a whole number ≥ 1) from an address's query, else undefined (the default plan). */
export function threadsFromAddress(search: string | undefined): number | undefined {
	const raw = new URLSearchParams(search ?? '').get('threads');
	if (raw == null || !/^\d{1,3}$/.test(raw.trim())) return undefined;
	const n = Number(raw);
	return n >= 1 ? n : undefined;
}
