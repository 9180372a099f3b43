// Parity of the tfjs High-to-Low degrader with PyTorch (DESIGN §4: max relative error <= 1e-3,
// float32), differentiability w.r.t. the HR input (SR-NAM backpropagates through it), the
// reshape+transpose pixel shuffle, and no tensor leaks.
// Fixture: train/degradation/parity.py, run on the exported float16 weights in static/weights/degrader.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { degrade, degraderInfo, pixelShuffle } from '../../src/models/degrader';
import type { ModelJson, NamedWeights } from '../../src/models/weights';
import { checkStats, cropValues, fixtureInput, maxRelErr, type Case, type Stats, parityFixture } from './parityHelpers';

const WEIGHTS_DIR = resolve(process.env.DEGRADER_WEIGHTS_DIR ?? 'static/weights/degrader');
const FIXTURE = resolve(process.env.DEGRADER_FIXTURE ?? 'test/fixtures/degrader-parity.json');

interface Fixture {
	weights_integrity: ModelJson['integrity'];
	lr_u8_base64: string;
	lr_shape: [number, number, number, number];
	noise: number[][];
	cases: Case[];
	stats: Stats[];
}

describe('degrader tfjs twin', () => {
	const p = parityFixture<Fixture>(FIXTURE, WEIGHTS_DIR);

	it('reports noise size and widths from the weight shapes', () => {
		const info = degraderInfo(p.weights);
		expect(info.noiseDim).toBe(100);
		expect(info.widths).toEqual(p.modelJson.modelConfig?.groupWidths);
		expect(info.blocksPerGroup).toBe(2);
	});

	it('pixel shuffle matches torch.nn.PixelShuffle(2) channel order', () => {
		// in[0, 0, 0, c] = c for 8 channels -> out channel k at (i, j) = 4k + 2i + j
		const x = tf.tensor4d([0, 1, 2, 3, 4, 5, 6, 7], [1, 1, 1, 8]);
		const y = pixelShuffle(x);
		expect(y.shape).toEqual([1, 2, 2, 2]);
		expect(Array.from(y.dataSync())).toEqual([0, 4, 1, 5, 2, 6, 3, 7]);
		tf.dispose([x, y]);
	});

	it('matches PyTorch on the p.fixture (max rel err <= 1e-3) in every recorded case and statistic', () => {
		const hr = fixtureInput(p.fixture, 4);
		const z = tf.tensor2d(p.fixture.noise);
		const img = degrade(p.weights, hr, z);
		expect(img.shape).toEqual([2, 16, 16, 3]);
		const full = img.arraySync();
		for (const c of p.fixture.cases) {
			const err = maxRelErr(cropValues(full, c), c.values);
			if (process.env.PARITY_VERBOSE) console.log(`degrader crop ${JSON.stringify(c.crop)}: max rel err ${err.toExponential(2)}`);
			expect(err).toBeLessThanOrEqual(1e-3);
		}
		checkStats(img, p.fixture.stats);
		// the [0,1] input option is the same net
		const hr01 = tf.div(tf.add(hr, 1), 2) as tf.Tensor4D;
		const img01 = degrade(p.weights, hr01, z, { inputRange: '[0,1]' });
		expect(maxRelErr(img01.dataSync(), img.dataSync())).toBeLessThan(1e-5);
		tf.dispose([hr, z, img, hr01, img01]);
	});

	it('noise changes the output (one-to-many degradation)', () => {
		const hr = fixtureInput(p.fixture, 4);
		const diff = tf.tidy(() => {
			const a = degrade(p.weights, hr, tf.zeros([2, 100]) as tf.Tensor2D);
			const b = degrade(p.weights, hr, tf.tensor2d(p.fixture.noise));
			return tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
		});
		expect(diff).toBeGreaterThan(0);
		hr.dispose();
	});

	it('has finite, non-zero gradients w.r.t. the HR input (and the noise)', () => {
		const hr = fixtureInput(p.fixture, 4);
		const z = tf.tensor2d(p.fixture.noise);
		const target = tf.fill([2, 16, 16, 3], 0.1);
		const [gHr, gZ] = tf.tidy(() =>
			tf.grads((h: tf.Tensor, zz: tf.Tensor) => tf.mean(tf.abs(tf.sub(degrade(p.weights, h as tf.Tensor4D, zz as tf.Tensor2D), target))))([hr, z])
		);
		for (const [g, ref] of [[gHr, hr], [gZ, z]] as const) {
			expect(g.shape).toEqual(ref.shape);
			const v = g.dataSync();
			expect(v.every(Number.isFinite)).toBe(true);
			expect(Math.max(...Array.from(v, Math.abs))).toBeGreaterThan(0);
		}
		tf.dispose([hr, z, target, gHr, gZ]);
	});

	it('keeps tf.memory().numTensors flat over repeated calls and gradient steps', () => {
		const hr = fixtureInput(p.fixture, 4);
		const z = tf.tensor2d(p.fixture.noise);
		const step = () =>
			tf.tidy(() => {
				degrade(p.weights, hr, z);
				tf.grad((h: tf.Tensor) => tf.mean(degrade(p.weights, h as tf.Tensor4D, z)))(hr);
			});
		step();
		const before = tf.memory().numTensors;
		for (let i = 0; i < 3; i++) step();
		expect(tf.memory().numTensors).toBe(before);
		tf.dispose([hr, z]);
	});

	it('rejects bad arguments with clear messages', () => {
		const hr = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D;
		const z = tf.zeros([1, 100]) as tf.Tensor2D;
		expect(() => degrade(p.weights, hr, z)).toThrow(/hr must be \[N, 64, 64, 3\]/);
		const hr2 = tf.zeros([1, 64, 64, 3]) as tf.Tensor4D;
		const z2 = tf.zeros([1, 7]) as tf.Tensor2D;
		expect(() => degrade(p.weights, hr2, z2)).toThrow(/noise must be \[1, 100\]/);
		tf.dispose([hr, z, hr2, z2]);
	});
});
