// RGBImage ⇄ tfjs tensors, and convolution with a blur kernel. Tensors are HWC float32 in [0, 1].

import * as tf from '@tensorflow/tfjs';
import { rgbImage, type RGBImage } from './rgb';
import type { Kernel } from './kernels';

/** Upload an image as an [H, W, 3] float32 tensor (the caller disposes it). */
export function toTensor(img: RGBImage): tf.Tensor3D {
	return tf.tensor3d(img.data, [img.height, img.width, 3], 'float32');
}

/**
 * Read an [H, W, 3] (or [1, H, W, 3]) tensor back into an RGBImage, asynchronously (`data()`
 * does not block the page on WebGL/WebGPU). Values are clamped to [0, 1] and NaN becomes 0,
 * because RGBImage promises that range. Does not dispose the tensor.
 */
export async function fromTensor(t: tf.Tensor): Promise<RGBImage> {
	const shape = t.rank === 4 && t.shape[0] === 1 ? t.shape.slice(1) : t.shape;
	if (shape.length !== 3 || shape[2] !== 3) throw new Error(`fromTensor: expected [H, W, 3], got [${t.shape}]`);
	const src = await t.data();
	const out = new Float32Array(src.length);
	for (let i = 0; i < src.length; i++) {
		const v = src[i];
		out[i] = v > 0 ? (v < 1 ? v : 1) : 0; // NaN fails v > 0 → 0
	}
	return rgbImage(shape[1], shape[0], out);
}

/**
 * Convolve each channel of an HWC/NHWC tensor with `kernel` (true convolution: the kernel is
 * flipped for depthwiseConv2d, which correlates; anchor at (floor(h/2), floor(w/2)), so an
 * impulse returns the kernel itself). Output has the input's size ('same').
 *
 * Borders use reflect padding (…c b | a b c … , edge pixel not repeated): zero padding would
 * darken the borders, which the L2 against the pooled HR would then count as degradation.
 * Even-sized kernels get the extra row/column of padding on the bottom/right, as TF's 'same'.
 */
export function blur<T extends tf.Tensor3D | tf.Tensor4D>(t: T, kernel: Kernel): T {
	const { width: kw, height: kh } = kernel;
	if (kw === 1 && kh === 1 && kernel.data[0] === 1) return tf.clone(t);
	const hAxis = t.rank === 4 ? 1 : 0;
	const C = t.shape[hAxis + 2];
	return tf.tidy(() => {
		// Flipped kernel tiled over channels: filter shape [kh, kw, C, 1].
		const f = new Float32Array(kh * kw * C);
		for (let y = 0; y < kh; y++)
			for (let x = 0; x < kw; x++) {
				const v = kernel.data[(kh - 1 - y) * kw + (kw - 1 - x)];
				for (let c = 0; c < C; c++) f[(y * kw + x) * C + c] = v;
			}
		const filter = tf.tensor4d(f, [kh, kw, C, 1]);
		const ay = Math.floor(kh / 2);
		const ax = Math.floor(kw / 2);
		const pads: [number, number][] = [
			[kh - 1 - ay, ay],
			[kw - 1 - ax, ax],
			[0, 0]
		];
		const x4 = (t.rank === 4 ? t : tf.expandDims(t, 0)) as tf.Tensor4D;
		const padded = mirrorPadSafe(x4, [[0, 0], ...pads]);
		const y = tf.depthwiseConv2d(padded, filter, 1, 'valid');
		return (t.rank === 4 ? y : tf.squeeze(y, [0])) as T;
	});
}

/** tf.mirrorPad 'reflect' needs pad < size; larger pads (kernel bigger than the image) reflect repeatedly. */
function mirrorPadSafe(x: tf.Tensor4D, pads: [number, number][]): tf.Tensor4D {
	let out = x;
	let rest = pads.map(([a, b]) => [a, b] as [number, number]);
	while (rest.some(([a, b]) => a > 0 || b > 0)) {
		const step = rest.map(([a, b], i) => {
			const lim = out.shape[i] - 1;
			return [Math.min(a, lim), Math.min(b, lim)] as [number, number];
		});
		out = tf.mirrorPad(out, step, 'reflect');
		rest = rest.map(([a, b], i) => [a - step[i][0], b - step[i][1]]);
	}
	return out;
}

/**
 * Build tensors in a tidy scope, read them back (one float array each) and free them: the one
 * readback every model forward ends with.
 */
export async function readFloats(make: () => tf.Tensor): Promise<Float32Array>;
export async function readFloats(make: () => tf.Tensor[]): Promise<Float32Array[]>;
export async function readFloats(make: () => tf.Tensor | tf.Tensor[]): Promise<Float32Array | Float32Array[]> {
	const out = tf.tidy(make);
	const list = Array.isArray(out) ? out : [out];
	try {
		const data = (await Promise.all(list.map((t) => t.data()))) as Float32Array[];
		return Array.isArray(out) ? data : data[0];
	} finally {
		tf.dispose(list);
	}
}
