// Validation for everything that comes back from storage or from a file. IndexedDB contents can
// be damaged or written by another (newer) version of the app, so nothing is trusted until it
// passes these schemas. Bounds keep one bad record from eating memory or the UI.
import * as v from 'valibot';
import type { NotebookState } from '$lib/notebook/types';
import { MAX_USER_CELLS, MAX_USER_PROSE_CHARS, MAX_USER_TITLE_CHARS, USER_NOTEBOOK_ID, type UserCell } from '$lib/notebook/userNotebook';

export const SCHEMA_VERSION = 1;
export const ID_RE = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_TITLE_CHARS = 200;
export const MAX_STRING_PARAM_CHARS = 200;
export const MAX_JPEG_BYTES = 256 * 1024;
export const MAX_IMAGE_DIM = 512;
export const MAX_CELLS = 256;
export const MAX_PARAMS_PER_CELL = 64;
export const MAX_HISTORY_KEYS = 32;
/** Per typed array and for all of one session's history together. */
export const MAX_HISTORY_ARRAY_BYTES = 1024 * 1024;
export const MAX_HISTORY_TOTAL_BYTES = 4 * 1024 * 1024;
export const UINT32_MAX = 0xffffffff;

// Keys that would touch Object.prototype when copied into a plain object.
const RESERVED_KEYS = new Set(['__proto__', 'prototype', 'constructor']);

export function isSafeId(s: unknown): s is string {
	return typeof s === 'string' && ID_RE.test(s) && !RESERVED_KEYS.has(s);
}

export const IdSchema = v.pipe(
	v.string(),
	v.regex(ID_RE, 'must be 1–64 characters of A–Z, a–z, 0–9, "_" or "-"'),
	v.check((s: string) => !RESERVED_KEYS.has(s), 'is a reserved name')
);
const TimeSchema = v.pipe(v.number(), v.integer(), v.minValue(0));
const Uint32Schema = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(UINT32_MAX));
const DimSchema = v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(MAX_IMAGE_DIM));
// v.custom rather than v.instance: keeps the contract's Uint8Array<ArrayBufferLike> type.
const U8Schema = v.custom<Uint8Array>((x) => x instanceof Uint8Array, 'expected a Uint8Array');
const F32Schema = v.custom<Float32Array>((x) => x instanceof Float32Array, 'expected a Float32Array');

export const ParamValueSchema = v.union([
	v.pipe(v.number(), v.finite()),
	v.pipe(v.string(), v.maxLength(MAX_STRING_PARAM_CHARS)),
	v.boolean()
]);

export const ImageInputSchema = v.variant('kind', [
	v.object({ kind: v.literal('synthetic'), seed: Uint32Schema }),
	v.object({
		kind: v.literal('jpeg'),
		name: v.pipe(v.string(), v.maxLength(MAX_TITLE_CHARS)),
		width: DimSchema,
		height: DimSchema,
		bytes: v.pipe(U8Schema, v.maxLength(MAX_JPEG_BYTES, `JPEG larger than ${MAX_JPEG_BYTES} bytes`))
	})
]);

export const NotebookStateSchema = v.object({
	notebookId: IdSchema,
	params: v.pipe(
		v.record(IdSchema, v.pipe(v.record(IdSchema, ParamValueSchema), v.maxEntries(MAX_PARAMS_PER_CELL))),
		v.maxEntries(MAX_CELLS)
	),
	images: v.pipe(v.record(IdSchema, ImageInputSchema), v.maxEntries(MAX_CELLS))
});

/** Inputs one cell kind declares, at most (the registry's largest has 4). */
export const MAX_USER_CELL_INPUTS = 16;

/**
 * One cell of a user notebook, as data: prose (markdown) or an interactive cell (kind, title,
 * wires). Whether the kind exists and the wires fit it is checked against the registry by
 * validateUserNotebook; this is the shape every stored or linked notebook must have.
 */
const UserCellSchema = v.pipe(
	v.object({
		kind: v.pipe(v.string(), v.regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'is not a cell kind name')),
		id: IdSchema,
		title: v.optional(v.pipe(v.string(), v.maxLength(MAX_USER_TITLE_CHARS))),
		markdown: v.optional(v.pipe(v.string(), v.maxLength(MAX_USER_PROSE_CHARS, `prose longer than ${MAX_USER_PROSE_CHARS} characters`))),
		inputs: v.optional(v.pipe(v.record(IdSchema, IdSchema), v.maxEntries(MAX_USER_CELL_INPUTS)))
	}),
	v.check(
		(c) => (c.kind === 'prose' ? typeof c.markdown === 'string' && c.title === undefined && c.inputs === undefined : typeof c.title === 'string' && c.markdown === undefined),
		'a prose cell has markdown only; an interactive cell has a title and no markdown'
	),
	v.transform((c): UserCell => (c.kind === 'prose' ? { kind: 'prose', id: c.id, markdown: c.markdown! } : { kind: c.kind, id: c.id, title: c.title!, inputs: { ...(c.inputs ?? {}) } }))
);

function firstDuplicate(ids: string[]): string | undefined {
	const seen = new Set<string>();
	return ids.find((id) => seen.has(id) || !seen.add(id));
}

