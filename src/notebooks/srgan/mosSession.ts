// The state of a blind mini-MOS session (paper 004 §3.3) as plain data and pure updates: the
// faces seen so far with their methods, the queue of (face, method) items in the order they
// are shown (each face's methods shuffled by a seeded Fisher–Yates when the face is added) and
// the records (a score 1–5 or a skip, with the time and the item's queue position).
//
// Blindness: what the rating view draws comes from presentItem(), which carries the queue
// position, the picture and counts, never the method's id or label.

import { createRng, toSeed } from '$lib/image/rng';
import type { RGBImage } from '$lib/image/rgb';

/** The pictures of one face the person can rate: the anchors (HR, bicubic) and every SR method. */
export interface MosFaceInput {
	/** Stable across runs and browsers for the same face (e.g. `progan-5`); keys the ratings. */
	faceId: string;
	faceLabel: string;
	methods: readonly { id: string; label: string; image: RGBImage }[];
}

export interface MosFace {
	id: string;
	label: string;
	methods: { id: string; label: string }[];
}
export interface MosItem {
	face: string;
	method: string;
}
export interface MosRecord {
	face: string;
	method: string;
	/** 1 (bad) … 5 (excellent); null = skipped. */
	score: number | null;
	/** Milliseconds since 1970 (Date.now()) when the person answered. */
	time: number;
	/** Index of the item in the queue (the overall presentation order). */
	position: number;
}
export interface MosData {
	v: 1;
	faces: MosFace[];
	queue: MosItem[];
	records: MosRecord[];
}

export const SCORES = [1, 2, 3, 4, 5] as const;
/** What a stored session may hold at most (a packed session stays well under the 1 MB per key). */
export const MAX_FACES = 400;
export const MAX_METHODS_PER_FACE = 16;

/** Longest id and label a session stores (longer labels are cut; longer ids are refused). */
export const MAX_ID_CHARS = 64;
export const MAX_LABEL_CHARS = 200;

export const emptyMos = (): MosData => ({ v: 1, faces: [], queue: [], records: [] });

/** FNV-1a over the UTF-16 code units: a face id folded into 32 bits for the shuffle's seed. */
function hash32(s: string): number {
	let h = 0x811c9dc5;
	for (let i = 0; i < s.length; i++) h = Math.imul(h ^ s.charCodeAt(i), 0x01000193);
	return h >>> 0;
}

/** `items` in a seeded random order (Fisher–Yates), the same for the same seed and face. */
export function shuffled<T>(items: readonly T[], seed: number, faceId: string): T[] {
	const out = items.slice();
	const rng = createRng((toSeed(seed) ^ hash32(faceId)) >>> 0);
	for (let i = out.length - 1; i > 0; i--) {
		const j = Math.floor(rng.uniform() * (i + 1));
		[out[i], out[j]] = [out[j], out[i]];
	}
	return out;
}

/**
 * The session with this face's methods queued (in a seeded shuffled order), for a face not seen
 * before, or with the methods it did not have yet (an upstream that now offers more). Unchanged
 * (the same object) when there is nothing new.
 */
export function addFace(data: MosData, input: MosFaceInput, seed: number): MosData {
	for (const id of [input.faceId, ...input.methods.map((m) => m.id)])
		if (!id || id.length > MAX_ID_CHARS) throw new Error(`a face or method id is 1–${MAX_ID_CHARS} characters: “${id.slice(0, 80)}”`);
	const known = data.faces.find((f) => f.id === input.faceId);
	const queued = new Set(known?.methods.map((m) => m.id) ?? []);
	const fresh = input.methods.filter((m) => !queued.has(m.id)).map((m) => ({ id: m.id, label: m.label.slice(0, MAX_LABEL_CHARS) }));
	if (fresh.length === 0) return data;
	if (!known && data.faces.length >= MAX_FACES) throw new Error(`this session holds ${MAX_FACES} faces, the most one session keeps: export the ratings and reset to rate more`);
	if (queued.size + fresh.length > MAX_METHODS_PER_FACE) throw new Error(`at most ${MAX_METHODS_PER_FACE} methods per face can be rated`);
	const face: MosFace = known ? { ...known, methods: [...known.methods, ...fresh] } : { id: input.faceId, label: input.faceLabel.slice(0, MAX_LABEL_CHARS), methods: fresh };
	const faces = known ? data.faces.map((f) => (f === known ? face : f)) : [...data.faces, face];
	const order = shuffled(fresh, seed, known ? `${input.faceId}+${queued.size}` : input.faceId);
	return { ...data, faces, queue: [...data.queue, ...order.map((m) => ({ face: input.faceId, method: m.id }))] };
}

/** Queue positions that have a record (a score or a skip). */
const answered = (data: MosData) => new Set(data.records.map((r) => r.position));

/**
 * Position of the next item of this face to show, or -1 when none is left. With `available`,
 * only items of those methods count (a net that did not load this time leaves its items waiting).
 */
export function nextPosition(data: MosData, faceId: string, available?: ReadonlySet<string>): number {
	const done = answered(data);
	return data.queue.findIndex((it, i) => it.face === faceId && !done.has(i) && (!available || available.has(it.method)));
}

/** Items of this face: how many there are, how many are answered, how many wait for a method not available now. */
export function faceProgress(data: MosData, faceId: string, available?: ReadonlySet<string>): { count: number; answered: number; waiting: number } {
	const done = answered(data);
	let count = 0;
	let n = 0;
	let waiting = 0;
	data.queue.forEach((it, i) => {
		if (it.face !== faceId) return;
		count++;
		if (done.has(i)) n++;
		else if (available && !available.has(it.method)) waiting++;
	});
	return { count, answered: n, waiting };
}

/** What the rating view may see of the current item: no method id or label. */
export interface BlindItem {
	position: number;
	/** 1-based index of the item among this face's items, and their count. */
	index: number;
	count: number;
	image: RGBImage;
}

/** The next item of this face to rate, blind; undefined when none of its pictures is left to rate now. */
export function presentItem(data: MosData, input: MosFaceInput): BlindItem | undefined {
	const position = nextPosition(data, input.faceId, new Set(input.methods.map((m) => m.id)));
	if (position < 0) return undefined;
	const method = input.methods.find((m) => m.id === data.queue[position].method)!;
	const { count, answered: n } = faceProgress(data, input.faceId);
	return { position, index: n + 1, count, image: method.image };
}

/** Record a score (1–5) or a skip (null) for the item at `position`. */
export function answer(data: MosData, position: number, score: number | null, time: number): MosData {
	const item = data.queue[position];
	if (!item) throw new Error(`no item at position ${position}`);
	if (answered(data).has(position)) throw new Error(`item ${position} is already answered`);
	if (score !== null && !(SCORES as readonly number[]).includes(score)) throw new Error(`a score is an integer from 1 to 5, not ${score}`);
	return { ...data, records: [...data.records, { face: item.face, method: item.method, score, time, position }] };
}

/** The last record, if it belongs to this face (undo only takes back what is on screen). */
export function undoable(data: MosData, faceId: string): MosRecord | undefined {
	const last = data.records.at(-1);
	return last && last.face === faceId ? last : undefined;
}

/** The session without its last record (its item is shown again). */
export function undoLast(data: MosData): MosData {
	return data.records.length ? { ...data, records: data.records.slice(0, -1) } : data;
}
