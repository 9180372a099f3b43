// The live blur-length sweep (src/lib/jointSr/sweep.ts): one row per (length, method), bicubic first;
// numbers that could be wrong are checked against cases with a known answer (a flat face is
// reproduced exactly; more blur loses PSNR on a smooth face); Cancel stops it between steps with
// an AbortError; the event loop gets turns while it runs; no tensors leak.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BICUBIC, blurLengthSweep } from '../../src/lib/jointSr/sweep';
import type { NamedWeights } from '../../src/models/weights';
import { tinyJointSrWeights } from './jointSrWeights';

let weights: NamedWeights;
let smooth: tf.Tensor4D;
beforeAll(async () => {
	await tf.setBackend('cpu');
	weights = tinyJointSrWeights({ width: 2, localD: false });
	smooth = tf.tidy(() => {
		const y = tf.reshape(tf.range(0, 128), [1, 128, 1, 1]);
		const x = tf.reshape(tf.range(0, 128), [1, 1, 128, 1]);
		const v = tf.mul(tf.add(tf.sin(tf.div(x, 5)), tf.cos(tf.div(y, 4))), 0.4);
		return tf.tile(v, [1, 1, 1, 3]) as tf.Tensor4D;
	});
});
afterAll(() => tf.dispose([...Object.values(weights), smooth]));

describe('blurLengthSweep', () => {
	it('measures bicubic and each model at each length; more blur costs bicubic PSNR on a smooth face', async () => {
		const progress: string[] = [];
		const before = tf.memory().numTensors;
		const rows = await blurLengthSweep({ hr: smooth, lengths: [0, 16], angleDeg: 90, models: [{ name: 'tiny', weights }], onProgress: (p) => progress.push(`${p.done}/${p.total} ${p.length} ${p.method}`) });
		expect(tf.memory().numTensors).toBe(before);
		expect(rows.map((r) => `${r.length} ${r.method}`)).toEqual([`0 ${BICUBIC}`, '0 tiny', `16 ${BICUBIC}`, '16 tiny']);
		expect(progress).toEqual([`1/4 0 ${BICUBIC}`, '2/4 0 tiny', `3/4 16 ${BICUBIC}`, '4/4 16 tiny']);
		const [b0, , b16] = rows;
		expect(b0.psnrDb).toBeGreaterThan(b16.psnrDb + 1);
		expect(b0.ssim).toBeGreaterThan(b16.ssim);
		for (const r of rows) {
			expect(Number.isFinite(r.psnrDb)).toBe(true);
			expect(r.ssim).toBeLessThanOrEqual(1);
		}
	}, 60_000);

	it('reproduces a flat face exactly with bicubic (PSNR ∞, SSIM 1) at any blur', async () => {
		const flat = tf.fill([1, 128, 128, 3], 0.2) as tf.Tensor4D;
		const rows = await blurLengthSweep({ hr: flat, lengths: [0, 9], angleDeg: 33, models: [] });
		flat.dispose();
		for (const r of rows) {
			expect(r.psnrDb).toBe(Infinity);
			expect(r.ssim).toBeCloseTo(1, 9);
		}
	}, 60_000);

	it('stops at Cancel with an AbortError, leaking nothing; the page gets turns meanwhile', async () => {
		const ctrl = new AbortController();
		let ticks = 0;
		const timer = setInterval(() => ticks++, 0);
		const before = tf.memory().numTensors;
		const seen: number[] = [];
		const run = blurLengthSweep({
			hr: smooth,
			lengths: [0, 4, 8, 12],
			angleDeg: 0,
			models: [{ name: 'tiny', weights }],
			signal: ctrl.signal,
			onProgress: (p) => {
				seen.push(p.done);
				if (p.done === 2) ctrl.abort();
			}
		});
		await expect(run).rejects.toMatchObject({ name: 'AbortError' });
		clearInterval(timer);
		expect(seen).toEqual([1, 2]);
		expect(ticks).toBeGreaterThan(0);
		expect(tf.memory().numTensors).toBe(before);
	}, 60_000);

	it('refuses an HR that is not one 128 px face and a negative length', async () => {
		const two = tf.zeros([2, 128, 128, 3]) as tf.Tensor4D;
		await expect(blurLengthSweep({ hr: two, lengths: [0], angleDeg: 0, models: [] })).rejects.toThrow(/\[1, 128, 128, 3\]/);
		await expect(blurLengthSweep({ hr: smooth, lengths: [-1], angleDeg: 0, models: [] })).rejects.toThrow(/length -1/);
		two.dispose();
	});
});
