// The layers of the live GAN, written so that every op has a second-order gradient in tfjs: the
// WGAN-GP penalty differentiates the critic's input gradient w.r.t. its weights (a gradient of
// a gradient). So leaky ReLU is a·x + b·|x| (tfjs's LeakyRelu gradient uses Greater, which has
// no gradient; Abs's gradient is Step's, which has one), and ×2 downsampling is a reshape and
// two sums (AvgPoolGrad has no gradient). Convolutions are tf.conv2d: its input gradient's own
// gradient needs Conv2DBackpropFilter, which the wasm backend lacks; src/lib/backend/
// convFilterGrad.ts supplies it (the trainer installs it).
import * as tf from '@tensorflow/tfjs';

export const SLOPE = 0.2;

/** Leaky ReLU with slope SLOPE: (1+s)/2 · x + (1−s)/2 · |x|. */
export function lrelu<T extends tf.Tensor>(x: T): T {
	return tf.add(tf.mul(x, (1 + SLOPE) / 2), tf.mul(tf.abs(x), (1 - SLOPE) / 2)) as T;
}

/** Karras §4.2 pixel norm over the channel (last) axis. */
export function pixelNorm<T extends tf.Tensor>(x: T): T {
	return tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), 1e-8))) as T;
}

/** Nearest-neighbour ×2 (the generator's upsampling; first-order gradients suffice there). */
export function up2(x: tf.Tensor4D): tf.Tensor4D {
	return tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]);
}

/** 2×2 box downsampling of NHWC x (even H, W) by reshapes and sums, twice differentiable. */
export function down2(x: tf.Tensor4D): tf.Tensor4D {
	const [n, h, w, c] = x.shape;
	// [n·h/2, 2, w/2, 2c]: axis 1 is the row within a block, the last axis holds (column in block, channel)
	const rows = tf.sum(tf.reshape(x, [n * (h / 2), 2, w / 2, 2 * c]), 1);
	const cols = tf.sum(tf.reshape(rows, [n * (h / 2), w / 2, 2, c]), 2);
	return tf.reshape(tf.mul(cols, 0.25), [n, h / 2, w / 2, c]);
}

/** Equalised learning rate (Karras §4.1): weights stored N(0, 1), scaled by gain/√fan-in at use. */
export function heScale(fanIn: number, gain = Math.SQRT2): number {
	return gain / Math.sqrt(fanIn);
}

export function conv(x: tf.Tensor4D, w: tf.Tensor, b: tf.Tensor, gain = Math.SQRT2): tf.Tensor4D {
	const [kh, kw, cin] = w.shape;
	return tf.add(tf.conv2d(x, tf.mul(w, heScale(kh * kw * cin, gain)) as tf.Tensor4D, 1, 'same'), b) as tf.Tensor4D;
}

export function dense(x: tf.Tensor2D, w: tf.Tensor, b: tf.Tensor, gain = Math.SQRT2): tf.Tensor2D {
	return tf.add(tf.matMul(x, tf.mul(w, heScale(w.shape[0], gain)) as tf.Tensor2D), b) as tf.Tensor2D;
}
