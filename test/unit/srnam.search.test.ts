// SR-NAM latent search engine with small injected networks (test-only stand-ins):
// G: z ∈ R^16 → 8×8×3 linear, D: avg-pool ×4 → 2×2×3 (+ a small linear noise term).
// 12 LR values < 16 latent dims, so Eq. 6 has a 4-dim family of exact minimisers and the
// restarts cannot collapse to one point (the null-space part of z gets no gradient).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { rgbImage, type RGBImage } from '../../src/lib/image/rgb';
import { createRng } from '../../src/lib/image/rng';
import { avgPoolDegrader, type DegraderFn, type GeneratorFn } from '../../src/lib/srnam/models';
import { createSearch, resumeSearch, type SearchOptions } from '../../src/lib/srnam/search';
import { LATENT, NOISE, tinyNets } from './tinyNets';

let generator: GeneratorFn;
let degrader: DegraderFn;
let lr: RGBImage;

beforeAll(async () => {
	await tf.setBackend('cpu');
	({ generator, degrader } = tinyNets(7));
	const pool = avgPoolDegrader(4);
	// the LR input: D(G(z*), 0) for a known z*, mapped from [-1, 1] to [0, 1]
	const zStar = tf.tensor2d(createRng(99).fillNormal(new Float32Array(LATENT)), [1, LATENT]);
	const lo = tf.tidy(() => tf.div(tf.add(pool(generator(zStar), tf.zeros([1, NOISE])), 1), 2));
	lr = rgbImage(2, 2, (await lo.data()) as Float32Array);
	tf.dispose([zStar, lo]);
});

const opts = (over: Partial<SearchOptions> = {}): SearchOptions => ({
	generator,
	degrader,
	lr,
	K: 4,
	seed: 1,
	latentDim: LATENT,
	noiseDim: NOISE,
	adam: { learningRate: 0.05 },
	noise: { mode: 'fixed', seed: 2 },
	historyEvery: 10,
	...over
});

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
	expect(a.length).toBe(b.length);
	let m = 0;
	for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
	return m;
};

