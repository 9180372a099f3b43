// Binds a notebook definition, its state and the reactive runtime: every change a person
// makes goes through here, updates the state that sessions and links store, and re-runs
// the affected cells.

import { NotebookRuntime, type RuntimeCell } from '../runtime/runtime';
import type { GpuQueue } from '../runtime/gpuQueue';
import { completeParams } from './params';
import { completeState } from './state';
import { unwiredMessage } from './wiring';
import type { AnyCellKind, CellContext } from './cellKind';
import { isComputeCell, type ComputeCell, type ImageInput, type NotebookDef, type NotebookState, type ParamValue } from './types';

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
			// A cell of a notebook built at runtime may have inputs not wired yet: it says so
			// instead of running (and reads nothing, so it says so at once).
			const unwired = unwiredMessage(c, kinds);
			// completeState fitted every value to its spec: this is the typed context the kind declared
			const compute = unwired
				? () => {
						throw new Error(unwired);
					}
				: (ctx: Parameters<RuntimeCell['compute']>[0]) => def.compute(ctx as CellContext);
			const inputs = unwired ? undefined : c.inputs;
			return { id: c.id, title: c.title, inputs, params: this.current.params[c.id], image: this.current.images[c.id], compute };
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
