// Metrics for the SR-NAM notebook, pure functions on RGBImage / Float32Array (no tfjs):
// - LR consistency of each candidate: L1 and PSNR of D(G(z_k)) against the input (the quantity
//   Eq. 6 drives down, here on [0, 1] display values);
// - pairwise diversity of the candidates (mean |x_i − x_j|): §3.4 "Multiple Solutions";
// - the mean of the candidates: the blurry average a pixel-MSE-trained network converges to
//   (the SRGAN argument for why one-to-many needs more than a regression);
// - a 2-D PCA of latent vectors (trajectories of the K restarts);
// - PSNR against a known HR image (when the LR was made from one). §4.4 declines PSNR/SSIM as
//   quality measures; we show them as consistency/closeness numbers, not quality.

import type { RGBImage } from '../image/rgb';
import { rgbImage } from '../image/rgb';
import { createRng } from '../image/rng';

function sameSize(a: RGBImage, b: RGBImage, what: string) {
	if (a.width !== b.width || a.height !== b.height || a.data.length !== b.data.length)
		throw new Error(`${what}: images differ in size (${a.width}×${a.height} vs ${b.width}×${b.height})`);
}

/** Mean absolute difference over all pixels and channels. */
export function l1(a: RGBImage, b: RGBImage): number {
	sameSize(a, b, 'l1');
	let s = 0;
	for (let i = 0; i < a.data.length; i++) s += Math.abs(a.data[i] - b.data[i]);
	return s / a.data.length;
}

/** Mean squared difference over all pixels and channels. */
export function mse(a: RGBImage, b: RGBImage): number {
	sameSize(a, b, 'mse');
	let s = 0;
	for (let i = 0; i < a.data.length; i++) {
		const d = a.data[i] - b.data[i];
		s += d * d;
	}
	return s / a.data.length;
}

/** PSNR in dB for [0, peak] images: 10·log10(peak² / MSE); Infinity when identical. */
export function psnr(a: RGBImage, b: RGBImage, peak = 1): number {
	const m = mse(a, b);
	return m === 0 ? Infinity : 10 * Math.log10((peak * peak) / m);
}

/** PSNR of a candidate against the known HR (same thing, named for the notebook). */
export const psnrAgainstHR = (candidate: RGBImage, hr: RGBImage): number => psnr(candidate, hr);

export interface LRConsistency {
	l1: number;
	psnr: number;
}

/** For each degraded candidate D(G(z_k)): L1 and PSNR against the LR input. */
export function lrConsistency(degraded: RGBImage[], input: RGBImage): LRConsistency[] {
	return degraded.map((d) => ({ l1: l1(d, input), psnr: psnr(d, input) }));
}

/** Symmetric [n, n] row-major matrix of mean |x_i − x_j| (zero diagonal). */
export function diversityMatrix(images: RGBImage[]): Float32Array {
	const n = images.length;
	const out = new Float32Array(n * n);
	for (let i = 0; i < n; i++)
		for (let j = i + 1; j < n; j++) {
			const d = l1(images[i], images[j]);
			out[i * n + j] = d;
			out[j * n + i] = d;
		}
	return out;
}

/** Mean of the off-diagonal entries of a diversity matrix (0 for n < 2). */
export function meanDiversity(m: Float32Array, n: number): number {
	if (n < 2) return 0;
	let s = 0;
	for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (i !== j) s += m[i * n + j];
	return s / (n * (n - 1));
}

/** Per-pixel mean of the candidates. */
export function meanImage(images: RGBImage[]): RGBImage {
	if (!images.length) throw new Error('meanImage: no images');
	const out = rgbImage(images[0].width, images[0].height);
	for (const im of images) {
		sameSize(im, images[0], 'meanImage');
		for (let i = 0; i < out.data.length; i++) out.data[i] += im.data[i];
	}
	for (let i = 0; i < out.data.length; i++) out.data[i] /= images.length;
	return out;
}

