// A live GAN run in a session's `history` record, so a reload resumes it: the weights of G and
// D and both Adams' moments (one float block split into ≤ 1 MB arrays), every step's losses,
// and a small JSON meta (settings fingerprint, step, Adam step counts, was it running). Keys are
// `<cellId>-gan-<name>`. Runs whose weights would not fit the budget keep only their losses
// and meta; a reload then starts training afresh and says so.

import { searchFingerprint } from '$lib/srnam/persist';
import type { TrainerSnapshot } from './trainer';

export type CellHistory = Record<string, Uint8Array | Float32Array>;

const MAX_ARRAY_FLOATS = (1024 * 1024) / 4;
/** What the run may take of the session's 4 MB of history. */
export const BUDGET_BYTES = 3 * 1024 * 1024;

export interface SavedRun {
	fingerprint: string;
	running: boolean;
	step: number;
	losses: Float32Array;
	/** Absent when the weights did not fit (or the record is from an older shape). */
	snapshot?: TrainerSnapshot;
}

interface Meta {
	v: 1;
	fingerprint: string;
	running: boolean;
	step: number;
	tG: number;
	tD: number;
	/** Length of each G then D weight array (the moments have the same lengths). */
	gSizes: number[];
	dSizes: number[];
	chunks: number;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

export { searchFingerprint as runFingerprint };

/** Bytes a snapshot's weights and moments take. */
export function weightBytes(s: TrainerSnapshot): number {
	const n = (a: Float32Array[]) => a.reduce((x, b) => x + b.length, 0);
	return 3 * 4 * (n(s.g) + n(s.d));
}

export function packRun(cellId: string, fingerprint: string, running: boolean, s: TrainerSnapshot): CellHistory {
	const key = (n: string) => `${cellId}-gan-${n}`;
	const out: CellHistory = { [key('losses')]: s.losses };
	const fits = weightBytes(s) + s.losses.byteLength <= BUDGET_BYTES;
	const blocks = fits ? [...s.g, ...s.d, ...s.adamG.m, ...s.adamG.v, ...s.adamD.m, ...s.adamD.v] : [];
	const all = new Float32Array(blocks.reduce((n, b) => n + b.length, 0));
	blocks.reduce((o, b) => (all.set(b, o), o + b.length), 0);
	let chunks = 0;
	for (let o = 0; o < all.length; o += MAX_ARRAY_FLOATS) out[key(`w${chunks++}`)] = all.slice(o, o + MAX_ARRAY_FLOATS);
	const meta: Meta = { v: 1, fingerprint, running, step: s.step, tG: s.adamG.t, tD: s.adamD.t, gSizes: s.g.map((a) => a.length), dSizes: s.d.map((a) => a.length), chunks };
	out[key('meta')] = enc.encode(JSON.stringify(meta));
	return out;
}

const isCount = (x: unknown): x is number => Number.isInteger(x) && (x as number) >= 0;

/** This cell's saved run, undefined when there is none; throws on damaged data. */
export function unpackRun(cellId: string, history: CellHistory | undefined): SavedRun | undefined {
	const key = (n: string) => `${cellId}-gan-${n}`;
	const raw = history?.[key('meta')];
	if (!raw) return undefined;
	if (!(raw instanceof Uint8Array)) throw new Error('meta is not bytes');
	const m = JSON.parse(dec.decode(raw)) as Meta;
	if (m.v !== 1) throw new Error(`unknown version ${m.v}`);
	const sizesOk = (a: unknown) => Array.isArray(a) && a.every(isCount);
	if (typeof m.fingerprint !== 'string' || ![m.step, m.tG, m.tD, m.chunks].every(isCount) || !sizesOk(m.gSizes) || !sizesOk(m.dSizes)) throw new Error('damaged meta');
	const losses = history![key('losses')];
	// a flipped bit can make a NaN or ±Inf, which Adam would carry into every later step
	if (!(losses instanceof Float32Array) || !losses.every(Number.isFinite)) throw new Error('the losses are missing or damaged');
	const run: SavedRun = { fingerprint: m.fingerprint, running: Boolean(m.running), step: m.step, losses };
	if (m.chunks === 0) return run;
	const parts: Float32Array[] = [];
	for (let i = 0; i < m.chunks; i++) {
		const p = history![key(`w${i}`)];
		if (!(p instanceof Float32Array) || !p.every(Number.isFinite)) throw new Error(`weight block ${i} is missing or damaged`);
		parts.push(p);
	}
	const all = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
	parts.reduce((o, p) => (all.set(p, o), o + p.length), 0);
	let o = 0;
	const take = (sizes: number[]) => sizes.map((n) => all.slice(o, (o += n)));
	const g = take(m.gSizes);
	const d = take(m.dSizes);
	const adamG = { t: m.tG, m: take(m.gSizes), v: take(m.gSizes) };
	const adamD = { t: m.tD, m: take(m.dSizes), v: take(m.dSizes) };
	if (o !== all.length) throw new Error('the weight blocks have the wrong size');
	return { ...run, snapshot: { step: m.step, g, d, adamG, adamD, losses } };
}
