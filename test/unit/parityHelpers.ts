// Shared helpers for the parity tests of the tfjs twins (progan, degrader, low2high, progressive SR, heatmaps).
import * as tf from '@tensorflow/tfjs';
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ModelJson, NamedWeights } from '../../src/models/weights';
import { loadWeightsFromDir } from '../../src/models/weights-node';

export interface Case {
	samples: number[];
	crop: { y: number; x: number; h: number; w: number };
	values: number[];
}
export interface Stats {
	mean: number;
	std: number;
	min: number;
	max: number;
}

/** The fixture's 16x16 uint8 faces -> [-1,1], nearest x4 -> HR [N,64,64,3]. */
export function fixtureInput(fx: { lr_u8_base64: string; lr_shape: number[] }, up: number): tf.Tensor4D {
	const bytes = Uint8Array.from(Buffer.from(fx.lr_u8_base64, 'base64'));
	const [n, h, w, c] = fx.lr_shape;
	return tf.tidy(() => {
		const x = tf.sub(tf.div(tf.tensor4d(Float32Array.from(bytes), [n, h, w, c]), 127.5), 1) as tf.Tensor4D;
		return up > 1 ? tf.image.resizeNearestNeighbor(x, [h * up, w * up]) : x;
	});
}

export function maxRelErr(actual: ArrayLike<number>, expected: ArrayLike<number>): number {
	let diff = 0;
	let scale = 0;
	for (let i = 0; i < expected.length; i++) {
		diff = Math.max(diff, Math.abs(actual[i] - expected[i]));
		scale = Math.max(scale, Math.abs(expected[i]));
	}
	return diff / Math.max(scale, 1e-6);
}

export function cropValues(full: number[][][][], c: Case): number[] {
	const got: number[] = [];
	for (const s of c.samples)
		for (let y = c.crop.y; y < c.crop.y + c.crop.h; y++)
			for (let x = c.crop.x; x < c.crop.x + c.crop.w; x++) got.push(...full[s][y][x]);
	return got;
}

export function checkStats(img: tf.Tensor4D, stats: Stats[]): void {
	stats.forEach((st, s) => {
		const im = img.slice([s, 0, 0, 0], [1, -1, -1, -1]);
		const m = tf.moments(im);
		const got = [m.mean.dataSync()[0], Math.sqrt(m.variance.dataSync()[0]), im.min().dataSync()[0], im.max().dataSync()[0]];
		const want = [st.mean, st.std, st.min, st.max];
		const scale = Math.max(Math.abs(st.min), Math.abs(st.max));
		got.forEach((g, k) => expect(Math.abs(g - want[k])).toBeLessThanOrEqual(1e-3 * scale));
		tf.dispose([im, m.mean, m.variance]);
	});
}


/**
 * A parity fixture (read now) and the exported weights it was made from (loaded before the
 * suite's tests; call inside a describe), with the test that they belong together (same shard integrity).
 */
export function parityFixture<F extends { weights_integrity: ModelJson['integrity'] }>(fixturePath: string, weightsDir: string) {
	// the fixture at once (a suite may make one test per recorded case), the weights before the tests
	const loaded = { fixture: JSON.parse(readFileSync(resolve(fixturePath), 'utf8')) as F } as { fixture: F; weights: NamedWeights; modelJson: ModelJson };
	beforeAll(async () => {
		await tf.setBackend('cpu');
		({ weights: loaded.weights, modelJson: loaded.modelJson } = await loadWeightsFromDir(resolve(weightsDir)));
	});
	it('fixture was made from the shipped weights', () => {
		expect(loaded.fixture.weights_integrity).toEqual(loaded.modelJson.integrity);
	});
	return loaded;
}

export interface ParitySet {
	name: string;
	dir: string;
	fixture: string;
}

/**
 * The exports a parity test checks: the shipped `names` (static/weights/<name> with
 * test/fixtures/<name>-parity.json), or "dir:fixture,dir:fixture" from the environment variable
 * `envVar` (e.g. tiny exports).
 */
export function paritySets(envVar: string, names: string[]): ParitySet[] {
	const env = process.env[envVar];
	if (env)
		return env.split(',').map((s) => {
			const [dir, fixture] = s.split(':');
			return { name: basename(dir), dir, fixture };
		});
	return names.map((name) => ({ name, dir: `static/weights/${name}`, fixture: `test/fixtures/${name}-parity.json` }));
}

/** Describe a set's tests, or skip them by name while the net is not shipped yet (no export or no fixture). */
export function describeShipped(set: ParitySet, body: () => void): void {
	if (!existsSync(join(set.dir, 'model.json')) || !existsSync(set.fixture)) {
		describe.skip(`${set.name} tfjs twin (not shipped yet: no ${set.dir}/model.json or ${set.fixture})`, () => {
			it('matches PyTorch', () => {});
		});
		return;
	}
	describe(`${set.name} tfjs twin`, body);
}
