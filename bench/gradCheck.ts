// Per-op gradient probes for cross-backend checks (test/e2e/webgpuGrad.test.js): every op that
// ProGAN (src/models/progan.ts), the degrader (src/models/degrader.ts), the Eq. 6 L1 loss and
// Adam use, each differentiated on small batched shapes (batch 2, so batch-indexing bugs show)
// as d/dx of sum(op(x) · R) with a fixed random R. Run on two backends and compare the arrays.

import * as tf from '@tensorflow/tfjs';
import { createRng } from '../src/lib/image/rng';
import { degrade, pixelShuffle } from '../src/models/degrader';
import { generate, PROGAN_LEVELS } from '../src/models/progan';
import type { NamedWeights } from '../src/models/weights';

function randn(shape: number[], seed: number): tf.Tensor {
	return tf.tensor(createRng(seed).fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1))), shape);
}

type Probe = { shape: number[]; f: (x: tf.Tensor) => tf.Tensor };

const w335 = () => randn([3, 3, 5, 7], 11) as tf.Tensor4D;

/** name → input shape and the op under test (all inputs seeded, so every backend sees the same numbers). */
export const PROBES: Record<string, Probe> = {
	resizeNearest2x: { shape: [2, 3, 3, 4], f: (x) => tf.image.resizeNearestNeighbor(x as tf.Tensor4D, [6, 6]) },
	avgPool2: { shape: [2, 8, 8, 3], f: (x) => tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid') },
	avgPool4: { shape: [2, 8, 8, 3], f: (x) => tf.avgPool(x as tf.Tensor4D, 4, 4, 'valid') },
	conv3x3Input: { shape: [2, 6, 6, 5], f: (x) => tf.conv2d(x as tf.Tensor4D, w335(), 1, 'same') },
	conv3x3Filter: { shape: [3, 3, 5, 7], f: (w) => tf.conv2d(randn([2, 6, 6, 5], 12) as tf.Tensor4D, w as tf.Tensor4D, 1, 'same') },
	conv1x1Input: { shape: [2, 5, 5, 6], f: (x) => tf.conv2d(x as tf.Tensor4D, randn([1, 1, 6, 4], 13) as tf.Tensor4D, 1, 'same') },
	pixelShuffle: { shape: [2, 3, 3, 8], f: (x) => pixelShuffle(x as tf.Tensor4D, 2) },
	transpose6d: { shape: [2, 3, 3, 2, 2, 2], f: (x) => tf.transpose(x, [0, 1, 4, 2, 5, 3]) },
	pixelNorm: { shape: [2, 3, 3, 6], f: (x) => tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), 1e-8))) },
	rsqrt: { shape: [2, 3, 3, 1], f: (x) => tf.rsqrt(tf.add(tf.square(x), 0.5)) },
	meanLastKeep: { shape: [2, 3, 3, 6], f: (x) => tf.mean(x, -1, true) },
	mulBroadcastChan: { shape: [2, 3, 3, 6], f: (x) => tf.mul(x, randn([2, 3, 3, 1], 21)) },
	mulBroadcastBoth: { shape: [2, 3, 3, 1], f: (s) => tf.mul(randn([2, 3, 3, 6], 14), s) },
	leakyRelu: { shape: [2, 3, 3, 4], f: (x) => tf.leakyRelu(x, 0.2) },
	relu: { shape: [2, 3, 3, 4], f: (x) => tf.relu(x) },
	tanh: { shape: [2, 3, 3, 4], f: (x) => tf.tanh(x) },
	abs: { shape: [2, 3, 3, 4], f: (x) => tf.abs(tf.sub(x, randn([1, 3, 3, 4], 15))) },
	meanPerItem: { shape: [2, 3, 3, 4], f: (x) => tf.mean(tf.abs(x), [1, 2, 3]) },
	addBias: { shape: [4], f: (b) => tf.add(randn([2, 3, 3, 4], 16), b) },
	mulScale: { shape: [4], f: (s) => tf.mul(randn([2, 3, 3, 4], 17), s) },
	matMul: { shape: [2, 8], f: (z) => tf.matMul(z as tf.Tensor2D, randn([8, 12], 18) as tf.Tensor2D) },
	reshapeDense: { shape: [2, 8], f: (z) => tf.reshape(tf.matMul(z as tf.Tensor2D, randn([8, 16], 19) as tf.Tensor2D), [2, 2, 2, 4]) },
	concatChan: { shape: [2, 4, 4, 3], f: (x) => tf.concat([x, randn([2, 4, 4, 1], 20)], 3) },
	pixelNormLatent: { shape: [2, 8], f: (z) => tf.mul(z, tf.rsqrt(tf.add(tf.mean(tf.square(z), -1, true), 1e-8))) },
	// G's first block at its real sizes (latent 512, 4·4·128): reductions and matMul change programs with size
	pixelNormLatent512: { shape: [1, 512], f: (z) => tf.mul(z, tf.rsqrt(tf.add(tf.mean(tf.square(z), -1, true), 1e-8))) },
	meanLatent512: { shape: [1, 512], f: (z) => tf.mean(tf.square(z), -1, true) },
	matMul512: { shape: [1, 512], f: (z) => tf.matMul(z as tf.Tensor2D, randn([512, 2048], 18) as tf.Tensor2D) },
	pixelNorm128: { shape: [1, 4, 4, 128], f: (x) => tf.mul(x, tf.rsqrt(tf.add(tf.mean(tf.square(x), -1, true), 1e-8))) },
	conv3x3Input128: { shape: [1, 4, 4, 128], f: (x) => tf.conv2d(x as tf.Tensor4D, randn([3, 3, 128, 128], 22) as tf.Tensor4D, 1, 'same') },
	// d/dx of x·c equals c: these test FORWARD matMuls with inner size 2048 (tfjs-webgpu's split-K path)
	splitKForward: { shape: [1, 512], f: (x) => tf.mul(x, tf.matMul(randn([1, 2048], 24) as tf.Tensor2D, randn([2048, 512], 25) as tf.Tensor2D)) },
	splitKForwardTransposeB: { shape: [1, 512], f: (x) => tf.mul(x, tf.matMul(randn([1, 2048], 24) as tf.Tensor2D, randn([512, 2048], 25) as tf.Tensor2D, false, true)) },
	torgb128: { shape: [1, 4, 4, 128], f: (x) => tf.conv2d(x as tf.Tensor4D, randn([1, 1, 128, 3], 23) as tf.Tensor4D, 1, 'same') }
};