export const UserNotebookSchema = v.object({
	title: v.pipe(v.string(), v.maxLength(MAX_USER_TITLE_CHARS)),
	cells: v.pipe(
		v.array(UserCellSchema),
		v.maxLength(MAX_USER_CELLS, `more than ${MAX_USER_CELLS} cells`),
		v.check((cells) => firstDuplicate(cells.map((c) => c.id)) === undefined, (i) => `two cells have the id “${firstDuplicate((i.input as UserCell[]).map((c) => c.id))}”`)
	)
});

const HistoryArraySchema = v.pipe(
	v.union([U8Schema, F32Schema]),
	v.check((a) => a.byteLength <= MAX_HISTORY_ARRAY_BYTES, `history array larger than ${MAX_HISTORY_ARRAY_BYTES} bytes`)
);

export const HistorySchema = v.pipe(
	v.record(IdSchema, HistoryArraySchema),
	v.maxEntries(MAX_HISTORY_KEYS),
	v.check(
		(h) => Object.values(h).reduce((n, a) => n + a.byteLength, 0) <= MAX_HISTORY_TOTAL_BYTES,
		`history larger than ${MAX_HISTORY_TOTAL_BYTES} bytes in total`
	)
);

export const SessionRecordSchema = v.pipe(
	v.object({
		schema: v.literal(SCHEMA_VERSION),
		id: IdSchema,
		notebookId: IdSchema,
		title: v.pipe(v.string(), v.maxLength(MAX_TITLE_CHARS)),
		createdAt: TimeSchema,
		updatedAt: TimeSchema,
		/** Id of the tab that wrote this version (two-tab conflict detection). */
		writer: v.optional(v.pipe(v.string(), v.maxLength(64))),
		state: NotebookStateSchema,
		history: v.optional(HistorySchema),
		/** The structure of a user notebook (notebookId USER_NOTEBOOK_ID); built-in notebooks have none. */
		notebook: v.optional(UserNotebookSchema)
	}),
	v.check((r) => r.state.notebookId === r.notebookId, 'state.notebookId differs from notebookId'),
	v.check((r) => (r.notebookId === USER_NOTEBOOK_ID) === (r.notebook !== undefined), 'a user notebook’s session must carry its notebook, and only it')
);

export type SessionRecord = v.InferOutput<typeof SessionRecordSchema>;
export type History = NonNullable<SessionRecord['history']>;
export interface SessionSummary {
	id: string;
	notebookId: string;
	title: string;
	updatedAt: number;
}

// The schema's inferred state type must stay assignable to the app-wide contract.
const _stateCheck: (s: v.InferOutput<typeof NotebookStateSchema>) => NotebookState = (s) => s;
void _stateCheck;

/** `newer`: refused only because a newer app version wrote it (not damage). */
export type Result<T> = { ok: true; value: T } | { ok: false; reason: string; newer?: boolean };

/** One readable line per problem (at most 3), each naming the path, e.g. "state.images.c1.width: …". */
export function describeIssues(issues: readonly v.BaseIssue<unknown>[]): string {
	const lines = issues.slice(0, 3).map((i) => {
		const path = v.getDotPath(i);
		const msg = i.kind === 'schema' && i.received === 'undefined' ? 'missing' : i.message;
		return path ? `${path}: ${msg}` : msg;
	});
	if (issues.length > 3) lines.push(`(+${issues.length - 3} more)`);
	return lines.join('; ');
}

// Migrations from version n to n + 1, keyed by n. Only v1 exists so far; a future v2 adds
// `1: (r) => ({ ...r, schema: 2, ... })` here.
const MIGRATIONS: Record<number, (raw: Record<string, unknown>) => Record<string, unknown>> = {};

/** Brings an older stored record up to SCHEMA_VERSION; refuses newer or unknown versions. */
export function migrate(raw: unknown): Result<Record<string, unknown>> {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) {
		return { ok: false, reason: 'not a session record (not an object)' };
	}
	let rec = raw as Record<string, unknown>;
	const version = rec.schema;
	if (typeof version !== 'number' || !Number.isInteger(version) || version < 1) {
		return { ok: false, reason: 'missing or invalid schema version' };
	}
	if (version > SCHEMA_VERSION) {
		return {
			ok: false,
			newer: true,
			reason: `written by a newer version of srlab (schema ${version}; this version reads up to ${SCHEMA_VERSION}). Update the app to open it.`
		};
	}
	for (let n = version; n < SCHEMA_VERSION; n++) {
		const step = MIGRATIONS[n];
		if (!step) return { ok: false, reason: `no migration from schema ${n}` };
		rec = step(rec);
	}
	return { ok: true, value: rec };
}

/** migrate + validate. The value is a fresh object (valibot copies), safe to keep. */
export function parseSessionRecord(raw: unknown): Result<SessionRecord> {
	const m = migrate(raw);
	if (!m.ok) return m;
	const r = v.safeParse(SessionRecordSchema, m.value);
	return r.success ? { ok: true, value: r.output } : { ok: false, reason: describeIssues(r.issues) };
}

export function parseNotebookState(raw: unknown): Result<NotebookState> {
	const r = v.safeParse(NotebookStateSchema, raw);
	return r.success ? { ok: true, value: r.output } : { ok: false, reason: describeIssues(r.issues) };
}