export interface PCA2 {
	/** [n, 2] row-major projections of the centred points on the two components */
	coords: Float32Array;
	/** [2, d] row-major unit principal directions */
	components: Float32Array;
	/** variances along the two components (eigenvalues of the covariance) */
	variance: [number, number];
	/** total variance (trace of the covariance), so variance[i]/total is the explained share */
	total: number;
	mean: Float32Array;
}

/**
 * 2-D PCA of n points in R^d (`points` is [n, d] row-major). Power iteration on the sample
 * covariance C = XᵀX/(n−1) of the centred X, applied as Xᵀ(Xv) so C is never formed (n·d per
 * iteration instead of d²); the second component is deflated by re-orthogonalising against
 * the first every iteration. Deterministic: a fixed-seed start vector, and each component's
 * sign is chosen so its largest-magnitude entry is positive.
 */
/** `tol` bounds ‖v_{t+1} − v_t‖ (default 1e-9), `iterations` the work (default 1000 per component). */
export function pca2(points: Float32Array, d: number, opts: { iterations?: number; tol?: number } = {}): PCA2 {
	if (!(d >= 1) || points.length % d) throw new Error(`pca2: ${points.length} values is not a whole number of ${d}-vectors`);
	const n = points.length / d;
	const iterations = opts.iterations ?? 1000;
	const tol = opts.tol ?? 1e-9;
	const mean = new Float64Array(d);
	for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j] += points[i * d + j];
	for (let j = 0; j < d; j++) mean[j] /= Math.max(n, 1);
	const X = new Float64Array(n * d);
	let total = 0;
	for (let i = 0; i < n; i++)
		for (let j = 0; j < d; j++) {
			const v = points[i * d + j] - mean[j];
			X[i * d + j] = v;
			total += v * v;
		}
	const denom = Math.max(n - 1, 1);
	total /= denom;

	const cov = (v: Float64Array): Float64Array => {
		const xv = new Float64Array(n);
		for (let i = 0; i < n; i++) {
			let s = 0;
			for (let j = 0; j < d; j++) s += X[i * d + j] * v[j];
			xv[i] = s;
		}
		const out = new Float64Array(d);
		for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[j] += X[i * d + j] * xv[i];
		for (let j = 0; j < d; j++) out[j] /= denom;
		return out;
	};
	const dot = (a: Float64Array, b: Float64Array) => a.reduce((s, x, i) => s + x * b[i], 0);
	const orth = (v: Float64Array, against: Float64Array[]) => {
		for (const u of against) {
			const p = dot(v, u);
			for (let j = 0; j < d; j++) v[j] -= p * u[j];
		}
	};
	const normalise = (v: Float64Array): number => {
		const nrm = Math.sqrt(dot(v, v));
		if (nrm > 0) for (let j = 0; j < d; j++) v[j] /= nrm;
		return nrm;
	};

	const rng = createRng(0x5eed);
	const comps: Float64Array[] = [];
	const variance: [number, number] = [0, 0];
	for (let c = 0; c < 2; c++) {
		let v: Float64Array = Float64Array.from({ length: d }, () => rng.normal());
		orth(v, comps);
		normalise(v);
		let lambda = 0;
		for (let it = 0; it < iterations; it++) {
			const w = cov(v);
			orth(w, comps);
			lambda = normalise(w);
			if (lambda === 0) {
				v = new Float64Array(d); // no variance left in this direction: zero component
				break;
			}
			let diff = 0;
			for (let j = 0; j < d; j++) diff += (w[j] - v[j]) ** 2;
			v = w;
			if (Math.sqrt(diff) < tol) break;
		}
		// deterministic sign: largest-magnitude entry positive
		let big = 0;
		for (let j = 0; j < d; j++) if (Math.abs(v[j]) > Math.abs(v[big])) big = j;
		if (v[big] < 0) for (let j = 0; j < d; j++) v[j] = -v[j];
		variance[c] = lambda;
		comps.push(v);
	}
	const coords = new Float32Array(n * 2);
	for (let i = 0; i < n; i++)
		for (let c = 0; c < 2; c++) {
			let s = 0;
			for (let j = 0; j < d; j++) s += X[i * d + j] * comps[c][j];
			coords[i * 2 + c] = s;
		}
	const components = new Float32Array(2 * d);
	components.set(comps[0], 0);
	components.set(comps[1], d);
	return { coords, components, variance, total, mean: Float32Array.from(mean) };
}

