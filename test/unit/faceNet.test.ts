// The tfjs twin of face-api's face-recognition net (src/lib/eval/faceNet.ts) against face-api's own
// FaceRecognitionNet, loaded the way the FID-proxy loads it (src/lib/eval/faceFeatures.ts), on the
// synthetic faces of test/fixtures/face-net-descriptors.json (faceNetFixture.ts). The
// stored descriptors are re-checked here too: train/tests/test_face_net.py compares PyTorch with them.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MODEL_DIR, loadFaceFeatureExtractor } from '../../src/lib/eval/faceFeatures';
import {
	disposeFaceNetWeights,
	FACE_NET_CHANNELS,
	FACE_NET_LAYERS,
	faceNetDescriptor,
	faceNetFeatures,
	faceNetFeatureSize,
	loadFaceNetWeights,
	type FaceNetWeights
} from '../../src/lib/eval/faceNet';
import { faceApiDescriptor, FIXTURE, type FaceNetFixture } from './faceNetFixture';
import { folderFetch } from './shippedModels';

const fixture: FaceNetFixture = JSON.parse(readFileSync(fileURLToPath(FIXTURE), 'utf8'));
const faces = fixture.images.map((im) => ({ ...im, rgb: new Uint8Array(Buffer.from(im.rgb_base64, 'base64')) }));
/** uint8 HWC → [1, H, W, 3] in [-1, 1] (what an SR net outputs). */
const toSigned = (f: (typeof faces)[number]) => tf.tidy(() => tf.tensor4d(f.rgb, [1, f.height, f.width, 3], 'float32').div(127.5).sub(1) as tf.Tensor4D);
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
/** face-api's own descriptor of each fixture face, computed now. */
let faceApiNow: Float32Array[];
beforeAll(async () => {
	await loadFaceFeatureExtractor({ backend: 'cpu' }); // face-api's net, on tfjs cpu
	weights = await loadFaceNetWeights('', folderFetch(DEFAULT_MODEL_DIR));
	faceApiNow = [];
	for (const f of faces) faceApiNow.push(await faceApiDescriptor(f.width, f.height, f.rgb));
}, 180_000);
afterAll(() => disposeFaceNetWeights(weights));

describe("face net twin equals face-api's FaceRecognitionNet", () => {
	it('the fixture descriptors are what face-api gives now', async () => {
		expect(faces.map((f) => [f.width, f.height])).toEqual([[32, 32], [36, 27], [22, 31]]);
		faceApiNow.forEach((now, i) => expect(relErr(now, fixture.descriptors[i])).toBeLessThan(1e-6));
	});

	it('descriptors on square and padded faces, rel err < 1e-4', async () => {
		for (const [i, f] of faces.entries()) {
			const x = toSigned(f);
			const d = faceNetDescriptor(weights, x);
			expect(d.shape).toEqual([1, 128]);
			const err = relErr(await d.data(), faceApiNow[i]);
			expect(err, `${f.width}×${f.height}`).toBeLessThan(1e-4);
			tf.dispose([x, d]);
		}
	});

	it('a batch equals the FID-proxy extractor (faceFeatures.describe) on square faces', async () => {
		const sq = faces[0];
		const second = { ...sq, rgb: sq.rgb.map((v) => 255 - v) };
		const extractor = await loadFaceFeatureExtractor();
		const ref = await extractor.describe([sq, second].map((f) => ({ width: f.width, height: f.height, data: f.rgb })));
		const x = tf.concat([toSigned(sq), toSigned(second)]) as tf.Tensor4D;
		const d = faceNetDescriptor(weights, x);
		expect(relErr(await d.data(), ref)).toBeLessThan(1e-4);
		tf.dispose([x, d]);
	});
});

describe('face net features', () => {
	it('have the documented shapes at 64 and 128 px', () => {
		for (const [side, sides] of [[64, [14, 7, 3, 1]], [128, [30, 15, 7, 3, 1]]] as const) {
			const layers = FACE_NET_LAYERS.slice(0, sides.length);
			const x = tf.randomUniform([2, side, side, 3], -1, 1) as tf.Tensor4D;
			const maps = faceNetFeatures(weights, x, layers);
			expect(Object.keys(maps)).toEqual([...layers]);
			layers.forEach((l, i) => {
				expect(maps[l]!.shape, `${side} ${l}`).toEqual([2, sides[i], sides[i], FACE_NET_CHANNELS[l]]);
				expect(faceNetFeatureSize(side, l)).toBe(sides[i]);
			});
			tf.dispose([x, ...Object.values(maps)]);
		}
		const small = tf.zeros([1, 64, 64, 3]) as tf.Tensor4D;
		expect(() => faceNetFeatures(weights, small, ['conv256_out'])).toThrow(/too small/);
		small.dispose();
	});

	it('at 150 px, the pooled last map times fc is the descriptor', () => {
		const x = tf.randomUniform([1, 150, 150, 3], -1, 1, 'float32', 3) as tf.Tensor4D;
		const { conv256_out } = faceNetFeatures(weights, x, ['conv256_out']);
		const viaFeatures = tf.matMul(tf.mean(conv256_out!, [1, 2]) as tf.Tensor2D, weights.fc);
		const d = faceNetDescriptor(weights, x);
		expect(relErr(viaFeatures.dataSync(), d.dataSync())).toBeLessThan(1e-6);
		tf.dispose([x, conv256_out!, viaFeatures, d]);
	});

	it('backpropagate to the input (a content loss descends)', () => {
		const x = tf.randomUniform([1, 64, 64, 3], -1, 1, 'float32', 5) as tf.Tensor4D;
		const target = faceNetFeatures(weights, tf.zerosLike(x), ['conv64', 'conv128']);
		const loss = (y: tf.Tensor) =>
			tf.tidy(() => {
				const f = faceNetFeatures(weights, y as tf.Tensor4D, ['conv64', 'conv128']);
				return tf.addN((['conv64', 'conv128'] as const).map((l) => tf.mean(tf.squaredDifference(f[l]!, target[l]!)))) as tf.Scalar;
			});
		const g = tf.grad(loss)(x);
		const gAbs = g.abs().max().dataSync()[0];
		expect(Number.isFinite(gAbs) && gAbs > 0).toBe(true);
		const stepped = tf.tidy(() => x.sub(g.mul(0.05 / gAbs)) as tf.Tensor4D);
		expect(loss(stepped).dataSync()[0]).toBeLessThan(loss(x).dataSync()[0]);
		tf.dispose([x, g, stepped, ...Object.values(target)]);
	});
});
