// The tiny progressive GAN trained live in the browser (Karras et al. 2018, scaled down): a
// generator and a critic as pure functions of their weights, growing 4 → 8 → 16 (→ 32) px
// with a fade-in weight α at the newest level. Every layer has c channels.
//   G: pixel-norm z → dense to 4×4×c → 3×3 conv; per level: nearest ×2, two 3×3 convs; a 1×1
//      toRGB per level; pixel norm after every layer. Fade: (1−α)·up(toRGB_{L−1}) + α·toRGB_L.
//   D: 1×1 fromRGB per level; per level above 4: two 3×3 convs, ×2 down; at 4×4 a 3×3 conv and
//      a dense to one score. Fade: α·block_L(fromRGB_L(x)) + (1−α)·fromRGB_{L−1}(down(x)).
// No minibatch-stddev layer: WGAN-GP's penalty is per sample, and that layer mixes samples.

import * as tf from '@tensorflow/tfjs';
import { createRng } from '$lib/image/rng';
import { conv, dense, down2, lrelu, pixelNorm, up2 } from './layers';

export interface GanShape {
	/** Resolutions, each twice the previous, starting at 4. */
	levels: readonly number[];
	channels: number;
	latent: number;
}

export type GanWeights = Record<string, tf.Variable>;

export interface GanNets {
	shape: GanShape;
	g: GanWeights;
	d: GanWeights;
}

/** Weight names and shapes, in a fixed order (saving and Adam rely on it). */
export function weightShapes(s: GanShape): { g: [string, number[]][]; d: [string, number[]][] } {
	const c = s.channels;
	const g: [string, number[]][] = [
		['4/dense/w', [s.latent, 16 * c]],
		['4/dense/b', [16 * c]],
		['4/conv/w', [3, 3, c, c]],
		['4/conv/b', [c]]
	];
	const d: [string, number[]][] = [];
	for (const r of s.levels.slice(1)) {
		g.push([`${r}/conv1/w`, [3, 3, c, c]], [`${r}/conv1/b`, [c]], [`${r}/conv2/w`, [3, 3, c, c]], [`${r}/conv2/b`, [c]]);
		d.push([`${r}/conv1/w`, [3, 3, c, c]], [`${r}/conv1/b`, [c]], [`${r}/conv2/w`, [3, 3, c, c]], [`${r}/conv2/b`, [c]]);
	}
	for (const r of s.levels) {
		g.push([`${r}/torgb/w`, [1, 1, c, 3]], [`${r}/torgb/b`, [3]]);
		d.push([`${r}/fromrgb/w`, [1, 1, 3, c]], [`${r}/fromrgb/b`, [c]]);
	}
	d.push(['4/conv/w', [3, 3, c, c]], ['4/conv/b', [c]], ['4/dense/w', [16 * c, 1]], ['4/dense/b', [1]]);
	return { g, d };
}

export function checkShape(s: GanShape): void {
	if (s.levels[0] !== 4) throw new RangeError('gan: levels must start at 4');
	for (let i = 1; i < s.levels.length; i++) if (s.levels[i] !== 2 * s.levels[i - 1]) throw new RangeError('gan: each level must double the previous');
	if (!Number.isInteger(s.channels) || s.channels < 1 || !Number.isInteger(s.latent) || s.latent < 1) throw new RangeError('gan: bad channels or latent size');
}

/** Fresh nets: weights N(0, 1) from the project's RNG (equalised LR scales them at use), biases 0. */
export function createNets(s: GanShape, seed: number): GanNets {
	checkShape(s);
	const rng = createRng(seed);
	const make = (list: [string, number[]][]): GanWeights =>
		Object.fromEntries(
			list.map(([name, shape]) => {
				const n = shape.reduce((a, b) => a * b, 1);
				const data = name.endsWith('/b') ? new Float32Array(n) : rng.fillNormal(new Float32Array(n));
				return [name, tf.variable(tf.tensor(data, shape), true)];
			})
		);
	const { g, d } = weightShapes(s);
	return { shape: s, g: make(g), d: make(d) };
}

export function disposeNets(n: GanNets): void {
	tf.dispose([...Object.values(n.g), ...Object.values(n.d)]);
}

function levelIndex(s: GanShape, level: number): number {
	const i = s.levels.indexOf(level);
	if (i < 0) throw new Error(`gan: level ${level} is not one of ${s.levels.join(', ')}`);
	return i;
}

const cv = (w: GanWeights, x: tf.Tensor4D, name: string, gain?: number) => conv(x, w[`${name}/w`], w[`${name}/b`], gain);

/** z [N, latent] → images [N, level, level, 3] in the training range [−1, 1] (not clamped). */
export function generate(n: GanNets, z: tf.Tensor2D, level: number, alpha = 1): tf.Tensor4D {
	const L = levelIndex(n.shape, level);
	const w = n.g;
	const c = n.shape.channels;
	return tf.tidy(() => {
		let h = pixelNorm(lrelu(tf.reshape(dense(pixelNorm(z), w['4/dense/w'], w['4/dense/b'], Math.SQRT2 / 4), [z.shape[0], 4, 4, c]) as tf.Tensor4D));
		h = pixelNorm(lrelu(cv(w, h, '4/conv')));
		let prev = h;
		for (let i = 1; i <= L; i++) {
			const r = n.shape.levels[i];
			prev = h;
			h = pixelNorm(lrelu(cv(w, pixelNorm(lrelu(cv(w, up2(h), `${r}/conv1`))), `${r}/conv2`)));
		}
		const out = cv(w, h, `${level}/torgb`, 1);
		if (L === 0 || alpha >= 1) return out;
		const low = up2(cv(w, prev, `${n.shape.levels[L - 1]}/torgb`, 1));
		return tf.add(tf.mul(low, 1 - alpha), tf.mul(out, alpha)) as tf.Tensor4D;
	});
}

/** images [N, level, level, 3] → critic scores [N, 1]. Twice differentiable w.r.t. x and weights. */
export function discriminate(n: GanNets, x: tf.Tensor4D, level: number, alpha = 1): tf.Tensor2D {
	const L = levelIndex(n.shape, level);
	const w = n.d;
	let h = lrelu(cv(w, x, `${level}/fromrgb`));
	for (let i = L; i >= 1; i--) {
		const r = n.shape.levels[i];
		h = down2(lrelu(cv(w, lrelu(cv(w, h, `${r}/conv1`)), `${r}/conv2`)));
		if (i === L && alpha < 1) {
			const low = lrelu(cv(w, down2(x), `${n.shape.levels[i - 1]}/fromrgb`));
			h = tf.add(tf.mul(h, alpha), tf.mul(low, 1 - alpha)) as tf.Tensor4D;
		}
	}
	h = lrelu(cv(w, h, '4/conv'));
	return dense(tf.reshape(h, [x.shape[0], -1]) as tf.Tensor2D, w['4/dense/w'], w['4/dense/b'], 1);
}
