// Sessions in IndexedDB via idb-keyval. Every read is validated (schema.ts); damaged records are
// moved to a quarantine (kept, never silently deleted) so the rest still load. Writes stamp a
// strictly increasing updatedAt and this tab's id inside one readwrite transaction, which is
// what makes the optimistic two-tab check (expectedUpdatedAt) race-free.
import { createStore, del, entries, get, set, update, type UseStore } from 'idb-keyval';
import type { NotebookState } from '$lib/notebook/types';
import { bytesToBase64Url } from '$lib/links/base64';
import {
	ConflictError,
	InvalidSessionError,
	UnreadableSessionError,
	mapStorageError
} from './errors';
import {
	MAX_TITLE_CHARS,
	SCHEMA_VERSION,
	parseSessionRecord,
	type History,
	type SessionRecord,
	type SessionSummary
} from './schema';
import { displayId, quarantineKey, quarantinedKey } from './quarantineKeys';

export type { SessionRecord, SessionSummary } from './schema';

export interface BrokenSession {
	/** For display; a key that is not a string says so ("1 (a number key)"). */
	id: string;
	/** The key it is stored under: what getBrokenRaw and deleteBroken take. */
	key: IDBValidKey;
	reason: string;
	/** true: moved to quarantine (damaged). false: left in place (e.g. written by a newer version). */
	quarantined: boolean;
}

interface QuarantineEntry {
	id: string;
	reason: string;
	at: number;
	raw: unknown;
}

// idb-keyval keeps one object store per database, hence two databases. Opened lazily so that
// importing this module (prerender, tests) touches no IndexedDB.
let stores: { sessions: UseStore; meta: UseStore } | undefined;
function db() {
	return (stores ??= {
		sessions: createStore('srlab', 'sessions'),
		meta: createStore('srlab-meta', 'meta')
	});
}

/** Tests swap globalThis.indexedDB for a fresh factory and call this to drop cached handles. */
export function _resetStoresForTests(): void {
	stores = undefined;
}

const LAST = 'last:';

/** Random URL-safe id (16 chars). getRandomValues works outside secure contexts, unlike randomUUID. */
export function newId(): string {
	return bytesToBase64Url(crypto.getRandomValues(new Uint8Array(12)));
}

/** Identifies this tab's writes in records (`writer`). */
export const TAB_ID = newId();

// The updatedAt of each session as this tab last read, listed or wrote it. renameSession refuses
// a session changed elsewhere since then: its fresh updatedAt would otherwise become the
// notebook page's known version, and that tab's next save would overwrite the other tab's
// change without a conflict (issue 19 #3).
const known = new Map<string, number>();
function remember<T extends { id: string; updatedAt: number }>(r: T): T {
	known.set(r.id, r.updatedAt);
	return r;
}

function nextStamp(prev: unknown): number {
	const p = typeof prev === 'number' && Number.isFinite(prev) ? prev : 0;
	return Math.max(Date.now(), p + 1);
}

function validOrThrow(rec: unknown): SessionRecord {
	const r = parseSessionRecord(rec);
	if (!r.ok) throw new InvalidSessionError(r.reason);
	return r.value;
}

function updatedAtOf(raw: unknown): number | undefined {
	const t = (raw as { updatedAt?: unknown } | undefined)?.updatedAt;
	return typeof t === 'number' ? t : undefined;
}

async function quarantine(key: IDBValidKey, raw: unknown, reason: string): Promise<boolean> {
	try {
		const entry: QuarantineEntry = { id: displayId(key), reason, at: Date.now(), raw };
		await set(quarantineKey(key), entry, db().meta);
		await del(key, db().sessions);
		return true;
	} catch {
		return false; // e.g. storage full: leave it where it is, still reported as broken
	}
}

export async function listSessions(): Promise<{ ok: SessionSummary[]; broken: BrokenSession[] }> {
	const ok: SessionSummary[] = [];
	const broken: BrokenSession[] = [];
	for (const [key, raw] of await entries(db().sessions)) {
		const r = parseSessionRecord(raw);
		if (r.ok && r.value.id === key) {
			const { id, notebookId, title, updatedAt } = remember(r.value);
			ok.push({ id, notebookId, title, updatedAt });
		} else if (!r.ok && r.newer) {
			broken.push({ id: displayId(key), key, reason: r.reason, quarantined: false });
		} else {
			const reason = r.ok ? 'stored under a different id than it names' : r.reason;
			const moved = await quarantine(key, raw, reason);
			if (!moved) broken.push({ id: displayId(key), key, reason, quarantined: false });
		}
	}
	for (const [key, value] of await entries(db().meta)) {
		const orig = quarantinedKey(key);
		if (orig === undefined) continue;
		const q = value as QuarantineEntry | undefined;
		broken.push({ id: displayId(orig), key: orig, reason: String(q?.reason), quarantined: true });
	}
	ok.sort((a, b) => b.updatedAt - a.updatedAt);
	return { ok, broken };
}

/** undefined when absent; throws UnreadableSessionError when damaged (after quarantining it) or newer. */
export async function getSession(id: string): Promise<SessionRecord | undefined> {
	const raw = await get(id, db().sessions);
	if (raw === undefined) return undefined;
	const r = parseSessionRecord(raw);
	if (r.ok && r.value.id === id) return remember(r.value);
	if (!r.ok && r.newer) throw new UnreadableSessionError(id, r.reason, false);
	const reason = r.ok ? 'stored under a different id than it names' : r.reason;
	throw new UnreadableSessionError(id, reason, await quarantine(id, raw, reason));
}

