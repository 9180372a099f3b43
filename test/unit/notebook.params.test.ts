// Every value a cell computes with is fitted to its spec: a stored session (which may come from
// an older version, another tab or a damaged record) and every change through the controller.
import { describe, expect, it } from 'vitest';
import { completeState, defaultState } from '../../src/lib/notebook/state';
import { NotebookController } from '../../src/lib/notebook/controller';
import { defineCell, placeCell } from '../../src/lib/notebook/cellKind';
import type { NotebookDef } from '../../src/lib/notebook/types';
import { FUZZ_NB } from './fuzzNotebook';

describe('parameters fitted to their specs', () => {
	it('a stored state: out-of-range clamped, wrong types to defaults, seeds to 32 bits, unknown names dropped, missing ones added', () => {
		const stored = { notebookId: 'nb1', params: { deg: { sigma: 1e308, mode: 'zzz', noise: 'yes', seed: -1, bogus: 3 } }, images: {} };
		const done = completeState(FUZZ_NB, stored);
		expect(done.params.deg).toEqual({ sigma: 4, mode: 'a', noise: false, seed: 0xffffffff });
		expect(done.params.input).toEqual({});
		expect(done.images.input).toEqual({ kind: 'synthetic', seed: 1 });
		expect(completeState(FUZZ_NB, defaultState(FUZZ_NB))).toEqual(defaultState(FUZZ_NB));
	});

	it('the controller runs computes with fitted values and refuses a parameter the cell does not have', async () => {
		const seen: unknown[] = [];
		const kind = defineCell({
			kind: 'probe',
			summary: 'Records the value it computes with.',
			params: { k: { type: 'number', label: 'K', min: 1, max: 32, step: 1, default: 4 } },
			compute: (ctx) => void seen.push(ctx.params.k)
		});
		const nb: NotebookDef = { id: 'p', title: 'P', papers: [], idea: '', youCan: '', cells: [placeCell(kind, { id: 'c', title: 'C' })] };
		const ctl = new NotebookController(nb, { notebookId: 'p', params: { c: { k: 1e6 } }, images: {} }, { probe: kind });
		await ctl.runtime.idle();
		ctl.setParam('c', 'k', -5);
		await ctl.runtime.idle();
		expect(seen).toEqual([32, 1]);
		expect(ctl.state.params.c).toEqual({ k: 1 });
		expect(() => ctl.setParam('c', 'nope', 1)).toThrow(/no parameter “nope”/);
		ctl.dispose();
	});
});
