// Writes test/fixtures/face-net-descriptors.json: a few small synthetic faces (seeded shapes and
// noise, never dataset images) and the 128-D descriptors face-api's own FaceRecognitionNet gives
// them (tfjs cpu backend). The tfjs twin (test/unit/faceNet.test.ts) and the PyTorch module
// (train/tests/test_face_net.py) are checked against it; the unit test also re-runs face-api on
// the stored images, so a changed face-api or tfjs shows up there.
//
//   node scripts/face-net-fixture.js      (runs main() below)
//
// Sizes are not 150 px and two are not square, so face-api's pad-to-square (centred, black) and
// its legacy bilinear resize are part of what is compared.

import { writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { loadFaceFeatureExtractor } from '../../src/lib/eval/faceFeatures';
import { createRng } from '../../src/lib/image/rng';

export const FIXTURE = new URL('../fixtures/face-net-descriptors.json', import.meta.url);
/** [width, height]: square upscale; wide, odd pad (9 px: 4 before, 5 after); tall, odd pad. */
const SIZES: [number, number][] = [
	[32, 32],
	[36, 27],
	[22, 31]
];

/** A crude seeded face: skin oval, eyes, brows, mouth, over a smooth background, plus noise. */
function syntheticFace(w: number, h: number, seed: number): Uint8Array {
	const rng = createRng(seed);
	const skin = [170 + 60 * rng.uniform(), 120 + 50 * rng.uniform(), 90 + 50 * rng.uniform()];
	const bg = [255 * rng.uniform(), 255 * rng.uniform(), 255 * rng.uniform()];
	const s = Math.min(w, h);
	const cx = w / 2 + (rng.uniform() - 0.5) * 0.1 * s;
	const cy = h / 2 + (rng.uniform() - 0.5) * 0.1 * s;
	const eyeDx = s * (0.15 + 0.05 * rng.uniform());
	const eyeY = cy - s * 0.1;
	const mouthY = cy + s * (0.2 + 0.05 * rng.uniform());
	const out = new Uint8Array(w * h * 3);
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) {
			const inFace = ((x - cx) / (0.36 * s)) ** 2 + ((y - cy) / (0.46 * s)) ** 2 < 1;
			const eye = Math.min(Math.hypot(x - cx + eyeDx, y - eyeY), Math.hypot(x - cx - eyeDx, y - eyeY)) < s * 0.06;
			const brow = Math.abs(y - (eyeY - s * 0.09)) < s * 0.025 && Math.abs(Math.abs(x - cx) - eyeDx) < s * 0.09;
			const mouth = Math.abs(y - mouthY) < s * 0.035 && Math.abs(x - cx) < s * 0.14;
			const shade = 1 - 0.3 * (y / h);
			for (let c = 0; c < 3; c++) {
				let v = inFace ? skin[c] * shade : bg[c] * (0.6 + 0.4 * x / w);
				if (inFace && (eye || brow)) v = 40;
				if (inFace && mouth) v = c === 0 ? 150 : 60;
				v += 12 * rng.normal();
				out[(y * w + x) * 3 + c] = Math.max(0, Math.min(255, Math.round(v)));
			}
		}
	return out;
}

export interface FaceNetFixture {
	about: string;
	images: { width: number; height: number; rgb_base64: string }[];
	descriptors: number[][];
}

/** face-api's own descriptor of one uint8 image (its toNetInput pads and resizes). */
export async function faceApiDescriptor(width: number, height: number, rgb: Uint8Array): Promise<Float32Array> {
	await loadFaceFeatureExtractor({ backend: 'cpu' }); // loads face-api's faceRecognitionNet from node_modules
	const require = createRequire(import.meta.url);
	const net = require('@vladmandic/face-api/dist/face-api.node-wasm.js').nets.faceRecognitionNet;
	const input = tf.tidy(() => tf.tensor3d(rgb, [height, width, 3], 'int32').toFloat());
	try {
		return (await net.computeFaceDescriptor(input)) as Float32Array;
	} finally {
		input.dispose();
	}
}

export async function main(): Promise<number> {
	const fixture: FaceNetFixture = {
		about: 'node scripts/face-net-fixture.js (test/unit/faceNetFixture.ts): synthetic faces (seeds 1..) and face-api FaceRecognitionNet descriptors, tfjs cpu backend',
		images: [],
		descriptors: []
	};
	for (const [i, [w, h]] of SIZES.entries()) {
		const rgb = syntheticFace(w, h, i + 1);
		fixture.images.push({ width: w, height: h, rgb_base64: Buffer.from(rgb).toString('base64') });
		fixture.descriptors.push(Array.from(await faceApiDescriptor(w, h, rgb), (v) => Number(v.toPrecision(9))));
	}
	writeFileSync(FIXTURE, JSON.stringify(fixture) + '\n');
	console.log(`wrote ${FIXTURE.pathname} (${fixture.images.length} faces, backend ${tf.getBackend()})`);
	return 0;
}
