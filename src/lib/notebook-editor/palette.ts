// The palette of cells a person can add: every kind in the registry (so kinds added later
// appear by themselves), each with its one-line summary and a title taken from where a
// built-in notebook places it, or made from its name when none does.
import type { NotebookDef } from '$lib/notebook/types';
import { isComputeCell } from '$lib/notebook/types';
import type { Kinds } from '$lib/notebook/userNotebook';

export interface PaletteEntry {
	kind: string;
	/** The title a new cell of this kind starts with. */
	title: string;
	summary: string;
	/** The kind's input names (what it will need wired). */
	inputs: string[];
}

export function paletteEntries(kinds: Kinds, notebooks: readonly NotebookDef[]): PaletteEntry[] {
	const placed = new Map<string, string>();
	for (const nb of notebooks) for (const c of nb.cells) if (isComputeCell(c) && !placed.has(c.kind)) placed.set(c.kind, c.title);
	return Object.values(kinds).map((k) => ({
		kind: k.kind,
		title: placed.get(k.kind) ?? k.kind.replace(/-/g, ' ').replace(/^./, (ch) => ch.toUpperCase()),
		summary: k.summary,
		inputs: Object.keys(k.inputs)
	}));
}

/** Entries whose title, kind or summary contain every word of `filter` (any case). */
export function filterEntries(entries: readonly PaletteEntry[], filter: string): PaletteEntry[] {
	const words = filter.toLowerCase().split(/\s+/).filter(Boolean);
	return entries.filter((e) => {
		const text = `${e.title} ${e.kind} ${e.summary}`.toLowerCase();
		return words.every((w) => text.includes(w));
	});
}
