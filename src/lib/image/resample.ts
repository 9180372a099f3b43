// Resizing as separable linear maps: out = Ry · X · Rxᵀ, with Ry (outH×inH) and Rx (outW×inW)
// whose rows sum to 1. Matrices make resizing exact, the same on every tfjs backend (only
// reshape/transpose/matMul), and differentiable, which the learned degradations need.
//
// Weights follow PIL's Image.resize (the de-facto meaning of "bicubic"/"bilinear downsampling"
// in SR papers): output pixel i has centre c = (i + ½)·s in input coordinates, s = in/out;
// input pixel j gets filter((j + ½ − c)/max(s, 1)). When downsampling (s > 1) the filter is
// stretched by s, i.e. antialiased; taps outside the image are dropped and the row renormalised
// (PIL's edge handling). Unlike PIL we keep float weights (no 8-bit fixed point).

import * as tf from '@tensorflow/tfjs';

export type ResampleMethod = 'area' | 'bilinear' | 'bicubic';

/** Keys cubic convolution kernel with a = −0.5 (PIL, Matlab imresize). */
export function keysCubic(x: number, a = -0.5): number {
	const t = Math.abs(x);
	if (t < 1) return ((a + 2) * t - (a + 3)) * t * t + 1;
	if (t < 2) return (((t - 5) * t + 8) * t - 4) * a;
	return 0;
}

/** Triangle (tent) filter: bilinear interpolation when not stretched. */
export function triangle(x: number): number {
	const t = Math.abs(x);
	return t < 1 ? 1 - t : 0;
}

const cache = new Map<string, Float32Array>();

/**
 * Row-major outSize×inSize resampling matrix; rows sum to 1.
 * - 'area': each output pixel averages the input it covers, weighted by overlap length
 *   (exact box average; = average pooling for integer factors; nearest-like when upsampling).
 * - 'bilinear': PIL BILINEAR, triangle filter of support 1·max(s, 1) (antialiased).
 * - 'bicubic': PIL BICUBIC, Keys a = −0.5, support 2·max(s, 1) (antialiased).
 * For inSize = outSize every method is the identity. The result is cached and shared: do not mutate it.
 */
export function resampleMatrix(inSize: number, outSize: number, method: ResampleMethod): Float32Array {
	if (!(Number.isInteger(inSize) && Number.isInteger(outSize) && inSize > 0 && outSize > 0))
		throw new RangeError(`resampleMatrix: bad sizes ${inSize} → ${outSize}`);
	const key = `${inSize}:${outSize}:${method}`;
	const hit = cache.get(key);
	if (hit) return hit;
	const m = new Float32Array(outSize * inSize);
	const s = inSize / outSize;
	const row = new Float64Array(inSize);
	for (let i = 0; i < outSize; i++) {
		row.fill(0);
		if (method === 'area') {
			const lo = i * s;
			const hi = (i + 1) * s;
			for (let j = Math.floor(lo); j < Math.min(inSize, Math.ceil(hi)); j++) row[j] = Math.min(hi, j + 1) - Math.max(lo, j);
		} else {
			const [filter, support] = method === 'bilinear' ? [triangle, 1] : [keysCubic, 2];
			const fs = Math.max(s, 1);
			const c = (i + 0.5) * s;
			const j0 = Math.max(0, Math.floor(c - support * fs));
			const j1 = Math.min(inSize - 1, Math.ceil(c + support * fs));
			for (let j = j0; j <= j1; j++) row[j] = filter((j + 0.5 - c) / fs);
		}
		let sum = 0;
		for (let j = 0; j < inSize; j++) sum += row[j];
		for (let j = 0; j < inSize; j++) m[i * inSize + j] = row[j] / sum;
	}
	cache.set(key, m);
	return m;
}

/**
 * Apply an (out×in) matrix along `axis` of x: moves the axis first, flattens the rest, matMul.
 * Only transpose/reshape/matMul, which every backend implements with gradients.
 */
function applyAlongAxis(x: tf.Tensor, m: Float32Array, inSize: number, outSize: number, axis: number): tf.Tensor {
	const rank = x.rank;
	const perm = [axis, ...[...Array(rank).keys()].filter((a) => a !== axis)];
	const moved = axis === 0 ? x : tf.transpose(x, perm);
	const rest = moved.shape.slice(1);
	const flat = tf.reshape(moved, [inSize, -1]);
	const y = tf.matMul(tf.tensor2d(m, [outSize, inSize]), flat);
	const back = tf.reshape(y, [outSize, ...rest]);
	if (axis === 0) return back;
	const inv = new Array<number>(rank);
	perm.forEach((p, i) => (inv[p] = i));
	return tf.transpose(back, inv);
}

/** Resize an HWC or NHWC float tensor to h×w. Differentiable; no clamping (bicubic overshoots). */
export function resize<T extends tf.Tensor3D | tf.Tensor4D>(t: T, h: number, w: number, method: ResampleMethod): T {
	return tf.tidy(() => {
		const hAxis = t.rank === 4 ? 1 : 0;
		const [H, W] = [t.shape[hAxis], t.shape[hAxis + 1]];
		let x: tf.Tensor = t;
		if (H !== h) x = applyAlongAxis(x, resampleMatrix(H, h, method), H, h, hAxis);
		if (W !== w) x = applyAlongAxis(x, resampleMatrix(W, w, method), W, w, hAxis + 1);
		return (x === t ? tf.clone(t) : x) as T;
	});
}

/**
 * Average pooling by an integer factor: F in High-to-Low's pixel loss (paper 001, Eq. 4).
 * Sizes must be divisible by the factor so no pixel is dropped.
 */
export function avgPool<T extends tf.Tensor3D | tf.Tensor4D>(t: T, factor: number): T {
	const hAxis = t.rank === 4 ? 1 : 0;
	const [H, W] = [t.shape[hAxis], t.shape[hAxis + 1]];
	if (!Number.isInteger(factor) || factor < 1 || H % factor || W % factor)
		throw new RangeError(`avgPool: ${H}×${W} is not divisible by ${factor}`);
	if (factor === 1) return tf.clone(t);
	return tf.avgPool(t, factor, factor, 'valid');
}
