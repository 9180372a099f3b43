// Parity of the tfjs SRResNet / SRGAN twin (src/models/srresnet.ts) with PyTorch (DESIGN §4: max
// relative error <= 1e-3, float32) for each shipped net, its discriminator logit map where the
// weights hold one (srgan), D's stride-2 padding, and no tensor leaks.
// Fixtures: train/srgan/parity.py (test/fixtures/<name>-parity.json). A net not shipped yet is
// skipped by name; SRRESNET_PARITY="dir:fixture,dir:fixture" checks other exports (e.g. tiny ones).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { discriminatorLogitMap, srresnet, srresnetInfo, stridedConv } from '../../src/models/srresnet';
import type { ModelJson } from '../../src/models/weights';
import { checkStats, cropValues, describeShipped, fixtureInput, maxRelErr, parityFixture, paritySets, type Case, type Stats } from './parityHelpers';

interface Fixture {
	weights_integrity: ModelJson['integrity'];
	lr_u8_base64: string;
	lr_shape: [number, number, number, number];
	cases: Case[];
	stats: Stats[];
	d_logits_nearest?: number[];
	d_logits_sr?: number[];
}

const SETS = paritySets('SRRESNET_PARITY', ['srresnet-mse', 'srresnet-content', 'srgan']);

beforeAll(async () => {
	await tf.setBackend('cpu');
});

describe('stride-2 conv padding (PyTorch: 1 on every side)', () => {
	it('pads top/left as well as bottom/right, unlike tf "same"', () => {
		const x = tf.tensor4d(Array.from({ length: 16 }, (_, i) => i + 1), [1, 4, 4, 1]);
		const w = { 'k/w': tf.ones([3, 3, 1, 1]), 'k/b': tf.zeros([1]) };
		const y = stridedConv(w, x as tf.Tensor4D, 'k', 2);
		// centres (0,0), (0,2), (2,0), (2,2) of the 1..16 ramp; tf "same" would centre on (1,1): 54 first
		expect(Array.from(y.dataSync())).toEqual([14, 30, 57, 99]);
		tf.dispose([x, y, ...Object.values(w)]);
	});
});

for (const set of SETS) {
	describeShipped(set, () => {
		const p = parityFixture<Fixture>(set.fixture, set.dir);

		it('reads width and block count from the weight shapes, as the card states them', () => {
			const info = srresnetInfo(p.weights);
			const cfg = p.modelJson.modelConfig as { width?: number; blocks?: number } | undefined;
			expect(info.width).toBe(cfg?.width);
			expect(info.blocks).toBe(cfg?.blocks);
			expect(info.hasDiscriminator).toBe(p.fixture.d_logits_sr !== undefined);
		});

		it('matches PyTorch (max rel err <= 1e-3) in every recorded crop and statistic', () => {
			const lr = fixtureInput(p.fixture, 1);
			const img = srresnet(p.weights, lr);
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

		it.skipIf(!p.fixture.d_logits_sr)("matches D's 4x4 logit maps of the nearest-x4 input and of G's output", () => {
			const lr = fixtureInput(p.fixture, 1);
			const up = fixtureInput(p.fixture, 4);
			const sr = srresnet(p.weights, lr);
			for (const [x, want] of [
				[up, p.fixture.d_logits_nearest!],
				[sr, p.fixture.d_logits_sr!]
			] as const) {
				const logits = discriminatorLogitMap(p.weights, x);
				expect(logits.shape).toEqual([2, 4, 4, 1]);
				const err = maxRelErr(logits.dataSync(), want);
				if (process.env.PARITY_VERBOSE) console.log(`${set.name} D logits: max rel err ${err.toExponential(2)}`);
				expect(err).toBeLessThanOrEqual(1e-3);
				logits.dispose();
			}
			tf.dispose([lr, up, sr]);
		});

		it('keeps tf.memory().numTensors flat over repeated calls', () => {
			const lr = fixtureInput(p.fixture, 1);
			const step = () => tf.tidy(() => void srresnet(p.weights, lr));
			step();
			const before = tf.memory().numTensors;
			for (let i = 0; i < 3; i++) step();
			expect(tf.memory().numTensors).toBe(before);
			lr.dispose();
		});
	});
}
