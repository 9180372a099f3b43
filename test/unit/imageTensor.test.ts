import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { blur, fromTensor, toTensor } from '../../src/lib/image/tensor';
import { gaussianKernel, motionBlurKernel, randomBlurKernel, type Kernel } from '../../src/lib/image/kernels';
import { rgbImage } from '../../src/lib/image/rgb';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

function impulse(h: number, w: number, y: number, x: number, c = 3): tf.Tensor3D {
	const d = new Float32Array(h * w * c);
	for (let k = 0; k < c; k++) d[(y * w + x) * c + k] = 1;
	return tf.tensor3d(d, [h, w, c]);
}

/** The response around (py, px) in channel ch, as a kernel-sized window anchored at floor(k/2). */
function window(t: tf.Tensor3D, k: Kernel, py: number, px: number, ch: number): number[] {
	const [, w, c] = t.shape;
	const d = t.dataSync();
	const out: number[] = [];
	const ay = Math.floor(k.height / 2);
	const ax = Math.floor(k.width / 2);
	for (let y = 0; y < k.height; y++) for (let x = 0; x < k.width; x++) out.push(d[((py - ay + y) * w + (px - ax + x)) * c + ch]);
	return out;
}

describe('toTensor / fromTensor', () => {
	it('round-trips an image and clamps out-of-range values', async () => {
		const img = rgbImage(3, 2, Float32Array.from({ length: 18 }, (_, i) => i / 17));
		const t = toTensor(img);
		expect(t.shape).toEqual([2, 3, 3]);
		const back = await fromTensor(t);
		expect(back.width).toBe(3);
		expect(back.height).toBe(2);
		expect(Array.from(back.data)).toEqual(Array.from(img.data));
		const wild = tf.tensor4d([-1, 0.5, 2, NaN, 0.25, 1], [1, 1, 2, 3]);
		expect(Array.from((await fromTensor(wild)).data)).toEqual([0, 0.5, 1, 0, 0.25, 1]);
		await expect(fromTensor(tf.zeros([2, 2, 4]))).rejects.toThrow(/expected/);
		tf.dispose([t, wild]);
	});
});

describe('blur', () => {
	it('of an impulse returns the kernel itself (true convolution, odd and even sizes)', () => {
		// An asymmetric kernel catches a flipped (correlation) implementation.
		const asym: Kernel = { width: 3, height: 2, data: Float32Array.from([1, 2, 3, 4, 5, 6].map((v) => v / 21)) };
		for (const k of [gaussianKernel(1), randomBlurKernel(4, 7), motionBlurKernel(5, 30), asym]) {
			const x = impulse(12, 12, 6, 5);
			const y = blur(x, k);
			expect(y.shape).toEqual([12, 12, 3]);
			for (let ch = 0; ch < 3; ch++) {
				const got = window(y, k, 6, 5, ch);
				got.forEach((v, i) => expect(v).toBeCloseTo(k.data[i], 6));
			}
			expect(tf.sum(y).dataSync()[0]).toBeCloseTo(3, 5); // nothing else
			tf.dispose([x, y]);
		}
	});

	it('keeps a constant image constant, borders included (reflect padding)', () => {
		const x = tf.fill([10, 9, 3], 0.6) as tf.Tensor3D;
		for (const k of [gaussianKernel(2), randomBlurKernel(6, 1), motionBlurKernel(9, 45)]) {
			const y = blur(x, k);
			for (const v of y.dataSync()) expect(v).toBeCloseTo(0.6, 5);
			y.dispose();
		}
		x.dispose();
	});

	it('reflects at the border (edge pixel not repeated)', () => {
		// 1-D row [a b c] with a 3-tap box: left output = (b + a + b)/3 under reflect padding.
		const x = tf.tensor3d([0, 0, 0, 3, 3, 3, 9, 9, 9], [1, 3, 3]);
		const box: Kernel = { width: 3, height: 1, data: Float32Array.of(1 / 3, 1 / 3, 1 / 3) };
		const y = blur(x, box).dataSync();
		expect(y[0]).toBeCloseTo((3 + 0 + 3) / 3, 6);
		expect(y[6]).toBeCloseTo((3 + 9 + 3) / 3, 6);
		x.dispose();
	});

	it('works batched (NHWC), with kernels larger than the image, and leaks nothing', () => {
		const x = tf.randomUniform([2, 5, 5, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
		const before = tf.memory().numTensors;
		const y = blur(x, gaussianKernel(1.5)); // 11×11 kernel on a 5×5 image
		expect(y.shape).toEqual([2, 5, 5, 3]);
		expect(tf.memory().numTensors).toBe(before + 1);
		const mean = (t: tf.Tensor) => tf.mean(t).dataSync()[0];
		expect(mean(y)).toBeGreaterThan(0.2);
		tf.dispose([x, y]);
		const c = tf.fill([3, 4, 3], 0.25) as tf.Tensor3D; // 19×19 kernel: pads reflect repeatedly
		const yc = blur(c, gaussianKernel(3));
		for (const v of yc.dataSync()) expect(v).toBeCloseTo(0.25, 5);
		tf.dispose([c, yc]);
	});
});