/**
 * Validates and writes `rec`, stamping updatedAt (strictly increasing) and writer = TAB_ID.
 * With `expectedUpdatedAt`, throws ConflictError if the stored record's updatedAt differs
 * (another tab wrote since we read). Returns what was stored: keep its updatedAt for next time.
 */
export async function putSession(rec: SessionRecord, opts: { expectedUpdatedAt?: number } = {}): Promise<SessionRecord> {
	const valid = validOrThrow(rec);
	let written: SessionRecord | undefined;
	await update(
		valid.id,
		(cur: unknown) => {
			const curAt = updatedAtOf(cur);
			if (opts.expectedUpdatedAt !== undefined && curAt !== opts.expectedUpdatedAt) {
				const writer = (cur as { writer?: unknown } | undefined)?.writer;
				throw new ConflictError(valid.id, opts.expectedUpdatedAt, curAt, typeof writer === 'string' ? writer : undefined);
			}
			written = { ...valid, updatedAt: nextStamp(curAt), writer: TAB_ID };
			return written;
		},
		db().sessions
	).catch(mapStorageError);
	return remember(written!);
}

/** Writes a brand-new record (validated); never overwrites: ids are random, this is a guard. */
export async function insertSession(rec: SessionRecord): Promise<SessionRecord> {
	const valid = validOrThrow(rec);
	await update(
		valid.id,
		(cur: unknown) => {
			if (cur !== undefined) throw new Error(`session id ${valid.id} already exists`);
			return valid;
		},
		db().sessions
	).catch(mapStorageError);
	return remember(valid);
}

function defaultTitle(now: number): string {
	const d = new Date(now);
	const pad = (n: number) => String(n).padStart(2, '0');
	return `Session ${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function cleanTitle(title: string): string {
	return title.trim().slice(0, MAX_TITLE_CHARS);
}

export async function createSession(
	notebookId: string,
	state: NotebookState,
	title?: string,
	history?: History
): Promise<SessionRecord> {
	const now = Date.now();
	const rec: SessionRecord = {
		schema: SCHEMA_VERSION,
		id: newId(),
		notebookId,
		title: cleanTitle(title ?? '') || defaultTitle(now),
		createdAt: now,
		updatedAt: now,
		writer: TAB_ID,
		state,
		...(history ? { history } : {})
	};
	return insertSession(rec);
}

/** Refuses (ConflictError) when the session changed in another tab since this tab last saw it. */
export async function renameSession(id: string, title: string): Promise<SessionRecord> {
	const clean = cleanTitle(title);
	if (!clean) throw new InvalidSessionError('the title is empty');
	const expected = known.get(id);
	let written: SessionRecord | undefined;
	await update(
		id,
		(cur: unknown) => {
			if (cur === undefined) throw new Error('This session no longer exists.');
			const r = parseSessionRecord(cur);
			if (!r.ok) throw new UnreadableSessionError(id, r.reason, false);
			if (expected !== undefined && r.value.updatedAt !== expected) {
				throw new ConflictError(id, expected, r.value.updatedAt, r.value.writer);
			}
			written = { ...r.value, title: clean, updatedAt: nextStamp(r.value.updatedAt), writer: TAB_ID };
			return written;
		},
		db().sessions
	).catch(mapStorageError);
	return remember(written!);
}

export async function duplicateSession(id: string): Promise<SessionRecord> {
	const src = await getSession(id);
	if (!src) throw new Error('This session no longer exists.');
	const now = Date.now();
	const title = src.title.slice(0, MAX_TITLE_CHARS - ' (copy)'.length) + ' (copy)';
	return insertSession({ ...src, id: newId(), title, createdAt: now, updatedAt: now, writer: TAB_ID });
}

export async function deleteSession(id: string): Promise<void> {
	const raw = (await get(id, db().sessions)) as { notebookId?: unknown } | undefined;
	await del(id, db().sessions);
	known.delete(id);
	if (typeof raw?.notebookId === 'string' && (await getLastSession(raw.notebookId)) === id) {
		await del(LAST + raw.notebookId, db().meta);
	}
}

export async function setLastSession(notebookId: string, id: string): Promise<void> {
	await set(LAST + notebookId, id, db().meta).catch(mapStorageError);
}

export async function getLastSession(notebookId: string): Promise<string | undefined> {
	const v = await get(LAST + notebookId, db().meta);
	return typeof v === 'string' ? v : undefined;
}

/** The raw stored value of a broken session (quarantined or left in place), for "export raw". */
export async function getBrokenRaw(key: IDBValidKey): Promise<unknown> {
	const q = (await get(quarantineKey(key), db().meta)) as QuarantineEntry | undefined;
	return q ? q.raw : get(key, db().sessions);
}

/** Deletes a broken session from quarantine, and from the sessions store only if unreadable there. */
export async function deleteBroken(key: IDBValidKey): Promise<void> {
	await del(quarantineKey(key), db().meta);
	const raw = await get(key, db().sessions);
	if (raw !== undefined && !parseSessionRecord(raw).ok) await del(key, db().sessions);
}
