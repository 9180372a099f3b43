// The live GAN leaves tfjs memory flat: 2,000 training steps (critic update with the WGAN-GP
// penalty's second-order gradients, generator update, both Adams), through a fade-in into the
// next resolution, with samples and snapshots read along the way, end with the tensor count and
// bytes they had after the first chunk. Tiny nets on tfjs-cpu keep it to seconds.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, expect, it } from 'vitest';
import { GanTrainer } from '../../src/lib/gan/trainer';
import { randomFaces, tinyOptions } from './ganFixtures';

const STEPS = 2000;
const CHUNK = 100;

beforeAll(async () => {
	await tf.setBackend('cpu');
});

it(`numTensors and numBytes stay flat over ${STEPS} training steps`, { timeout: 180_000 }, async () => {
	const shape = { levels: [4, 8], channels: 2, latent: 3 };
	const t = new GanTrainer(tinyOptions({ shape, schedule: { levels: shape.levels, stepsPerPhase: 700 }, faces: randomFaces(8, 8), batch: 2 }));
	await t.train(CHUNK);
	await t.samples();
	await t.snapshot();
	const after1 = tf.memory();
	const levels = new Set<string>();
	while (t.stepCount < STEPS) {
		await t.train(CHUNK);
		levels.add(`${t.phase().level}${t.phase().fading ? ' fading' : ''}`);
		await t.samples();
		if (t.stepCount % 500 === 0) await t.snapshot();
	}
	const end = tf.memory();
	expect(t.stepCount).toBe(STEPS);
	expect([...levels]).toEqual(['4', '8 fading', '8']);
	expect(end.numTensors).toBe(after1.numTensors);
	expect(end.numBytes).toBe(after1.numBytes);
	expect(t.lossLog().every(Number.isFinite)).toBe(true);
	const before = end.numTensors;
	t.dispose();
	// everything the trainer held is released
	expect(tf.memory().numTensors).toBeLessThan(before);
});
