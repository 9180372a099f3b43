// Parity of the tfjs ProGAN twin with PyTorch (DESIGN §4: max relative error <= 1e-3, float32),
// differentiability w.r.t. z (SR-NAM Eq. 6 needs it) and no tensor leaks.
// Fixture: train/progan/parity.py, run on the exported float16 weights in static/weights/progan.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generate, proganInfo, type ProganLevel } from '../../src/models/progan';
import type { ModelJson, NamedWeights } from '../../src/models/weights';
import { maxRelErr, parityFixture } from './parityHelpers';

const WEIGHTS_DIR = resolve(process.env.PROGAN_WEIGHTS_DIR ?? 'static/weights/progan');
const FIXTURE = resolve(process.env.PROGAN_FIXTURE ?? 'test/fixtures/progan-parity.json');

interface Case {
	level: ProganLevel;
	alpha: number;
	samples: number[];
	crop: { y: number; x: number; h: number; w: number };
	shape: number[];
	values: number[];
	stats: { mean: number; std: number; min: number; max: number }[];
}
interface Fixture {
	weights_integrity: ModelJson['integrity'];
	z: number[][];
	cases: Case[];
}

describe('progan tfjs twin', () => {
	const p = parityFixture<Fixture>(FIXTURE, WEIGHTS_DIR);

	it('reports latent size and widths from the weight shapes', () => {
		const info = proganInfo(p.weights);
		expect(info.latent).toBe(p.fixture.z[0].length);
		expect(info.widths).toEqual(p.modelJson.modelConfig?.widths);
	});

	for (const c of p.fixture.cases) {
		it(`matches PyTorch at ${c.level}px, alpha=${c.alpha} (max rel err <= 1e-3)`, () => {
			const z = tf.tensor2d(p.fixture.z);
			const img = generate(p.weights, z, { level: c.level, alpha: c.alpha });
			expect(img.shape).toEqual([p.fixture.z.length, c.level, c.level, 3]);
			const full = img.arraySync();
			const got: number[] = [];
			for (const s of c.samples)
				for (let y = c.crop.y; y < c.crop.y + c.crop.h; y++)
					for (let x = c.crop.x; x < c.crop.x + c.crop.w; x++) got.push(...full[s][y][x]);
			expect(got.length).toBe(c.values.length);
			const err = maxRelErr(got, c.values);
			if (process.env.PROGAN_PARITY_VERBOSE) console.log(`${c.level}px alpha=${c.alpha}: max rel err ${err.toExponential(2)}`);
			expect(err).toBeLessThanOrEqual(1e-3);
			// whole-image statistics catch errors outside the recorded crop
			c.stats.forEach((st, s) => {
				const im = img.slice([s, 0, 0, 0], [1, -1, -1, -1]);
				const m = tf.moments(im);
				const got4 = [m.mean.dataSync()[0], Math.sqrt(m.variance.dataSync()[0]), im.min().dataSync()[0], im.max().dataSync()[0]];
				const want = [st.mean, st.std, st.min, st.max];
				const scale = Math.max(Math.abs(st.min), Math.abs(st.max));
				got4.forEach((g, k) => expect(Math.abs(g - want[k])).toBeLessThanOrEqual(1e-3 * scale));
				tf.dispose([im, m.mean, m.variance]);
			});
			tf.dispose([z, img]);
		});
	}

	it('has finite, non-zero gradients w.r.t. z at every level and in a fade-in', () => {
		const z = tf.tensor2d(p.fixture.z);
		const settings: { level: ProganLevel; alpha: number }[] = [
			{ level: 4, alpha: 1 }, { level: 16, alpha: 1 }, { level: 64, alpha: 1 }, { level: 32, alpha: 0.5 }
		];
		for (const o of settings) {
			// an SR-NAM-like L1 objective on a 4x4-pooled image (Eq. 6 with a box degradation)
			const g = tf.tidy(() => tf.grad((zz: tf.Tensor) => {
				const img = generate(p.weights, zz as tf.Tensor2D, o);
				const k = o.level / 4;
				const lr = k > 1 ? tf.avgPool(img, k, k, 'valid') : img;
				return tf.mean(tf.abs(tf.sub(lr, 0.1)));
			})(z));
			const v = g.dataSync();
			expect(g.shape).toEqual(z.shape);
			expect(v.every(Number.isFinite)).toBe(true);
			expect(Math.max(...Array.from(v, Math.abs))).toBeGreaterThan(0);
			g.dispose();
		}
		z.dispose();
	});

	it('keeps tf.memory().numTensors flat over repeated generate calls and gradient steps', () => {
		const z = tf.tensor2d([p.fixture.z[0]]);
		const step = () =>
			tf.tidy(() => {
				generate(p.weights, z, { level: 64 });
				generate(p.weights, z, { level: 32, alpha: 0.3 });
				tf.grad((zz: tf.Tensor) => tf.mean(generate(p.weights, zz as tf.Tensor2D, { level: 16 })))(z);
			});
		step(); // warm-up (kernels may cache tensors on first use)
		const before = tf.memory().numTensors;
		for (let i = 0; i < 3; i++) step();
		expect(tf.memory().numTensors).toBe(before);
		z.dispose();
	});

	it('rejects bad arguments with clear messages', () => {
		const z = tf.zeros([1, 7]) as tf.Tensor2D;
		expect(() => generate(p.weights, z)).toThrow(/z must be \[N, \d+\]/);
		const z2 = tf.zeros([1, p.fixture.z[0].length]) as tf.Tensor2D;
		expect(() => generate(p.weights, z2, { level: 12 as ProganLevel })).toThrow(/level must be one of/);
		expect(() => generate(p.weights, z2, { alpha: 1.5 })).toThrow(/alpha must be in/);
		tf.dispose([z, z2]);
	});
});
