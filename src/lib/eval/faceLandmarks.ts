// Node-only: the heatmap teacher of paper 003 §3.3 — face-api's 68-point landmark net
// (`faceLandmark68Net`, a depthwise-separable dense-block CNN on 112×112 inputs that regresses
// 136 numbers). Loaded exactly like the recognition net in faceFeatures.ts (same CommonJS Node
// build, same tfjs engine and backend choice). No detection is run: the faces are already tight
// aligned crops, so the whole image is the face box.

import { createRequire } from 'node:module';
import * as tf from '@tensorflow/tfjs';
import { DEFAULT_MODEL_DIR, initNodeBackend, type RGBBytes } from './faceFeatures';

export const LANDMARK_COUNT = 68;

interface Point {
	x: number;
	y: number;
}
interface LandmarkNet {
	loadFromDisk(dir: string): Promise<void>;
	/** With an array input: one result per image, positions in that image's pixel coordinates. */
	detectLandmarks(input: tf.Tensor3D[]): Promise<{ positions: Point[] }[]>;
}
interface FaceApiNode {
	nets: { faceLandmark68Net: LandmarkNet };
}

const require = createRequire(import.meta.url);

export interface LandmarkTeacher {
	backend: string;
	/** Row-major N×68×2 float32 (x, y) in the pixel coordinates of each input image. */
	landmarks(images: readonly RGBBytes[], opts?: { batchSize?: number; onProgress?: (done: number, total: number) => void }): Promise<Float32Array>;
}

let loaded: Promise<LandmarkTeacher> | undefined;

/** Load the landmark net once per process (starting the backend if needed). */
export function loadLandmarkTeacher(opts: { backend?: 'wasm' | 'cpu'; modelDir?: string } = {}): Promise<LandmarkTeacher> {
	loaded ??= (async () => {
		const backend = await initNodeBackend(opts.backend);
		const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiNode;
		const net = faceapi.nets.faceLandmark68Net;
		await net.loadFromDisk(opts.modelDir ?? DEFAULT_MODEL_DIR);
		return {
			backend,
			async landmarks(images, o = {}) {
				const batchSize = Math.max(1, o.batchSize ?? 16);
				const out = new Float32Array(images.length * LANDMARK_COUNT * 2);
				for (let start = 0; start < images.length; start += batchSize) {
					const batch = images.slice(start, start + batchSize);
					const inputs = batch.map((img) => tf.tensor3d(img.data, [img.height, img.width, 3], 'int32'));
					try {
						const res = await net.detectLandmarks(inputs);
						res.forEach((r, b) => {
							const base = (start + b) * LANDMARK_COUNT * 2;
							r.positions.forEach((p, k) => {
								out[base + 2 * k] = p.x;
								out[base + 2 * k + 1] = p.y;
							});
						});
					} finally {
						tf.dispose(inputs);
					}
					o.onProgress?.(start + batch.length, images.length);
				}
				return out;
			}
		};
	})();
	return loaded;
}
