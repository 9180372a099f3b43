// Parity of the tfjs heatmap student with PyTorch (DESIGN §4: max relative error <= 1e-3 in
// float32), its parameter count against the card, and no tensor leaks.
// Fixture: train/heatmaps/export.py (test/fixtures/heatmaps-parity.json).
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { heatmapParamCount, predictHeatmaps, studentHeatmaps } from '../../src/models/heatmaps';
import type { ModelJson, NamedWeights } from '../../src/models/weights';
import { loadWeightsFromDir } from '../../src/models/weights-node';
import { maxRelErr } from './parityHelpers';

const DIR = resolve(process.env.HEATMAPS_WEIGHTS_DIR ?? 'static/weights/heatmaps');
const FIXTURE = resolve(process.env.HEATMAPS_FIXTURE ?? 'test/fixtures/heatmaps-parity.json');

interface Fixture {
	weights_integrity: ModelJson['integrity'];
	input_shape: [number, number, number, number];
	input_u8_base64: string;
	crop: { y: number; x: number; h: number; w: number };
	values: number[];
	channel_max: number[];
	channel_argmax: number[][];
}

describe('heatmap student tfjs twin', () => {
	let weights: NamedWeights;
	let modelJson: ModelJson;
	let fx: Fixture;
	beforeAll(async () => {
		await tf.setBackend('cpu');
		fx = JSON.parse(readFileSync(FIXTURE, 'utf8'));
		({ weights, modelJson } = await loadWeightsFromDir(DIR));
	});

	it('fixture was made from the shipped weights; parameter count matches the card', () => {
		expect(fx.weights_integrity).toEqual(modelJson.integrity);
		const card = JSON.parse(readFileSync(join(DIR, 'card.json'), 'utf8'));
		expect(heatmapParamCount(weights)).toBe(card.architecture.parameters);
	});

	it('matches PyTorch on the fixture (max rel err <= 1e-3): centre crop, channel maxima and argmax', () => {
		const u8 = Uint8Array.from(Buffer.from(fx.input_u8_base64, 'base64'));
		const x = tf.tensor4d(Float32Array.from(u8, (v) => v / 127.5 - 1), fx.input_shape);
		const y = predictHeatmaps(weights, x);
		expect(y.shape).toEqual([2, 64, 64, 68]);
		const { y: cy, x: cx, h, w } = fx.crop;
		const crop = tf.slice(y, [0, cy, cx, 0], [-1, h, w, -1]);
		expect(maxRelErr(crop.dataSync(), fx.values)).toBeLessThanOrEqual(1e-3);
		const mx = tf.max(y, [1, 2]);
		expect(maxRelErr(mx.dataSync(), fx.channel_max)).toBeLessThanOrEqual(1e-3);
		// argmax may only differ where two pixels tie within float error: compare values there
		const flat = y.reshape([2, 64 * 64, 68]).arraySync() as number[][][];
		fx.channel_argmax.forEach((row, s) =>
			row.forEach((idx, c) => expect(Math.abs(flat[s][idx][c] - fx.channel_max[s * 68 + c])).toBeLessThanOrEqual(1e-3 * Math.abs(fx.channel_max[s * 68 + c]) + 1e-6))
		);
		tf.dispose([x, y, crop, mx]);
	});

	it('gives channel-major [68,64,64] maps for one RGB [0,1] face and keeps numTensors flat', async () => {
		const rgb = new Float32Array(64 * 64 * 3).fill(0.5);
		await studentHeatmaps(weights, rgb);
		const before = tf.memory().numTensors;
		const m = await studentHeatmaps(weights, rgb);
		expect(m.length).toBe(68 * 64 * 64);
		expect(tf.memory().numTensors).toBe(before);
	});

	it('rejects a wrong input size', () => {
		const x = tf.zeros([1, 32, 32, 3]) as tf.Tensor4D;
		expect(() => predictHeatmaps(weights, x)).toThrow(/faces must be \[N, 64, 64, 3\]/);
		x.dispose();
	});
});
