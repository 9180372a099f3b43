// Every notebook against the one registry of cell kinds: each placed cell names a registered
// kind and carries that kind's parameters and image flag; its inputs are exactly the kind's
// declared inputs, each wired to an earlier cell of an accepted kind. Every kind has a view and
// is used somewhere; a kind in src/cells is shared by two or more notebooks, a kind in a
// notebook's folder is used by that notebook only, and no notebook folder imports another's.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { NOTEBOOKS } from '../../src/notebooks/index';
import { CELL_KINDS } from '../../src/notebooks/cellKinds';
import { CELL_VIEWS } from '../../src/notebooks/cellViews';
import { acceptedKinds, type AnyCellKind } from '../../src/lib/notebook/cellKind';
import { isComputeCell, type ComputeCell } from '../../src/lib/notebook/types';

const isKind = (v: unknown): v is AnyCellKind => !!v && typeof v === 'object' && typeof (v as AnyCellKind).kind === 'string' && typeof (v as AnyCellKind).compute === 'function';
/** Kinds defined in each module of a folder (glob keys are paths). */
const kindsIn = (mods: Record<string, unknown>) => Object.entries(mods).flatMap(([path, m]) => Object.values(m as object).filter(isKind).map((k) => ({ path, kind: k.kind })));
const shared = kindsIn(import.meta.glob('../../src/cells/*.ts', { eager: true }));
const local = kindsIn(import.meta.glob('../../src/notebooks/*/*.ts', { eager: true }));
const usedBy = (kind: string) => NOTEBOOKS.filter((nb) => nb.cells.some((c) => isComputeCell(c) && c.kind === kind)).map((nb) => nb.id);

describe('notebooks and the cell-kind registry', () => {
	for (const nb of NOTEBOOKS) {
		it(`${nb.id}: every cell is a registered kind, wired as the kind declares`, () => {
			const seen = new Map<string, ComputeCell>();
			const ids = new Set<string>();
			for (const c of nb.cells) {
				expect(ids.has(c.id), `duplicate id ${c.id}`).toBe(false);
				ids.add(c.id);
				if (!isComputeCell(c)) continue;
				const def = (CELL_KINDS as Record<string, AnyCellKind>)[c.kind];
				expect(def, `kind ${c.kind}`).toBeDefined();
				expect(c.params ?? {}).toBe(def.params);
				expect(!!c.imageInput).toBe(def.imageInput);
				expect(Object.keys(c.inputs ?? {}).sort()).toEqual(Object.keys(def.inputs).sort());
				for (const [name, upId] of Object.entries(c.inputs ?? {})) {
					const up = seen.get(upId);
					expect(up, `${c.id}.${name} reads ${upId}, which must be an earlier interactive cell`).toBeDefined();
					expect(acceptedKinds(def.inputs[name]).map((k) => k.kind)).toContain(up!.kind);
				}
				seen.set(c.id, c);
			}
		});
	}

	it('every kind has a view, a one-line summary and is used by a notebook', () => {
		for (const [kind, def] of Object.entries(CELL_KINDS)) {
			expect(def.summary, `summary of ${kind}`).toMatch(/^[A-Z].{20,110}\.$/);
			expect(def.summary).not.toMatch(/\n/);
			expect((CELL_VIEWS as Record<string, unknown>)[kind], `view of ${kind}`).toBeDefined();
			expect(usedBy(kind), `notebooks using ${kind}`).not.toEqual([]);
		}
		expect(Object.keys(CELL_VIEWS).sort()).toEqual(Object.keys(CELL_KINDS).sort());
	});

	it('shared kinds (src/cells) serve two or more notebooks; a folder’s kinds serve its notebook only', () => {
		expect(shared.length).toBeGreaterThan(0);
		for (const { kind, path } of shared) expect(usedBy(kind).length, `${kind} (${path})`).toBeGreaterThanOrEqual(2);
		for (const { kind, path } of local) expect(usedBy(kind), `${kind} (${path})`).toEqual([path.split('/').at(-2)]);
		const defined = [...shared, ...local].map((k) => k.kind).sort();
		expect(defined).toEqual(Object.keys(CELL_KINDS).sort());
	});

	it('no notebook folder imports from another notebook’s folder', () => {
		const root = 'src/notebooks';
		const folders = readdirSync(root, { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
		for (const f of folders)
			for (const file of readdirSync(join(root, f))) {
				const text = readFileSync(join(root, f, file), 'utf8');
				for (const other of folders.filter((o) => o !== f)) {
					expect(text.includes(`../${other}/`) || text.includes(`$notebooks/${other}/`), `${f}/${file} imports from ${other}`).toBe(false);
				}
			}
	});
});
