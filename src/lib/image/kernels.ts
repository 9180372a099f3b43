// Blur kernels for the classical degradation models, all normalised to sum 1 (a blur must not
// change the mean brightness). Kernels are plain data; tensor.ts `blur` applies them as a true
// convolution, with the kernel's anchor at (floor(h/2), floor(w/2)).

import { createRng } from './rng';

export interface Kernel {
	width: number;
	height: number;
	/** row-major, length width·height, sums to 1 */
	data: Float32Array;
}

/** The 1×1 identity kernel. */
export function identityKernel(): Kernel {
	return { width: 1, height: 1, data: Float32Array.of(1) };
}

function normalise(width: number, height: number, w: Float64Array): Kernel {
	let sum = 0;
	for (const v of w) sum += v;
	if (!(sum > 0)) return identityKernel();
	const data = new Float32Array(w.length);
	for (let i = 0; i < w.length; i++) data[i] = w[i] / sum;
	return { width, height, data };
}

/**
 * Isotropic Gaussian, sampled at pixel centres (SRGAN's "Gaussian filter", paper 004 §2).
 * Default size 2·ceil(3σ)+1 keeps >99.7% of the mass per axis. σ ≤ 0 gives the identity.
 */
export function gaussianKernel(sigma: number, size?: number): Kernel {
	if (!(sigma > 0)) return identityKernel();
	const n = size ?? 2 * Math.ceil(3 * sigma) + 1;
	if (!Number.isInteger(n) || n < 1) throw new RangeError(`gaussianKernel: bad size ${n}`);
	const c = (n - 1) / 2;
	const w = new Float64Array(n * n);
	for (let y = 0; y < n; y++)
		for (let x = 0; x < n; x++) w[y * n + x] = Math.exp(-((x - c) ** 2 + (y - c) ** 2) / (2 * sigma * sigma));
	return normalise(n, n, w);
}

/** The random parameters behind a random blur kernel (shown in the UI). */
export interface RandomBlurParams {
	sigmaX: number;
	sigmaY: number;
	/** radians, rotation of the x axis of the ellipse */
	angle: number;
}

/**
 * High-to-Low's "random blur kernel with a kernel size varying from 2 to 6 px" (paper 001 §4,
 * baseline 2). The paper gives no distribution, so we choose: an anisotropic Gaussian on a
 * size×size support centred at ((size−1)/2, (size−1)/2), with σx, σy ~ U(0.5, max(0.6, size/2))
 * (from nearly sharp to nearly a box) and angle θ ~ U(0, π), from the seeded RNG.
 * Even sizes are centred between pixels, so they also shift the image by half a pixel.
 */
export function randomBlurKernel(size: number, seed: number): Kernel & { params: RandomBlurParams } {
	if (!Number.isInteger(size) || size < 1) throw new RangeError(`randomBlurKernel: bad size ${size}`);
	const rng = createRng(seed);
	const hi = Math.max(0.6, size / 2);
	const params: RandomBlurParams = { sigmaX: rng.range(0.5, hi), sigmaY: rng.range(0.5, hi), angle: rng.range(0, Math.PI) };
	const { sigmaX, sigmaY, angle } = params;
	const cos = Math.cos(angle);
	const sin = Math.sin(angle);
	const c = (size - 1) / 2;
	const w = new Float64Array(size * size);
	for (let y = 0; y < size; y++)
		for (let x = 0; x < size; x++) {
			// rotate the offset into the ellipse's frame: exp(−½ dᵀ Σ⁻¹ d), Σ = R diag(σx², σy²) Rᵀ
			const dx = x - c;
			const dy = y - c;
			const u = cos * dx + sin * dy;
			const v = -sin * dx + cos * dy;
			w[y * size + x] = Math.exp(-0.5 * ((u / sigmaX) ** 2 + (v / sigmaY) ** 2));
		}
	return { ...normalise(size, size, w), params };
}

/**
 * Linear motion blur (camera or subject moving during the exposure: paper 002 §1) as an
 * anti-aliased line: a segment of `length` px through the centre, at `angleDeg` counter-clockwise
 * from the +x axis as seen on screen (y points down, so 45° runs bottom-left to top-right).
 * The segment's uniform measure is sampled densely and each sample splatted bilinearly, i.e.
 * the exact line convolved with a 1-px tent, which varies smoothly with length and angle.
 * Support is (2·ceil(L/2)+1)² so the tent at the ends fits. length ≤ 0 gives the identity.
 */
export function motionBlurKernel(length: number, angleDeg: number): Kernel {
	if (!(length > 0)) return identityKernel();
	const r = Math.ceil(length / 2);
	const n = 2 * r + 1;
	const th = (angleDeg * Math.PI) / 180;
	const ux = Math.cos(th);
	const uy = -Math.sin(th);
	const w = new Float64Array(n * n);
	const samples = Math.max(2, Math.ceil(length * 16)) + 1; // odd count: symmetric about 0
	for (let i = 0; i < samples; i++) {
		const t = (i / (samples - 1) - 0.5) * length;
		// snap tiny floating error so 0°/90° lines stay on one row/column
		const x = r + snap(t * ux);
		const y = r + snap(t * uy);
		const x0 = Math.floor(x);
		const y0 = Math.floor(y);
		const fx = x - x0;
		const fy = y - y0;
		splat(w, n, x0, y0, (1 - fx) * (1 - fy));
		splat(w, n, x0 + 1, y0, fx * (1 - fy));
		splat(w, n, x0, y0 + 1, (1 - fx) * fy);
		splat(w, n, x0 + 1, y0 + 1, fx * fy);
	}
	return normalise(n, n, w);
}

function snap(v: number): number {
	const k = Math.round(v);
	return Math.abs(v - k) < 1e-9 ? k : v;
}

function splat(w: Float64Array, n: number, x: number, y: number, v: number): void {
	if (v > 0 && x >= 0 && y >= 0 && x < n && y < n) w[y * n + x] += v;
}
