// Compute side of the Live SR-NAM notebook in Node (cpu): the LR input from a ProGAN sample
// through the shipped degrader, from a face through area ×4, and a K = 2 search built by the
// search cell that runs and lowers its loss. Skipped without shipped degrader weights.
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rgbImage } from '../../src/lib/image/rgb';
import { srnamInput } from '../../src/notebooks/srnam/input';
import { srnamSearch } from '../../src/notebooks/srnam/search';
import { cellContext } from './cellContext';
import type { DegraderModel } from '../../src/cells/degraderModel';
import { shippedModel } from './shippedModels';
import type { ProganModel } from '../../src/cells/proganModel';
import { disposeWeights } from '../../src/models/weights';

const HAVE = existsSync('static/weights/degrader/model.json');
let model: ProganModel;
let degrader: DegraderModel;


describe.skipIf(!HAVE)('srnam cells (shipped ProGAN + degrader)', () => {
	beforeAll(async () => {
		await tf.setBackend('cpu');
		model = await shippedModel('progan');
		degrader = await shippedModel('degrader');
	});
	afterAll(() => {
		disposeWeights(model.weights);
		disposeWeights(degrader.weights);
	});

	it('input cell: ProGAN sample → degrader, deterministic; face → area ×4', async () => {
		const a = await srnamInput.compute(cellContext(srnamInput, { params: { source: 'progan', seed: 3 }, inputs: { model, degrader } }));
		const b = await srnamInput.compute(cellContext(srnamInput, { params: { source: 'progan', seed: 3 }, inputs: { model, degrader } }));
		expect([a.lr.width, a.lr.height, a.hr!.width]).toEqual([16, 16, 64]);
		expect(Array.from(a.lr.data)).toEqual(Array.from(b.lr.data));
		const hr64 = rgbImage(64, 64, new Float32Array(64 * 64 * 3).fill(0.25));
		const f = await srnamInput.compute(cellContext(srnamInput, { params: { source: 'face-area' }, inputs: { face: { hr64, hr128: hr64, label: 'flat', synthetic: true } } }));
		expect(f.lr.width).toBe(16);
		expect(f.lr.data[0]).toBeCloseTo(0.25, 6);
		// a real LR face: 128 → 16 by area, no HR to compare with
		const r = await srnamInput.compute(cellContext(srnamInput, { params: { source: 'face-lr' }, inputs: { face: { hr64, hr128: rgbImage(128, 128, new Float32Array(128 * 128 * 3).fill(0.5)), label: 'small', synthetic: false } } }));
		expect([r.lr.width, r.hr]).toEqual([16, undefined]);
	}, 120_000);

	it('search cell: K = 2 search from the cell runs and lowers the loss', async () => {
		const input = await srnamInput.compute(cellContext(srnamInput, { params: { source: 'progan', seed: 3 }, inputs: { model, degrader } }));
		const before = tf.memory().numTensors;
		const session = srnamSearch.compute(cellContext(srnamSearch, { params: { K: 2, lr: 0.05, budget: 10, seed: 1, noise: 'fixed' }, inputs: { model, degrader, input } }));
		expect(session.K).toBe(2);
		expect(session.eq7).toBeNull(); // no landmark networks given
		const s = session.make();
		// 2 Adam steps: the loss of step 1 (after one update) is already below step 0's for each restart
		await s.step(2);
		const l = s.history;
		for (let k = 0; k < 2; k++) expect(l.loss(1, k)).toBeLessThan(l.loss(0, k));
		await s.dispose();
		expect(tf.memory().numTensors).toBe(before);
	}, 300_000);
});
