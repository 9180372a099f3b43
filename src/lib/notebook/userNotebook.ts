// A notebook a person builds: its structure as data (title, ordered prose and interactive
// cells, each interactive cell's kind, id, title and the upstream cell wired to each input),
// never code. Parameters come from the kind's definition in the registry, so a stored or
// linked notebook cannot change what a cell does. Every edit here is a pure function that
// returns a new notebook (or a refusal with a sentence saying why); wiring.ts checks wires.

import { placeCell, type AnyCellKind, type InputSpec } from './cellKind';
import type { CellDef, NotebookDef } from './types';
import { isComputeCell } from './types';
import { canPlace, nearestSource } from './wiring';

/** The notebook id of every user notebook: sessions, links and the route /notebooks/own use it. */
export const USER_NOTEBOOK_ID = 'own';
export const MAX_USER_CELLS = 64;
/** Per prose cell; the longest built-in prose is under 3,000 characters. */
export const MAX_USER_PROSE_CHARS = 8000;
export const MAX_USER_TITLE_CHARS = 200;

export interface UserProseCell {
	kind: 'prose';
	id: string;
	markdown: string;
}

export interface UserComputeCell {
	kind: string;
	id: string;
	title: string;
	/** Input name → id of the upstream cell. An input not listed is not wired yet. */
	inputs: Record<string, string>;
}

export type UserCell = UserProseCell | UserComputeCell;

export interface UserNotebook {
	title: string;
	cells: UserCell[];
}

export type Kinds = Readonly<Record<string, AnyCellKind>>;
export type EditResult = { ok: true; notebook: UserNotebook } | { ok: false; error: string };

export function isUserCompute(c: UserCell): c is UserComputeCell {
	return c.kind !== 'prose';
}

export function emptyNotebook(title = 'Untitled notebook'): UserNotebook {
	return { title, cells: [] };
}

/** A built-in notebook as a user notebook to edit (same ids, so its session state carries over). */
export function fromTemplate(def: NotebookDef): UserNotebook {
	const cells = def.cells.map((c): UserCell =>
		isComputeCell(c) ? { kind: c.kind, id: c.id, title: c.title, inputs: { ...(c.inputs ?? {}) } } : { kind: 'prose', id: c.id, markdown: c.markdown }
	);
	return { title: `${def.title} (my copy)`.slice(0, MAX_USER_TITLE_CHARS), cells };
}

/** The runtime's definition: each interactive cell placed with its kind's parameters. */
export function toNotebookDef(nb: UserNotebook, kinds: Kinds): NotebookDef {
	const cells = nb.cells.map((c): CellDef => {
		if (!isUserCompute(c)) return { kind: 'prose', id: c.id, markdown: c.markdown };
		const def = kinds[c.kind];
		if (!def) throw new Error(`unknown cell kind “${c.kind}”`);
		// Wires are checked by validateUserNotebook; an input may be missing (not wired yet).
		const inputs = Object.keys(def.inputs).length ? { ...c.inputs } : undefined;
		return placeCell(def, { id: c.id, title: c.title, inputs } as never);
	});
	return { id: USER_NOTEBOOK_ID, title: nb.title, papers: [], idea: '', youCan: '', cells };
}

/** A fresh id from `base` (a kind name or "prose"): base, base-2, base-3… */
export function newCellId(nb: UserNotebook, base: string): string {
	const stem = base.replace(/[^A-Za-z0-9_-]/g, '').slice(0, 56) || 'cell';
	const taken = new Set(nb.cells.map((c) => c.id));
	if (!taken.has(stem)) return stem;
	for (let n = 2; ; n++) if (!taken.has(`${stem}-${n}`)) return `${stem}-${n}`;
}

function insertAt(nb: UserNotebook, cell: UserCell, at: number | undefined): UserNotebook | string {
	if (nb.cells.length >= MAX_USER_CELLS) return `A notebook holds at most ${MAX_USER_CELLS} cells.`;
	const i = at === undefined ? nb.cells.length : Math.max(0, Math.min(nb.cells.length, at));
	return { ...nb, cells: [...nb.cells.slice(0, i), cell, ...nb.cells.slice(i)] };
}

