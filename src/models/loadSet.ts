// Load several shipped models at once for a cell that compares them (the SRGAN nets, the joint
// SR twins): one progress over all their bytes, and a model that is missing or refused is kept in
// the list with its reason so the others still run. Only when none loads is it an error.

import { isAbort } from '$lib/runtime/gpuQueue';
import { errorMessage } from '$lib/runtime/runtime';
import { loadModel, type Model, type ModelName } from './catalog';
import type { LoadContext } from './load';

export type Loaded<E extends { id: ModelName }> = E & {
	/** Absent when it could not be loaded (see error). */
	model?: Model<E['id']>;
	error?: string;
};

/** Every entry with its model or its error, in the given order; throws when none loaded (`what` names them). */
export async function loadModelSet<E extends { id: ModelName; label: string }>(
	entries: readonly E[],
	ctx: { signal: AbortSignal; progress: (fraction: number) => void },
	what: string
): Promise<Loaded<E>[]> {
	const fractions = entries.map(() => 0);
	const report = () => ctx.progress(fractions.reduce((a, b) => a + b, 0) / fractions.length);
	const loaded = await Promise.all(
		entries.map(async (entry, i): Promise<Loaded<E>> => {
			const load: LoadContext = { signal: ctx.signal, progress: (f) => ((fractions[i] = f), report()) };
			try {
				return { ...entry, model: (await loadModel(entry.id, load)) as Model<E['id']> };
			} catch (e) {
				if (isAbort(e)) throw e;
				return { ...entry, error: errorMessage(e) };
			}
		})
	);
	if (loaded.every((n) => !n.model)) throw new Error(`none of ${what} could be loaded: ${loaded.map((n) => `${n.label}: ${n.error}`).join('; ')}`);
	return loaded;
}
