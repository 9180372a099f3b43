// The "Progressive growth" notebook's compute modules: latent determinism and slerp, the
// growth strip and the fade-in blend on the real exported weights (checked against the
// generator's own fade path), the model cell's card and loading, and filmstrip validation.
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComputeContext } from '../../src/lib/runtime/runtime';
import { GpuQueue } from '../../src/lib/runtime/gpuQueue';
import type { ParamValues } from '../../src/lib/notebook/types';
import { computeLatent } from '../../src/cells/proganLatent';
import { detAcos, seededLatent, slerp, LATENT_SIZE } from '../../src/lib/latent/slerp';
import { computeGrowth, type GrowthResult } from '../../src/cells/proganGrowth';
import { blend, computeFade, upsample2 } from '../../src/cells/proganFade';
import type { ProganModel } from '../../src/cells/proganModel';
import { parseCard } from '../../src/models/cards';
import { modelLoader } from '../../src/models/load';
import { MODELS } from '../../src/models/catalog';
import { folderFetch } from './shippedModels';
import { parseFilmstrip, spriteLayout } from '../../src/cells/proganFilmstrip';
import { generate, type ProganLevel } from '../../src/models/progan';
import type { NamedWeights } from '../../src/models/weights';

const DIR = resolve(process.env.PROGAN_WEIGHTS_DIR ?? 'static/weights/progan');
const HAVE_WEIGHTS = existsSync(join(DIR, 'model.json'));
if (!HAVE_WEIGHTS) console.warn(`progressiveGrowth.test: no exported ProGAN weights in ${DIR}; the weight-based tests are SKIPPED (set PROGAN_WEIGHTS_DIR or export to static/weights/progan).`);

function ctxOf(params: ParamValues = {}, inputs: Record<string, unknown> = {}, controller = new AbortController()): ComputeContext {
	const queue = new GpuQueue();
	return { params, inputs, signal: controller.signal, gpu: (task) => queue.run(task, controller.signal), progress: () => {} };
}

beforeAll(async () => {
	await tf.setBackend('cpu');
});

