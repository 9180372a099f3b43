// A notebook's state as a session opens with it: every parameter at its default (a new
// session), or a stored or linked state completed and fitted to the notebook's specs.
import { completeParams, defaultParams } from './params';
import { isComputeCell, type ImageInput, type NotebookDef, type NotebookState, type ParamValues } from './types';

const syntheticFace = (): ImageInput => ({ kind: 'synthetic', seed: 1 });

export function defaultState(nb: NotebookDef): NotebookState {
	const params: Record<string, ParamValues> = {};
	const images: Record<string, ImageInput> = {};
	for (const c of nb.cells) {
		if (!isComputeCell(c)) continue;
		params[c.id] = defaultParams(c);
		if (c.imageInput) images[c.id] = syntheticFace();
	}
	return { notebookId: nb.id, params, images };
}

/** Fill in defaults for anything a stored state lacks and fit every value to its spec. */
export function completeState(nb: NotebookDef, state: NotebookState): NotebookState {
	const params: NotebookState['params'] = {};
	const images: NotebookState['images'] = {};
	for (const c of nb.cells) {
		if (!isComputeCell(c)) continue;
		params[c.id] = completeParams(c, state.params[c.id]);
		if (c.imageInput) images[c.id] = state.images[c.id] ?? syntheticFace();
	}
	return { notebookId: nb.id, params, images };
}
