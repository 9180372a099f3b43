// A mini-MOS session kept in the notebook session's `history` (key `<cellId>-ratings`, UTF-8
// JSON in a Uint8Array), so ratings survive a reload and travel with an exported session file.
// Share links carry parameters only, so a link opens a fresh blind session for its reader (with
// the same shuffle seed). What comes back from storage is checked before use: a damaged record
// yields an empty session and a message instead of wrong numbers.

import * as v from 'valibot';
import type { CellHistory } from '$lib/notebook/cellProps';
import { MAX_HISTORY_ARRAY_BYTES } from '$lib/sessions/schema';
import { MAX_FACES, MAX_ID_CHARS, MAX_LABEL_CHARS, MAX_METHODS_PER_FACE, emptyMos, type MosData } from './mosSession';

const MAX_ITEMS = MAX_FACES * MAX_METHODS_PER_FACE;
const MAX_METHODS = 256;

export const ratingsKey = (cellId: string) => `${cellId}-ratings`;

// Stored compactly: method ids and labels once, faces and the queue by index, a record as
// [queue position, score (0 = skipped), time] (its face and method are its item's).
const Index = v.pipe(v.number(), v.integer(), v.minValue(0));
const Id = v.pipe(v.string(), v.minLength(1), v.maxLength(MAX_ID_CHARS));
const Label = v.pipe(v.string(), v.maxLength(MAX_LABEL_CHARS));
const StoredSchema = v.object({
	v: v.literal(1),
	methods: v.pipe(v.array(v.object({ id: Id, label: Label })), v.maxLength(MAX_METHODS)),
	faces: v.pipe(v.array(v.object({ id: Id, label: Label, m: v.pipe(v.array(Index), v.maxLength(MAX_METHODS_PER_FACE)) })), v.maxLength(MAX_FACES)),
	queue: v.pipe(v.array(v.tuple([Index, Index])), v.maxLength(MAX_ITEMS)),
	records: v.pipe(v.array(v.tuple([Index, v.picklist([0, 1, 2, 3, 4, 5]), Index])), v.maxLength(MAX_ITEMS))
});
type Stored = v.InferOutput<typeof StoredSchema>;

function toStored(d: MosData): Stored {
	const methods: { id: string; label: string }[] = [];
	const mIndex = new Map<string, number>();
	for (const f of d.faces)
		for (const m of f.methods) {
			const i = mIndex.get(m.id);
			if (i === undefined) mIndex.set(m.id, methods.push({ ...m }) - 1);
			else methods[i].label = m.label;
		}
	const fIndex = new Map(d.faces.map((f, i) => [f.id, i]));
	return {
		v: 1,
		methods,
		faces: d.faces.map((f) => ({ id: f.id, label: f.label, m: f.methods.map((m) => mIndex.get(m.id)!) })),
		queue: d.queue.map((it) => [fIndex.get(it.face)!, mIndex.get(it.method)!]),
		records: d.records.map((r) => [r.position, (r.score ?? 0) as 0 | 1 | 2 | 3 | 4 | 5, r.time])
	};
}

/** The session a stored value describes, or why it cannot be one. */
function fromStored(s: Stored): MosData | string {
	const method = (i: number) => s.methods[i];
	const faces = [];
	for (const f of s.faces) {
		if (f.m.some((i) => !method(i)) || new Set(f.m).size !== f.m.length) return `face ${f.id} lists an unknown or repeated method`;
		faces.push({ id: f.id, label: f.label, methods: f.m.map((i) => ({ ...method(i) })) });
	}
	if (new Set(faces.map((f) => f.id)).size !== faces.length) return 'a face is listed twice';
	const queued = new Set<string>();
	const queue = [];
	for (const [fi, mi] of s.queue) {
		const face = faces[fi];
		if (!face || !s.faces[fi].m.includes(mi)) return `the queue names an unknown face or method (${fi}, ${mi})`;
		const key = `${fi}/${mi}`;
		if (queued.has(key)) return 'an item is queued twice';
		queued.add(key);
		queue.push({ face: face.id, method: method(mi).id });
	}
	const positions = new Set<number>();
	const records = [];
	for (const [position, score, time] of s.records) {
		const it = queue[position];
		if (!it) return `a rating names queue position ${position}, which does not exist`;
		if (positions.has(position)) return `two ratings for queue position ${position}`;
		positions.add(position);
		records.push({ face: it.face, method: it.method, score: score === 0 ? null : score, time, position });
	}
	return { v: 1, faces, queue, records };
}

const enc = new TextEncoder();
const dec = new TextDecoder('utf-8', { fatal: true });

/** The cell's history keys for this session. */
export function packMos(cellId: string, data: MosData): CellHistory {
	const bytes = enc.encode(JSON.stringify(toStored(data)));
	if (bytes.byteLength > MAX_HISTORY_ARRAY_BYTES) throw new Error(`the ratings need ${bytes.byteLength} bytes, more than a session keeps per cell: export them and reset`);
	return { [ratingsKey(cellId)]: bytes };
}

/** The session stored under this cell's key; empty (with a problem to show) when damaged. */
export function unpackMos(cellId: string, history: CellHistory | undefined): { data: MosData; problem?: string } {
	const bytes = history?.[ratingsKey(cellId)];
	if (bytes === undefined) return { data: emptyMos() };
	try {
		if (!(bytes instanceof Uint8Array)) throw new Error('not bytes');
		const parsed = v.safeParse(StoredSchema, JSON.parse(dec.decode(bytes)));
		if (!parsed.success) throw new Error(parsed.issues[0].message);
		const data = fromStored(parsed.output);
		if (typeof data === 'string') throw new Error(data);
		return { data };
	} catch (e) {
		const why = e instanceof Error ? e.message : String(e);
		return { data: emptyMos(), problem: `The stored ratings could not be read (${why}); new ratings start a new list and replace them.` };
	}
}
