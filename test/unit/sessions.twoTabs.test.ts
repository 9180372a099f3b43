// Two tabs on one session, each with its own copy of the store module (as two browser tabs
// have), sharing one IndexedDB. The notebook page renames with renameSession(id, title) and
// takes the answer's updatedAt as the version it knows; its next save must still not
// overwrite what the other tab saved meanwhile.
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import type { NotebookState } from '$lib/notebook/types';

type Store = typeof import('$lib/sessions/store');

const state = (sigma: number): NotebookState => ({ notebookId: 'nb1', params: { deg: { sigma } }, images: {} });

/** A tab: a fresh instance of the store module (its own TAB_ID and memory). */
async function openTab(): Promise<Store> {
	vi.resetModules();
	return import('$lib/sessions/store');
}

beforeEach(() => {
	globalThis.indexedDB = new IDBFactory();
});

describe('two tabs: renaming', () => {
	it('a rename in tab B after tab A saved is refused, and B’s next save is a conflict, not an overwrite', async () => {
		const a = await openTab();
		const b = await openTab();
		const created = await a.createSession('nb1', state(1), 'Start');
		const bRecord = (await b.getSession(created.id))!;
		let bKnown = bRecord.updatedAt;

		await a.putSession({ ...created, state: state(2) }, { expectedUpdatedAt: created.updatedAt });

		// Tab B renames, exactly as the notebook page does.
		const renamed = await b.renameSession(created.id, 'B’s title').catch((e: Error) => e);
		if (!(renamed instanceof Error)) bKnown = renamed.updatedAt;

		// Tab B's next edit.
		const saved = await b.putSession({ ...bRecord, state: state(3) }, { expectedUpdatedAt: bKnown }).catch((e: Error) => e);
		const stored = (await a.getSession(created.id))!;
		expect(stored.state).toEqual(state(2)); // A's change survived
		expect(saved).toMatchObject({ name: 'ConflictError' });
		expect(renamed).toMatchObject({ name: 'ConflictError', message: expect.stringMatching(/another tab/) });
		expect(stored.title).toBe('Start');
	});

	it('renames without false conflicts: own saves, a fresh read, and the Sessions page after a listing', async () => {
		const a = await openTab();
		const b = await openTab();
		const rec = await a.createSession('nb1', state(1), 'Start');
		const saved = await a.putSession({ ...rec, state: state(2) }, { expectedUpdatedAt: rec.updatedAt });
		const r1 = await a.renameSession(rec.id, 'After my own save');
		expect(r1.title).toBe('After my own save');
		// A's next save, from the version the rename returned, goes through.
		await a.putSession({ ...saved, title: r1.title, state: state(3) }, { expectedUpdatedAt: r1.updatedAt });

		// Tab B read it after A's writes: its rename is fine.
		await b.getSession(rec.id);
		expect((await b.renameSession(rec.id, 'B read first')).title).toBe('B read first');

		// A tab that only listed (the Sessions page) may rename what it listed.
		const c = await openTab();
		await c.listSessions();
		expect((await c.renameSession(rec.id, 'From the list')).title).toBe('From the list');
		expect((await a.getSession(rec.id))!.state).toEqual(state(3));
	});
});
