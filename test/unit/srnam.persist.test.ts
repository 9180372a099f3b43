// A latent search saved into a session's history record and resumed (what a reload mid-run
// does): the resumed run continues exactly like an uninterrupted one; big searches are thinned
// to the session schema's caps; other cells' keys survive; damage is reported.
import * as tf from '@tensorflow/tfjs';
import * as v from 'valibot';
import { beforeAll, describe, expect, it } from 'vitest';
import { rgbImage, type RGBImage } from '../../src/lib/image/rgb';
import { createRng } from '../../src/lib/image/rng';
import { avgPoolDegrader, type DegraderFn, type GeneratorFn } from '../../src/lib/srnam/models';
import { createSearch, resumeSearch, type SearchOptions, type SearchState } from '../../src/lib/srnam/search';
import { LATENT, NOISE, tinyNets } from './tinyNets';
import { packSearch, searchFingerprint, thin, unpackSearch } from '../../src/lib/srnam/persist';
import { cellKeys, mergeCellHistory } from '../../src/lib/notebook/cellHistory';
import { HistorySchema } from '../../src/lib/sessions/schema';

let generator: GeneratorFn;
let degrader: DegraderFn;
let lr: RGBImage;

beforeAll(async () => {
	await tf.setBackend('cpu');
	({ generator, degrader } = tinyNets(7));
	lr = rgbImage(2, 2, Float32Array.from({ length: 12 }, (_, i) => (i % 5) / 5));
});

const opts = (over: Partial<SearchOptions> = {}): SearchOptions => ({
	generator,
	degrader,
	lr,
	K: 3,
	seed: 1,
	latentDim: LATENT,
	noiseDim: NOISE,
	adam: { learningRate: 0.05 },
	noise: { mode: 'joint', seed: 2 },
	historyEvery: 4,
	...over
});

describe('srnam session persistence', () => {
	it('pack → unpack → resume continues exactly like an uninterrupted run; pins come back', async () => {
		const ref = createSearch(opts());
		await ref.step(30);
		const a = createSearch(opts());
		await a.step(17);
		const pin = { restart: 1, step: 17, loss: a.history.loss(16, 1), width: 2, height: 2 };
		const packed = packSearch('search', { state: await a.serialise(), fingerprint: 'abc', running: true, pins: [pin], pinPixels: [Uint8Array.from({ length: 12 }, (_, i) => i)] });
		await a.dispose();
		expect(v.safeParse(HistorySchema, packed).success).toBe(true);
		const saved = unpackSearch('search', packed)!;
		expect(saved.fingerprint).toBe('abc');
		expect(saved.running).toBe(true);
		expect(saved.pins).toEqual([pin]);
		expect(Array.from(saved.pinPixels[0])).toEqual(Array.from({ length: 12 }, (_, i) => i));
		const b = await resumeSearch(opts({ seed: 999 }), saved.state);
		await b.step(13);
		expect(Array.from(b.history.losses())).toEqual(Array.from(ref.history.losses()));
		expect(Array.from((await b.snapshot()).z)).toEqual(Array.from((await ref.snapshot()).z));
		expect(b.history.latentSteps()).toEqual(ref.history.latentSteps());
		// scrubbing back to a step stored before the reload renders the same latents
		expect(Array.from((await b.restore(8)).z)).toEqual(Array.from((await ref.restore(8)).z));
		await Promise.all([ref.dispose(), b.dispose()]);
	});

	it('refuses a saved state whose numbers are not finite (a flipped bit), instead of resuming with NaN', async () => {
		const a = createSearch(opts());
		await a.step(3);
		const packed = packSearch('search', { state: await a.serialise(), fingerprint: 'f', running: false, pins: [], pinPixels: [] });
		await a.dispose();
		expect(unpackSearch('search', packed)).toBeDefined();
		for (const k of ['search-z', 'search-zV', 'search-losses']) {
			const bad = { ...packed, [k]: Float32Array.from(packed[k] as Float32Array) };
			(bad[k] as Float32Array)[0] = k.endsWith('V') ? Infinity : NaN;
			expect(() => unpackSearch('search', bad)).toThrow(/non-finite/);
		}
	});

	it('thins a big history (K = 32, 512-d, 101 records) to the schema caps, keeping the newest', () => {
		const K = 32;
		const d = 512;
		const steps = Array.from({ length: 101 }, (_, i) => i * 5);
		const big = (n: number) => new Float32Array(n).fill(0.5);
		const state: SearchState = {
			version: 1, K, latentDim: d, noiseDim: 100, seed: 1, noiseSeed: 2, noiseMode: 'fixed', step: 500,
			z: big(K * d), noise: big(K * 100), zM: big(K * d), zV: big(K * d), noiseM: big(0), noiseV: big(0),
			history: { K, every: 5, losses: big(500 * K), latentSteps: Int32Array.from(steps), latents: big(101 * K * d), noises: big(0) }
		};
		const packed = packSearch('search', { state, fingerprint: 'f', running: false, pins: [], pinPixels: [] });
		const parsed = v.safeParse(HistorySchema, mergeCellHistory({ other: new Float32Array(10) }, 'search', packed));
		expect(parsed.success).toBe(true);
		const back = unpackSearch('search', packed)!;
		const kept = Array.from(back.state.history!.latentSteps);
		expect(kept.length).toBeLessThan(101);
		expect(kept[0]).toBe(0);
		expect(kept.at(-1)).toBe(500);
		expect(back.state.history!.losses.length).toBe(500 * K); // every loss is kept
		expect(thin([0, 1, 2, 3, 4], 10, 25)).toEqual([0, 4]);
		expect(thin([0, 1], 10, 5)).toEqual([1]);
	});

	it('merges per cell, reports damage, fingerprints settings and pixels', () => {
		const merged = mergeCellHistory({ 'search-meta': new Uint8Array(1), 'x-y': new Float32Array(1) }, 'search', { 'search-z': new Float32Array(2) });
		expect(Object.keys(merged).sort()).toEqual(['search-z', 'x-y']);
		expect(Object.keys(cellKeys(merged, 'search'))).toEqual(['search-z']);
		expect(unpackSearch('search', { 'x-y': new Float32Array(1) })).toBeUndefined();
		expect(() => unpackSearch('search', { 'search-meta': new TextEncoder().encode('{"v":1,"K":-1}') })).toThrow(/damaged/);
		const px = new Float32Array([0.1, 0.2]);
		expect(searchFingerprint({ K: 2 }, px)).toBe(searchFingerprint({ K: 2 }, px.slice()));
		expect(searchFingerprint({ K: 2 }, px)).not.toBe(searchFingerprint({ K: 3 }, px));
		expect(searchFingerprint({ K: 2 }, px)).not.toBe(searchFingerprint({ K: 2 }, new Float32Array([0.1, 0.3])));
	});
});
