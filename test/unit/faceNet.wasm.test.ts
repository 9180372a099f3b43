// The face net twin (src/lib/eval/faceNet.ts) on tfjs's WebAssembly backend in Node: descriptors
// equal face-api's (the cpu-made fixture, test/fixtures/face-net-descriptors.json) and the input
// gradient of a feature loss equals the cpu backend's. WebGL/WebGPU only exist in a browser.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR, initNodeBackend } from '../../src/lib/eval/faceFeatures';
import { disposeFaceNetWeights, faceNetDescriptor, faceNetFeatures, loadFaceNetWeights, type FaceNetWeights } from '../../src/lib/eval/faceNet';
import { FIXTURE, type FaceNetFixture } from './faceNetFixture';
import { folderFetch } from './shippedModels';

const fixture: FaceNetFixture = JSON.parse(readFileSync(fileURLToPath(FIXTURE), 'utf8'));
const relErr = (a: ArrayLike<number>, b: ArrayLike<number>) => {
	let d = 0;
	let n = 0;
	for (let i = 0; i < b.length; i++) {
		d += (a[i] - b[i]) ** 2;
		n += b[i] ** 2;
	}
	return Math.sqrt(d / n);
};

let weights: FaceNetWeights;
beforeAll(async () => {
	expect(await initNodeBackend('wasm')).toBe('wasm');
	weights = await loadFaceNetWeights('', folderFetch(DEFAULT_MODEL_DIR));
}, 60_000);
afterAll(() => disposeFaceNetWeights(weights));

describe('face net twin on wasm', () => {
	it("descriptors equal face-api's", () => {
		expect(tf.getBackend()).toBe('wasm');
		fixture.images.forEach((im, i) => {
			const rgb = new Uint8Array(Buffer.from(im.rgb_base64, 'base64'));
			const d = tf.tidy(() => faceNetDescriptor(weights, tf.tensor4d(rgb, [1, im.height, im.width, 3], 'float32').div(127.5).sub(1)));
			expect(relErr(d.dataSync(), fixture.descriptors[i]), `${im.width}×${im.height}`).toBeLessThan(1e-4);
			d.dispose();
		});
	});

	it("a feature loss's input gradient equals cpu's", async () => {
		const grad = (backend: string) => {
			// wasm and cpu each hold their own copy of the weights and input
			const x = tf.tidy(() => tf.randomUniform([2, 64, 64, 3], -1, 1, 'float32', 11));
			const g = tf.grad((y) => {
				const f = faceNetFeatures(weights, y as tf.Tensor4D, ['conv64', 'conv128']);
				return tf.add(tf.mean(tf.square(f.conv64!)), tf.mean(tf.square(f.conv128!)));
			})(x);
			const out = { backend: tf.getBackend(), g: g.dataSync() };
			tf.dispose([x, g]);
			expect(out.backend).toBe(backend);
			return out.g;
		};
		const onWasm = grad('wasm');
		await tf.setBackend('cpu');
		try {
			const onCpu = grad('cpu');
			expect(relErr(onWasm, onCpu)).toBeLessThan(1e-4);
			expect(Math.max(...onCpu.map(Math.abs))).toBeGreaterThan(0);
		} finally {
			await tf.setBackend('wasm');
		}
	});
});
