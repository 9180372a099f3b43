// The "Progressive growth" notebook's ProGAN cells: latent determinism and slerp, the growth
// strip and the fade-in blend on the real exported weights (checked against the generator's
// own fade path), and filmstrip validation. (The model loader and card: models.load.test.ts;
// the progressive-SR cells: psr.cells.test.ts.)
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCell } from './cellContext';
import { proganLatent } from '../../src/notebooks/progressive-growth/latent';
import { detAcos, seededLatent, slerp, LATENT_SIZE } from '../../src/lib/latent/slerp';
import { proganGrowth, type GrowthResult } from '../../src/notebooks/progressive-growth/growth';
import { proganFade } from '../../src/notebooks/progressive-growth/fade';
import { blend, upsample2 } from '../../src/notebooks/progressive-growth/blend';
import type { ProganModel } from '../../src/cells/proganModel';
import { modelLoader } from '../../src/models/load';
import { MODELS } from '../../src/models/catalog';
import { folderFetch } from './shippedModels';
import { parseFilmstrip, spriteLayout } from '../../src/notebooks/progressive-growth/filmstrip';
import { generate, type ProganLevel } from '../../src/models/progan';
import type { NamedWeights } from '../../src/models/weights';

const DIR = resolve(process.env.PROGAN_WEIGHTS_DIR ?? 'static/weights/progan');
const HAVE_WEIGHTS = existsSync(join(DIR, 'model.json'));
if (!HAVE_WEIGHTS) console.warn(`progressiveGrowth.test: no exported ProGAN weights in ${DIR}; the weight-based tests are SKIPPED (set PROGAN_WEIGHTS_DIR or export to static/weights/progan).`);

const latent = (params: { seedA: number; seedB: number; t: number }) => runCell(proganLatent, { params });

beforeAll(async () => {
	await tf.setBackend('cpu');
});

describe('latent cell', () => {
	it('is deterministic per seed and different across seeds', async () => {
		const a = await latent({ seedA: 5, seedB: 9, t: 0.3 });
		const b = await latent({ seedA: 5, seedB: 9, t: 0.3 });
		expect(a).toBeInstanceOf(Float32Array);
		expect(a.length).toBe(LATENT_SIZE);
		expect(Array.from(a)).toEqual(Array.from(b));
		const c = await latent({ seedA: 6, seedB: 9, t: 0.3 });
		expect(Array.from(c)).not.toEqual(Array.from(a));
	});

	it('slerp returns the seeded latents exactly at t = 0 and t = 1', async () => {
		const za = Float32Array.from(seededLatent(11));
		const zb = Float32Array.from(seededLatent(12));
		expect(Array.from(await latent({ seedA: 11, seedB: 12, t: 0 }))).toEqual(Array.from(za));
		expect(Array.from(await latent({ seedA: 11, seedB: 12, t: 1 }))).toEqual(Array.from(zb));
	});

	it('keeps the norm between the endpoints (unlike a straight line) and handles equal seeds', () => {
		const a = seededLatent(1);
		const b = seededLatent(2);
		const norm = (v: ArrayLike<number>) => Math.sqrt(Array.from(v).reduce((s, x) => s + x * x, 0));
		const mid = slerp(a, b, 0.5);
		expect(norm(mid.z)).toBeGreaterThan(0.97 * Math.min(norm(a), norm(b)));
		expect(mid.theta).toBeGreaterThan(1.3); // random 512-d vectors are nearly orthogonal
		const same = slerp(a, a, 0.4).z;
		for (let i = 0; i < 8; i++) expect(same[i]).toBeCloseTo(a[i], 12);
	});

	it('detAcos matches Math.acos (to rounding away from ±1, where acos itself is ill-conditioned)', () => {
		for (const c of [-0.7, -0.1, 0, 0.05, 0.5]) expect(Math.abs(detAcos(c) - Math.acos(c))).toBeLessThan(1e-14);
		for (const c of [-1, 0.99, 1]) expect(Math.abs(detAcos(c) - Math.acos(c))).toBeLessThan(1e-7);
	});
});

describe('fade blend helpers', () => {
	it('upsample2 is floor(dst/2) nearest and blend is (1-α)·low + α·high', () => {
		const src = Float32Array.from({ length: 2 * 2 * 3 }, (_, i) => i);
		const up = upsample2(src, 2);
		expect(up.length).toBe(48);
		expect(Array.from(up.slice(0, 12))).toEqual([0, 1, 2, 0, 1, 2, 3, 4, 5, 3, 4, 5]);
		expect(Array.from(blend(Float32Array.of(1, 2), Float32Array.of(3, 6), 0.25))).toEqual([1.5, 3]);
	});
});

