// Issue 8, stored sessions: a record from an older (pre-versioning or v0) schema is set aside
// with a reason while the others load; opening a notebook whose last session is damaged, or in
// a browser that refuses to store anything, still gives a working notebook and a sentence
// saying what happened. (Newer-schema, corrupted and quota cases: sessions.store.test.ts.)
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createStore, set } from 'idb-keyval';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NotebookDef } from '$lib/notebook/types';
import { defaultState } from '$lib/notebook/state';
import { openSession } from '$lib/notebook/openSession';
import { _resetStoresForTests, createSession, getSession, listSessions, setLastSession } from '$lib/sessions/store';

const NB: NotebookDef = {
	id: 'nb1',
	title: 'T',
	papers: [],
	idea: '',
	youCan: '',
	cells: [{ kind: 'degrade', id: 'deg', title: 'Degrade', params: { sigma: { type: 'number', label: 'Blur', min: 0, max: 4, step: 0.1, default: 1 } } }]
};
const rawSessions = () => createStore('srlab', 'sessions');

beforeEach(() => {
	globalThis.indexedDB = new IDBFactory();
	_resetStoresForTests();
});
afterEach(() => vi.restoreAllMocks());

describe('records from an older schema', () => {
	it('a pre-versioning record and a schema-0 record are quarantined with a reason; the rest load', async () => {
		const good = await createSession('nb1', defaultState(NB), 'Good');
		// What an early build stored: no "schema" field, state flattened.
		await set('old1', { id: 'old1', notebookId: 'nb1', title: 'Old', params: { deg: { sigma: 2 } }, savedAt: 1 }, rawSessions());
		await set('old0', { ...good, id: 'old0', schema: 0 }, rawSessions());
		const list = await listSessions();
		expect(list.ok.map((s) => s.title)).toEqual(['Good']);
		const byId = Object.fromEntries(list.broken.map((b) => [b.id, b]));
		expect(byId.old1).toEqual({ id: 'old1', key: 'old1', reason: 'missing or invalid schema version', quarantined: true });
		expect(byId.old0).toMatchObject({ reason: 'missing or invalid schema version', quarantined: true });
		expect(await getSession(good.id)).toEqual(good);
	});
});

describe('opening a notebook when storage misbehaves', () => {
	it('the last session is damaged: a notice, a fresh session, the others untouched', async () => {
		const other = await createSession('nb1', defaultState(NB), 'Other');
		const last = await createSession('nb1', defaultState(NB), 'Last');
		await setLastSession('nb1', last.id);
		await set(last.id, { ...last, state: 'garbage' }, rawSessions());
		const opened = await openSession(NB, [NB], new URL('http://x/notebooks/nb1'));
		expect(opened.persisted).toBe(true);
		expect(opened.record.id).not.toBe(last.id);
		expect(opened.record.state).toEqual(defaultState(NB));
		expect(opened.notices).toHaveLength(1);
		expect(opened.notices[0]).toMatch(/damaged and was set aside: state.*A new session was started; the others are untouched/);
		expect(await getSession(other.id)).toEqual(other);
		expect((await listSessions()).broken.map((b) => b.id)).toEqual([last.id]);
	});

	it('storage refuses to write (quota): the notebook opens in memory with a message', async () => {
		vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
			throw new DOMException('full', 'QuotaExceededError');
		});
		const opened = await openSession(NB, [NB], new URL('http://x/notebooks/nb1#s=not-a-link'));
		expect(opened.persisted).toBe(false);
		expect(opened.record.state).toEqual(defaultState(NB));
		expect(opened.notices).toEqual([
			expect.stringMatching(/^The link could not be opened: This is not an srlab notebook link/),
			expect.stringMatching(/would not store a session \(.*storage for this site is full.*\); your work stays in this tab/)
		]);
	});
});
