// Node-only: 128-D face descriptors from face-api's face recognition network (a dlib-style
// ResNet-34 on 150×150 aligned crops), the feature space of the "FID-proxy" metric. These are
// identity features, not Inception-v3 features: FID-proxy values are NOT comparable to the
// Inception-FID numbers printed in papers.
//
// Loading: face-api's ESM no-bundle build (`dist/face-api.esm-nobundle.js`, used by the browser
// app) cannot be imported by plain Node: it imports `@tensorflow/tfjs/dist/index.js`, whose
// extensionless ESM imports Node's resolver rejects (ERR_MODULE_NOT_FOUND). So this uses
// `dist/face-api.node-wasm.js`, the CommonJS Node build that requires the same
// `@tensorflow/tfjs` + `@tensorflow/tfjs-backend-wasm` as the rest of the project (one engine).

import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { frechetFromFeatures, type FrechetResult } from './frechet';

export const FACE_DESCRIPTOR_DIM = 128;
/** Side of the square input the recognition net was trained on. */
export const FACE_NET_INPUT = 150;

/** 8-bit RGB, row-major HWC (structurally the same as imageSets' U8Image). */
export interface RGBBytes {
	width: number;
	height: number;
	data: Uint8Array;
}

interface RecognitionNet {
	loadFromDisk(dir: string): Promise<void>;
	forward(input: tf.Tensor3D[]): Promise<tf.Tensor2D>;
}
interface FaceApiNode {
	nets: { faceRecognitionNet: RecognitionNet };
}

const require = createRequire(import.meta.url);
const faceApiRoot = dirname(require.resolve('@vladmandic/face-api/package.json'));
/** Weights shipped with the package: face_recognition_model-weights_manifest.json + .bin. */
export const DEFAULT_MODEL_DIR = join(faceApiRoot, 'model');

let backendReady: Promise<string> | undefined;

/**
 * Select tfjs's `wasm` backend (several times faster than `cpu` in Node), falling back to `cpu`.
 * Global tfjs state: call once per process; later calls return the first result.
 */
export function initNodeBackend(prefer: 'wasm' | 'cpu' = 'wasm'): Promise<string> {
	backendReady ??= (async () => {
		if (prefer === 'wasm') {
			try {
				const wasm = require('@tensorflow/tfjs-backend-wasm') as typeof import('@tensorflow/tfjs-backend-wasm');
				const dir = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
				wasm.setWasmPaths(join(dir, 'dist') + '/');
				if (await tf.setBackend('wasm')) {
					await tf.ready();
					return 'wasm';
				}
			} catch {
				// no wasm in this runtime: fall through to cpu
			}
		}
		await tf.setBackend('cpu');
		await tf.ready();
		return 'cpu';
	})();
	return backendReady;
}

export interface DescribeOptions {
	/** Images per forward pass (memory vs. overhead; 32 is ~0.3 GB on wasm). */
	batchSize?: number;
	/** Called after each batch with the number of images done. */
	onProgress?: (done: number, total: number) => void;
}

export interface FaceFeatureExtractor {
	backend: string;
	/**
	 * Descriptors of aligned face crops, row-major N×128 float32. Each image is resized to 150×150
	 * (bilinear, as face-api does itself); no detection or alignment is done.
	 */
	describe(images: readonly RGBBytes[], opts?: DescribeOptions): Promise<Float32Array>;
}

let loaded: Promise<FaceFeatureExtractor> | undefined;

/** Load the recognition net once per process (starting the backend if needed). */
export function loadFaceFeatureExtractor(
	opts: { backend?: 'wasm' | 'cpu'; modelDir?: string } = {}
): Promise<FaceFeatureExtractor> {
	loaded ??= (async () => {
		const backend = await initNodeBackend(opts.backend);
		const faceapi = require('@vladmandic/face-api/dist/face-api.node-wasm.js') as FaceApiNode;
		const net = faceapi.nets.faceRecognitionNet;
		await net.loadFromDisk(opts.modelDir ?? DEFAULT_MODEL_DIR);
		return { backend, describe: (images, o) => describeWith(net, images, o) };
	})();
	return loaded;
}

async function describeWith(net: RecognitionNet, images: readonly RGBBytes[], opts: DescribeOptions = {}): Promise<Float32Array> {
	const batchSize = Math.max(1, opts.batchSize ?? 32);
	const out = new Float32Array(images.length * FACE_DESCRIPTOR_DIM);
	for (let start = 0; start < images.length; start += batchSize) {
		const batch = images.slice(start, start + batchSize);
		const inputs = batch.map((img) => toNetInput(img));
		let desc: tf.Tensor2D | undefined;
		try {
			desc = await net.forward(inputs);
			out.set(await desc.data(), start * FACE_DESCRIPTOR_DIM);
		} finally {
			tf.dispose(inputs);
			desc?.dispose();
		}
		opts.onProgress?.(start + batch.length, images.length);
	}
	return out;
}

/** uint8 RGB → float32 150×150×3 in 0..255 (face-api subtracts its mean RGB and scales itself). */
function toNetInput(img: RGBBytes): tf.Tensor3D {
	const { width, height, data } = img;
	if (data.length !== width * height * 3) throw new Error(`image data has ${data.length} bytes, expected ${width}×${height}×3`);
	return tf.tidy(() => {
		const t = tf.tensor3d(data, [height, width, 3], 'int32').toFloat();
		if (width === FACE_NET_INPUT && height === FACE_NET_INPUT) return t;
		// Same call face-api makes when it resizes (no align-corners, no half-pixel centres).
		return tf.image.resizeBilinear(t, [FACE_NET_INPUT, FACE_NET_INPUT], false, false);
	});
}

/** Label printed with every value, so nobody mistakes it for an Inception-FID. */
export const FID_PROXY_LABEL = 'FID-proxy (face-api recognition features, 128-D; not comparable to Inception FID)';

export interface FidProxyResult extends FrechetResult {
	countA: number;
	countB: number;
	backend: string;
	/** Seconds spent computing descriptors (both sets). */
	featureSeconds: number;
}

/**
 * FID-proxy between two sets of aligned face crops: the Fréchet distance between Gaussians
 * fitted to their face-api descriptors. Needs ≥ 2 images per set; with fewer than ~500 the
 * value is biased upwards (like FID), so only compare values computed at the same set sizes.
 */
export async function fidProxy(a: readonly RGBBytes[], b: readonly RGBBytes[], opts: DescribeOptions = {}): Promise<FidProxyResult> {
	const extractor = await loadFaceFeatureExtractor();
	const t0 = performance.now();
	const fa = await extractor.describe(a, opts);
	const fb = await extractor.describe(b, opts);
	const featureSeconds = (performance.now() - t0) / 1000;
	const r = frechetFromFeatures(fa, fb, FACE_DESCRIPTOR_DIM);
	return { ...r, countA: a.length, countB: b.length, backend: extractor.backend, featureSeconds };
}
