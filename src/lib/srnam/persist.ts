// A latent search (SearchState: latents, noise, Adam moments, history) and the cell's small
// extras (pins, "was running") as typed arrays in a session's `history` record, so a reload
// mid-run resumes exactly where it stopped. Keys are `<cellId>-<name>`; the session schema
// caps one array at 1 MB, a session's history at 4 MB and 32 keys, so the stored latents are
// thinned (every other record dropped, the newest kept) until they fit BUDGET, and split
// into ≤ 1 MB chunks. Every step's losses are always kept.

import type { SearchState, NoiseMode } from './types';

export type CellHistory = Record<string, Uint8Array | Float32Array>;

const MAX_ARRAY = 1024 * 1024;
/** What the search may take of the 4 MB (leaves room for other cells). */
export const BUDGET = 3 * 1024 * 1024;

export interface Pin {
	restart: number;
	step: number;
	/** Eq. 6 loss of that restart at that step */
	loss: number;
	width: number;
	height: number;
}

export interface SavedSearch {
	state: SearchState;
	/** Identifies the settings and input the run belongs to (see searchFingerprint). */
	fingerprint: string;
	/** Was the search running when saved? (a reload then carries on) */
	running: boolean;
	pins: Pin[];
	/** The pinned candidates, each width·height·3 bytes (RGB, 0..255). */
	pinPixels: Uint8Array[];
}

interface Meta {
	v: 1;
	fingerprint: string;
	running: boolean;
	K: number;
	latentDim: number;
	noiseDim: number;
	seed: number;
	noiseSeed: number;
	noiseMode: NoiseMode;
	step: number;
	every: number;
	latentSteps: number[];
	chunks: number;
	pins: Pin[];
}

const enc = new TextEncoder();
const dec = new TextDecoder();

/** Which stored latent records to keep so that `perRecord` bytes each fit `budget`. */
export function thin(steps: number[], perRecord: number, budget: number): number[] {
	let keep = steps.map((_, i) => i);
	while (keep.length > 1 && keep.length * perRecord > budget) {
		const last = keep[keep.length - 1];
		const next = keep.filter((_, j) => j % 2 === 0);
		if (next[next.length - 1] !== last) next.push(last);
		if (next.length >= keep.length) return [last];
		keep = next;
	}
	return keep;
}

export function packSearch(cellId: string, s: SavedSearch): CellHistory {
	const st = s.state;
	const h = st.history;
	const key = (n: string) => `${cellId}-${n}`;
	const out: CellHistory = {};
	const zLen = st.K * st.latentDim;
	const nLen = h && h.noises.length ? st.K * st.noiseDim : 0;
	const fixed = (st.z.length + st.noise.length + st.zM.length + st.zV.length + st.noiseM.length + st.noiseV.length) * 4;
	const pinBytes = s.pinPixels.reduce((n, p) => n + p.length, 0);
	const lossBytes = (h?.losses.length ?? 0) * 4;
	const steps = h ? Array.from(h.latentSteps) : [];
	const keep = thin(steps, (zLen + nLen) * 4, BUDGET - fixed - pinBytes - lossBytes);
	out[key('z')] = st.z;
	out[key('noise')] = st.noise;
	out[key('zM')] = st.zM;
	out[key('zV')] = st.zV;
	out[key('noiseM')] = st.noiseM;
	out[key('noiseV')] = st.noiseV;
	out[key('losses')] = h ? h.losses : new Float32Array(0);
	// latents (and joint noise) of the kept records, in ≤ 1 MB chunks
	const lat = new Float32Array(keep.length * (zLen + nLen));
	keep.forEach((i, j) => {
		lat.set(h!.latents.subarray(i * zLen, (i + 1) * zLen), j * (zLen + nLen));
		if (nLen) lat.set(h!.noises.subarray(i * nLen, (i + 1) * nLen), j * (zLen + nLen) + zLen);
	});
	const per = Math.max(1, Math.floor(MAX_ARRAY / 4 / (zLen + nLen))) * (zLen + nLen);
	let chunks = 0;
	for (let o = 0; o < lat.length; o += per) out[key(`lat${chunks++}`)] = lat.slice(o, o + per);
	if (pinBytes) {
		const px = new Uint8Array(pinBytes);
		let o = 0;
		for (const p of s.pinPixels) px.set(p, (o += p.length) - p.length);
		out[key('pins')] = px;
	}
	const meta: Meta = {
		v: 1,
		fingerprint: s.fingerprint,
		running: s.running,
		K: st.K,
		latentDim: st.latentDim,
		noiseDim: st.noiseDim,
		seed: st.seed,
		noiseSeed: st.noiseSeed,
		noiseMode: st.noiseMode,
		step: st.step,
		every: h?.every ?? 1,
		latentSteps: keep.map((i) => steps[i]),
		chunks,
		pins: s.pins
	};
	out[key('meta')] = enc.encode(JSON.stringify(meta));
	return out;
}

