// Which tfjs backends to try, in which order. Pure, so it is unit-tested.

export const BACKENDS = ['webgpu', 'webgl', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKENDS)[number];

export function isBackendName(s: unknown): s is BackendName {
	return typeof s === 'string' && (BACKENDS as readonly string[]).includes(s);
}

/**
 * `?backend=NAME` forces one backend (then the rest follow only as a fallback if it fails
 * to start, so the page still works); otherwise WebGPU first, then WebGL, WASM, CPU.
 */
export function backendOrder(requested: string | null | undefined): { order: BackendName[]; forced?: BackendName; invalid?: string } {
	if (requested == null || requested === '') return { order: [...BACKENDS] };
	if (!isBackendName(requested)) return { order: [...BACKENDS], invalid: requested };
	return { order: [requested, ...BACKENDS.filter((b) => b !== requested)], forced: requested };
}

const LABEL: Record<BackendName, string> = { webgpu: 'WebGPU', webgl: 'WebGL', wasm: 'WebAssembly', cpu: 'plain JavaScript (CPU)' };

export function backendLabel(b: BackendName): string {
	return LABEL[b];
}

/** The one sentence a person reads when srlab did not get the backend it wanted. */
export function fallbackSentence(wanted: BackendName, got: BackendName, reason: string): string {
	return `${LABEL[wanted]} could not start (${reason}), so srlab runs on ${LABEL[got]}${got === 'cpu' ? ', which is slow' : ''}.`;
}
