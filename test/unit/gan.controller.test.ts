// The live GAN's TrainController (src/notebooks/live-gan/trainController.ts) in Node: run, pause,
// save into the session history, and a new controller resuming from that history at the same
// step (or starting afresh, with a message, when the settings differ or the record is damaged).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { GanTrainer, type TrainerOptions } from '../../src/lib/gan/trainer';
import { runFingerprint, type CellHistory } from '../../src/lib/gan/persist';
import { totalSteps } from '../../src/lib/gan/schedule';
import { TrainController } from '../../src/notebooks/live-gan/trainController';
import type { TrainSession } from '../../src/notebooks/live-gan/train';
import { tinyOptions } from './ganFixtures';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

function session(o: TrainerOptions = tinyOptions()): TrainSession {
	return { options: o, total: totalSteps(o.schedule), fingerprint: runFingerprint({ seed: o.seed, lr: o.adam.learningRate }, o.faces.data), make: () => new GanTrainer(o), gpu: async (t) => t() };
}

const until = async (cond: () => boolean) => {
	for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 5));
	expect(cond()).toBe(true);
};

describe('TrainController', () => {
	it('runs to the end of the schedule, saves, and a reload resumes at the saved step', async () => {
		let saved: CellHistory = {};
		const s = session();
		const a = new TrainController(s, { cellId: 'train', onHistory: (h) => (saved = h) });
		await a.open();
		expect(a.state.ready).toBe(true);
		expect(a.state.samples?.images).toHaveLength(2);
		await a.advance(5);
		expect(a.state.step).toBe(5);
		expect(a.state.rate).toBeGreaterThan(0);
		a.start();
		await until(() => !a.state.running);
		expect(a.state.step).toBe(s.total);
		expect(a.state.notice).toMatch(/schedule is complete/);
		const losses = a.state.losses.slice();
		a.dispose();

		const b = new TrainController(session(), { cellId: 'train', history: saved, onHistory: () => {} });
		await b.open();
		expect(b.state.step).toBe(s.total);
		expect(b.state.notice).toMatch(new RegExp(`Resumed the saved run at step ${s.total}`));
		expect(Array.from(b.state.losses)).toEqual(Array.from(losses));
		b.dispose();
	});

	it('pauses between chunks and keeps the step it reached', async () => {
		const c = new TrainController(session(tinyOptions({ schedule: { levels: [4, 8], stepsPerPhase: 400 } })), { cellId: 'train' });
		await c.open();
		c.start();
		await until(() => c.state.step >= 2);
		c.pause();
		await until(() => !c.state.busy);
		const at = c.state.step;
		await new Promise((r) => setTimeout(r, 100));
		expect(c.state.step).toBe(at);
		expect(c.state.running).toBe(false);
		c.dispose();
	});

	it('starts afresh with a message when the saved run had other settings, or is damaged', async () => {
		let saved: CellHistory = {};
		const a = new TrainController(session(), { cellId: 'train', onHistory: (h) => (saved = h) });
		await a.open();
		await a.advance(3);
		a.pause();
		a.dispose();
		// a run of seed 1 is in the history (saved when opened); seed 99 is another run
		const other = new TrainController(session(tinyOptions({ seed: 99 })), { cellId: 'train', history: saved });
		await other.open();
		expect(other.state.step).toBe(0);
		expect(other.state.notice).toMatch(/other settings or faces; training starts afresh/);
		other.dispose();
		const damaged = { ...saved, 'train-gan-meta': new TextEncoder().encode('{"v":1,') };
		const d = new TrainController(session(), { cellId: 'train', history: damaged });
		await d.open();
		expect(d.state.step).toBe(0);
		expect(d.state.notice).toMatch(/could not be read/);
		d.dispose();
	});
});
