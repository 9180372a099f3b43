// User notebooks as sessions: stored with their structure and reopened (openUserNotebook), a
// stored one with a kind this version lacks is refused with the reason and quarantines nothing,
// a damaged structure is quarantined like any damaged record, export/import round-trips and
// checks the structure; the palette lists every registered kind.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createStore, set } from 'idb-keyval';
import { beforeEach, describe, expect, it } from 'vitest';
import { _resetStoresForTests, getSession, listSessions } from '$lib/sessions/store';
import { createUserNotebook } from '$lib/sessions/userNotebooks';
import { openUserNotebook } from '$lib/notebook/openUserNotebook';
import { exportSessions, parseImport } from '$lib/sessions/exportImport';
import { encodeLink } from '$lib/links/codec';
import { USER_NOTEBOOK_ID, toNotebookDef } from '$lib/notebook/userNotebook';
import { defaultState } from '$lib/notebook/state';
import { paletteEntries, filterEntries } from '$lib/notebook-editor/palette';
import { CHAIN, KINDS } from './userNotebookKinds';

const STATE = { ...defaultState(toNotebookDef(CHAIN, KINDS)), params: { face: {}, model: {}, hr: { seed: 3, gain: 2 }, lr: {} } };
const url = (q = '', hash = '') => new URL(`http://x/notebooks/own${q}${hash}`);

beforeEach(() => {
	globalThis.indexedDB = new IDBFactory();
	_resetStoresForTests();
});

describe('user notebooks stored as sessions', () => {
	it('are stored with their structure and reopen by id, or as the last one', async () => {
		const rec = await createUserNotebook(CHAIN, STATE);
		expect(rec).toMatchObject({ notebookId: USER_NOTEBOOK_ID, title: 'Chain', notebook: CHAIN });
		const byId = await openUserNotebook(url(`?session=${rec.id}`), KINDS);
		expect(byId).toMatchObject({ ok: true, notebook: CHAIN, persisted: true, notices: [] });
		expect(byId.ok && byId.record.state.params.hr).toEqual({ seed: 3, gain: 2 });
		const last = await openUserNotebook(url(), KINDS);
		expect(last.ok && last.record.id).toBe(rec.id);
		expect((await listSessions()).ok.map((s) => s.notebookId)).toEqual([USER_NOTEBOOK_ID]);
	});

	it('open from a link as a new stored notebook', async () => {
		const link = encodeLink(STATE, CHAIN);
		if (!link.ok) throw new Error(link.error);
		const opened = await openUserNotebook(url('', `#s=${link.hash}`), KINDS);
		if (!opened.ok) throw new Error(opened.error);
		expect(opened.notebook).toEqual(CHAIN);
		expect(await getSession(opened.record.id)).toMatchObject({ notebook: CHAIN, state: { params: { hr: { seed: 3, gain: 2 } } } });
	});

	it('refuse a stored notebook with a kind this version lacks, naming it, and leave it stored', async () => {
		const rec = await createUserNotebook(CHAIN, STATE);
		const { hr: _gone, ...fewer } = KINDS;
		const r = await openUserNotebook(url(`?session=${rec.id}`), fewer);
		expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/“Chain” cannot be opened.*Cell 4 \("HR"\) is of unknown kind "hr"/) });
		expect(await getSession(rec.id)).toBeDefined();
	});

	it('quarantine a record whose structure is damaged, and start a new notebook', async () => {
		const rec = await createUserNotebook(CHAIN, STATE);
		await set(rec.id, { ...rec, notebook: { title: 'x', cells: [{ kind: 'prose', id: 'a', markdown: 1 }] } }, createStore('srlab', 'sessions'));
		const r = await openUserNotebook(url(`?session=${rec.id}`), KINDS);
		expect(r.ok && r.record.id).not.toBe(rec.id);
		expect(r.notices.join(' ')).toMatch(/notebook\.cells\.0/);
		expect((await listSessions()).broken.map((b) => b.id)).toEqual([rec.id]);
	});

	it('export and import round-trip; an import with a bad structure is refused with the reason', async () => {
		const rec = await createUserNotebook(CHAIN, STATE);
		const text = exportSessions([rec]);
		const back = parseImport(text, [], Date.now(), KINDS);
		if (!back.ok) throw new Error(back.error);
		expect(back.sessions[0]).toMatchObject({ notebookId: USER_NOTEBOOK_ID, notebook: CHAIN, state: STATE });
		expect(back.sessions[0].id).not.toBe(rec.id);
		const bad = text.replace('"kind":"lr"', '"kind":"lasers"');
		expect(parseImport(bad, [], Date.now(), KINDS)).toMatchObject({ ok: false, error: expect.stringMatching(/cannot be opened: Cell 5 \("LR"\) is of unknown kind "lasers"/) });
	});
});

describe('the palette', () => {
	it('lists every registered kind with its summary, titled as a built-in notebook places it', async () => {
		const { CELL_KINDS } = await import('../../src/notebooks/cellKinds');
		const { NOTEBOOKS } = await import('../../src/notebooks/index');
		const entries = paletteEntries(CELL_KINDS, NOTEBOOKS);
		expect(entries.map((e) => e.kind).sort()).toEqual(Object.keys(CELL_KINDS).sort());
		for (const e of entries) expect(e.summary).toBe((CELL_KINDS as Record<string, { summary: string }>)[e.kind].summary);
		expect(entries.find((e) => e.kind === 'sampler-grid')?.title).toBe('Learned LR samples');
		expect(paletteEntries(KINDS, []).map((e) => [e.kind, e.title, e.inputs])).toEqual([
			['face', 'Face', []],
			['model', 'Model', []],
			['hr', 'Hr', ['face', 'model']],
			['lr', 'Lr', ['src']]
		]);
		expect(filterEntries(entries, 'DEGRADER sample').map((e) => e.kind)).toContain('sampler-grid');
		expect(filterEntries(entries, 'no such thing at all')).toEqual([]);
	});
});
