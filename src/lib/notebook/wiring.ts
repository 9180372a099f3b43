// Wires of a user notebook, type-checked through the cell-kind registry: an input is offered
// only cells of a kind it accepts (acceptedKinds), and a cell reads only cells above it, so the
// graph stays acyclic and reads top to bottom like the built-in notebooks. A wire that breaks
// either rule is refused with a sentence naming the cells involved.

import { acceptedKinds, type InputSpec } from './cellKind';
import type { EditResult, Kinds, UserCell, UserComputeCell, UserNotebook } from './userNotebook';

const isCompute = (c: UserCell): c is UserComputeCell => c.kind !== 'prose';

export function acceptedKindNames(spec: InputSpec): string[] {
	return acceptedKinds(spec).map((k) => k.kind);
}

/** “a face-input cell” / “a face-input or hr-face cell”, for messages. */
export function describeKinds(spec: InputSpec): string {
	const names = acceptedKindNames(spec).map((k) => `“${k}”`);
	return `a ${names.length > 1 ? names.slice(0, -1).join(', ') + ' or ' + names.at(-1) : names[0]} cell`;
}

/** The last cell of `cells` whose kind `spec` accepts (auto-wiring a newly added cell). */
export function nearestSource(cells: readonly UserCell[], spec: InputSpec): UserComputeCell | undefined {
	const ok = new Set(acceptedKindNames(spec));
	return cells.filter(isCompute).findLast((c) => ok.has(c.kind));
}

/** Declared inputs of `cell`'s kind that are not wired yet, in declaration order. */
export function unwiredInputs(cell: { kind: string; inputs?: Record<string, string> }, kinds: Kinds): string[] {
	const def = kinds[cell.kind];
	if (!def) return [];
	return Object.keys(def.inputs).filter((n) => !cell.inputs?.[n]);
}

/** What an unwired cell says instead of running. */
export function unwiredMessage(cell: { kind: string; inputs?: Record<string, string> }, kinds: Kinds): string | undefined {
	const missing = unwiredInputs(cell, kinds);
	if (missing.length === 0) return undefined;
	const def = kinds[cell.kind];
	const parts = missing.map((n) => `input “${n}” to ${describeKinds(def.inputs[n])} above`);
	return `Wire ${parts.join(', and ')}: this cell runs once its inputs are wired.`;
}

export interface WireOption {
	id: string;
	title: string;
	kind: string;
	/** Above the cell, so it can be wired; a compatible cell below is listed with why not. */
	above: boolean;
}

/** Every cell whose kind input `input` of `cellId` accepts, in notebook order. */
export function wireOptions(nb: UserNotebook, cellId: string, input: string, kinds: Kinds): WireOption[] {
	const at = nb.cells.findIndex((c) => c.id === cellId);
	const cell = nb.cells[at];
	if (!cell || !isCompute(cell)) return [];
	const spec = kinds[cell.kind]?.inputs[input];
	if (!spec) return [];
	const ok = new Set(acceptedKindNames(spec));
	return nb.cells
		.map((c, i) => ({ c, i }))
		.filter(({ c }) => isCompute(c) && c.id !== cellId && ok.has(c.kind))
		.map(({ c, i }) => ({ id: c.id, title: (c as UserComputeCell).title, kind: c.kind, above: i < at }));
}

/** Does `from` read `to`, directly or through other cells? */
export function reads(nb: UserNotebook, from: string, to: string): boolean {
	const byId = new Map(nb.cells.filter(isCompute).map((c) => [c.id, c]));
	const seen = new Set<string>();
	const stack = [from];
	while (stack.length) {
		const id = stack.pop()!;
		if (seen.has(id)) continue;
		seen.add(id);
		for (const up of Object.values(byId.get(id)?.inputs ?? {})) {
			if (up === to) return true;
			stack.push(up);
		}
	}
	return false;
}

/** Wires input `input` of `cellId` to `sourceId` (null: unwire it), or says why not. */
export function wire(nb: UserNotebook, cellId: string, input: string, sourceId: string | null, kinds: Kinds): EditResult {
	const at = nb.cells.findIndex((c) => c.id === cellId);
	const cell = nb.cells[at];
	if (!cell || !isCompute(cell)) return { ok: false, error: `There is no interactive cell “${cellId}”.` };
	const spec = kinds[cell.kind]?.inputs[input];
	if (!spec) return { ok: false, error: `“${cell.title}” has no input “${input}”.` };
	const replace = (inputs: Record<string, string>): EditResult => ({
		ok: true,
		notebook: { ...nb, cells: nb.cells.map((c) => (c.id === cellId ? { ...cell, inputs } : c)) }
	});
	if (sourceId === null) return replace(Object.fromEntries(Object.entries(cell.inputs).filter(([n]) => n !== input)));
	const from = nb.cells.findIndex((c) => c.id === sourceId);
	const src = nb.cells[from];
	if (!src || !isCompute(src)) return { ok: false, error: `There is no interactive cell “${sourceId}” to wire to.` };
	if (sourceId === cellId) return { ok: false, error: `“${cell.title}” cannot read itself.` };
	if (!acceptedKindNames(spec).includes(src.kind)) {
		return { ok: false, error: `Input “${input}” of “${cell.title}” takes ${describeKinds(spec)}; “${src.title}” is a “${src.kind}” cell.` };
	}
	if (reads(nb, sourceId, cellId)) {
		return { ok: false, error: `That would make a cycle: “${src.title}” already reads “${cell.title}”.` };
	}
	if (from > at) {
		return { ok: false, error: `“${src.title}” is below “${cell.title}”; a cell reads only cells above it (move “${src.title}” up first).` };
	}
	return replace({ ...cell.inputs, [input]: sourceId });
}

/** The first wire that reads a cell not above its reader, as a sentence; undefined when none. */
export function canPlace(nb: UserNotebook): string | undefined {
	const index = new Map(nb.cells.map((c, i) => [c.id, i]));
	for (const [i, c] of nb.cells.entries()) {
		if (!isCompute(c)) continue;
		for (const [name, up] of Object.entries(c.inputs)) {
			const j = index.get(up);
			if (j !== undefined && j > i) {
				const src = nb.cells[j] as UserComputeCell;
				return `“${c.title}” reads “${src.title}” (input “${name}”), which would then be below it.`;
			}
		}
	}
	return undefined;
}
