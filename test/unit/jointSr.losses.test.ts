// Eq. 1–6 of paper 002 for one face (src/lib/jointSr/losses.ts) on hand-made cases: a perfect output
// has zero pixel and perceptual terms; discriminators whose score map is a known constant give Eq. 1–3
// and the generator's adversarial term by hand; a known pixel offset gives Eq. 4's terms; the model
// without D_l or without the blurred branch reports those terms as null; Eq. 6 adds up with λ1, λ2.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR } from '../../src/lib/eval/faceFeatures';
import { disposeFaceNetWeights, loadFaceNetWeights, type FaceNetWeights } from '../../src/lib/eval/faceNet';
import { jointSrLosses, type LossInputs } from '../../src/lib/jointSr/losses';
import { globalDiscriminator, jointSr, type JointSrOutputs } from '../../src/models/jointSr';
import type { NamedWeights } from '../../src/models/weights';
import { tinyJointSrWeights } from './jointSrWeights';
import { folderFetch } from './shippedModels';

let faceNet: FaceNetWeights;
let hr: tf.Tensor4D;
let blurredHr: tf.Tensor4D;
let lr: tf.Tensor4D;
const made: tf.Tensor[] = [];
const keep = <T extends tf.Tensor>(t: T) => (made.push(t), t);

// 64 px faces (8 px LR) keep the CPU test quick; the losses take any side the discriminators accept.
/** Square mask over the central 32×32 (a quarter of the image). */
const mask = new Float32Array(64 * 64);
for (let i = 16; i < 48; i++) for (let j = 16; j < 48; j++) mask[i * 64 + j] = 1;

/** Weights whose D_g and D_l score maps are constants cg, cl (out conv zero, bias c). */
function constantD(w: NamedWeights, cg: number, cl: number | null): NamedWeights {
	const out: NamedWeights = { ...w, 'dg/out/w': keep(tf.zerosLike(w['dg/out/w'])), 'dg/out/b': keep(tf.fill([1], cg)) };
	if (cl !== null) Object.assign(out, { 'dl/out/w': keep(tf.zerosLike(w['dl/out/w'])), 'dl/out/b': keep(tf.fill([1], cl)) });
	return out;
}

const base = (weights: NamedWeights, outputs: JointSrOutputs): LossInputs => ({
	weights,
	outputs,
	hr,
	blurredHr,
	mask,
	faceNet,
	perceptual: { layers: ['conv32'], scale: 0.5 },
	lambda1: 100,
	lambda2: 10
});

beforeAll(async () => {
	await tf.setBackend('cpu');
	faceNet = await loadFaceNetWeights('', folderFetch(DEFAULT_MODEL_DIR));
	hr = keep(tf.randomUniform([1, 64, 64, 3], -0.8, 0.8, 'float32', 2) as tf.Tensor4D);
	blurredHr = keep(tf.randomUniform([1, 64, 64, 3], -0.8, 0.8, 'float32', 3) as tf.Tensor4D);
	lr = keep(tf.randomUniform([1, 8, 8, 3], -1, 1, 'float32', 4) as tf.Tensor4D);
}, 120_000);
afterAll(() => {
	disposeFaceNetWeights(faceNet);
	tf.dispose(made);
});