describe('latent cell', () => {
	it('is deterministic per seed and different across seeds', () => {
		const a = computeLatent(ctxOf({ seedA: 5, seedB: 9, t: 0.3 }));
		const b = computeLatent(ctxOf({ seedA: 5, seedB: 9, t: 0.3 }));
		expect(a).toBeInstanceOf(Float32Array);
		expect(a.length).toBe(LATENT_SIZE);
		expect(Array.from(a)).toEqual(Array.from(b));
		const c = computeLatent(ctxOf({ seedA: 6, seedB: 9, t: 0.3 }));
		expect(Array.from(c)).not.toEqual(Array.from(a));
	});

	it('slerp returns the seeded latents exactly at t = 0 and t = 1', () => {
		const za = Float32Array.from(seededLatent(11));
		const zb = Float32Array.from(seededLatent(12));
		expect(Array.from(computeLatent(ctxOf({ seedA: 11, seedB: 12, t: 0 })))).toEqual(Array.from(za));
		expect(Array.from(computeLatent(ctxOf({ seedA: 11, seedB: 12, t: 1 })))).toEqual(Array.from(zb));
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
	const z = computeLatent(ctxOf({ seedA: 3, seedB: 4, t: 0.5 }));

	beforeAll(async () => {
		model = await modelLoader(MODELS.progan, { root: '/weights/', fetch: folderFetch(resolve(DIR, '..')) })({ signal: new AbortController().signal });
		weights = model.weights;
	});
	afterAll(() => tf.dispose(Object.values(weights ?? {})));

	it('growth: five faces 4…64 px, finite, no leaked tensors', async () => {
		const before = tf.memory().numTensors;
		growth = await computeGrowth(ctxOf({}, { model, latent: z }));
		expect(tf.memory().numTensors).toBe(before);
		expect(growth.levels.map((l) => [l.size, l.image.width, l.image.height, l.raw.length])).toEqual(
			[4, 8, 16, 32, 64].map((s) => [s, s, s, s * s * 3])
		);
		for (const l of growth.levels) expect(l.raw.every(Number.isFinite)).toBe(true);
		await expect(computeGrowth(ctxOf({}, { model, latent: new Float32Array(3) }))).rejects.toThrow(/latent has 3 values/);
	});

	const reference = (level: ProganLevel, alpha: number) =>
		tf.tidy(() => generate(weights, tf.tensor2d(z, [1, 512]), { level, alpha }).dataSync() as Float32Array);
	const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

	for (const L of [8, 16, 32, 64] as const) {
		it(`fade at ${L} px: α=0 is the upsampled old head, α=1 the new head, between is the generator's own fade`, () => {
			const at = (alpha: number) => computeFade(ctxOf({ boundary: String(L), alpha }, { growth }));
			const oldUp = tf.tidy(() => {
				const low = generate(weights, tf.tensor2d(z, [1, 512]), { level: (L / 2) as ProganLevel, alpha: 1 });
				return tf.image.resizeNearestNeighbor(low, [L, L]).dataSync() as Float32Array;
			});
			const f0 = at(0);
			expect(f0.raw.length).toBe(L * L * 3);
			expect(maxDiff(f0.raw, oldUp)).toBeLessThan(1e-5);
			expect(maxDiff(at(1).raw, reference(L, 1))).toBeLessThan(1e-5);
			expect(maxDiff(at(0.37).raw, reference(L, 0.37))).toBeLessThan(1e-5);
			expect(at(0.2).mean).not.toBe(at(0.8).mean);
		});
	}

	it('model cell: loads through fetch with progress, reuses the load, names the model when a shard is corrupt', async () => {
		let fetches = 0;
		const fakeFetch = (corrupt: boolean) =>
			(async (u: RequestInfo | URL) => {
				fetches++;
				const name = String(u).split('/').pop()!;
				if (!existsSync(join(DIR, name))) return new Response('no', { status: 404 });
				const b = new Uint8Array(readFileSync(join(DIR, name)));
				if (corrupt && name.endsWith('.bin')) b[100] ^= 0xff;
				return new Response(b);
			}) as typeof fetch;
		const load = modelLoader(MODELS.progan, { root: '/w/', fetch: fakeFetch(false) });
		const progress: number[] = [];
		const ctx = { ...ctxOf(), progress: (f: number) => progress.push(f) };
		const m = await load(ctx);
		expect(m.info.latent).toBe(512);
		expect(m.info.widths).toHaveLength(5);
		expect(progress.at(-1)).toBe(1);
		const n = fetches;
		expect(await load(ctxOf())).toBe(m);
		expect(fetches).toBe(n);
		tf.dispose(Object.values(m.weights));
		const bad = modelLoader(MODELS.progan, { root: '/w/', fetch: fakeFetch(true) });
		await expect(bad(ctxOf())).rejects.toThrow(/ProGAN face generator could not be loaded.*progan weights: shard .* sha256/);
		const missing = modelLoader(MODELS.progan, { root: '/nowhere/', fetch: (async () => new Response('', { status: 404 })) as typeof fetch });
		await expect(missing(ctxOf())).rejects.toThrow(/ProGAN.*HTTP 404/);
	});

	it('the exported filmstrip.json (if any) passes validation', () => {
		const p = join(DIR, 'filmstrip.json');
		if (!existsSync(p)) return;
		const entries = parseFilmstrip(JSON.parse(readFileSync(p, 'utf8')));
		expect(entries.length).toBeGreaterThan(0);
	});
});

describe('model card', () => {
	const cpuCard = {
		title: 'ProGAN face generator (64x64)',
		quality_note: 'Trained on CPU (AMD EPYC, 1 thread(s)) for 27.0 minutes: a low-quality stand-in until GPU training',
		data: 'UTKFace — non-commercial research licence',
		license: 'non-commercial research use only',
		training: { device: 'cpu', hardware: 'AMD EPYC', threads: 1, wall_minutes: 27, images_seen: 45600, finished: true },
		fid_proxy: null
	};
	it('reads the facts and flags a CPU-trained stand-in', () => {
		const c = parseCard(cpuCard);
		expect(c).toMatchObject({ device: 'cpu', hardware: 'AMD EPYC', minutes: 27, imagesSeen: 45600, fidProxy: null, standIn: true });
	});
	it('a GPU-trained card without a stand-in note is not flagged; an unknown device is', () => {
		const gpu = parseCard({ ...cpuCard, quality_note: 'Trained on NVIDIA H100 for 20 minutes.', training: { ...cpuCard.training, device: 'cuda' }, fid_proxy: 41.5 });
		expect(gpu.standIn).toBe(false);
		expect(gpu.fidProxy).toBe(41.5);
		expect(parseCard({}).standIn).toBe(true);
		expect(() => parseCard([1])).toThrow(/not an object/);
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
