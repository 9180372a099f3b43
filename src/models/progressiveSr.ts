// Progressive face SR generator (Kim et al. 2019, paper 003 §3.1): 16 -> 32 -> 64 -> 128 px,
// as a pure function of its weights. Twin of train/progressive_sr/model.py; weights from
// train/progressive_sr/export.py (batch norm folded into scale/shift, inference mode). Every
// step keeps its toRGB head, so one call returns every step's output, and the fade-in
//   out_N = (1 - alpha) * f(G^{N-1}(I)) + alpha * G^N(I),  f = nearest-neighbour x2
// can be evaluated at any alpha for the step the caller asks for. superResolveImage is the
// image-in, images-out form the notebooks use (progressive growth, attention loss).

import * as tf from '@tensorflow/tfjs';
import type { RGBImage } from '$lib/image/rgb';
import { toDisplay } from '$lib/image/signed';
import { bn, conv } from './degrader';
import type { NamedWeights } from './weights';
import { readFloats } from '$lib/image/tensor';

/** The two shipped twins (static/weights/<variant>/): with and without the facial attention loss. */
export type PsrVariant = 'progressive-sr' | 'progressive-sr-noatt';

export const PSR_IN_PX = 16;
export const PSR_STEP_PX = [32, 64, 128] as const;
export type PsrStep = 1 | 2 | 3;

export interface SuperResolveOptions {
	/** Highest step to run (1: 2x, 2: 4x, 3: 8x). Default 3. */
	step?: PsrStep;
	/** Fade-in weight of `step` over the nearest-upsampled previous step, in [0, 1]. Default 1. */
	alpha?: number;
}

export interface SuperResolveResult {
	/** Raw toRGB output of every step run, [N,32,32,3], [N,64,64,3], [N,128,128,3] (up to `step`). */
	steps: tf.Tensor4D[];
	/** The fade-in blend at `step` (equals steps[step-1] when alpha = 1 or step = 1). */
	output: tf.Tensor4D;
}

function need(w: NamedWeights, name: string): tf.Tensor {
	const t = w[name];
	if (!t) throw new Error(`progressive-sr weights: missing tensor ${name}`);
	return t;
}

/** Feature widths (16 px stem, then 32, 64, 128 px), read from the weight shapes. */
export function progressiveSrInfo(w: NamedWeights): { widths: number[] } {
	return { widths: [need(w, 'p/stem/w').shape[3] as number, ...[1, 2, 3].map((k) => need(w, `p/s${k}/up/w`).shape[2] as number)] };
}

/** ConvTranspose 4x4 stride 2 (PyTorch padding 1 == tfjs 'same'), weights [kh,kw,out,in]. */
function upConv(w: NamedWeights, x: tf.Tensor4D, p: string): tf.Tensor4D {
	const f = need(w, `${p}/w`) as tf.Tensor4D;
	const [n, h, wd] = x.shape;
	const y = tf.conv2dTranspose(x, f, [n, 2 * h, 2 * wd, f.shape[2]], 2, 'same');
	return tf.add(y, need(w, `${p}/b`)) as tf.Tensor4D;
}

/**
 * f of §3.1: nearest-neighbour x2, identical to PyTorch mode='nearest' (source pixel floor(d / 2)).
 * tf.image's kernel, not a rank-6 reshape/tile: that chain crashed SwiftShader's WebGPU device.
 */
export function nearestUp2(x: tf.Tensor4D): tf.Tensor4D {
	return tf.image.resizeNearestNeighbor(x, [2 * x.shape[1], 2 * x.shape[2]]);
}

/** The fade-in of §3.1 between a step's raw output and the previous step's. */
export function fadeIn(prev: tf.Tensor4D, cur: tf.Tensor4D, alpha: number): tf.Tensor4D {
	return tf.tidy(() => tf.add(tf.mul(nearestUp2(prev), 1 - alpha), tf.mul(cur, alpha)) as tf.Tensor4D);
}

/**
 * lr [N,16,16,3] NHWC in [-1,1] -> every step's output up to `step` plus the fade-in blend at
 * `step` (trained range [-1,1]; clamp before display). The caller owns the returned tensors.
 */
export function superResolve(weights: NamedWeights, lr: tf.Tensor4D, opts: SuperResolveOptions = {}): SuperResolveResult {
	const step = opts.step ?? 3;
	const alpha = opts.alpha ?? 1;
	if (lr.rank !== 4 || lr.shape[1] !== PSR_IN_PX || lr.shape[2] !== PSR_IN_PX || lr.shape[3] !== 3)
		throw new Error(`progressive-sr: lr must be [N, 16, 16, 3], got [${lr.shape}]`);
	if (![1, 2, 3].includes(step)) throw new Error(`progressive-sr: step must be 1, 2 or 3, got ${step}`);
	if (!(alpha >= 0 && alpha <= 1)) throw new Error(`progressive-sr: alpha must be in [0, 1], got ${alpha}`);
	need(weights, 'p/stem/w');
	const steps = tf.tidy(() => {
		let h = tf.relu(conv(weights, lr, 'p/stem')) as tf.Tensor4D;
		const raw: tf.Tensor4D[] = [];
		for (let k = 1; k <= step; k++) {
			const p = `p/s${k}`;
			const r = conv(weights, tf.relu(bn(weights, h, `${p}/res/bn1`)), `${p}/res/conv1`);
			h = tf.add(h, conv(weights, tf.relu(bn(weights, r, `${p}/res/bn2`)), `${p}/res/conv2`)) as tf.Tensor4D;
			h = tf.relu(bn(weights, upConv(weights, h, `${p}/up`), `${p}/bn`)) as tf.Tensor4D;
			raw.push(conv(weights, h, `${p}/rgb`));
		}
		return raw;
	});
	const output = step === 1 || alpha >= 1 ? tf.clone(steps[step - 1]) : fadeIn(steps[step - 2], steps[step - 1], alpha);
	return { steps, output };
}

/**
 * A 16×16 RGBImage in [0, 1] through all three steps at α = 1, in one task on the given GPU
 * queue. Returns the raw heads ([-1, 1], HWC: 32, 64, 128 px) and the same as display images
 * in [0, 1].
 */
export async function superResolveImage(
	weights: NamedWeights,
	lr: RGBImage,
	gpu: <R>(task: () => Promise<R>) => Promise<R>
): Promise<{ raw: Float32Array[]; images: RGBImage[] }> {
	if (lr.width !== PSR_IN_PX || lr.height !== PSR_IN_PX) throw new Error(`progressive-sr: the LR face must be 16×16, got ${lr.width}×${lr.height}`);
	const raw = await gpu(async () => {
		return readFloats(() => {
			const x = tf.sub(tf.mul(tf.tensor4d(lr.data, [1, PSR_IN_PX, PSR_IN_PX, 3]), 2), 1) as tf.Tensor4D;
			return superResolve(weights, x, { step: 3, alpha: 1 }).steps;
		});
	});
	return { raw, images: raw.map((r, i) => toDisplay(r, PSR_STEP_PX[i])) };
}
