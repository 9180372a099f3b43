// Low-to-High face super-resolution generator (Bulat et al. ECCV 2018 §3.4, Fig. 4b),
// 16x16 -> 64x64, as a pure function of its weights. Twin of train/low2high/model.py; weights from
// train/low2high/export.py (batch norm folded into scale/shift, inference mode). The same code
// runs `static/weights/low2high` (trained on High-to-Low degraded LR) and
// `static/weights/low2high-bicubic` (the twin trained on bicubic LR).
//
// Bilinear x2 is written out (edge-clamped 0.25/0.75 taps), identical to PyTorch's
// F.interpolate(scale_factor=2, mode='bilinear', align_corners=False) and differentiable on
// every backend.

import * as tf from '@tensorflow/tfjs';
import { bn, conv, countBlocks, preActBlock } from './degrader';
import type { NamedWeights } from './weights';

export const LOW2HIGH_IN_PX = 16;
export const LOW2HIGH_OUT_PX = 64;

function need(w: NamedWeights, name: string): tf.Tensor {
	const t = w[name];
	if (!t) throw new Error(`low2high weights: missing tensor ${name}`);
	return t;
}

/** x2 bilinear along one spatial axis (1 = H, 2 = W), half-pixel centres, edge clamp. */
function up2Axis(x: tf.Tensor4D, axis: 1 | 2): tf.Tensor4D {
	const n = x.shape[axis];
	const first = tf.slice(x, axis === 1 ? [0, 0, 0, 0] : [0, 0, 0, 0], axis === 1 ? [-1, 1, -1, -1] : [-1, -1, 1, -1]);
	const last = tf.slice(x, axis === 1 ? [0, n - 1, 0, 0] : [0, 0, n - 1, 0], axis === 1 ? [-1, 1, -1, -1] : [-1, -1, 1, -1]);
	const prev = tf.concat([first, tf.slice(x, [0, 0, 0, 0], axis === 1 ? [-1, n - 1, -1, -1] : [-1, -1, n - 1, -1])], axis);
	const next = tf.concat([tf.slice(x, axis === 1 ? [0, 1, 0, 0] : [0, 0, 1, 0], axis === 1 ? [-1, n - 1, -1, -1] : [-1, -1, n - 1, -1]), last], axis);
	const even = tf.add(tf.mul(prev, 0.25), tf.mul(x, 0.75));
	const odd = tf.add(tf.mul(x, 0.75), tf.mul(next, 0.25));
	const [b, h, w, c] = x.shape;
	const st = tf.stack([even, odd], axis + 1); // interleave: [.., n, 2, ..]
	return tf.reshape(st, axis === 1 ? [b, 2 * h, w, c] : [b, h, 2 * w, c]) as tf.Tensor4D;
}

/** PyTorch F.interpolate(x, scale_factor=2, mode='bilinear', align_corners=False), NHWC. */
export function bilinearUp2(x: tf.Tensor4D): tf.Tensor4D {
	return up2Axis(up2Axis(x, 1), 2);
}

export function low2highInfo(w: NamedWeights): { widths: number[]; groupBlocks: number[] } {
	return {
		widths: [1, 2, 3].map((g) => need(w, `s/g${g}/b1/conv2/w`).shape[3] as number),
		groupBlocks: [1, 2, 3].map((g) => countBlocks(w, `s/g${g}`))
	};
}

/**
 * lr [N,16,16,3] NHWC in [-1,1] -> super-resolved faces [N,64,64,3] in [-1,1] (tanh).
 * Groups of 12 / 3 / 2 residual blocks at 16 / 32 / 64 px, each with a group skip.
 */
export function superResolve(weights: NamedWeights, lr: tf.Tensor4D): tf.Tensor4D {
	if (lr.rank !== 4 || lr.shape[1] !== LOW2HIGH_IN_PX || lr.shape[2] !== LOW2HIGH_IN_PX || lr.shape[3] !== 3)
		throw new Error(`low2high: lr must be [N, 16, 16, 3], got [${lr.shape}]`);
	need(weights, 's/stem/w');
	return tf.tidy(() => {
		let h = conv(weights, lr, 's/stem');
		for (let g = 1; g <= 3; g++) {
			if (g > 1) h = conv(weights, bilinearUp2(h), `s/proj${g - 1}`);
			let t = h;
			const nb = countBlocks(weights, `s/g${g}`);
			for (let b = 1; b <= nb; b++) t = preActBlock(weights, t, `s/g${g}/b${b}`);
			h = tf.add(h, t) as tf.Tensor4D;
		}
		return tf.tanh(conv(weights, tf.relu(bn(weights, h, 's/out/bn')), 's/out/conv')) as tf.Tensor4D;
	});
}
