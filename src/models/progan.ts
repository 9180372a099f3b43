// ProGAN face generator (Karras et al. 2018; SR-NAM §3.3, Fig. 5) as a pure function of its
// weights. Twin of train/progan/model.py; weights come from train/progan/export.py with the
// equalised-LR scale already folded in, so every layer here is a plain conv. Every op used
// (matMul, conv2d, leakyRelu, rsqrt/mean, resizeNearestNeighbor, add/mul) has a registered
// gradient on cpu, wasm, webgl and webgpu, so SR-NAM can differentiate w.r.t. z (Eq. 6).

import * as tf from '@tensorflow/tfjs';
import type { NamedWeights } from './weights';

export const PROGAN_LEVELS = [4, 8, 16, 32, 64] as const;
export type ProganLevel = (typeof PROGAN_LEVELS)[number];

export interface GenerateOptions {
	/** Output resolution: 4, 8, 16, 32 or 64 px (default 64). */
	level?: ProganLevel;
	/**
	 * Fade-in weight of the newest level (Karras §3, SR-NAM Fig. 2b), in [0, 1] (default 1):
	 * out = (1-alpha) * up(toRGB_{L-1}(h_{L-1})) + alpha * toRGB_L(h_L). Ignored at 4 px.
	 */
	alpha?: number;
}

const SLOPE = 0.2;
const EPS = 1e-8;

/** Karras §4.2: x / sqrt(mean over channels of x^2 + eps); channels are the last axis. */
function pixelNorm<T extends tf.Tensor>(x: T): T {
	return tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), EPS))) as T;
}

/** Nearest x2: floor(dst/2) sampling, identical to torch's mode='nearest' at scale 2. */
function up2(x: tf.Tensor4D): tf.Tensor4D {
	return tf.image.resizeNearestNeighbor(x, [x.shape[1] * 2, x.shape[2] * 2]);
}

function need(w: NamedWeights, name: string): tf.Tensor {
	const t = w[name];
	if (!t) throw new Error(`progan weights: missing tensor ${name}`);
	return t;
}

function conv(w: NamedWeights, x: tf.Tensor4D, name: string): tf.Tensor4D {
	return tf.add(tf.conv2d(x, need(w, `${name}/w`) as tf.Tensor4D, 1, 'same'), need(w, `${name}/b`)) as tf.Tensor4D;
}

function convAct(w: NamedWeights, x: tf.Tensor4D, name: string): tf.Tensor4D {
	return pixelNorm(tf.leakyRelu(conv(w, x, name), SLOPE));
}

/** Latent size and channel widths, read from the weight shapes. */
export function proganInfo(w: NamedWeights): { latent: number; widths: number[] } {
	const latent = need(w, 'g/4/dense/w').shape[0];
	const widths = PROGAN_LEVELS.map((r) => need(w, `g/${r}/torgb/w`).shape[2] as number);
	return { latent, widths };
}

/**
 * z [N, latent] -> images [N, level, level, 3], NHWC, trained range [-1, 1] (linear toRGB,
 * not clamped: clamp or rescale for display). Differentiable w.r.t. z.
 */
export function generate(weights: NamedWeights, z: tf.Tensor2D, opts: GenerateOptions = {}): tf.Tensor4D {
	const level = opts.level ?? 64;
	const alpha = opts.alpha ?? 1;
	const L = PROGAN_LEVELS.indexOf(level);
	if (L < 0) throw new Error(`progan: level must be one of ${PROGAN_LEVELS.join(', ')}, got ${level}`);
	if (!(alpha >= 0 && alpha <= 1)) throw new Error(`progan: alpha must be in [0, 1], got ${alpha}`);
	const dense = need(weights, 'g/4/dense/w');
	if (z.rank !== 2 || z.shape[1] !== dense.shape[0])
		throw new Error(`progan: z must be [N, ${dense.shape[0]}], got [${z.shape}]`);
	return tf.tidy(() => {
		const c0 = need(weights, 'g/4/dense/b').shape[0];
		// 4x4 block: dense (HWC column order) -> reshape -> bias, lrelu, pixel norm; then 3x3 conv.
		let h = tf.reshape(tf.matMul(pixelNorm(z), dense as tf.Tensor2D), [z.shape[0], 4, 4, c0]) as tf.Tensor4D;
		h = pixelNorm(tf.leakyRelu(tf.add(h, need(weights, 'g/4/dense/b')) as tf.Tensor4D, SLOPE));
		h = convAct(weights, h, 'g/4/conv');
		let prev = h;
		for (let i = 1; i <= L; i++) {
			const r = PROGAN_LEVELS[i];
			prev = h;
			h = convAct(weights, convAct(weights, up2(h), `g/${r}/conv1`), `g/${r}/conv2`);
		}
		const out = conv(weights, h, `g/${level}/torgb`);
		if (L === 0 || alpha >= 1) return out;
		const low = up2(conv(weights, prev, `g/${PROGAN_LEVELS[L - 1]}/torgb`));
		return tf.add(tf.mul(low, 1 - alpha), tf.mul(out, alpha)) as tf.Tensor4D;
	});
}
