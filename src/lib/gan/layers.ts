// The layers of the live GAN, written so that every op has a second-order gradient in tfjs:
// the WGAN-GP penalty differentiates the critic's input gradient w.r.t. its weights
// (a gradient of a gradient). tfjs's leakyRelu and avgPool lack that (LeakyRelu's gradient
// uses Greater, AvgPoolGrad has no gradient), so leaky ReLU is written as a·x + b·|x| (Abs's
// gradient is Step's, which has one) and ×2 downsampling as a stride-2 conv with a fixed
// averaging kernel (Conv2D's input gradient, Conv2DBackpropInput, has one).

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

/** [2, 2, c, c] kernel: each output channel the mean of its own channel's 2×2 block. */
export function averagingKernel(c: number): tf.Tensor4D {
	const k = new Float32Array(4 * c * c);
	for (let tap = 0; tap < 4; tap++) for (let i = 0; i < c; i++) k[tap * c * c + i * c + i] = 0.25;
	return tf.tensor4d(k, [2, 2, c, c]);
}

/** 2×2 box downsampling, as a conv so it is twice differentiable. `kernel` from averagingKernel. */
export function down2(x: tf.Tensor4D, kernel: tf.Tensor4D): tf.Tensor4D {
	return tf.conv2d(x, kernel, 2, 'valid');
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
