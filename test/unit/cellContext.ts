// The context a cell kind's compute receives, for calling it directly in tests: parameters
// completed and fitted to the kind's specs exactly as the notebook controller does, inputs as
// given, GPU tasks run at once unless a queue is given.
import type { AnyCellKind, CellContext, InputValuesOf, ParamsOf } from '$lib/notebook/cellKind';
import { completeParams } from '$lib/notebook/params';
import type { ImageInput, ParamValues } from '$lib/notebook/types';

export interface ContextOptions {
	params?: ParamValues;
	inputs?: Record<string, unknown>;
	image?: ImageInput;
	signal?: AbortSignal;
	gpu?: <R>(task: () => Promise<R> | R) => Promise<R>;
	progress?: (fraction: number) => void;
}

export function cellContext<D extends AnyCellKind>(def: D, o: ContextOptions = {}): CellContext<ParamsOf<D>, D['inputs']> {
	const params = completeParams({ kind: def.kind, id: def.kind, title: def.kind, params: def.params }, o.params);
	return {
		params: params as CellContext<ParamsOf<D>>['params'],
		inputs: (o.inputs ?? {}) as InputValuesOf<D['inputs']>,
		image: o.image,
		signal: o.signal ?? new AbortController().signal,
		gpu: o.gpu ?? (async (task) => task()),
		progress: o.progress ?? (() => {})
	};
}

/** Run a kind's compute on a context made as above. */
export async function runCell<D extends AnyCellKind>(def: D, o: ContextOptions = {}) {
	return (await def.compute(cellContext(def, o))) as Awaited<ReturnType<D['compute']>>;
}