export interface TrajectoryPoint {
	restart: number;
	step: number;
	x: number;
	y: number;
}

/**
 * PCA of the latent trajectories: every stored record's K latents ([K, d] each, e.g.
 * search.history.latentRecords()) projected together onto one 2-D plane, so the restarts'
 * paths are comparable. Points come out record by record, restart by restart.
 */
export function pcaTrajectories(records: readonly { step: number; z: Float32Array }[], K: number, d: number): { points: TrajectoryPoint[]; pca: PCA2 } {
	const all = new Float32Array(records.length * K * d);
	records.forEach((r, i) => {
		if (r.z.length !== K * d) throw new Error(`pcaTrajectories: record of step ${r.step} has ${r.z.length} values, expected ${K * d}`);
		all.set(r.z, i * K * d);
	});
	const pca = pca2(all, d, { iterations: 300, tol: 1e-7 });
	const points: TrajectoryPoint[] = [];
	records.forEach((r, i) => {
		for (let k = 0; k < K; k++) {
			const row = i * K + k;
			points.push({ restart: k, step: r.step, x: pca.coords[row * 2], y: pca.coords[row * 2 + 1] });
		}
	});
	return { points, pca };
}

/** Luma (ITU-R BT.601 weights) of an RGB image, one value per pixel. */
function luma(img: RGBImage): Float64Array {
	const out = new Float64Array(img.width * img.height);
	for (let i = 0; i < out.length; i++) out[i] = 0.299 * img.data[i * 3] + 0.587 * img.data[i * 3 + 1] + 0.114 * img.data[i * 3 + 2];
	return out;
}

/**
 * SSIM (Wang, Bovik, Sheikh, Simoncelli 2004, Eq. 13) on luma of [0, 1] images: 11×11 Gaussian
 * window (σ = 1.5), C1 = (0.01)², C2 = (0.03)², averaged over every window that fits inside.
 * Like PSNR, a closeness number to a known HR, not a quality measure (SR-NAM §4.4).
 */
export function ssim(a: RGBImage, b: RGBImage): number {
	sameSize(a, b, 'ssim');
	const x = luma(a);
	const y = luma(b);
	const { width: W, height: H } = a;
	const r = Math.min(5, Math.floor((Math.min(W, H) - 1) / 2));
	const g: number[] = [];
	for (let i = -r; i <= r; i++) g.push(Math.exp(-(i * i) / (2 * 1.5 * 1.5)));
	const gs = g.reduce((s, v) => s + v, 0);
	const w = g.map((v) => v / gs);
	const C1 = 0.01 ** 2;
	const C2 = 0.03 ** 2;
	let sum = 0;
	let count = 0;
	for (let cy = r; cy < H - r; cy++)
		for (let cx = r; cx < W - r; cx++) {
			let mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
			for (let dy = -r; dy <= r; dy++)
				for (let dx = -r; dx <= r; dx++) {
					const k = w[dy + r] * w[dx + r];
					const p = (cy + dy) * W + cx + dx;
					mx += k * x[p];
					my += k * y[p];
					xx += k * x[p] * x[p];
					yy += k * y[p] * y[p];
					xy += k * x[p] * y[p];
				}
			const vx = xx - mx * mx;
			const vy = yy - my * my;
			const cxy = xy - mx * my;
			sum += ((2 * mx * my + C1) * (2 * cxy + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
			count++;
		}
	return sum / count;
}
