import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { createStore, set, get } from 'idb-keyval';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NotebookState } from '$lib/notebook/types';
import {
	_resetStoresForTests,
	createSession,
	deleteBroken,
	deleteSession,
	duplicateSession,
	getBrokenRaw,
	getLastSession,
	getSession,
	listSessions,
	putSession,
	renameSession,
	setLastSession,
	TAB_ID
} from '$lib/sessions/store';
import { ConflictError, InvalidSessionError, StorageFullError, UnreadableSessionError } from '$lib/sessions/errors';
import { migrate, parseSessionRecord } from '$lib/sessions/schema';

const state = (seed = 7): NotebookState => ({
	notebookId: 'nb1',
	params: { deg: { sigma: 1.5, mode: 'bicubic', on: true, seed } },
	images: { in: { kind: 'jpeg', name: 'me.jpg', width: 64, height: 48, bytes: new Uint8Array([0xff, 0xd8, 1, 2, 3]) } }
});

// The raw stores, to plant damaged records the way another app version or a bug would.
const rawSessions = () => createStore('srlab', 'sessions');

beforeEach(() => {
	globalThis.indexedDB = new IDBFactory();
	_resetStoresForTests();
});
afterEach(() => vi.restoreAllMocks());

describe('session store CRUD', () => {
	it('creates, gets, lists (newest first), renames, duplicates, deletes', async () => {
		const a = await createSession('nb1', state(1), 'First');
		await new Promise((r) => setTimeout(r, 5));
		const b = await createSession('nb1', state(2));
		expect(b.title).toMatch(/^Session \d{4}-\d\d-\d\d \d\d:\d\d$/);
		expect(a.id).not.toBe(b.id);

		const got = await getSession(a.id);
		expect(got?.state).toEqual(state(1));
		expect(got?.state.images.in.kind === 'jpeg' && got.state.images.in.bytes).toBeInstanceOf(Uint8Array);

		let list = await listSessions();
		expect(list.ok.map((s) => s.id)).toEqual([b.id, a.id]);
		expect(list.broken).toEqual([]);

		const renamed = await renameSession(a.id, '  Renamed  ');
		expect(renamed.title).toBe('Renamed');
		expect(renamed.updatedAt).toBeGreaterThan(a.updatedAt);
		await expect(renameSession(a.id, '   ')).rejects.toBeInstanceOf(InvalidSessionError);

		const dup = await duplicateSession(a.id);
		expect(dup.id).not.toBe(a.id);
		expect(dup.title).toBe('Renamed (copy)');
		expect(dup.state).toEqual(state(1));

		await deleteSession(a.id);
		expect(await getSession(a.id)).toBeUndefined();
		list = await listSessions();
		expect(list.ok.map((s) => s.id).sort()).toEqual([b.id, dup.id].sort());
	});

	it('remembers the last session per notebook and forgets it when deleted', async () => {
		const a = await createSession('nb1', state());
		await setLastSession('nb1', a.id);
		expect(await getLastSession('nb1')).toBe(a.id);
		expect(await getLastSession('other')).toBeUndefined();
		await deleteSession(a.id);
		expect(await getLastSession('nb1')).toBeUndefined();
	});

	it('refuses to write an invalid record', async () => {
		const a = await createSession('nb1', state());
		await expect(putSession({ ...a, title: 'x'.repeat(201) })).rejects.toBeInstanceOf(InvalidSessionError);
		await expect(createSession('bad id!', { ...state(), notebookId: 'bad id!' })).rejects.toBeInstanceOf(InvalidSessionError);
		const big = state();
		big.images.in = { kind: 'jpeg', name: 'x', width: 600, height: 10, bytes: new Uint8Array(4) };
		await expect(putSession({ ...a, state: big })).rejects.toThrow(/width/);
	});

	it('keeps Float32Array / Uint8Array histories', async () => {
		const h = { loss: new Float32Array([0.5, 0.25, NaN]), mask: new Uint8Array([1, 0, 1]) };
		const a = await createSession('nb1', state(), 'hist', h);
		const got = await getSession(a.id);
		expect(got?.history?.loss).toBeInstanceOf(Float32Array);
		expect(Array.from(got!.history!.loss)).toEqual([0.5, 0.25, NaN]);
		expect(got?.history?.mask).toEqual(new Uint8Array([1, 0, 1]));
		await expect(createSession('nb1', state(), 'big', { x: new Float32Array(300_000) })).rejects.toThrow(/history/);
	});
});

