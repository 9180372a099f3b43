// The tfjs joint-SR twin (src/models/jointSr.ts) on random weights of the contract's layout:
// shapes of the three outputs and both score maps, the wiring the paper describes (the lower
// decoder sees I_f; the noblur ablation has no upper decoder), clear errors, no leaks.
// Parity with PyTorch on trained weights: jointSr.parity.test.ts.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { globalDiscriminator, jointSr, jointSrInfo, localDiscriminator } from '../../src/models/jointSr';
import type { NamedWeights } from '../../src/models/weights';
import { tinyJointSrWeights } from './jointSrWeights';

let full: NamedWeights;
let noblur: NamedWeights;
const lr = () => tf.randomUniform([2, 16, 16, 3], -1, 1, 'float32', 5) as tf.Tensor4D;

beforeAll(async () => {
	await tf.setBackend('cpu');
	full = tinyJointSrWeights({ width: 4 });
	noblur = tinyJointSrWeights({ width: 4, blurBranch: false, localD: false, seed: 4 });
});
afterAll(() => tf.dispose([...Object.values(full), ...Object.values(noblur)]));

describe('jointSr', () => {
	it('maps a 16×16 LR to the 128×128 feature image and both branches, all in [-1, 1]', () => {
		const x = lr();
		const out = jointSr(full, x);
		for (const t of [out.feature, out.blurred!, out.sharp]) {
			expect(t.shape).toEqual([2, 128, 128, 3]);
			expect(t.max().dataSync()[0]).toBeLessThanOrEqual(1);
			expect(t.min().dataSync()[0]).toBeGreaterThanOrEqual(-1);
		}
		tf.dispose([x, out.feature, out.blurred!, out.sharp]);
	});

	it('gives blurred = null without the blurred branch', () => {
		const x = lr();
		const out = jointSr(noblur, x);
		expect(out.blurred).toBeNull();
		expect(out.sharp.shape).toEqual([2, 128, 128, 3]);
		tf.dispose([x, out.feature, out.sharp]);
	});

	it('feeds the upper decoder\'s last map I_f into the sharp output (changing u1 changes Î_HR, not I_LRf)', () => {
		const x = lr();
		const a = jointSr(full, x);
		const u1 = full['g/u1/b'];
		const bumped = { ...full, 'g/u1/b': tf.add(u1, 0.5) };
		const b = jointSr(bumped, x);
		expect(tf.max(tf.abs(tf.sub(a.feature, b.feature))).dataSync()[0]).toBe(0);
		expect(tf.max(tf.abs(tf.sub(a.sharp, b.sharp))).dataSync()[0]).toBeGreaterThan(1e-4);
		tf.dispose([x, a.feature, a.blurred!, a.sharp, b.feature, b.blurred!, b.sharp, bumped['g/u1/b']]);
	});

	it('reads the architecture from the weight shapes', () => {
		const i = jointSrInfo(full);
		expect(i).toMatchObject({ width: 4, blurBranch: true, localD: true, globalD: true });
		let n = 0;
		for (const [k, t] of Object.entries(full)) if (k.startsWith('g/')) n += t.size;
		expect(i.parameters).toBe(n);
		expect(jointSrInfo(noblur)).toMatchObject({ blurBranch: false, localD: false });
	});

	it('refuses weights of another model and wrong inputs with a clear message', () => {
		const srresnetLike = { 'g/head/w': tf.zeros([3, 3, 3, 8]) };
		expect(() => jointSrInfo(srresnetLike)).toThrow(/missing tensor g\/f1\/w/);
		// a noblur lower decoder with a blurred branch's fusion conv
		const mixed = { ...noblur, 'g/lf/w': full['g/lf/w'] };
		expect(() => jointSrInfo(mixed)).toThrow(/g\/lf takes 11 channels, expected 7/);
		const odd = tf.zeros([1, 15, 16, 3]) as tf.Tensor4D;
		expect(() => jointSr(full, odd)).toThrow(/even/);
		const gray = tf.zeros([1, 16, 16, 1]) as tf.Tensor4D;
		expect(() => jointSr(full, gray)).toThrow(/\[N, h, w, 3\]/);
		tf.dispose([srresnetLike['g/head/w'], odd, gray]);
	});
});

describe('discriminators', () => {
	it('score maps are [N, 8, 8, 1] for 128 px images; D_g depends on its condition I_LRf', () => {
		const x = lr();
		const out = jointSr(full, x);
		const dg = globalDiscriminator(full, out.feature, out.sharp);
		expect(dg.shape).toEqual([2, 8, 8, 1]);
		const zeros = tf.zerosLike(out.feature) as tf.Tensor4D;
		const dg0 = globalDiscriminator(full, zeros, out.sharp);
		expect(tf.max(tf.abs(tf.sub(dg, dg0))).dataSync()[0]).toBeGreaterThan(1e-5);
		const dl = localDiscriminator(full, out.sharp);
		expect(dl.shape).toEqual([2, 8, 8, 1]);
		tf.dispose([x, out.feature, out.blurred!, out.sharp, dg, dg0, dl, zeros]);
	});

	it('D_l throws for a model trained without it; D_g checks shapes', () => {
		const img = tf.zeros([1, 128, 128, 3]) as tf.Tensor4D;
		expect(() => localDiscriminator(noblur, img)).toThrow(/no local discriminator/);
		const small = tf.zeros([1, 64, 64, 3]) as tf.Tensor4D;
		expect(() => globalDiscriminator(full, img, small)).toThrow(/differ in shape/);
		tf.dispose([img, small]);
	});

	it('keeps tf.memory().numTensors flat over repeated calls', () => {
		const x = lr();
		const step = () => {
			const o = jointSr(full, x);
			const d = globalDiscriminator(full, o.feature, o.sharp);
			const l = localDiscriminator(full, o.sharp);
			tf.dispose([o.feature, o.blurred!, o.sharp, d, l]);
		};
		step();
		const before = tf.memory().numTensors;
		for (let i = 0; i < 2; i++) step();
		expect(tf.memory().numTensors).toBe(before);
		x.dispose();
	});
});
