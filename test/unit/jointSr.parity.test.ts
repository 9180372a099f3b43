// Parity of the tfjs joint-SR twin (src/models/jointSr.ts) with PyTorch (DESIGN §4: max relative error
// <= 1e-3, float32) for each shipped net: G's three outputs (I_LRf, Î_HRB where the net has the blurred
// branch, Î_HR) in recorded crops and statistics, D_g's score map of cat(I_LRf, Î_HR) and D_l's of
// M ⊙ Î_HR with M from the fixture's landmarks through faceMask.ts (itself checked against the fixture's
// mask bits). Fixtures: train/joint_sr/parity.py (test/fixtures/<name>-parity.json). A net not shipped
// yet is skipped by name; JOINT_SR_PARITY="dir:fixture,dir:fixture" checks other exports (tiny ones).
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { faceRegionMask } from '../../src/lib/jointSr/faceMask';
import { globalDiscriminator, jointSr, jointSrInfo, localDiscriminator, type JointSrOutputs } from '../../src/models/jointSr';
import type { ModelJson } from '../../src/models/weights';
import { checkStats, cropValues, describeShipped, fixtureInput, maxRelErr, parityFixture, paritySets, type Case, type Stats } from './parityHelpers';

interface Fixture {
	weights_integrity: ModelJson['integrity'];
	lr_u8_base64: string;
	lr_shape: [number, number, number, number];
	outputs: Partial<Record<'feature' | 'blurred' | 'sharp', { cases: Case[]; stats: Stats[] }>>;
	dg_scores: number[];
	dl_scores?: number[];
	landmarks?: number[];
	mask_bits_base64?: string[];
}

const SETS = paritySets('JOINT_SR_PARITY', ['joint-sr', 'joint-sr-noblur', 'joint-sr-nolocal']);

for (const set of SETS) {
	describeShipped(set, () => {
		const p = parityFixture<Fixture>(set.fixture, set.dir);
		let out: JointSrOutputs | undefined;
		const outputs = () => (out ??= jointSr(p.weights, fixtureInput(p.fixture, 1)));

		it('reads width, branches and discriminators from the weight shapes, as model.json states them', () => {
			const info = jointSrInfo(p.weights);
			const cfg = p.modelJson.modelConfig as { width?: number; blurBranch?: boolean; localD?: boolean };
			expect(info.width).toBe(cfg.width);
			expect(info.blurBranch).toBe(cfg.blurBranch);
			expect(info.localD).toBe(cfg.localD);
			expect(info.blurBranch).toBe(p.fixture.outputs.blurred !== undefined);
			expect(info.localD).toBe(p.fixture.dl_scores !== undefined);
		});

		for (const key of ['feature', 'blurred', 'sharp'] as const)
			it(`${key}: matches PyTorch (max rel err <= 1e-3) in every recorded crop and statistic`, () => {
				const want = p.fixture.outputs[key];
				const got = outputs()[key];
				if (!want) {
					expect(got).toBeNull();
					return;
				}
				expect(got!.shape).toEqual([p.fixture.lr_shape[0], 128, 128, 3]);
				const full = got!.arraySync();
				for (const c of want.cases) {
					const err = maxRelErr(cropValues(full, c), c.values);
					if (process.env.PARITY_VERBOSE) console.log(`${set.name} ${key} crop ${JSON.stringify(c.crop)}: max rel err ${err.toExponential(2)}`);
					expect(err).toBeLessThanOrEqual(1e-3);
				}
				checkStats(got!, want.stats);
			});

		it("matches D_g's score map of cat(I_LRf, Î_HR)", () => {
			const o = outputs();
			const s = globalDiscriminator(p.weights, o.feature, o.sharp);
			expect(s.shape).toEqual([p.fixture.lr_shape[0], 8, 8, 1]);
			const err = maxRelErr(s.dataSync(), p.fixture.dg_scores);
			if (process.env.PARITY_VERBOSE) console.log(`${set.name} D_g: max rel err ${err.toExponential(2)}`);
			expect(err).toBeLessThanOrEqual(1e-3);
			s.dispose();
		});

		it("matches D_l's score map of M ⊙ Î_HR, M from the landmarks by faceMask.ts (= the fixture's mask)", () => {
			if (!p.fixture.dl_scores) {
				expect(() => localDiscriminator(p.weights, outputs().sharp)).toThrow(/no local discriminator/);
				return;
			}
			const n = p.fixture.lr_shape[0];
			const masks = Array.from({ length: n }, (_, i) => {
				const m = faceRegionMask(p.fixture.landmarks!.slice(i * 136, (i + 1) * 136));
				const bits = Uint8Array.from(Buffer.from(p.fixture.mask_bits_base64![i], 'base64'));
				let differ = 0;
				for (let k = 0; k < m.length; k++) if (m[k] !== ((bits[k >> 3] >> (7 - (k & 7))) & 1)) differ++;
				expect(differ).toBe(0);
				return m;
			});
			const s = tf.tidy(() => {
				const mask = tf.tensor4d(Float32Array.from(masks.flatMap((m) => Array.from(m))), [n, 128, 128, 1]);
				return localDiscriminator(p.weights, tf.mul(outputs().sharp, mask) as tf.Tensor4D);
			});
			const err = maxRelErr(s.dataSync(), p.fixture.dl_scores);
			if (process.env.PARITY_VERBOSE) console.log(`${set.name} D_l: max rel err ${err.toExponential(2)}`);
			expect(err).toBeLessThanOrEqual(1e-3);
			s.dispose();
		});

		it('keeps tf.memory().numTensors flat over repeated calls', () => {
			const lr = tf.tidy(() => fixtureInput(p.fixture, 1).slice([0, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D); // one face: quicker
			const step = () => {
				const o = jointSr(p.weights, lr);
				tf.dispose([o.feature, o.sharp, ...(o.blurred ? [o.blurred] : [])]);
			};
			step();
			const before = tf.memory().numTensors;
			step();
			expect(tf.memory().numTensors).toBe(before);
			lr.dispose();
			if (out) tf.dispose([out.feature, out.sharp, ...(out.blurred ? [out.blurred] : [])]);
		});
	});
}