describe('damaged and newer records', () => {
	it('quarantines a corrupted record while the others still load', async () => {
		const good = await createSession('nb1', state(), 'Good');
		const bad = await createSession('nb1', state(), 'Bad');
		await set(bad.id, { ...bad, state: { ...bad.state, params: { deg: { sigma: 'NaN?', x: {} } } } }, rawSessions());
		await set('junk', 42, rawSessions());

		const list = await listSessions();
		expect(list.ok.map((s) => s.title)).toEqual(['Good']);
		const reasons = Object.fromEntries(list.broken.map((b) => [b.id, b]));
		expect(reasons[bad.id].reason).toMatch(/state\.params\.deg\.x/);
		expect(reasons[bad.id].quarantined).toBe(true);
		expect(reasons.junk.reason).toMatch(/not an object/);
		// Moved, not deleted: the raw data is still there for export, and gone from the main store.
		expect(await get(bad.id, rawSessions())).toBeUndefined();
		expect(((await getBrokenRaw(bad.id)) as { title: string }).title).toBe('Bad');
		expect(await getSession(good.id)).toBeDefined();

		// Listing again is stable (quarantine is reported, not duplicated).
		expect((await listSessions()).broken).toHaveLength(2);
		await deleteBroken(bad.id);
		expect((await listSessions()).broken.map((b) => b.id)).toEqual(['junk']);
	});

	it('keeps damaged records stored under keys 1 and "1" apart (issue 19 #4)', async () => {
		await set(1, { junk: 'under the number 1' }, rawSessions());
		await set('1', { junk: 'under the string "1"' }, rawSessions());
		const { broken } = await listSessions();
		expect(broken).toHaveLength(2);
		expect(broken.every((b) => b.quarantined)).toBe(true);
		expect(new Set(broken.map((b) => b.id)).size).toBe(2); // told apart on the Sessions page too
		const raws = await Promise.all(broken.map((b) => getBrokenRaw(b.key)));
		expect(raws).toEqual(expect.arrayContaining([{ junk: 'under the number 1' }, { junk: 'under the string "1"' }]));
		expect((await listSessions()).broken).toHaveLength(2); // stable
		await deleteBroken(broken.find((b) => b.key === 1)!.key);
		expect((await listSessions()).broken.map((b) => b.key)).toEqual(['1']);
	});

	it('getSession quarantines a damaged record and says why', async () => {
		const a = await createSession('nb1', state());
		await set(a.id, { ...a, createdAt: -5 }, rawSessions());
		const err = await getSession(a.id).catch((e) => e);
		expect(err).toBeInstanceOf(UnreadableSessionError);
		expect(err.quarantined).toBe(true);
		expect(err.message).toMatch(/createdAt/);
		expect(await getSession(a.id)).toBeUndefined();
	});

	it('refuses records from a newer schema with a message, and leaves them in place', async () => {
		const a = await createSession('nb1', state());
		await set(a.id, { ...a, schema: 2 }, rawSessions());
		expect(migrate({ schema: 2 })).toMatchObject({ ok: false, newer: true });
		expect(migrate({ schema: 'x' })).toMatchObject({ ok: false });
		expect(migrate({ schema: 1, a: 1 })).toEqual({ ok: true, value: { schema: 1, a: 1 } });

		const list = await listSessions();
		expect(list.ok).toEqual([]);
		expect(list.broken).toEqual([{ id: a.id, key: a.id, reason: expect.stringMatching(/newer version of srlab \(schema 2/), quarantined: false }]);
		const err = await getSession(a.id).catch((e) => e);
		expect(err).toBeInstanceOf(UnreadableSessionError);
		expect(err.quarantined).toBe(false);
		expect(await get(a.id, rawSessions())).toMatchObject({ schema: 2 }); // not moved
	});

	it('never lets "__proto__" keys reach a prototype', () => {
		const raw = JSON.parse(
			'{"schema":1,"id":"a","notebookId":"n","title":"t","createdAt":1,"updatedAt":1,"state":{"notebookId":"n","params":{"__proto__":{"polluted":1}},"images":{}}}'
		);
		const r = parseSessionRecord(raw);
		expect(r.ok).toBe(true);
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(r.ok && Object.keys(r.value.state.params)).toEqual([]);
	});
});

describe('storage errors', () => {
	const quota = (name: string, code = 0) => {
		const e = new DOMException('quota', name);
		if (code) Object.defineProperty(e, 'code', { value: code });
		return e;
	};

	it.each([
		['QuotaExceededError', 0],
		['NS_ERROR_DOM_QUOTA_REACHED', 0],
		['UnknownLegacy', 1014]
	])('maps %s to StorageFullError', async (name, code) => {
		const a = await createSession('nb1', state());
		vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
			throw quota(name, code);
		});
		const err = await putSession(a).catch((e) => e);
		expect(err).toBeInstanceOf(StorageFullError);
		expect(err.message).toMatch(/storage .* is full/);
		await expect(createSession('nb1', state())).rejects.toBeInstanceOf(StorageFullError);
	});

	it('passes other errors through unchanged', async () => {
		const a = await createSession('nb1', state());
		vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
			throw new DOMException('nope', 'DataCloneError');
		});
		const err = await putSession(a).catch((e) => e);
		expect(err).not.toBeInstanceOf(StorageFullError);
		expect(err.name).toBe('DataCloneError');
	});
});

