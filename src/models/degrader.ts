// High-to-Low degradation generator (Bulat et al. ECCV 2018 §3.3, Fig. 4a; SR-NAM §3.2) as a
// pure function of its weights. Twin of train/degrader/model.py; weights come from
// train/degrader/export.py (batch norm folded from running statistics into scale/shift, i.e.
// inference mode). Every op (matMul, conv2d, relu, mul/add, avgPool, reshape, transpose,
// concat, tanh) has a registered gradient on cpu, wasm, webgl and webgpu, so SR-NAM can
// backpropagate through it w.r.t. the HR image. The pixel shuffle is reshape + transpose:
// tf.depthToSpace has no gradient. If the weights hold `d/skip/gain` (the CPU-trained weights
// do: train/degrader/model.py "global skip", a documented deviation from Fig. 4a), the pre-tanh
// output gets gain * avgpool4(hr) added, i.e. the net predicts a residual over average pooling.

import * as tf from '@tensorflow/tfjs';
import type { NamedWeights } from './weights';

export const DEGRADER_NOISE_DIM = 100;
export const DEGRADER_HR_PX = 64;
export const DEGRADER_LR_PX = 16;

function need(w: NamedWeights, name: string): tf.Tensor {
	const t = w[name];
	if (!t) throw new Error(`degrader weights: missing tensor ${name}`);
	return t;
}

export function conv(w: NamedWeights, x: tf.Tensor4D, name: string): tf.Tensor4D {
	return tf.add(tf.conv2d(x, need(w, `${name}/w`) as tf.Tensor4D, 1, 'same'), need(w, `${name}/b`)) as tf.Tensor4D;
}

/** Batch norm in inference mode, folded: x * scale + shift (per channel, last axis). */
export function bn(w: NamedWeights, x: tf.Tensor4D, name: string): tf.Tensor4D {
	return tf.add(tf.mul(x, need(w, `${name}/scale`)), need(w, `${name}/shift`)) as tf.Tensor4D;
}

/** Pre-activation residual block (Fig. 6b) with an optional 1x1 conv shortcut. */
export function preActBlock(w: NamedWeights, x: tf.Tensor4D, p: string): tf.Tensor4D {
	let h = conv(w, tf.relu(bn(w, x, `${p}/bn1`)), `${p}/conv1`);
	h = conv(w, tf.relu(bn(w, h, `${p}/bn2`)), `${p}/conv2`);
	return tf.add(h, w[`${p}/short/w`] ? conv(w, x, `${p}/short`) : x) as tf.Tensor4D;
}

export function countBlocks(w: NamedWeights, prefix: string): number {
	let n = 0;
	while (w[`${prefix}/b${n + 1}/conv1/w`]) n++;
	return n;
}

/**
 * PyTorch's PixelShuffle(r) in NHWC, by reshape + transpose (differentiable everywhere):
 * out[n, h*r+i, w*r+j, c] = in[n, h, w, c*r*r + i*r + j].
 */
export function pixelShuffle(x: tf.Tensor4D, r = 2): tf.Tensor4D {
	const [n, h, wd, c4] = x.shape;
	const c = c4 / (r * r);
	if (!Number.isInteger(c)) throw new Error(`pixelShuffle: ${c4} channels do not divide by ${r * r}`);
	const t = tf.transpose(tf.reshape(x, [n, h, wd, c, r, r]), [0, 1, 4, 2, 5, 3]); // [n, h, i, w, j, c]
	return tf.reshape(t, [n, h * r, wd * r, c]) as tf.Tensor4D;
}

/** Group widths and noise size, read from the weight shapes. */
export function degraderInfo(w: NamedWeights): { noiseDim: number; widths: number[]; blocksPerGroup: number } {
	const noiseDim = need(w, 'd/noise/w').shape[0];
	const widths = [1, 2, 3, 4, 5, 6].map((g) => need(w, `d/g${g}/b1/conv2/w`).shape[3] as number);
	return { noiseDim, widths, blocksPerGroup: countBlocks(w, 'd/g1') };
}

export interface DegradeOptions {
	/** Range of `hr`: '[-1,1]' (default, what the net was trained on) or '[0,1]' (rescaled inside). */
	inputRange?: '[-1,1]' | '[0,1]';
}

/**
 * hr [N,64,64,3] NHWC (default range [-1,1]; pass inputRange '[0,1]' for [0,1] images) and
 * noise [N,100] ~ N(0,1) -> degraded LR faces [N,16,16,3] in [-1,1] (tanh). Batch norm runs in
 * inference mode (exported running statistics). Differentiable w.r.t. hr and noise.
 */
export function degrade(weights: NamedWeights, hr: tf.Tensor4D, noise: tf.Tensor2D, opts: DegradeOptions = {}): tf.Tensor4D {
	const dense = need(weights, 'd/noise/w');
	const nd = dense.shape[0];
	if (hr.rank !== 4 || hr.shape[1] !== DEGRADER_HR_PX || hr.shape[2] !== DEGRADER_HR_PX || hr.shape[3] !== 3)
		throw new Error(`degrader: hr must be [N, 64, 64, 3], got [${hr.shape}]`);
	if (noise.rank !== 2 || noise.shape[1] !== nd || noise.shape[0] !== hr.shape[0])
		throw new Error(`degrader: noise must be [${hr.shape[0]}, ${nd}], got [${noise.shape}]`);
	return tf.tidy(() => {
		const n = hr.shape[0];
		const x = opts.inputRange === '[0,1]' ? tf.sub(tf.mul(hr, 2), 1) : hr;
		// noise -> dense -> one 64x64 channel (row-major h*64+w), concatenated after RGB
		const zmap = tf.reshape(tf.add(tf.matMul(noise, dense as tf.Tensor2D), need(weights, 'd/noise/b')), [n, 64, 64, 1]);
		let h = conv(weights, tf.concat([x, zmap], 3) as tf.Tensor4D, 'd/stem');
		for (let g = 1; g <= 6; g++) {
			const nb = countBlocks(weights, `d/g${g}`);
			for (let b = 1; b <= nb; b++) h = preActBlock(weights, h, `d/g${g}/b${b}`);
			h = g <= 4 ? tf.avgPool(h, 2, 2, 'valid') : pixelShuffle(h, 2);
		}
		let logits = conv(weights, tf.relu(bn(weights, h, 'd/out/bn')), 'd/out/conv');
		// optional global skip (cpu/tiny configs, not in Fig. 4a): + gain * avgpool4(hr) before tanh
		const gain = weights['d/skip/gain'];
		if (gain) logits = tf.add(logits, tf.mul(tf.avgPool(x as tf.Tensor4D, 4, 4, 'valid'), gain)) as tf.Tensor4D;
		return tf.tanh(logits) as tf.Tensor4D;
	});
}
