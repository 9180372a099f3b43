// The user-notebook structure model: add (with auto-wiring), move, delete, wire (only accepted
// kinds above; cycles and later cells refused), validation of untrusted structures, and the
// controller running a notebook built at runtime, unwired cells included.
import { describe, expect, it } from 'vitest';
import { addCell, addProse, deleteCell, emptyNotebook, fromTemplate, moveCell, setProse, toNotebookDef, MAX_USER_PROSE_CHARS, type UserNotebook } from '$lib/notebook/userNotebook';
import { unwiredInputs, wire, wireOptions } from '$lib/notebook/wiring';
import { validateUserNotebook } from '$lib/notebook/validateUserNotebook';
import { NotebookController } from '$lib/notebook/controller';
import { defaultState } from '$lib/notebook/state';
import { CHAIN, KINDS, hr } from './userNotebookKinds';

function ok(r: { ok: true; notebook: UserNotebook } | { ok: false; error: string }): UserNotebook {
	if (!r.ok) throw new Error(r.error);
	return r.notebook;
}
function refused(r: { ok: boolean; error?: string }): string {
	expect(r.ok).toBe(false);
	return r.error!;
}
const ids = (nb: UserNotebook) => nb.cells.map((c) => c.id);

describe('building a notebook', () => {
	it('adds cells with fresh ids, wiring each input to the nearest accepted cell above', () => {
		let nb = emptyNotebook();
		nb = ok(addCell(nb, 'face', KINDS, 'Face'));
		nb = ok(addCell(nb, 'lr', KINDS, 'LR of the face'));
		expect(nb.cells[1]).toEqual({ kind: 'lr', id: 'lr', title: 'LR of the face', inputs: { src: 'face' } });
		nb = ok(addCell(nb, 'hr', KINDS, 'HR'));
		// no model above: that input waits for a wire
		expect(nb.cells[2]).toMatchObject({ id: 'hr', inputs: { face: 'face' } });
		expect(unwiredInputs(nb.cells[2] as never, KINDS)).toEqual(['model']);
		nb = ok(addCell(nb, 'lr', KINDS, 'LR of the HR'));
		// the nearest accepted cell above is the HR cell (lr accepts face or hr)
		expect(nb.cells[3]).toMatchObject({ id: 'lr-2', inputs: { src: 'hr' } });
		nb = ok(addProse(nb, 'Note', 0));
		expect(ids(nb)).toEqual(['prose', 'face', 'lr', 'hr', 'lr-2']);
		expect(refused(addCell(nb, 'nope', KINDS, 'x'))).toMatch(/no cell kind “nope”/);
	});

	it('moves cells, refusing a place above a cell they read or below one that reads them', () => {
		let nb = ok(moveCell(CHAIN, 'intro', 4));
		expect(ids(nb)).toEqual(['face', 'model', 'hr', 'lr', 'intro']);
		nb = ok(moveCell(nb, 'model', 0));
		expect(ids(nb)).toEqual(['model', 'face', 'hr', 'lr', 'intro']);
		expect(refused(moveCell(nb, 'hr', 0))).toMatch(/“HR” reads “Face” \(input “face”\), which would then be below it/);
		expect(refused(moveCell(nb, 'face', 3))).toMatch(/“HR” reads “Face”/);
		expect(ids(nb)).toEqual(['model', 'face', 'hr', 'lr', 'intro']); // refusals change nothing
	});

	it('deletes a cell and unwires the inputs that read it', () => {
		const nb = deleteCell(CHAIN, 'model');
		expect(ids(nb)).toEqual(['intro', 'face', 'hr', 'lr']);
		expect(nb.cells[2]).toMatchObject({ id: 'hr', inputs: { face: 'face' } });
		expect(unwiredInputs(nb.cells[2] as never, KINDS)).toEqual(['model']);
	});

	it('offers only cells of accepted kinds, and says which are below', () => {
		expect(wireOptions(CHAIN, 'lr', 'src', KINDS)).toEqual([
			{ id: 'face', title: 'Face', kind: 'face', above: true },
			{ id: 'hr', title: 'HR', kind: 'hr', above: true }
		]);
		expect(wireOptions(CHAIN, 'hr', 'model', KINDS).map((o) => o.id)).toEqual(['model']);
		const nb = ok(addCell(CHAIN, 'face', KINDS, 'Second face'));
		expect(wireOptions(nb, 'hr', 'face', KINDS)).toEqual([
			{ id: 'face', title: 'Face', kind: 'face', above: true },
			{ id: 'face-2', title: 'Second face', kind: 'face', above: false }
		]);
	});

	it('wires and unwires; refuses a wrong kind, a later cell, a cycle and itself', () => {
		let nb = ok(wire(CHAIN, 'lr', 'src', 'face', KINDS));
		expect(nb.cells[4]).toMatchObject({ inputs: { src: 'face' } });
		nb = ok(wire(nb, 'lr', 'src', null, KINDS));
		expect(unwiredInputs(nb.cells[4] as never, KINDS)).toEqual(['src']);
		expect(refused(wire(CHAIN, 'hr', 'model', 'face', KINDS))).toMatch(/input “model” of “HR” takes a “model” cell; “Face” is a “face” cell/i);
		expect(refused(wire(CHAIN, 'hr', 'face', 'lr', KINDS))).toMatch(/takes a “face” cell/);
		const below = ok(addCell(CHAIN, 'face', KINDS, 'Late face'));
		expect(refused(wire(below, 'hr', 'face', 'face-2', KINDS))).toMatch(/“Late face” is below “HR”; a cell reads only cells above it/);
		const early = ok(addCell(CHAIN, 'lr', KINDS, 'Early LR', 1)); // above every face: src unwired
		expect(unwiredInputs(early.cells[1] as never, KINDS)).toEqual(['src']);
		expect(refused(wire(early, 'lr-2', 'src', 'hr', KINDS))).toMatch(/“HR” is below “Early LR”/);
		expect(refused(wire(CHAIN, 'lr', 'nope', 'hr', KINDS))).toMatch(/has no input “nope”/);
		expect(refused(wire(CHAIN, 'lr', 'src', 'ghost', KINDS))).toMatch(/no interactive cell “ghost”/);
	});

	it('refuses a wire that would close a cycle, naming both cells', () => {
		// hr gets an input that accepts lr, so hr ← lr ← hr can be asked for
		const loopy = { ...KINDS, hr: { ...hr, inputs: { ...hr.inputs, prior: KINDS.lr } } };
		const nb: UserNotebook = {
			title: 'Two',
			cells: [
				{ kind: 'hr', id: 'h1', title: 'H1', inputs: {} },
				{ kind: 'lr', id: 'l1', title: 'L1', inputs: { src: 'h1' } }
			]
		};
		expect(refused(wire(nb, 'h1', 'prior', 'l1', loopy))).toMatch(/cycle: “L1” already reads “H1”/);
		expect(refused(wire(nb, 'l1', 'src', 'l1', loopy))).toMatch(/cannot read itself|takes/);
	});

	it('keeps prose within its limit', () => {
		expect(refused(setProse(CHAIN, 'intro', 'x'.repeat(MAX_USER_PROSE_CHARS + 1)))).toMatch(/8000 characters/);
		expect(ok(setProse(CHAIN, 'intro', '$$a$$')).cells[0]).toEqual({ kind: 'prose', id: 'intro', markdown: '$$a$$' });
	});
});

