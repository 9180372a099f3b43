// The live GAN's training step (src/lib/gan): the fade-in α schedule, the WGAN-GP gradient
// penalty against finite differences (its value, and its gradient w.r.t. a critic weight, which
// needs tfjs's second-order gradients), finite losses, and a snapshot that resumes exactly.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng } from '../../src/lib/image/rng';
import { phaseAt, phaseCount, totalSteps } from '../../src/lib/gan/schedule';
import { createNets, discriminate, disposeNets, generate, type GanShape } from '../../src/lib/gan/nets';
import { gradientPenalty, inputGradientNorms } from '../../src/lib/gan/wgangp';
import { down2, lrelu } from '../../src/lib/gan/layers';
import { GanTrainer } from '../../src/lib/gan/trainer';
import { tinyOptions } from './ganFixtures';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

describe('fade-in schedule', () => {
	const s = { levels: [4, 8, 16], stepsPerPhase: 10 };
	it('has one phase at 4 px, then a fade and a stabilise phase per level', () => {
		expect(phaseCount(s)).toBe(5);
		expect(totalSteps(s)).toBe(50);
	});
	it('α rises linearly from 0 during a fade and is 1 otherwise', () => {
		expect(phaseAt(0, s)).toMatchObject({ level: 4, alpha: 1, fading: false });
		expect(phaseAt(9, s)).toMatchObject({ level: 4, alpha: 1 });
		expect(phaseAt(10, s)).toMatchObject({ level: 8, alpha: 0, fading: true });
		expect(phaseAt(15, s).alpha).toBeCloseTo(0.5, 12);
		expect(phaseAt(19, s).alpha).toBeCloseTo(0.9, 12);
		expect(phaseAt(20, s)).toMatchObject({ level: 8, alpha: 1, fading: false });
		expect(phaseAt(33, s)).toMatchObject({ level: 16, fading: true });
		expect(phaseAt(33, s).alpha).toBeCloseTo(0.3, 12);
		expect(phaseAt(49, s)).toMatchObject({ level: 16, alpha: 1 });
		// past the schedule it stays at the last resolution
		expect(phaseAt(500, s)).toMatchObject({ level: 16, alpha: 1, fading: false });
	});
	it('α never decreases within a level and the level never shrinks', () => {
		for (let t = 1; t < 60; t++) {
			const a = phaseAt(t - 1, s);
			const b = phaseAt(t, s);
			expect(b.level).toBeGreaterThanOrEqual(a.level);
			if (b.level === a.level) expect(b.alpha).toBeGreaterThanOrEqual(a.alpha);
		}
	});
});

describe('layers', () => {
	it('lrelu written as a·x + b·|x| is the leaky ReLU', () => {
		const x = tf.tensor1d([-2, -0.5, 0, 0.5, 3]);
		expect(Array.from(lrelu(x).dataSync())).toEqual(Array.from(tf.leakyRelu(x, 0.2).dataSync()).map((v) => expect.closeTo(v, 6)));
	});
	it('down2 by reshapes and sums equals 2×2 average pooling', () => {
		const x = tf.tensor4d(createRng(6).fillNormal(new Float32Array(2 * 4 * 6 * 3)), [2, 4, 6, 3]);
		const ours = down2(x);
		expect(ours.shape).toEqual([2, 2, 3, 3]);
		const ref = tf.avgPool(x, 2, 2, 'valid').dataSync();
		ours.dataSync().forEach((v, i) => expect(v).toBeCloseTo(ref[i], 6));
	});
});

