// Parity of the tfjs progressive-SR twin (paper 003 §3.1) with PyTorch (DESIGN §4: max relative
// error <= 1e-3, float32) for both shipped weight sets (with and without the attention loss):
// every step's raw output and two fade-in blends, plus the fade-in rule itself, input checks
// and no tensor leaks. Fixtures: train/progressive_sr/export.py.
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { fadeIn, nearestUp2, progressiveSrInfo, superResolve, type PsrStep } from '../../src/models/progressiveSr';
import type { ModelJson, NamedWeights } from '../../src/models/weights';
import { fixtureInput, maxRelErr, parityFixture } from './parityHelpers';

interface PsrCase {
	step: PsrStep;
	alpha: number;
	what: 'raw' | 'blend';
	crop: { y: number; x: number; h: number; w: number };
	values: number[];
	corner: number[];
	mean: number[];
}
interface Fixture {
	weights_integrity: ModelJson['integrity'];
	lr_u8_base64: string;
	lr_shape: [number, number, number, number];
	cases: PsrCase[];
}

const SETS = [
	{ name: 'progressive-sr', dir: process.env.PSR_WEIGHTS_DIR ?? 'static/weights/progressive-sr', fixture: process.env.PSR_FIXTURE ?? 'test/fixtures/progressive-sr-parity.json' },
	{ name: 'progressive-sr-noatt', dir: process.env.PSR_NOATT_WEIGHTS_DIR ?? 'static/weights/progressive-sr-noatt', fixture: process.env.PSR_NOATT_FIXTURE ?? 'test/fixtures/progressive-sr-noatt-parity.json' }
];

beforeAll(async () => {
	await tf.setBackend('cpu');
});

function region(img: tf.Tensor4D, y: number, x: number, h: number, w: number): number[] {
	return tf.tidy(() => Array.from(tf.slice(img, [0, y, x, 0], [-1, h, w, -1]).dataSync()));
}

describe('fade-in (§3.1)', () => {
	it('nearest x2 repeats each pixel into a 2x2 block', () => {
		const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
		const y = nearestUp2(x);
		expect(Array.from(y.dataSync())).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
		tf.dispose([x, y]);
	});
	it('blends (1 - a) * f(prev) + a * cur', () => {
		const prev = tf.tensor4d([2], [1, 1, 1, 1]);
		const cur = tf.tensor4d([0, 4, 8, 12], [1, 2, 2, 1]);
		const y = fadeIn(prev, cur, 0.25);
		// 0.75 * 2 + 0.25 * [0, 4, 8, 12]
		Array.from(y.dataSync()).forEach((v, i) => expect(v).toBeCloseTo([1.5, 2.5, 3.5, 4.5][i], 6));
		tf.dispose([prev, cur, y]);
	});
});

for (const set of SETS) {
	describe(`${set.name} tfjs twin`, () => {
		const p = parityFixture<Fixture>(set.fixture, set.dir);

		it('reads its widths from the weight shapes', () => {
			expect(progressiveSrInfo(p.weights).widths).toEqual(p.modelJson.modelConfig?.widths);
		});

		it('matches PyTorch for every step and fade-in case (max rel err <= 1e-3)', () => {
			const lr = fixtureInput(p.fixture, 1);
			for (const c of p.fixture.cases) {
				const res = superResolve(p.weights, lr, { step: c.step, alpha: c.alpha });
				const img = c.what === 'raw' ? res.steps[c.step - 1] : res.output;
				expect(img.shape).toEqual([2, 16 * 2 ** c.step, 16 * 2 ** c.step, 3]);
				const centre = maxRelErr(region(img, c.crop.y, c.crop.x, c.crop.h, c.crop.w), c.values);
				const corner = maxRelErr(region(img, 0, 0, 3, 3), c.corner);
				if (process.env.PARITY_VERBOSE) console.log(`${set.name} step ${c.step} a=${c.alpha}: ${centre.toExponential(2)} ${corner.toExponential(2)}`);
				expect(centre).toBeLessThanOrEqual(1e-3);
				expect(corner).toBeLessThanOrEqual(1e-3);
				tf.dispose([...res.steps, res.output]);
			}
			lr.dispose();
		});

		it('returns every step up to the requested one, and alpha 0 gives the upsampled previous step', () => {
			const lr = fixtureInput(p.fixture, 1);
			const a = superResolve(p.weights, lr, { step: 2, alpha: 0 });
			expect(a.steps.map((s) => s.shape[1])).toEqual([32, 64]);
			const up = nearestUp2(a.steps[0]);
			expect(maxRelErr(a.output.dataSync(), up.dataSync())).toBeLessThan(1e-6);
			tf.dispose([...a.steps, a.output, up, lr]);
		});

		it('keeps tf.memory().numTensors flat over repeated calls', () => {
			const lr = fixtureInput(p.fixture, 1);
			const run = () => {
				const r = superResolve(p.weights, lr, { step: 3, alpha: 0.5 });
				tf.dispose([...r.steps, r.output]);
			};
			run();
			const before = tf.memory().numTensors;
			for (let i = 0; i < 3; i++) run();
			expect(tf.memory().numTensors).toBe(before);
			lr.dispose();
		});

		it('rejects a wrong input size, step or alpha', () => {
			const x = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D;
			expect(() => superResolve(p.weights, x)).toThrow(/lr must be \[N, 16, 16, 3\]/);
			const lr = tf.zeros([1, 16, 16, 3]) as tf.Tensor4D;
			expect(() => superResolve(p.weights, lr, { step: 4 as PsrStep })).toThrow(/step must be/);
			expect(() => superResolve(p.weights, lr, { alpha: 1.5 })).toThrow(/alpha must be/);
			tf.dispose([x, lr]);
		});
	});
}