describe('validating an untrusted notebook', () => {
	const cells = CHAIN.cells;
	const check = (nb: unknown) => validateUserNotebook(nb, KINDS);

	it('accepts a good one unchanged', () => {
		expect(check(CHAIN)).toEqual({ ok: true, notebook: CHAIN });
	});

	it.each([
		['an unknown kind', { ...CHAIN, cells: [...cells, { kind: 'warp-drive', id: 'w', title: 'W', inputs: {} }] }, /Cell 6 \("W"\) is of unknown kind "warp-drive"/],
		['a duplicate id', { ...CHAIN, cells: [...cells, { kind: 'face', id: 'hr', title: 'F', inputs: {} }] }, /two cells have the id “hr”/],
		['over-long prose', { ...CHAIN, cells: [{ kind: 'prose', id: 'p', markdown: 'x'.repeat(MAX_USER_PROSE_CHARS + 1) }] }, /prose longer than 8000 characters/],
		['a wire to a later cell', { ...CHAIN, cells: [cells[0], cells[3], cells[1], cells[2], cells[4]] }, /reads "face" \(input “face”\), which is not above it/],
		['a wire to a missing cell', { ...CHAIN, cells: cells.filter((c) => c.id !== 'model') }, /reads "model" \(input “model”\), which is not in the notebook/],
		['a wire of the wrong kind', { ...CHAIN, cells: cells.map((c) => (c.id === 'lr' ? { ...c, inputs: { src: 'model' } } : c)) }, /input “src” takes a “face” or “hr” cell, but "model" is a "model" cell/],
		['an input the kind lacks', { ...CHAIN, cells: cells.map((c) => (c.id === 'lr' ? { ...c, inputs: { zz: 'hr' } } : c)) }, /wires input "zz", which a “lr” cell does not have/],
		['a wire to prose', { ...CHAIN, cells: cells.map((c) => (c.id === 'lr' ? { ...c, inputs: { src: 'intro' } } : c)) }, /but "intro" is prose/],
		['a prose cell with a title', { ...CHAIN, cells: [{ kind: 'prose', id: 'p', markdown: 'x', title: 't' }] }, /prose cell has markdown only/],
		['a hostile id', { ...CHAIN, cells: [{ kind: 'face', id: '__proto__', title: 'F', inputs: {} }] }, /reserved name/],
		['code instead of data', { title: 'x', cells: [{ kind: 'face', id: 'f', title: 'F', inputs: {}, compute: 'alert(1)' }] }, null],
		['not an object', 'x', /not valid/]
	])('refuses %s with a message naming it', (_what, nb, message) => {
		const r = check(nb);
		if (message === null) {
			// unknown keys are dropped: what comes back is data of the schema's shape only
			expect(r.ok && JSON.stringify(r.notebook)).toBe(JSON.stringify({ title: 'x', cells: [{ kind: 'face', id: 'f', title: 'F', inputs: {} }] }));
			return;
		}
		expect(r.ok).toBe(false);
		expect((r as { error: string }).error).toMatch(message);
	});
});