describe('srnam latent search', () => {
	it('loss decreases over 100 steps; the K restarts stay different', async () => {
		const s = createSearch(opts());
		const r = await s.step(100);
		expect(r.ran).toBe(100);
		expect(r.step).toBe(100);
		expect(r.losses.length).toBe(100 * 4);
		for (let k = 0; k < 4; k++) {
			const curve = s.history.series(k);
			expect(curve[99]).toBeLessThan(0.2 * curve[0]);
		}
		const snap = await s.snapshot();
		expect(snap.step).toBe(100);
		expect(snap.candidates).toHaveLength(4);
		expect(snap.candidates[0].width).toBe(8);
		expect(snap.degraded[0].width).toBe(2);
		// the snapshot's own losses are those of z_100: below the last recorded (z_99)
		for (let k = 0; k < 4; k++) expect(snap.losses[k]).toBeLessThan(0.05);
		// restarts differ in latent and in HR candidate
		for (let i = 0; i < 4; i++)
			for (let j = i + 1; j < 4; j++) {
				expect(maxAbsDiff(snap.z.subarray(i * LATENT, (i + 1) * LATENT), snap.z.subarray(j * LATENT, (j + 1) * LATENT))).toBeGreaterThan(0.3);
				expect(maxAbsDiff(snap.candidates[i].data, snap.candidates[j].data)).toBeGreaterThan(0.01);
			}
		await s.dispose();
	});

	it('same seed → same run; other seed → other run; K=1 is restart 0 of K=4', async () => {
		const a = createSearch(opts());
		const b = createSearch(opts());
		const c = createSearch(opts({ seed: 2 }));
		const one = createSearch(opts({ K: 1 }));
		const [ra, rb, rc, r1] = await Promise.all([a.step(30), b.step(30), c.step(30), one.step(30)]);
		expect(Array.from(ra.losses)).toEqual(Array.from(rb.losses));
		expect(maxAbsDiff(ra.losses, rc.losses)).toBeGreaterThan(1e-3);
		const sa = await a.snapshot();
		const s1 = await one.snapshot();
		expect(maxAbsDiff(sa.z.subarray(0, LATENT), s1.z)).toBeLessThan(1e-5);
		expect(Array.from((await b.snapshot()).z)).toEqual(Array.from(sa.z));
		await Promise.all([a, b, c, one].map((s) => s.dispose()));
	});

	for (const mode of ['fixed', 'joint'] as const)
		it(`serialise → deserialise → continue equals an uninterrupted run (noise ${mode})`, async () => {
			const o = opts({ noise: { mode, seed: 5 }, prior: { weight: 0.1 }, historyEvery: 7 });
			const ref = createSearch(o);
			await ref.step(40);
			const first = createSearch(o);
			await first.step(25);
			const state = await first.serialise();
			expect(state.step).toBe(25);
			expect(state.noiseM.length).toBe(mode === 'joint' ? 4 * NOISE : 0);
			await first.dispose();
			// a fresh search with a different seed: the state's seeds and latents win
			const resumed = await resumeSearch({ ...o, seed: 123 }, state);
			expect(resumed.stepCount).toBe(25);
			await resumed.step(15);
			const [x, y] = [await ref.snapshot(), await resumed.snapshot()];
			expect(maxAbsDiff(x.z, y.z)).toBeLessThan(1e-6);
			expect(maxAbsDiff(x.noise, y.noise)).toBeLessThan(1e-6);
			expect(maxAbsDiff(ref.history.losses(), resumed.history.losses())).toBeLessThan(1e-6);
			expect(resumed.history.latentSteps()).toEqual([0, 7, 14, 21, 28, 35]);
			if (mode === 'joint') expect(maxAbsDiff(x.noise, state.noise)).toBeGreaterThan(0); // the noise moved
			await Promise.all([ref.dispose(), resumed.dispose()]);
		});

	it('history: every step’s losses, every M-th step’s latents; restore re-renders them', async () => {
		const s = createSearch(opts({ historyEvery: 5 }));
		const initial = await s.snapshot();
		await s.step(3);
		await s.step(9);
		expect(s.history.length).toBe(12);
		expect(s.history.latentSteps()).toEqual([0, 5, 10]);
		const back = await s.restore(0);
		expect(back.step).toBe(0);
		expect(Array.from(back.z)).toEqual(Array.from(initial.z));
		expect(maxAbsDiff(back.losses, initial.losses)).toBe(0);
		for (let k = 0; k < 4; k++) expect(back.losses[k]).toBeCloseTo(s.history.loss(0, k), 6);
		const mid = await s.restore(7); // nearest stored ≤ 7 is 5
		expect(mid.step).toBe(5);
		for (let k = 0; k < 4; k++) expect(mid.losses[k]).toBeCloseTo(s.history.loss(5, k), 6);
		expect((await s.restore(1000)).step).toBe(12); // beyond the end: the live state
		expect(s.stepCount).toBe(12); // restore does not move the search
		await s.dispose();
	});

	it('with a gpu runner (the runtime queue), every step, render and serialise goes through it', async () => {
		let tasks = 0;
		let inside = false;
		const gpu = async <R,>(task: () => Promise<R>): Promise<R> => {
			tasks++;
			inside = true;
			try {
				return await task();
			} finally {
				inside = false;
			}
		};
		const s = createSearch(opts({ gpu }));
		await s.step(3);
		await s.snapshot();
		await s.restore(0);
		await s.serialise();
		expect(tasks).toBe(4);
		expect(inside).toBe(false);
		await s.dispose();
	});

	it('tensor count stays flat over 2,000 steps', async () => {
		const s = createSearch(opts({ K: 2, historyEvery: 3, noise: { mode: 'joint', seed: 3 }, prior: { weight: 0.01 } }));
		await s.step(1);
		const base = tf.memory().numTensors;
		for (let i = 0; i < 19; i++) {
			await s.step(100);
			expect(tf.memory().numTensors).toBe(base);
		}
		for (let i = 0; i < 99; i++) await s.step(1);
		await s.snapshot();
		await s.restore(50);
		await s.serialise();
		expect(tf.memory().numTensors).toBe(base);
		expect(s.history.length).toBe(2000);
		await s.dispose();
	});

	it('abort stops between steps; dispose frees every tensor, also mid-run', async () => {
		const before = tf.memory().numTensors;
		const s = createSearch(opts());
		const ctl = new AbortController();
		const p = s.step(1000, { signal: ctl.signal });
		ctl.abort(); // step(…) runs on a later microtask, so it sees the abort before its first update
		const r = await p;
		expect(r.aborted).toBe(true);
		expect(r.ran).toBe(0);
		expect(r.last.length).toBe(0);
		await s.step(3);
		expect(s.history.length).toBe(3);
		const running = s.step(50);
		const queued = s.step(5);
		s.dispose(); // before `running` began (it starts on a later microtask): both are refused
		await expect(running).rejects.toThrow(/disposed/);
		await expect(queued).rejects.toThrow(/disposed/);
		expect(s.disposed).toBe(true);
		expect(tf.memory().numTensors).toBe(before);
		await expect(s.step(1)).rejects.toThrow(/disposed/);
		// disposed from inside a running step (here: by the degrader on its 10th call)
		let calls = 0;
		let self: ReturnType<typeof createSearch> | undefined;
		const midway: DegraderFn = (hr, n) => {
			if (++calls === 11) void self!.dispose(); // call 1 is the construction probe
			return degrader(hr, n);
		};
		self = createSearch(opts({ degrader: midway }));
		const r2 = await self.step(50);
		expect(r2.ran).toBe(10);
		expect(r2.aborted).toBe(true);
		expect(tf.memory().numTensors).toBe(before);
		await s.dispose(); // twice is fine
		await self.dispose();
	});

	it('rejects a degrader of the wrong size without leaking', () => {
		const before = tf.memory().numTensors;
		expect(() => createSearch(opts({ degrader: avgPoolDegrader(2) }))).toThrow(/D\(G\(z\)\) is \[1,4,4,3\]/);
		expect(() => createSearch(opts({ latentDim: 8 }))).toThrow(); // the generator itself rejects z
		expect(() => createSearch(opts({ adam: { learningRate: -1 } }))).toThrow(/bad settings/);
		expect(() => createSearch(opts({ K: 0 }))).toThrow(/K must be/);
		expect(tf.memory().numTensors).toBe(before);
	});

	it('cpu resize-nearest gradient is per batch item (tfjs 4.22 cpu bug, fixed once by importing srnam/models)', async () => {
		const x = tf.tensor4d(createRng(3).fillNormal(new Float32Array(2 * 3 * 5 * 2)), [2, 3, 5, 2]);
		for (const [h, w, alignCorners] of [[6, 10, false], [7, 4, true], [2, 3, false]] as const) {
			const up = (t: tf.Tensor) => tf.image.resizeNearestNeighbor(t as tf.Tensor4D, [h, w], alignCorners);
			const weights = (from: number, n: number) => tf.sin(tf.range(from, from + n * h * w * 2)).reshape([n, h, w, 2]);
			const batched = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(up(t), weights(0, 2))))(x);
			const alone = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(up(t), weights(h * w * 2, 1))))(tf.slice(x, [1, 0, 0, 0], [1, 3, 5, 2]));
			const row1 = tf.slice(batched, [1, 0, 0, 0], [1, 3, 5, 2]);
			expect(maxAbsDiff(await row1.data(), await alone.data())).toBeLessThan(1e-6);
			// against the forward pass: ∂/∂x_i Σ W·up(x) = Σ W·up(e_i) (up is linear)
			const W2 = weights(0, 2);
			const g = await batched.data();
			for (let i = 0; i < x.size; i++) {
				const e = tf.oneHot(i, x.size).reshape(x.shape).toFloat();
				expect(g[i]).toBeCloseTo((await tf.sum(tf.mul(up(e), W2)).data())[0], 5);
			}
			tf.dispose([batched, alone, row1]);
		}
		x.dispose();
	});
});