/**
 * Adds a cell of `kind` at index `at` (default: the end). Each input is wired to the nearest
 * compatible cell above it, if there is one; the rest wait for the person to wire them.
 */
export function addCell(nb: UserNotebook, kind: string, kinds: Kinds, title: string, at?: number): EditResult {
	const def = kinds[kind];
	if (!def) return { ok: false, error: `There is no cell kind “${kind}”.` };
	const i = at === undefined ? nb.cells.length : Math.max(0, Math.min(nb.cells.length, at));
	const inputs: Record<string, string> = {};
	for (const [name, spec] of Object.entries(def.inputs)) {
		const src = nearestSource(nb.cells.slice(0, i), spec as InputSpec);
		if (src) inputs[name] = src.id;
	}
	const cell: UserComputeCell = { kind, id: newCellId(nb, kind), title: title.slice(0, MAX_USER_TITLE_CHARS) || kind, inputs };
	const out = insertAt(nb, cell, i);
	return typeof out === 'string' ? { ok: false, error: out } : { ok: true, notebook: out };
}

export function addProse(nb: UserNotebook, markdown: string, at?: number): EditResult {
	if (markdown.length > MAX_USER_PROSE_CHARS) return { ok: false, error: `Prose is limited to ${MAX_USER_PROSE_CHARS} characters per cell.` };
	const out = insertAt(nb, { kind: 'prose', id: newCellId(nb, 'prose'), markdown }, at);
	return typeof out === 'string' ? { ok: false, error: out } : { ok: true, notebook: out };
}

/** Moves cell `id` to index `to`, refused when it would read a cell below it or feed one above. */
export function moveCell(nb: UserNotebook, id: string, to: number): EditResult {
	const from = nb.cells.findIndex((c) => c.id === id);
	if (from < 0) return { ok: false, error: `There is no cell “${id}”.` };
	const target = Math.max(0, Math.min(nb.cells.length - 1, to));
	if (target === from) return { ok: true, notebook: nb };
	const cells = nb.cells.slice();
	const [cell] = cells.splice(from, 1);
	cells.splice(target, 0, cell);
	const moved = { ...nb, cells };
	const problem = canPlace(moved);
	return problem ? { ok: false, error: `Cannot move it there: ${problem}` } : { ok: true, notebook: moved };
}

/** Deletes cell `id`; inputs that read it become unwired (their cells then ask to be wired). */
export function deleteCell(nb: UserNotebook, id: string): UserNotebook {
	const cells = nb.cells
		.filter((c) => c.id !== id)
		.map((c) => {
			if (!isUserCompute(c) || !Object.values(c.inputs).includes(id)) return c;
			return { ...c, inputs: Object.fromEntries(Object.entries(c.inputs).filter(([, up]) => up !== id)) };
		});
	return { ...nb, cells };
}

export function renameCell(nb: UserNotebook, id: string, title: string): UserNotebook {
	const clean = title.trim().slice(0, MAX_USER_TITLE_CHARS);
	if (!clean) return nb;
	return { ...nb, cells: nb.cells.map((c) => (c.id === id && isUserCompute(c) ? { ...c, title: clean } : c)) };
}

export function setProse(nb: UserNotebook, id: string, markdown: string): EditResult {
	if (markdown.length > MAX_USER_PROSE_CHARS) return { ok: false, error: `Prose is limited to ${MAX_USER_PROSE_CHARS} characters per cell (this is ${markdown.length}).` };
	return { ok: true, notebook: { ...nb, cells: nb.cells.map((c) => (c.id === id && !isUserCompute(c) ? { ...c, markdown } : c)) } };
}

export function setTitle(nb: UserNotebook, title: string): UserNotebook {
	const clean = title.trim().slice(0, MAX_USER_TITLE_CHARS);
	return clean ? { ...nb, title: clean } : nb;
}

/** For messages: “HR face” (hr-face). */
export function cellLabel(c: UserCell): string {
	return isUserCompute(c) ? `“${c.title}”` : `prose “${c.id}”`;
}
