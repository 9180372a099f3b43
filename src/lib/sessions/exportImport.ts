// Session files: { format: 'srlab-sessions', version: 1, exportedAt, sessions: [...] } with typed
// arrays tagged (jsonTags.ts). Import validates every record before storing any (all or
// nothing) and gives each a fresh id, so an import never overwrites an existing session. A file
// is as untrusted as a link: each state goes through the links' reconcileState (values clamped,
// unknown cells dropped, a JPEG's true size checked), with the same warnings.
import type { NotebookDef } from '$lib/notebook/types';
import { quoteUntrusted, reconcileState } from '$lib/links/reconcile';
import { readUserNotebook } from '$lib/links/userLink';
import { USER_NOTEBOOK_ID, type Kinds, type UserNotebook } from '$lib/notebook/userNotebook';
import { fromTagged, toTagged } from './jsonTags';
import { parseSessionRecord, type SessionRecord } from './schema';
import { insertSession, newId, TAB_ID } from './store';
import { StorageFullError } from './errors';

export const EXPORT_FORMAT = 'srlab-sessions';
export const EXPORT_VERSION = 1;
export const MAX_IMPORT_CHARS = 20 * 1024 * 1024;
export const MAX_IMPORT_SESSIONS = 2000;
const MAX_IMPORT_WARNINGS = 20;

export function exportSessions(records: SessionRecord[], now = new Date()): string {
	const sessions = records.map((r) => {
		const { writer: _writer, ...rest } = r; // which tab wrote it means nothing elsewhere
		return toTagged(rest);
	});
	return JSON.stringify({ format: EXPORT_FORMAT, version: EXPORT_VERSION, exportedAt: now.toISOString(), sessions });
}

/** A damaged record exactly as stored (best effort), for "export raw". Not importable. */
export function exportRaw(id: string, reason: string, raw: unknown): string {
	return JSON.stringify({ format: 'srlab-raw-record', id, reason, raw: toTagged(raw, true) }, null, 1);
}

export function exportFileName(what: string, now = new Date()): string {
	const safe = what.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 60) || 'sessions';
	return `srlab-${safe}-${now.toISOString().slice(0, 10)}.json`;
}

/** `warnings`: what was changed to fit this version's notebooks, one line each, for the person. */
export type ImportResult = { ok: true; sessions: SessionRecord[]; warnings: string[] } | { ok: false; error: string };

function quote(s: unknown): string {
	return typeof s === 'string' ? ` ("${s.slice(0, 60)}")` : '';
}

/**
 * Validates a whole file against `notebooks` (and user notebooks' structures against `kinds`).
 * Returned sessions carry fresh ids and this tab as writer.
 */
export function parseImport(text: string, notebooks: readonly NotebookDef[], now = Date.now(), kinds: Kinds = {}): ImportResult {
	if (text.length > MAX_IMPORT_CHARS) {
		const mb = (text.length / 1024 / 1024).toFixed(1);
		return { ok: false, error: `The file is too big (${mb} MB; the limit is ${MAX_IMPORT_CHARS / 1024 / 1024} MB).` };
	}
	let doc: unknown;
	try {
		doc = JSON.parse(text);
	} catch (e) {
		return { ok: false, error: `The file is not valid JSON (${e instanceof Error ? e.message : 'parse error'}).` };
	}
	if (typeof doc !== 'object' || doc === null || (doc as { format?: unknown }).format !== EXPORT_FORMAT) {
		return { ok: false, error: 'This is not an srlab sessions file (missing "format": "srlab-sessions").' };
	}
	const { version, sessions } = doc as { version?: unknown; sessions?: unknown };
	if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
		return { ok: false, error: 'The file has no valid format version.' };
	}
	if (version > EXPORT_VERSION) {
		return {
			ok: false,
			error: `This file was exported by a newer version of srlab (file version ${version}; this version reads version ${EXPORT_VERSION}). Update the app and import again.`
		};
	}
	if (!Array.isArray(sessions)) return { ok: false, error: 'The file has no "sessions" list.' };
	if (sessions.length === 0) return { ok: false, error: 'The file contains no sessions.' };
	if (sessions.length > MAX_IMPORT_SESSIONS) {
		return { ok: false, error: `The file holds ${sessions.length} sessions; at most ${MAX_IMPORT_SESSIONS} can be imported at once.` };
	}
	const out: SessionRecord[] = [];
	const warnings: string[] = [];
	for (let i = 0; i < sessions.length; i++) {
		const raw = sessions[i] as { title?: unknown } | null;
		const where = `Session ${i + 1} of ${sessions.length}${quote(raw?.title)}`;
		let decoded: unknown;
		try {
			decoded = fromTagged(raw);
		} catch (e) {
			return { ok: false, error: `${where} is damaged: ${(e as Error).message}` };
		}
		const r = parseSessionRecord(decoded);
		if (!r.ok) return { ok: false, error: `${where} ${r.newer ? 'cannot be read' : 'is damaged'}: ${r.reason}` };
		const own = r.value.notebookId === USER_NOTEBOOK_ID;
		if (!own && !notebooks.some((n) => n.id === r.value.notebookId)) {
			return { ok: false, error: `${where} is for a notebook this version does not have: ${quoteUntrusted(r.value.notebookId)}.` };
		}
		// A notebook someone built: its structure is checked against this version's cell kinds.
		const fit = own ? readUserNotebook({ ...r.value.state, notebook: r.value.notebook }, kinds) : reconcileState(r.value.state, notebooks);
		if (!fit.ok) return { ok: false, error: `${where} ${own ? 'cannot be opened' : 'is damaged'}: ${fit.error}` };
		warnings.push(...fit.warnings.map((w) => `${where}: ${w}`));
		const notebook = 'notebook' in fit ? (fit.notebook as UserNotebook) : undefined;
		out.push({ ...r.value, ...(notebook ? { notebook } : {}), state: fit.state, id: newId(), updatedAt: Math.max(now, r.value.createdAt), writer: TAB_ID });
	}
	const more = warnings.length - MAX_IMPORT_WARNINGS;
	return { ok: true, sessions: out, warnings: more > 0 ? [...warnings.slice(0, MAX_IMPORT_WARNINGS), `(${more} more changes)`] : warnings };
}

/** parseImport + store. Reports how many were stored; a full disk stops the import midway. */
export async function importSessions(
	text: string,
	notebooks: readonly NotebookDef[],
	kinds: Kinds = {}
): Promise<{ ok: true; count: number; warnings: string[] } | { ok: false; error: string; count: number }> {
	const parsed = parseImport(text, notebooks, Date.now(), kinds);
	if (!parsed.ok) return { ...parsed, count: 0 };
	let count = 0;
	try {
		for (const rec of parsed.sessions) {
			await insertSession(rec);
			count++;
		}
	} catch (e) {
		const msg = e instanceof StorageFullError ? e.message : `Could not store the sessions: ${(e as Error)?.message ?? e}`;
		return { ok: false, error: `${msg} (${count} of ${parsed.sessions.length} imported before it stopped.)`, count };
	}
	return { ok: true, count, warnings: parsed.warnings };
}