describe.skipIf(!HAVE_WEIGHTS)(`growth and fade on the exported weights (${DIR})`, () => {
	let weights: NamedWeights;
	let model: ProganModel;
	let growth: GrowthResult;
	let z: Float32Array;

	beforeAll(async () => {
		z = await latent({ seedA: 3, seedB: 4, t: 0.5 });
		model = await modelLoader(MODELS.progan, { root: '/weights/', fetch: folderFetch(resolve(DIR, '..')) })({ signal: new AbortController().signal });
		weights = model.weights;
	});
	afterAll(() => tf.dispose(Object.values(weights ?? {})));

	it('growth: five faces 4…64 px, finite, no leaked tensors', async () => {
		const before = tf.memory().numTensors;
		growth = await runCell(proganGrowth, { inputs: { model, latent: z } });
		expect(tf.memory().numTensors).toBe(before);
		expect(growth.levels.map((l) => [l.size, l.image.width, l.image.height, l.raw.length])).toEqual(
			[4, 8, 16, 32, 64].map((s) => [s, s, s, s * s * 3])
		);
		for (const l of growth.levels) expect(l.raw.every(Number.isFinite)).toBe(true);
		await expect(runCell(proganGrowth, { inputs: { model, latent: new Float32Array(3) } })).rejects.toThrow(/latent has 3 values/);
	});

	const reference = (level: ProganLevel, alpha: number) =>
		tf.tidy(() => generate(weights, tf.tensor2d(z, [1, 512]), { level, alpha }).dataSync() as Float32Array);
	const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

	for (const L of [8, 16, 32, 64] as const) {
		it(`fade at ${L} px: α=0 is the upsampled old head, α=1 the new head, between is the generator's own fade`, async () => {
			const at = (alpha: number) => runCell(proganFade, { params: { boundary: String(L), alpha }, inputs: { growth } });
			const oldUp = tf.tidy(() => {
				const low = generate(weights, tf.tensor2d(z, [1, 512]), { level: (L / 2) as ProganLevel, alpha: 1 });
				return tf.image.resizeNearestNeighbor(low, [L, L]).dataSync() as Float32Array;
			});
			const f0 = await at(0);
			expect(f0.raw.length).toBe(L * L * 3);
			expect(maxDiff(f0.raw, oldUp)).toBeLessThan(1e-5);
			expect(maxDiff((await at(1)).raw, reference(L, 1))).toBeLessThan(1e-5);
			expect(maxDiff((await at(0.37)).raw, reference(L, 0.37))).toBeLessThan(1e-5);
			expect((await at(0.2)).mean).not.toBe((await at(0.8)).mean);
		});
	}

	it('the exported filmstrip.json (if any) passes validation', () => {
		const p = join(DIR, 'filmstrip.json');
		if (!existsSync(p)) return;
		const entries = parseFilmstrip(JSON.parse(readFileSync(p, 'utf8')));
		expect(entries.length).toBeGreaterThan(0);
	});
});

describe('filmstrip validation', () => {
	const good = [
		{ step: 0, level: 4, alpha: 1, g_loss: null, d_loss: null, images_seen: 0, row: 0 },
		{ step: 4, level: 8, alpha: 0.5, g_loss: -0.4, d_loss: 1.2, images_seen: 32, row: 1 }
	];
	it('accepts the exported format', () => {
		const e = parseFilmstrip(good);
		expect(e[0]).toEqual({ step: 0, level: 4, alpha: 1, gLoss: null, dLoss: null, imagesSeen: 0, row: 0 });
		expect(e[1].gLoss).toBe(-0.4);
	});
	it.each([
		['not an array', { rows: good }, /must be an array/],
		['empty', [], /no snapshots/],
		['entry not an object', [good[0], 3], /snapshot 1 is not an object/],
		['bad level', [{ ...good[0], level: 12 }], /level must be one of/],
		['alpha out of range', [{ ...good[0], alpha: 1.5 }], /alpha must be in/],
		['negative step', [{ ...good[0], step: -1 }], /step must be/],
		['rows out of order', [good[0], { ...good[1], row: 5 }], /row must be 1/],
		['loss not a number', [{ ...good[0], g_loss: 'NaN' }], /g_loss must be a finite number/],
		['images_seen backwards', [{ ...good[0], images_seen: 64 }, good[1]], /goes backwards/]
	])('rejects %s', (_, raw, msg) => {
		expect(() => parseFilmstrip(raw)).toThrow(msg);
	});
	it('checks the sprite against the JSON', () => {
		expect(spriteLayout(1024, 640, 10)).toEqual({ facePx: 64, faces: 16 });
		expect(() => spriteLayout(1024, 605, 10)).toThrow(/not a multiple/);
		expect(() => spriteLayout(1000, 640, 10)).toThrow(/whole number/);
	});
});
