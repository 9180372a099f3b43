// Per-image statistics of a 16×16 LR face against F(I_hr), its average-pooled HR (paper 001
// Eq. 4), used to compare learned degradations with the classical recipes:
//   colour shift  — ‖mean RGB(lr) − mean RGB(F(I_hr))‖₂ (what a global tint does),
//   blur          — mean squared 4-neighbour Laplacian of the luminance (high-frequency energy:
//                   blur lowers it, noise and ringing raise it),
//   noise         — standard deviation of luminance minus its 3×3 median (the median keeps
//                   edges and removes isolated speckle, so the residual is mostly noise),
//   L2            — 1/(WHC) Σ (F(I_hr) − lr)², Eq. 4 averaged over the channels too.
// Plain arrays, no tfjs: the same numbers in every backend, testable by hand on tiny images.

import type { RGBImage } from '../image/rgb';

export interface LrStats {
	/** Euclidean norm of the mean-RGB difference to the reference, values in [0, 1] units. */
	colourShift: number;
	/** Per-channel mean difference (lr − reference), R, G, B. */
	meanShift: [number, number, number];
	/** Mean squared Laplacian of the luminance over interior pixels. */
	laplacianEnergy: number;
	/** Std of luminance − median3×3(luminance) over interior pixels. */
	noiseStd: number;
	/** Eq. 4 pixel L2 to the reference (mean over pixels and channels). */
	l2: number;
}

export type StatKey = 'colourShift' | 'laplacianEnergy' | 'noiseStd' | 'l2';

export function meanRGB(img: RGBImage): [number, number, number] {
	const s = [0, 0, 0];
	const n = img.width * img.height;
	for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) s[c] += img.data[i * 3 + c];
	return [s[0] / n, s[1] / n, s[2] / n];
}

/** Rec. 601 luma, one value per pixel (row-major). */
export function luminance(img: RGBImage): Float64Array {
	const n = img.width * img.height;
	const y = new Float64Array(n);
	for (let i = 0; i < n; i++) y[i] = 0.299 * img.data[i * 3] + 0.587 * img.data[i * 3 + 1] + 0.114 * img.data[i * 3 + 2];
	return y;
}

function interior(img: RGBImage, f: (x: number, y: number) => number): number[] {
	const out: number[] = [];
	for (let y = 1; y < img.height - 1; y++) for (let x = 1; x < img.width - 1; x++) out.push(f(x, y));
	return out;
}

/** Mean of (4·Y(x,y) − Y(x±1,y) − Y(x,y±1))² over pixels with all four neighbours. */
export function laplacianEnergy(img: RGBImage): number {
	const Y = luminance(img);
	const w = img.width;
	const v = interior(img, (x, y) => {
		const i = y * w + x;
		const l = 4 * Y[i] - Y[i - 1] - Y[i + 1] - Y[i - w] - Y[i + w];
		return l * l;
	});
	return v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0;
}

/** Population std of Y − median of its 3×3 neighbourhood, over interior pixels. */
export function noiseStd(img: RGBImage): number {
	const Y = luminance(img);
	const w = img.width;
	const r = interior(img, (x, y) => {
		const nb: number[] = [];
		for (let dy = -1; dy <= 1; dy++) for (let dx = -1; dx <= 1; dx++) nb.push(Y[(y + dy) * w + x + dx]);
		nb.sort((a, b) => a - b);
		return Y[y * w + x] - nb[4];
	});
	if (!r.length) return 0;
	const m = r.reduce((a, b) => a + b, 0) / r.length;
	return Math.sqrt(r.reduce((a, b) => a + (b - m) * (b - m), 0) / r.length);
}

/** Eq. 4 of paper 001 on plain arrays: mean squared difference over pixels and channels. */
export function pixelL2Images(a: RGBImage, b: RGBImage): number {
	if (a.data.length !== b.data.length) throw new Error(`L2: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
	let s = 0;
	for (let i = 0; i < a.data.length; i++) s += (a.data[i] - b.data[i]) ** 2;
	return s / a.data.length;
}

/** All statistics of `lr` against `reference` (F(I_hr), same size). */
export function lrStats(lr: RGBImage, reference: RGBImage): LrStats {
	const a = meanRGB(lr);
	const b = meanRGB(reference);
	const meanShift: [number, number, number] = [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
	return {
		colourShift: Math.hypot(...meanShift),
		meanShift,
		laplacianEnergy: laplacianEnergy(lr),
		noiseStd: noiseStd(lr),
		l2: pixelL2Images(lr, reference)
	};
}

export const STAT_LABELS: Record<StatKey, { label: string; help: string }> = {
	colourShift: { label: 'Colour shift ‖Δ mean RGB‖', help: 'distance of the mean colour from that of the average-pooled HR' },
	laplacianEnergy: { label: 'Blur: Laplacian energy', help: 'mean squared Laplacian of the luminance; lower = blurrier' },
	noiseStd: { label: 'Noise: residual std', help: 'std of luminance minus its 3×3 median' },
	l2: { label: 'L2 to F(I_hr) (Eq. 4)', help: 'mean squared difference to the average-pooled HR' }
};
