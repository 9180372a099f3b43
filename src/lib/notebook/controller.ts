// Binds a notebook definition, its state and the reactive runtime: every change a person
// makes goes through here, updates the state that sessions and links store, and re-runs
// the affected cells.

import { NotebookRuntime, type RuntimeCell } from '../runtime/runtime';
import type { GpuQueue } from '../runtime/gpuQueue';
import { coerceParam } from '../links/reconcile';
import type { AnyCellKind, CellContext } from './cellKind';
import { isComputeCell, type ComputeCell, type ImageInput, type NotebookDef, type NotebookState, type ParamValue, type ParamValues } from './types';

export class NotebookController {
	readonly runtime: NotebookRuntime;
	private current: NotebookState;

	constructor(
		readonly notebook: NotebookDef,
		state: NotebookState,
		kinds: Readonly<Record<string, AnyCellKind>>,
		private onChange: (state: NotebookState) => void = () => {},
		queue?: GpuQueue
	) {
		this.current = completeState(notebook, state);
		const cells: RuntimeCell[] = notebook.cells.filter(isComputeCell).map((c) => {
			const def = kinds[c.kind];
			if (!def) throw new Error(`notebook “${notebook.id}” uses unknown cell kind “${c.kind}”`);
			// completeState fitted every value to its spec: this is the typed context the kind declared
			const compute = (ctx: Parameters<RuntimeCell['compute']>[0]) => def.compute(ctx as CellContext);
			return { id: c.id, title: c.title, inputs: c.inputs, params: this.current.params[c.id], image: this.current.images[c.id], compute };
		});
		this.runtime = new NotebookRuntime(cells, queue);
	}

	get state(): NotebookState {
		return this.current;
	}

	setParam(cellId: string, name: string, value: ParamValue): void {
		const cell = this.notebook.cells.find((c): c is ComputeCell => isComputeCell(c) && c.id === cellId);
		if (!cell?.params?.[name]) throw new Error(`cell “${cellId}” has no parameter “${name}”`);
		value = completeParams(cell, { [name]: value })[name];
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

/**
 * Every parameter of `cell` from `stored`, fitted to its spec: a missing one (a parameter added
 * later) takes its default, a value of the wrong type or out of range is coerced as a link's
 * would be, and names the cell does not have are dropped.
 */
export function completeParams(cell: ComputeCell, stored: ParamValues = {}): ParamValues {
	const out: ParamValues = {};
	for (const [name, spec] of Object.entries(cell.params ?? {})) {
		out[name] = Object.hasOwn(stored, name) ? coerceParam(spec, stored[name], name, () => {}) : spec.default;
	}
	return out;
}

/** Fill in defaults for anything a stored state lacks and fit every value to its spec. */
export function completeState(nb: NotebookDef, state: NotebookState): NotebookState {
	const params: NotebookState['params'] = {};
	const images: NotebookState['images'] = {};
	for (const c of nb.cells) {
		if (!isComputeCell(c)) continue;
		params[c.id] = completeParams(c, state.params[c.id]);
		if (c.imageInput) images[c.id] = state.images[c.id] ?? { kind: 'synthetic', seed: 1 };
	}
	return { notebookId: nb.id, params, images };
}
