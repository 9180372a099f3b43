// The face net twin (src/lib/eval/faceNet.ts) on the page's active backend, for
// test/e2e/faceNet.test.js: descriptors of the fixture faces (test/fixtures/face-net-descriptors.json,
// passed in) and the input gradient of a feature (content) loss, compared there across backends.
// The weights load from /vendor/face-api (the test serves node_modules' copy there).

import * as tf from '@tensorflow/tfjs';
import { disposeFaceNetWeights, faceNetDescriptor, faceNetFeatures, loadFaceNetWeights } from '../src/lib/eval/faceNet';

export interface FaceNetCheckInput {
	images: { width: number; height: number; rgb_base64: string }[];
}

export async function faceNetCheck({ images }: FaceNetCheckInput): Promise<{ backend: string; descriptors: number[][]; gradient: number[] }> {
	const weights = await loadFaceNetWeights('/vendor/face-api');
	try {
		const descriptors: number[][] = [];
		for (const im of images) {
			const rgb = Uint8Array.from(atob(im.rgb_base64), (c) => c.charCodeAt(0));
			const d = tf.tidy(() => faceNetDescriptor(weights, tf.tensor4d(rgb, [1, im.height, im.width, 3], 'float32').div(127.5).sub(1)));
			descriptors.push(Array.from(await d.data()));
			d.dispose();
		}
		// seeded in JS (seedrandom), so every backend gets the same input
		const x = tf.randomUniform([1, 64, 64, 3], -1, 1, 'float32', 11);
		const g = tf.grad((y) => {
			const f = faceNetFeatures(weights, y as tf.Tensor4D, ['conv64', 'conv128']);
			return tf.add(tf.mean(tf.square(f.conv64!)), tf.mean(tf.square(f.conv128!)));
		})(x);
		const gradient = Array.from(await g.data());
		tf.dispose([x, g]);
		return { backend: tf.getBackend(), descriptors, gradient };
	} finally {
		disposeFaceNetWeights(weights);
	}
}