/** d/dx sum(f(x) · R) for every probe (or the named ones), as plain arrays. */
export async function probeGradients(names: string[] = Object.keys(PROBES)): Promise<Record<string, number[]>> {
	const out: Record<string, number[]> = {};
	for (const name of names) {
		const { shape, f } = PROBES[name];
		const g = tf.tidy(() => {
			const x = randn(shape, 1);
			return tf.grad((xx: tf.Tensor) => {
				const y = f(xx);
				return tf.sum(tf.mul(y, randn(y.shape, 2)));
			})(x);
		});
		out[name] = Array.from((await g.data()) as Float32Array);
		g.dispose();
	}
	return out;
}

/**
 * The networks' own gradients at SR-NAM's shapes (K = 1): G (src/models/progan.ts) at every
 * level w.r.t. z, and D (src/models/degrader.ts) w.r.t. its HR input, each as d/dx sum(out · R).
 */
export async function modelGradients(g: NamedWeights, d: NamedWeights, names?: string[]): Promise<Record<string, number[]>> {
	const latent = g['g/4/dense/w'].shape[0];
	const nd = d['d/noise/w'].shape[0];
	const cases: Record<string, () => tf.Tensor> = {};
	for (const level of PROGAN_LEVELS)
		cases[`G${level}`] = () => tf.grad((z: tf.Tensor) => {
			const y = generate(g, z as tf.Tensor2D, { level });
			return tf.sum(tf.mul(y, randn(y.shape, 2)));
		})(randn([1, latent], 1));
	cases.D = () => tf.grad((hr: tf.Tensor) => {
		const y = degrade(d, hr as tf.Tensor4D, randn([1, nd], 3) as tf.Tensor2D);
		return tf.sum(tf.mul(y, randn(y.shape, 2)));
	})(tf.tanh(randn([1, 64, 64, 3], 4)));
	const out: Record<string, number[]> = {};
	for (const name of names ?? Object.keys(cases)) {
		const t = tf.tidy(cases[name]);
		out[name] = Array.from((await t.data()) as Float32Array);
		t.dispose();
	}
	return out;
}
