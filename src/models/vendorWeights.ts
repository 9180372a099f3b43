// face-api's networks (the tiny face detector behind uploads, the 68-point landmark net behind
// the heatmap teacher, the face-recognition net behind src/lib/eval/faceNet.ts) ship in the npm
// package and are copied to /vendor/face-api by scripts/vendor.js. They load through here
// instead of face-api's loadFromUri so that, like srlab's own weights (weights.ts), every file is
// checked for size and sha256 before use and a failure names the model. Hashes are those of
// @vladmandic/face-api 1.7.15; test/unit/reliability.weights.test.ts compares them with
// node_modules, so an upgrade cannot slip through unchecked.

import type * as tf from '@tensorflow/tfjs';
import { fetchSource, loadWeightsFrom, WeightsError, type ShardIntegrity } from './weights';
import { sha256Hex } from './sha256';

export interface VendorModel {
	/** Used in messages, e.g. "face detector weights: …". */
	label: string;
	manifest: ShardIntegrity;
	shards: Record<string, ShardIntegrity>;
}

export const FACE_API_MODELS = {
	tiny_face_detector_model: {
		label: 'face detector',
		manifest: { bytes: 3219, sha256: '5d1af4849ac48d5b985f4a9b16010c512353ddd6fcc63d50fd0bc9e9e64296e5' },
		shards: { 'tiny_face_detector_model.bin': { bytes: 193321, sha256: 'b7503ce7df31039b1c43316a9b865cab6a70dd748cc602d3fa28b551503c3871' } }
	},
	face_landmark_68_model: {
		label: 'face landmark net',
		manifest: { bytes: 8485, sha256: 'ca4886639f86e99b39fed0c155f81b63317225773bd9616716e887b0153389c9' },
		shards: { 'face_landmark_68_model.bin': { bytes: 356840, sha256: '4611ef65c87d836d03d684b30eec4d195d8b219fa1dd58fc58945831c6b9299b' } }
	},
	face_recognition_model: {
		label: 'face recognition net',
		manifest: { bytes: 19615, sha256: 'cbaffa501b0b9275a12b63357a6843e7e30c054e1c9151e1a5f879b26e32986b' },
		shards: { 'face_recognition_model.bin': { bytes: 6444032, sha256: 'b413e420d6840b2775fba32008db6f3cddb07d485967fb42cfcf379c16a8c589' } }
	}
} satisfies Record<string, VendorModel>;

export type FaceApiModel = keyof typeof FACE_API_MODELS;

/** Fetch, verify and decode one face-api network's weights (for net.loadFromWeightMap). */
export async function loadFaceApiWeights(model: FaceApiModel, base = '/vendor/face-api', fetchFn?: typeof fetch): Promise<tf.NamedTensorMap> {
	const spec: VendorModel = FACE_API_MODELS[model];
	const url = `${base}/${model}-weights_manifest.json`;
	const src = fetchSource(url, spec.label, fetchFn);
	const { weights } = await loadWeightsFrom({
		...src,
		async readModelJson() {
			// The manifest says how the shard's bytes become tensors, so it is checked too.
			const buf = await src.readShard(url.slice(url.lastIndexOf('/') + 1), () => {});
			const hash = await sha256Hex(buf);
			if (buf.byteLength !== spec.manifest.bytes || hash !== spec.manifest.sha256)
				throw new WeightsError(spec.label, `${model}-weights_manifest.json failed its size or sha256 check (${buf.byteLength} bytes, sha256 ${hash})`);
			let manifest: unknown;
			try {
				manifest = JSON.parse(new TextDecoder().decode(buf));
			} catch {
				throw new WeightsError(spec.label, 'the weights manifest is not JSON');
			}
			return { format: 'srlab-weights', name: model, weightsManifest: manifest, integrity: spec.shards };
		}
	});
	return weights;
}