describe('running a notebook built at runtime', () => {
	it('places every cell with its kind’s parameters, runs the wired ones, and asks for the missing wires', async () => {
		const nb = deleteCell(CHAIN, 'model');
		const def = toNotebookDef(nb, KINDS);
		expect(def.cells[2]).toMatchObject({ kind: 'hr', params: hr.params, inputs: { face: 'face' } });
		expect(def.cells[1]).toMatchObject({ kind: 'face', imageInput: true });
		const ctl = new NotebookController(def, defaultState(def), KINDS);
		await ctl.runtime.idle();
		expect(ctl.runtime.get('face')).toMatchObject({ status: 'done', value: 1 });
		expect(ctl.runtime.get('hr')).toMatchObject({ status: 'error', error: 'Wire input “model” to a “model” cell above: this cell runs once its inputs are wired.' });
		expect(ctl.runtime.get('lr')).toMatchObject({ status: 'blocked' });
		ctl.dispose();

		const full = toNotebookDef(CHAIN, KINDS);
		const ctl2 = new NotebookController(full, defaultState(full), KINDS);
		ctl2.setParam('hr', 'gain', 2);
		await ctl2.runtime.idle();
		expect(ctl2.runtime.get('lr').value).toBe(((1 + 10) * 2 + 5) * 2);
		ctl2.dispose();
	});

	it('every built-in notebook is a template whose copy validates and places the same cells', async () => {
		const { NOTEBOOKS } = await import('../../src/notebooks/index');
		const { CELL_KINDS } = await import('../../src/notebooks/cellKinds');
		for (const builtIn of NOTEBOOKS) {
			const copy = fromTemplate(builtIn);
			const valid = validateUserNotebook(JSON.parse(JSON.stringify(copy)), CELL_KINDS);
			if (!valid.ok) throw new Error(`${builtIn.id}: ${valid.error}`);
			expect(toNotebookDef(valid.notebook, CELL_KINDS).cells).toEqual(builtIn.cells);
		}
	});
});
