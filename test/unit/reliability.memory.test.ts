// Issue 8: 10,000 optimisation steps leave tfjs memory flat (numTensors and numBytes), so a long
// SR-NAM run in the browser never grows GPU memory. A tiny linear generator and an avg-pool
// degrader (test-only stand-ins) make 10,000 steps take seconds on tfjs-cpu; the engine's
// bookkeeping (Adam moments, Eq. 6 loss, noise, history, renders) is the real code.
// A leaky generator proves the probe would notice a single tensor left behind per step.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rgbImage, type RGBImage } from '../../src/lib/image/rgb';
import { createRng } from '../../src/lib/image/rng';
import { avgPoolDegrader, type DegraderFn, type GeneratorFn } from '../../src/lib/srnam/models';
import { createSearch, type SearchOptions } from '../../src/lib/srnam/search';
import { LATENT, NOISE, tinyNets, type TinyNets } from './tinyNets';

const STEPS = 10_000;
const CHUNK = 500;
let nets: TinyNets;
let generator: GeneratorFn;
let degrader: DegraderFn;
let lr: RGBImage;

beforeAll(async () => {
	await tf.setBackend('cpu');
	nets = tinyNets(11);
	({ generator, degrader } = nets);
	lr = rgbImage(2, 2, createRng(5).fillNormal(new Float32Array(12), 0.5, 0.1));
});
afterAll(() => nets.dispose());

const opts = (over: Partial<SearchOptions> = {}): SearchOptions => ({
	generator,
	degrader,
	lr,
	K: 2,
	seed: 1,
	latentDim: LATENT,
	noiseDim: NOISE,
	adam: { learningRate: 0.01 },
	noise: { mode: 'joint', seed: 3 },
	prior: { weight: 0.01 },
	historyEvery: 50,
	yieldBetweenSteps: false, // Node has no UI to keep responsive
	...over
});

describe('memory over long optimisations', () => {
	it(`${STEPS.toLocaleString('en')} SR-NAM steps: tf.memory() numTensors and numBytes stay flat`, async () => {
		const before = tf.memory();
		const s = createSearch(opts());
		await s.step(1); // first step allocates the Adam moments; after it nothing may grow
		const base = tf.memory();
		const samples: { step: number; numTensors: number; numBytes: number }[] = [];
		while (s.stepCount < STEPS) {
			const r = await s.step(Math.min(CHUNK, STEPS - s.stepCount));
			expect(r.aborted).toBe(false);
			// The UI renders and reads back between chunks; those must not leak either.
			if (s.stepCount % 2000 === 0) await s.snapshot();
			const m = tf.memory();
			samples.push({ step: s.stepCount, numTensors: m.numTensors, numBytes: m.numBytes });
		}
		expect(s.stepCount).toBe(STEPS);
		for (const x of samples) {
			if (x.numTensors !== base.numTensors || x.numBytes !== base.numBytes) {
				throw new Error(`memory grew by step ${x.step}: ${x.numTensors} tensors / ${x.numBytes} B, was ${base.numTensors} / ${base.numBytes}`);
			}
		}
		await s.serialise();
		await s.restore(STEPS / 2);
		expect(tf.memory().numTensors).toBe(base.numTensors);
		await s.dispose();
		expect(tf.memory().numTensors).toBe(before.numTensors);
		expect(tf.memory().numBytes).toBe(before.numBytes);
	});

	it('the probe is sensitive: one tensor leaked per step shows up', async () => {
		const leaked: tf.Tensor[] = [];
		const leaky: GeneratorFn = (z) => {
			leaked.push(tf.keep(tf.zeros([1])));
			return generator(z);
		};
		const s = createSearch(opts({ generator: leaky }));
		await s.step(1);
		const base = tf.memory();
		await s.step(100);
		expect(tf.memory().numTensors - base.numTensors).toBeGreaterThanOrEqual(100);
		expect(tf.memory().numBytes).toBeGreaterThan(base.numBytes);
		await s.dispose();
		tf.dispose(leaked);
	});
});
