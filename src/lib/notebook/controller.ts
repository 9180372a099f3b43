// Binds a notebook definition, its state and the reactive runtime: every change a person
// makes goes through here, updates the state that sessions and links store, and re-runs
// the affected cells.

import { NotebookRuntime, type RuntimeCell, type ComputeFn } from '../runtime/runtime';
import type { GpuQueue } from '../runtime/gpuQueue';
import { defaultParams, isComputeCell, type ImageInput, type NotebookDef, type NotebookState, type ParamValue } from './types';

export class NotebookController {
	readonly runtime: NotebookRuntime;
	private current: NotebookState;

	constructor(
		readonly notebook: NotebookDef,
		state: NotebookState,
		compute: Record<string, ComputeFn>,
		private onChange: (state: NotebookState) => void = () => {},
		queue?: GpuQueue
	) {
		this.current = completeState(notebook, state);
		const cells: RuntimeCell[] = notebook.cells.filter(isComputeCell).map((c) => {
			const fn = compute[c.kind];
			if (!fn) throw new Error(`notebook “${notebook.id}” uses unknown cell kind “${c.kind}”`);
			return { id: c.id, title: c.title, inputs: c.inputs, params: this.current.params[c.id], image: this.current.images[c.id], compute: fn };
		});
		this.runtime = new NotebookRuntime(cells, queue);
	}

	get state(): NotebookState {
		return this.current;
	}

	setParam(cellId: string, name: string, value: ParamValue): void {
		const params = { ...this.current.params, [cellId]: { ...this.current.params[cellId], [name]: value } };
		this.current = { ...this.current, params };
		this.runtime.setParams(cellId, { [name]: value });
		this.onChange(this.current);
	}

	setImage(cellId: string, image: ImageInput): void {
		this.current = { ...this.current, images: { ...this.current.images, [cellId]: image } };
		this.runtime.setImage(cellId, image);
		this.onChange(this.current);
	}

	dispose(): void {
		this.runtime.dispose();
	}
}

/** Fill in defaults for anything a stored state lacks (e.g. a parameter added later). */
export function completeState(nb: NotebookDef, state: NotebookState): NotebookState {
	const params: NotebookState['params'] = {};
	const images: NotebookState['images'] = {};
	for (const c of nb.cells) {
		if (!isComputeCell(c)) continue;
		params[c.id] = { ...defaultParams(c), ...(state.params[c.id] ?? {}) };
		if (c.imageInput) images[c.id] = state.images[c.id] ?? { kind: 'synthetic', seed: 1 };
	}
	return { notebookId: nb.id, params, images };
}
