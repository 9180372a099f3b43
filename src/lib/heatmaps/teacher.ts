// The heatmap teacher in the browser: face-api's 68-point landmark net (the same net that
// scripts/cache-landmarks.ts runs in Node to make the student's training targets), loaded
// from the vendored weights (scripts/vendor.js copies them to /vendor/face-api). The face crop
// is the whole image — no detector — as in the cache.

import * as tf from '@tensorflow/tfjs';
import type { RGBImage } from '../image/rgb';
import { loadFaceApiWeights } from '../../models/vendorWeights';

/** x,y interleaved (68×2) in pixel coordinates of the given image (pixel i spans [i, i+1)). */
export type LandmarkDetector = (img: RGBImage) => Promise<Float32Array>;

interface LandmarkNet {
	loadFromWeightMap(weights: tf.NamedTensorMap): void;
	detectLandmarks(input: tf.Tensor3D): Promise<{ positions: { x: number; y: number }[] }>;
}

let loading: Promise<LandmarkDetector> | undefined;

/** Load face-api's landmark net once per page (it uses the app's tfjs instance and backend). */
export function loadBrowserTeacher(uri = '/vendor/face-api'): Promise<LandmarkDetector> {
	loading ??= (async () => {
		const api = (await import('@vladmandic/face-api/dist/face-api.esm-nobundle.js')) as unknown as { nets: { faceLandmark68Net: LandmarkNet } };
		const net = api.nets.faceLandmark68Net;
		net.loadFromWeightMap(await loadFaceApiWeights('face_landmark_68_model', uri)); // size + sha256 checked
		return (img: RGBImage) => detectWith(net, img);
	})().catch((e) => {
		loading = undefined; // let a later run try again (e.g. after a network hiccup)
		throw e;
	});
	return loading;
}

async function detectWith(net: LandmarkNet, img: RGBImage): Promise<Float32Array> {
	const t = tf.tidy(() => tf.mul(tf.tensor3d(img.data, [img.height, img.width, 3]), 255) as tf.Tensor3D);
	try {
		const res = await net.detectLandmarks(t);
		const out = new Float32Array(136);
		res.positions.forEach((p, k) => {
			out[2 * k] = p.x;
			out[2 * k + 1] = p.y;
		});
		return out;
	} finally {
		t.dispose();
	}
}
