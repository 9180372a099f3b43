// The forward-conv form of Conv2DBackpropInput (src/lib/backend/fastConvGrad.ts) against the
// stock tfjs kernel, on wasm (where it is installed) and cpu: same gradients for 3×3 and 1×1
// 'same' convs, batches, channel changes; other shapes take the stock path; no leaked tensors.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_SIZE, coveredByForwardConv, installFastConvGrad, uninstallFastConvGrad } from '../../src/lib/backend/fastConvGrad';
import { createRng } from '../../src/lib/image/rng';

const rnd = (shape: number[], seed: number) => tf.tensor(createRng(seed).fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1))), shape);

/** dx of sum(conv2d(x, w) * r) through the registered kernels of the active backend. */
async function inputGrad(xs: number[], ws: number[], pad: 'same' | 'valid', strides = 1): Promise<Float32Array> {
	const x = rnd(xs, 1) as tf.Tensor4D;
	const w = rnd(ws, 2) as tf.Tensor4D;
	const y = tf.conv2d(x, w, strides, pad);
	const r = rnd(y.shape, 3);
	const g = tf.grad((xx: tf.Tensor) => tf.sum(tf.mul(tf.conv2d(xx as tf.Tensor4D, w, strides, pad), r)))(x);
	const out = (await g.data()) as Float32Array;
	tf.dispose([x, w, y, r, g]);
	return out;
}

const CASES: [number[], number[], 'same' | 'valid', number][] = [
	[[2, 8, 8, 5], [3, 3, 5, 7], 'same', 1],
	[[3, 6, 5, 4], [1, 1, 4, 6], 'same', 1],
	[[1, 4, 4, 3], [1, 1, 3, 2], 'valid', 1],
	[[1, 9, 9, 2], [5, 5, 2, 3], 'same', 1],
	[[1, 8, 8, 2], [3, 3, 2, 3], 'same', 2] // strided: stock path
];

describe.each(['wasm', 'cpu'])('fast Conv2DBackpropInput on %s', (backend) => {
	const stock: Float32Array[] = [];
	beforeAll(async () => {
		await tf.setBackend(backend);
		await tf.ready();
		for (const [xs, ws, pad, s] of CASES) stock.push(await inputGrad(xs, ws, pad, s)); // before install
		const stockFn = tf.getKernel('Conv2DBackpropInput', backend)!.kernelFunc;
		expect(installFastConvGrad([backend])).toContain(backend);
		expect(tf.getKernel('Conv2DBackpropInput', backend)!.kernelFunc).not.toBe(stockFn);
	});
	afterAll(() => uninstallFastConvGrad(backend));

	it('matches the stock kernel and leaks nothing (twice: the second pass hits the filter cache)', async () => {
		for (let i = 0; i < 2 * CASES.length; i++) {
			const [xs, ws, pad, s] = CASES[i % CASES.length];
			const before = tf.memory().numTensors;
			const got = await inputGrad(xs, ws, pad, s);
			expect(tf.memory().numTensors).toBe(before);
			let err = 0;
			let mag = 0;
			for (let j = 0; j < got.length; j++) {
				err = Math.max(err, Math.abs(got[j] - stock[i % CASES.length][j]));
				mag = Math.max(mag, Math.abs(stock[i % CASES.length][j]));
			}
			expect(err / mag, `case ${i}`).toBeLessThan(1e-5);
		}
	});

	it('evicts beyond CACHE_SIZE filters and stays correct', async () => {
		const x = rnd([1, 3, 3, 2], 4) as tf.Tensor4D;
		for (let i = 0; i < CACHE_SIZE + 5; i++) {
			const w = tf.fill([1, 1, 2, 1], i + 1) as tf.Tensor4D;
			const g = tf.grad((xx: tf.Tensor) => tf.sum(tf.conv2d(xx as tf.Tensor4D, w, 1, 'same')))(x);
			const d = await g.data();
			expect(Array.from(d)).toEqual(new Array(18).fill(i + 1)); // d/dx of Σ x·w = w
			tf.dispose([w, g]);
		}
		x.dispose();
	});
});

describe('coveredByForwardConv', () => {
	it('takes stride 1, odd kernels, same padding (or 1×1 valid), NHWC only', () => {
		expect(coveredByForwardConv([3, 3, 4, 5], { strides: [1, 1], pad: 'same' })).toBe(true);
		expect(coveredByForwardConv([3, 3, 4, 5], { strides: 1, pad: 'same', dataFormat: 'NHWC' })).toBe(true);
		expect(coveredByForwardConv([1, 1, 4, 5], { strides: 1, pad: 'valid' })).toBe(true);
		expect(coveredByForwardConv([3, 3, 4, 5], { strides: 1, pad: 'valid' })).toBe(false);
		expect(coveredByForwardConv([2, 2, 4, 5], { strides: 1, pad: 'same' })).toBe(false);
		expect(coveredByForwardConv([3, 3, 4, 5], { strides: [2, 2], pad: 'same' })).toBe(false);
		expect(coveredByForwardConv([3, 3, 4, 5], { strides: 1, pad: [[0, 0], [1, 1], [1, 1], [0, 0]] })).toBe(false);
		expect(coveredByForwardConv([3, 3, 4, 5], { strides: 1, pad: 'same', dataFormat: 'NCHW' })).toBe(false);
	});
});
