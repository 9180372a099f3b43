// One render of K latents for the search views: the candidates G(z_k) and their degradations
// D(G(z_k), n_k) on [0, 1], each restart's Eq. 6 loss against the input (model range, before
// any prior), and the latents and noise themselves — all read back in one transfer.

import * as tf from '@tensorflow/tfjs';
import type { RGBImage } from '../image/rgb';
import { modelToUnit, splitImages, type DegraderFn, type GeneratorFn, type ModelRange } from './models';
import type { Render } from './types';

export interface RenderNets {
	generator: GeneratorFn;
	degrader: DegraderFn;
	/** The LR input (its size) and the same in the model range (the loss target). */
	lr: RGBImage;
	target: tf.Tensor4D;
	range: ModelRange;
}

export async function renderLatents(n: RenderNets, stepIndex: number, zt: tf.Tensor2D, nt: tf.Tensor2D): Promise<Render> {
	const [K, latentDim] = zt.shape;
	const noiseDim = nt.shape[1];
	const hrShape: number[] = [];
	const all = tf.tidy(() => {
		const hr = n.generator(zt);
		const lo = n.degrader(hr, nt);
		hrShape.push(...hr.shape);
		const losses = tf.mean(tf.abs(tf.sub(lo, n.target)), [1, 2, 3]);
		return tf.concat([tf.reshape(modelToUnit(hr, n.range), [-1]), tf.reshape(modelToUnit(lo, n.range), [-1]), losses, tf.reshape(zt, [-1]), tf.reshape(nt, [-1])]);
	});
	const data = (await all.data()) as Float32Array;
	all.dispose();
	const [, H, W] = hrShape;
	const hrLen = K * H * W * 3;
	const loLen = K * n.lr.height * n.lr.width * 3;
	let off = hrLen + loLen;
	return {
		step: stepIndex,
		candidates: splitImages(data.subarray(0, hrLen), K, H, W),
		degraded: splitImages(data.subarray(hrLen, hrLen + loLen), K, n.lr.height, n.lr.width),
		losses: data.slice(off, (off += K)),
		z: data.slice(off, (off += K * latentDim)),
		noise: data.slice(off, (off += K * noiseDim))
	};
}
