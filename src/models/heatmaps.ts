// Distilled 68-landmark heatmap student (paper 003 §3.3) as a pure function of its weights:
// a 64×64 face → 68 heatmaps at 64×64. Twin of train/heatmaps/model.py (forward written out in
// train/heatmaps/export.py forward_exported); weights from train/heatmaps/export.py.
// The network works at 32×32 and below and ends with a fixed bilinear ×2 to 64×64 (low2high's
// written-out PyTorch align_corners=False rule). Every 3×3 conv pads one pixel on every side
// (pad = 1): for the stride-2 convs tfjs's 'same' would pad 0 before / 1 after on even sizes.

import * as tf from '@tensorflow/tfjs';
import type { NamedWeights } from './weights';
import { bilinearUp2 } from './low2high';
import { nearestUp2 } from './progressiveSr';
import { readFloats } from '../lib/image/tensor';

export const HEATMAP_IN_PX = 64;
export const HEATMAP_LANDMARKS = 68;

function need(w: NamedWeights, name: string): tf.Tensor {
	const t = w[name];
	if (!t) throw new Error(`heatmaps weights: missing tensor ${name}`);
	return t;
}

function conv(w: NamedWeights, x: tf.Tensor4D, name: string, stride: 1 | 2 = 1): tf.Tensor4D {
	const filter = need(w, `${name}/w`) as tf.Tensor4D;
	const pad = (filter.shape[0] - 1) / 2;
	return tf.add(tf.conv2d(x, filter, stride, pad), need(w, `${name}/b`)) as tf.Tensor4D;
}

/**
 * faces [N,64,64,3] NHWC in [-1,1] → heatmaps [N,64,64,68] (linear; the training targets are
 * Gaussians of peak 1 and σ = modelConfig.sigmaPx, 3 px). Inside tf.tidy.
 */
export function predictHeatmaps(weights: NamedWeights, faces: tf.Tensor4D): tf.Tensor4D {
	if (faces.rank !== 4 || faces.shape[1] !== HEATMAP_IN_PX || faces.shape[2] !== HEATMAP_IN_PX || faces.shape[3] !== 3)
		throw new Error(`heatmaps: faces must be [N, 64, 64, 3], got [${faces.shape}]`);
	need(weights, 'h/e1/w');
	return tf.tidy(() => {
		const feats: tf.Tensor4D[] = [tf.relu(conv(weights, faces, 'h/e1', 2))];
		let h = feats[0];
		for (let i = 1; i <= 3; i++) {
			h = tf.relu(conv(weights, tf.relu(conv(weights, h, `h/down${i}/a`, 2)), `h/down${i}/b`));
			feats.push(h);
		}
		for (let i = 1; i <= 3; i++) h = tf.relu(conv(weights, tf.concat([nearestUp2(h), feats[3 - i]], 3), `h/up${i}`));
		return bilinearUp2(conv(weights, h, 'h/head'));
	});
}

/** Parameter count of a loaded weight set (the card's number, recomputed). */
export function heatmapParamCount(weights: NamedWeights): number {
	return Object.values(weights).reduce((s, t) => s + t.size, 0);
}

/** One face (RGB HWC [0,1] data, 64×64) → channel-major heatmaps [68, 64, 64], the layout of
 *  src/lib/heatmaps (renderHeatmaps, attentionMap). */
export async function studentHeatmaps(weights: NamedWeights, rgb01: Float32Array): Promise<Float32Array> {
	return readFloats(() => {
		const x = tf.sub(tf.mul(tf.tensor4d(rgb01, [1, HEATMAP_IN_PX, HEATMAP_IN_PX, 3]), 2), 1) as tf.Tensor4D;
		return tf.transpose(predictHeatmaps(weights, x), [0, 3, 1, 2]);
	});
}
