// Parity of the tfjs Low-to-High SR twin with PyTorch (DESIGN §4: max relative error <= 1e-3,
// float32) for BOTH shipped weight sets (static/weights/low2high, trained on High-to-Low
// degraded LR, and static/weights/low2high-bicubic, its bicubic-LR twin), the written-out
// bilinear x2 against PyTorch's align_corners=False rule, and no tensor leaks.
// Fixtures: train/degradation/parity.py (test/fixtures/low2high-parity.json, low2high-bicubic-parity.json).
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bilinearUp2, low2highInfo, superResolve } from '../../src/models/low2high';
import type { ModelJson, NamedWeights } from '../../src/models/weights';
import { checkStats, cropValues, fixtureInput, maxRelErr, type Case, type Stats, parityFixture } from './parityHelpers';

interface Fixture {
	weights_integrity: ModelJson['integrity'];
	lr_u8_base64: string;
	lr_shape: [number, number, number, number];
	cases: Case[];
	stats: Stats[];
}

const SETS = [
	{ name: 'low2high', dir: process.env.LOW2HIGH_WEIGHTS_DIR ?? 'static/weights/low2high', fixture: process.env.LOW2HIGH_FIXTURE ?? 'test/fixtures/low2high-parity.json' },
	{ name: 'low2high-bicubic', dir: process.env.LOW2HIGH_BICUBIC_WEIGHTS_DIR ?? 'static/weights/low2high-bicubic', fixture: process.env.LOW2HIGH_BICUBIC_FIXTURE ?? 'test/fixtures/low2high-bicubic-parity.json' }
];

beforeAll(async () => {
	await tf.setBackend('cpu');
});

describe('bilinear x2 (PyTorch align_corners=False)', () => {
	it('matches the half-pixel rule with edge clamping on a 1-D ramp', () => {
		const x = tf.tensor4d([0, 1, 3], [1, 3, 1, 1]);
		const y = bilinearUp2(x);
		expect(y.shape).toEqual([1, 6, 2, 1]);
		// torch: [0, 0.25, 0.75, 1.5, 2.5, 3]
		const col = Array.from(y.dataSync()).filter((_, i) => i % 2 === 0);
		col.forEach((v, i) => expect(v).toBeCloseTo([0, 0.25, 0.75, 1.5, 2.5, 3][i], 6));
		tf.dispose([x, y]);
	});
});

for (const set of SETS) {
	describe(`${set.name} tfjs twin`, () => {
		const p = parityFixture<Fixture>(set.fixture, set.dir);

		it('reports widths and group sizes 12, 3, 2 from the weight shapes', () => {
			const info = low2highInfo(p.weights);
			expect(info.widths).toEqual(p.modelJson.modelConfig?.groupWidths);
			expect(info.groupBlocks).toEqual([12, 3, 2]);
		});

		it('matches PyTorch on the p.fixture (max rel err <= 1e-3) in every recorded case and statistic', () => {
			const lr = fixtureInput(p.fixture, 1);
			const img = superResolve(p.weights, lr);
			expect(img.shape).toEqual([2, 64, 64, 3]);
			const full = img.arraySync();
			for (const c of p.fixture.cases) {
				const err = maxRelErr(cropValues(full, c), c.values);
				if (process.env.PARITY_VERBOSE) console.log(`${set.name} crop ${JSON.stringify(c.crop)}: max rel err ${err.toExponential(2)}`);
				expect(err).toBeLessThanOrEqual(1e-3);
			}
			checkStats(img, p.fixture.stats);
			tf.dispose([lr, img]);
		});

		it('keeps tf.memory().numTensors flat over repeated calls', () => {
			const lr = fixtureInput(p.fixture, 1);
			const step = () => tf.tidy(() => { superResolve(p.weights, lr); });
			step();
			const before = tf.memory().numTensors;
			for (let i = 0; i < 3; i++) step();
			expect(tf.memory().numTensors).toBe(before);
			lr.dispose();
		});

		it('rejects a wrong input size', () => {
			const x = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D;
			expect(() => superResolve(p.weights, x)).toThrow(/lr must be \[N, 16, 16, 3\]/);
			x.dispose();
		});
	});
}