describe('jointSrLosses', () => {
	it('a perfect output has zero pixel and perceptual terms; constant D scores give Eq. 1–3 by hand', async () => {
		const w = constantD(keepAll(tinyJointSrWeights()), 0.3, 0.8);
		const feature = keep(tf.zerosLike(hr) as tf.Tensor4D);
		const L = await jointSrLosses(base(w, { feature, blurred: blurredHr, sharp: hr }));
		expect(L.eq4).toEqual({ masked: 0, sharp: 0, blurred: 0, total: 0 });
		expect(L.eq5.total).toBe(0);
		expect(L.eq5.layers.map((l) => l.layer)).toEqual(['conv32']);
		expect(L.eq1.real).toBeCloseTo(0.3, 6);
		expect(L.eq1.fake).toBeCloseTo(0.3, 6);
		expect(L.eq1.value).toBeCloseTo(0.49 + 0.09, 6);
		expect(L.eq2!.value).toBeCloseTo(0.04 + 0.64, 6);
		expect(L.eq3).toBeCloseTo(0.58 + 0.68, 6);
		expect(L.generatorAdversarial.global).toBeCloseTo(0.49, 6);
		expect(L.generatorAdversarial.local).toBeCloseTo(0.04, 6);
		expect(L.eq6.generator).toBeCloseTo(0.53, 6);
		expect(L.eq6.asWritten).toBeCloseTo(1.26, 6);
	});

	it('a known offset gives Eq. 4 term by term, masked by M; Eq. 6 = adversarial + λ1·Eq. 4 + λ2·Eq. 5', async () => {
		const w = constantD(keepAll(tinyJointSrWeights()), 0.3, 0.8);
		const sharp = keep(tf.add(hr, 0.1) as tf.Tensor4D);
		const blurred = keep(tf.sub(blurredHr, 0.2) as tf.Tensor4D);
		const L = await jointSrLosses({ ...base(w, { feature: keep(tf.zerosLike(hr) as tf.Tensor4D), blurred, sharp }), perceptual: { layers: ['conv32', 'conv64'], scale: 0.5 } });
		expect(L.eq4.sharp).toBeCloseTo(0.1, 5);
		expect(L.eq4.masked).toBeCloseTo(0.1 / 4, 5); // the mask covers a quarter of the pixels
		expect(L.eq4.blurred).toBeCloseTo(0.2, 5);
		expect(L.eq4.total).toBeCloseTo(0.325, 5);
		expect(L.eq5.total).toBeGreaterThan(0);
		expect(L.eq5.total).toBeCloseTo(L.eq5.layers[0].value + L.eq5.layers[1].value, 6);
		expect(L.eq6.generator).toBeCloseTo(0.53 + 100 * L.eq4.total + 10 * L.eq5.total, 4);
		expect(L.eq6.asWritten).toBeCloseTo(1.26 + 100 * L.eq4.total + 10 * L.eq5.total, 4);
	});

	it('squares the score map\'s mean, as training does (train/joint_sr/model.py PatchD.forward + lsgan_d/lsgan_g)', async () => {
		const w = keepAll(tinyJointSrWeights({ seed: 9 }));
		const o = jointSr(w, lr);
		keepAll({ feature: o.feature, blurred: o.blurred!, sharp: o.sharp });
		const L = await jointSrLosses(base(w, o));
		const fakeMap = Array.from(globalDiscriminator(w, o.feature, o.sharp).dataSync());
		const realMap = Array.from(globalDiscriminator(w, o.feature, hr).dataSync());
		const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
		expect(L.eq1.fake).toBeCloseTo(mean(fakeMap), 6);
		expect(L.eq1.fakeTerm).toBeCloseTo(mean(fakeMap) ** 2, 6);
		expect(L.eq1.realTerm).toBeCloseTo((mean(realMap) - 1) ** 2, 6);
		expect(L.generatorAdversarial.global).toBeCloseTo((mean(fakeMap) - 1) ** 2, 6);
		// the map is not constant, so the per-location reading would differ: the test tells them apart
		expect(Math.abs(L.eq1.fakeTerm - mean(fakeMap.map((x) => x * x)))).toBeGreaterThan(1e-6);
	});

	it('reports Eq. 2 and the local term as null without D_l, and the blurred L1 as null without the branch', async () => {
		const w = constantD(keepAll(tinyJointSrWeights({ blurBranch: false, localD: false })), 0.3, null);
		const o = jointSr(w, lr);
		keepAll({ feature: o.feature, sharp: o.sharp });
		const one = base(w, o);
		await jointSrLosses(one);
		const before = tf.memory().numTensors;
		const L = await jointSrLosses(one);
		expect(tf.memory().numTensors).toBe(before); // nothing leaked
		expect(L.eq2).toBeNull();
		expect(L.generatorAdversarial.local).toBeNull();
		expect(L.eq3).toBeCloseTo(0.58, 6);
		expect(L.eq4.blurred).toBeNull();
		expect(L.eq4.total).toBeCloseTo(L.eq4.masked + L.eq4.sharp, 6);
	});

	it('refuses a mask of the wrong size', async () => {
		const w = keepAll(tinyJointSrWeights());
		const o = { feature: keep(tf.zerosLike(hr) as tf.Tensor4D), blurred: blurredHr, sharp: hr };
		await expect(jointSrLosses({ ...base(w, o), mask: new Float32Array(128 * 128) })).rejects.toThrow(/mask has 16384 values, expected 64·64/);
	});
});

function keepAll<T extends Record<string, tf.Tensor>>(w: T): T {
	made.push(...Object.values(w));
	return w;
}