describe('two-tab conflicts', () => {
	it('detects a write by another tab between read and write', async () => {
		const a = await createSession('nb1', state(1));
		const mine = await getSession(a.id);
		// The other tab saves first.
		const theirs = await putSession({ ...a, state: state(2) }, { expectedUpdatedAt: a.updatedAt });
		expect(theirs.updatedAt).toBeGreaterThan(a.updatedAt);
		expect(theirs.writer).toBe(TAB_ID);

		const err = await putSession({ ...mine!, state: state(3) }, { expectedUpdatedAt: mine!.updatedAt }).catch((e) => e);
		expect(err).toBeInstanceOf(ConflictError);
		expect(err.actualUpdatedAt).toBe(theirs.updatedAt);
		expect((await getSession(a.id))?.state).toEqual(state(2)); // theirs survived

		// Without an expectation (e.g. "overwrite anyway") the write goes through.
		await putSession({ ...mine!, state: state(3) });
		expect((await getSession(a.id))?.state).toEqual(state(3));
	});

	it('stamps strictly increasing updatedAt even within one millisecond', async () => {
		vi.spyOn(Date, 'now').mockReturnValue(1_000_000);
		const a = await createSession('nb1', state());
		const b = await putSession(a, { expectedUpdatedAt: a.updatedAt });
		const c = await putSession(b, { expectedUpdatedAt: b.updatedAt });
		expect([a.updatedAt, b.updatedAt, c.updatedAt]).toEqual([1_000_000, 1_000_001, 1_000_002]);
		await expect(putSession(a, { expectedUpdatedAt: a.updatedAt })).rejects.toBeInstanceOf(ConflictError);
	});

	it('reports a session deleted in another tab', async () => {
		const a = await createSession('nb1', state());
		await deleteSession(a.id);
		const err = await putSession(a, { expectedUpdatedAt: a.updatedAt }).catch((e) => e);
		expect(err).toBeInstanceOf(ConflictError);
		expect(err.message).toMatch(/deleted/);
	});
});