const f32 = (h: CellHistory, k: string): Float32Array => {
	const a = h[k];
	if (!(a instanceof Float32Array)) throw new Error(`saved search: ${k} missing`);
	// a flipped bit can make a NaN or ±Inf, and a resumed Adam would carry it into every later step
	if (!a.every(Number.isFinite)) throw new Error(`saved search: ${k} holds a non-finite number`);
	return a;
};

/** The saved search of this cell, undefined when there is none; throws on damaged data. */
export function unpackSearch(cellId: string, history: CellHistory | undefined): SavedSearch | undefined {
	const key = (n: string) => `${cellId}-${n}`;
	const raw = history?.[key('meta')];
	if (!raw) return undefined;
	if (!(raw instanceof Uint8Array)) throw new Error('saved search: meta is not bytes');
	const m = JSON.parse(dec.decode(raw)) as Meta;
	if (m.v !== 1) throw new Error(`saved search: unknown version ${m.v}`);
	const h = history!;
	const ints = [m.K, m.latentDim, m.noiseDim, m.step, m.every, m.chunks, m.seed, m.noiseSeed];
	if (!ints.every((x) => Number.isInteger(x) && x >= 0) || !Array.isArray(m.latentSteps) || !Array.isArray(m.pins))
		throw new Error('saved search: damaged meta');
	const parts: Float32Array[] = [];
	for (let i = 0; i < m.chunks; i++) parts.push(f32(h, key(`lat${i}`)));
	const lat = new Float32Array(parts.reduce((n, p) => n + p.length, 0));
	parts.reduce((o, p) => (lat.set(p, o), o + p.length), 0);
	const zLen = m.K * m.latentDim;
	const n = m.latentSteps.length;
	const nLen = m.noiseMode === 'joint' ? m.K * m.noiseDim : 0;
	if (lat.length !== n * (zLen + nLen)) throw new Error('saved search: latent history has the wrong size');
	const latents = new Float32Array(n * zLen);
	const noises = new Float32Array(n * nLen);
	for (let i = 0; i < n; i++) {
		latents.set(lat.subarray(i * (zLen + nLen), i * (zLen + nLen) + zLen), i * zLen);
		if (nLen) noises.set(lat.subarray(i * (zLen + nLen) + zLen, (i + 1) * (zLen + nLen)), i * nLen);
	}
	const pinPixels: Uint8Array[] = [];
	const px = h[key('pins')];
	let o = 0;
	for (const p of m.pins) {
		const len = p.width * p.height * 3;
		if (!(px instanceof Uint8Array) || o + len > px.length) throw new Error('saved search: pinned images missing');
		pinPixels.push(px.slice(o, (o += len)));
	}
	const state: SearchState = {
		version: 1,
		K: m.K,
		latentDim: m.latentDim,
		noiseDim: m.noiseDim,
		seed: m.seed,
		noiseSeed: m.noiseSeed,
		noiseMode: m.noiseMode,
		step: m.step,
		z: f32(h, key('z')),
		noise: f32(h, key('noise')),
		zM: f32(h, key('zM')),
		zV: f32(h, key('zV')),
		noiseM: f32(h, key('noiseM')),
		noiseV: f32(h, key('noiseV')),
		history: { K: m.K, every: m.every, losses: f32(h, key('losses')), latentSteps: Int32Array.from(m.latentSteps), latents, noises }
	};
	return { state, fingerprint: m.fingerprint, running: Boolean(m.running), pins: m.pins, pinPixels };
}

/** FNV-1a over the settings (as JSON) and the input pixels: which run a saved state belongs to. */
export function searchFingerprint(settings: unknown, pixels: Float32Array): string {
	let h = 0x811c9dc5;
	const mix = (b: number) => {
		h ^= b;
		h = Math.imul(h, 0x01000193) >>> 0;
	};
	for (const b of enc.encode(JSON.stringify(settings))) mix(b);
	for (const b of new Uint8Array(pixels.buffer, pixels.byteOffset, pixels.byteLength)) mix(b);
	return h.toString(16).padStart(8, '0');
}