describe('gradient penalty', () => {
	const shape: GanShape = { levels: [4, 8], channels: 2, latent: 3 };

	it('‖∇x D‖ matches central finite differences, and so does the penalty', () => {
		const nets = createNets(shape, 9);
		const x = tf.tensor4d(createRng(2).fillNormal(new Float32Array(2 * 8 * 8 * 3)), [2, 8, 8, 3]);
		const critic = (im: tf.Tensor4D) => discriminate(nets, im, 8, 0.4);
		const analytic = inputGradientNorms(critic, x).dataSync();
		const base = x.dataSync();
		const h = 1e-2;
		const fdNorms = [0, 0];
		for (let i = 0; i < base.length; i++) {
			const score = (d: number) => {
				const b = base.slice();
				b[i] += d;
				return tf.tidy(() => critic(tf.tensor4d(b, [2, 8, 8, 3])).dataSync());
			};
			const n = Math.floor(i / (8 * 8 * 3));
			const g = (score(h)[n] - score(-h)[n]) / (2 * h);
			fdNorms[n] += g * g;
		}
		fdNorms.forEach((s, n) => expect(analytic[n]).toBeCloseTo(Math.sqrt(s), 2));
		const gp = gradientPenalty(critic, x).dataSync()[0];
		const fdGp = fdNorms.reduce((a, s) => a + (Math.sqrt(s) - 1) ** 2, 0) / 2;
		expect(Math.abs(gp - fdGp) / fdGp).toBeLessThan(1e-3);
		disposeNets(nets);
	});

	it('its gradient w.r.t. a critic weight (a gradient of a gradient) matches finite differences', () => {
		const nets = createNets(shape, 4);
		const x = tf.tensor4d(createRng(8).fillNormal(new Float32Array(2 * 8 * 8 * 3)), [2, 8, 8, 3]);
		const critic = (im: tf.Tensor4D) => discriminate(nets, im, 8, 0.6);
		for (const name of ['8/conv1/w', '8/fromrgb/w', '4/fromrgb/w', '4/dense/w']) {
			const v = nets.d[name];
			const { grads, value } = tf.variableGrads(() => gradientPenalty(critic, x), [v]);
			const gradient = grads[v.name].dataSync();
			const orig = v.dataSync().slice();
			const probe = [0, Math.floor(orig.length / 2)];
			for (const i of probe) {
				const at = (d: number) => {
					const w = orig.slice();
					w[i] += d;
					v.assign(tf.tensor(w, v.shape));
					return tf.tidy(() => gradientPenalty(critic, x).dataSync()[0]);
				};
				// the critic is piecewise linear: a step of 1e-2 crosses kinks of |x|, 1e-4 drowns in float32 noise
				const h = 1e-3;
				const fd = (at(h) - at(-h)) / (2 * h);
				v.assign(tf.tensor(orig, v.shape));
				expect(Math.abs(gradient[i] - fd), `${name}[${i}]: ${gradient[i]} vs ${fd}`).toBeLessThan(0.02 * Math.abs(fd) + 5e-5);
			}
			tf.dispose([value, ...Object.values(grads)]);
		}
		disposeNets(nets);
	});
});

describe('training step', () => {
	it('runs the schedule to its end with finite losses, growing 4 → 8 px', async () => {
		const t = new GanTrainer(tinyOptions());
		const { ran } = await t.train(100);
		expect(ran).toBe(12);
		expect(t.stepCount).toBe(t.total);
		const log = t.lossLog();
		expect(log.length).toBe(12 * 4);
		expect(log.every(Number.isFinite)).toBe(true);
		// the penalty is a squared distance, the losses are not all equal
		for (let s = 0; s < 12; s++) expect(log[s * 4 + 3]).toBeGreaterThanOrEqual(0);
		expect(new Set(log).size).toBeGreaterThan(10);
		const samples = await t.samples();
		expect(samples.images).toHaveLength(2);
		expect(samples.images[0].width).toBe(8);
		t.dispose();
	});

	it('moves the generator: its samples change with training', async () => {
		const t = new GanTrainer(tinyOptions());
		const before = (await t.samples()).images[0].data.slice();
		await t.train(3);
		const after = (await t.samples()).images[0].data;
		expect(after.some((v, i) => Math.abs(v - before[i]) > 1e-4)).toBe(true);
		t.dispose();
	});

	it('a snapshot restored into a fresh trainer continues exactly as the original', async () => {
		const a = new GanTrainer(tinyOptions());
		await a.train(5);
		const snap = await a.snapshot();
		await a.train(3);
		const b = new GanTrainer(tinyOptions());
		b.restore(snap);
		await b.train(3);
		expect(b.stepCount).toBe(8);
		expect(Array.from(b.lossLog())).toEqual(Array.from(a.lossLog()));
		expect((await b.samples()).images[1].data).toEqual((await a.samples()).images[1].data);
		a.dispose();
		b.dispose();
	});

	it('stops between steps when its signal aborts', async () => {
		const t = new GanTrainer(tinyOptions());
		const ctl = new AbortController();
		ctl.abort();
		expect((await t.train(5, { signal: ctl.signal })).ran).toBe(0);
		t.dispose();
	});

	it('generates at every level and α without error', () => {
		const nets = createNets({ levels: [4, 8, 16], channels: 2, latent: 3 }, 1);
		const z = tf.randomNormal([2, 3]) as tf.Tensor2D;
		expect(generate(nets, z, 16, 0.5).shape).toEqual([2, 16, 16, 3]);
		expect(discriminate(nets, generate(nets, z, 4), 4).shape).toEqual([2, 1]);
		disposeNets(nets);
	});
});
