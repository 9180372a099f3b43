// The losses and metrics of the attention-loss explorer, in plain float32 TypeScript so every one
// is testable against hand-computed values. Images are RGBImage (HWC, [0, 1]); heatmaps are
// channel-major [N, H, W]; an attention map M* is [H, W].
//
// Colour: the papers write the pixel losses per pixel (x, y); with RGB we also average over the
// 3 channels, so "per pixel" means per pixel and channel. M* is shared by the 3 channels.

import type { RGBImage } from '../image/rgb';

function sameSize(a: RGBImage, b: RGBImage): void {
	if (a.width !== b.width || a.height !== b.height) throw new Error(`image sizes differ: ${a.width}×${a.height} vs ${b.width}×${b.height}`);
}

/** L_pixel, paper 003 Eq. 2: (1 / r²WH) Σ (I_HR − G(I_LR))², the mean squared error. */
export function pixelLoss(hr: RGBImage, sr: RGBImage): number {
	sameSize(hr, sr);
	let s = 0;
	for (let i = 0; i < hr.data.length; i++) s += (hr.data[i] - sr.data[i]) ** 2;
	return s / hr.data.length;
}

/** L1: the mean absolute error (1 / r²WH) Σ |I_HR − G(I_LR)|, Eq. 1 without M*. */
export function l1Loss(hr: RGBImage, sr: RGBImage): number {
	sameSize(hr, sr);
	let s = 0;
	for (let i = 0; i < hr.data.length; i++) s += Math.abs(hr.data[i] - sr.data[i]);
	return s / hr.data.length;
}

/**
 * L_attention, paper 003 Eq. 1: (1 / r²WH) Σ M*_{x,y} · |I_HR − G(I_LR)|_{x,y}, with M* the
 * attention map (see attentionMap in render.ts) of the same size as the images.
 */
export function attentionLoss(hr: RGBImage, sr: RGBImage, mStar: Float32Array): number {
	sameSize(hr, sr);
	const plane = hr.width * hr.height;
	if (mStar.length !== plane) throw new Error(`M* has ${mStar.length} values, expected ${plane}`);
	let s = 0;
	for (let p = 0; p < plane; p++)
		for (let c = 0; c < 3; c++) s += mStar[p] * Math.abs(hr.data[p * 3 + c] - sr.data[p * 3 + c]);
	return s / hr.data.length;
}

/**
 * L_heatmap, paper 003 Eq. 5: (1 / r²NWH) Σ_n Σ_{x,y} (M^n − M̃^n)², the mean over all N
 * channels and pixels of the squared heatmap difference, M = F_d(I_HR), M̃ = F_d(G(I_LR)).
 */
export function heatmapLoss(m: Float32Array, mTilde: Float32Array): number {
	if (m.length !== mTilde.length) throw new Error(`heatmaps differ in size: ${m.length} vs ${mTilde.length}`);
	let s = 0;
	for (let i = 0; i < m.length; i++) s += (m[i] - mTilde[i]) ** 2;
	return s / m.length;
}

/**
 * SR-NAM's heatmap metric, paper 000 Eq. 7: (1/N) Σ_n Σ_{i,j} (M̂^n_{i,j} − M^n_{i,j})² — summed
 * over pixels, averaged over the N landmarks (so it is H·W times Eq. 5 for the same maps).
 * `generated` = M̂ from the generated HR image, `reference` = M from the original HR image.
 */
export function srnamHeatmapMetric(generated: Float32Array, reference: Float32Array, n: number): number {
	if (generated.length !== reference.length) throw new Error(`heatmaps differ in size: ${generated.length} vs ${reference.length}`);
	let s = 0;
	for (let i = 0; i < generated.length; i++) s += (generated[i] - reference[i]) ** 2;
	return s / n;
}

/** Per-pixel (I_HR − SR)² map [H, W], averaged over the colour channels (Eq. 2's summand). */
export function squaredErrorMap(hr: RGBImage, sr: RGBImage): Float32Array {
	return errorMap(hr, sr, (d) => d * d);
}

/** Per-pixel |I_HR − SR| map [H, W], averaged over the colour channels (Eq. 1 without M*). */
export function absErrorMap(hr: RGBImage, sr: RGBImage): Float32Array {
	return errorMap(hr, sr, Math.abs);
}

function errorMap(hr: RGBImage, sr: RGBImage, f: (d: number) => number): Float32Array {
	sameSize(hr, sr);
	const out = new Float32Array(hr.width * hr.height);
	for (let p = 0; p < out.length; p++)
		out[p] = (f(hr.data[p * 3] - sr.data[p * 3]) + f(hr.data[p * 3 + 1] - sr.data[p * 3 + 1]) + f(hr.data[p * 3 + 2] - sr.data[p * 3 + 2])) / 3;
	return out;
}

/** Element-wise product of two maps (M* · |I_HR − SR|, Eq. 1's summand). */
export function multiplyMaps(a: Float32Array, b: Float32Array): Float32Array {
	if (a.length !== b.length) throw new Error(`maps differ in size: ${a.length} vs ${b.length}`);
	const out = new Float32Array(a.length);
	for (let i = 0; i < a.length; i++) out[i] = a[i] * b[i];
	return out;
}

/** (M − M̃)² summed over the chosen channels: Eq. 5's summand as one [H, W] map. */
export function heatmapDifferenceMap(m: Float32Array, mTilde: Float32Array, n: number, channels?: readonly number[]): Float32Array {
	const plane = m.length / n;
	const out = new Float32Array(plane);
	for (const c of channels ?? Array.from({ length: n }, (_, i) => i))
		for (let i = 0; i < plane; i++) out[i] += (m[c * plane + i] - mTilde[c * plane + i]) ** 2;
	return out;
}

/** PSNR in dB, 10·log10(peak² / MSE); +Infinity for identical images. */
export function psnr(hr: RGBImage, sr: RGBImage, peak = 1): number {
	const mse = pixelLoss(hr, sr);
	return mse === 0 ? Infinity : 10 * Math.log10((peak * peak) / mse);
}

export interface SsimOptions {
	/** Window side (odd). Default 11 (Wang et al. 2004). */
	size?: number;
	/** Gaussian window σ; 0 gives a uniform (box) window. Default 1.5. */
	sigma?: number;
	/** Dynamic range L. Default 1. */
	peak?: number;
}

/**
 * SSIM (Wang, Bovik, Sheikh, Simoncelli 2004; paper 003 ref. [22]) with C1 = (0.01 L)²,
 * C2 = (0.03 L)²: the mean over all window positions fully inside the image ("valid") of
 *   (2 μx μy + C1)(2 σxy + C2) / ((μx² + μy² + C1)(σx² + σy² + C2)),
 * computed on each RGB channel and averaged. The window shrinks to the image if it is smaller.
 */
export function ssim(hr: RGBImage, sr: RGBImage, opts: SsimOptions = {}): number {
	sameSize(hr, sr);
	const { width: W, height: H } = hr;
	const size = Math.min(opts.size ?? 11, W, H);
	const sigma = opts.sigma ?? 1.5;
	const L = opts.peak ?? 1;
	const C1 = (0.01 * L) ** 2, C2 = (0.03 * L) ** 2;
	const w = ssimWindow(size, sigma);
	let total = 0, count = 0;
	for (let c = 0; c < 3; c++)
		for (let y0 = 0; y0 + size <= H; y0++)
			for (let x0 = 0; x0 + size <= W; x0++) {
				let mx = 0, my = 0, xx = 0, yy = 0, xy = 0;
				for (let v = 0; v < size; v++)
					for (let u = 0; u < size; u++) {
						const k = w[v * size + u];
						const i = ((y0 + v) * W + x0 + u) * 3 + c;
						const a = hr.data[i], b = sr.data[i];
						mx += k * a;
						my += k * b;
						xx += k * a * a;
						yy += k * b * b;
						xy += k * a * b;
					}
				const vx = xx - mx * mx, vy = yy - my * my, cxy = xy - mx * my;
				total += ((2 * mx * my + C1) * (2 * cxy + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
				count++;
			}
	return total / count;
}

/** Normalised size×size window: Gaussian of σ, or uniform when σ = 0. */
function ssimWindow(size: number, sigma: number): Float32Array {
	const w = new Float32Array(size * size);
	const c = (size - 1) / 2;
	let s = 0;
	for (let v = 0; v < size; v++)
		for (let u = 0; u < size; u++) {
			const k = sigma > 0 ? Math.exp(-((u - c) ** 2 + (v - c) ** 2) / (2 * sigma * sigma)) : 1;
			w[v * size + u] = k;
			s += k;
		}
	for (let i = 0; i < w.length; i++) w[i] /= s;
	return w;
}

/** All the explorer's numbers for one HR / SR pair and their heatmaps. */
export interface LossReport {
	pixel: number;
	l1: number;
	attention: number;
	heatmap: number;
	srnamHeatmap: number;
	psnr: number;
	ssim: number;
}

export function lossReport(hr: RGBImage, sr: RGBImage, mHR: Float32Array, mSR: Float32Array, n: number, mStar: Float32Array): LossReport {
	return {
		pixel: pixelLoss(hr, sr),
		l1: l1Loss(hr, sr),
		attention: attentionLoss(hr, sr, mStar),
		heatmap: heatmapLoss(mHR, mSR),
		srnamHeatmap: srnamHeatmapMetric(mSR, mHR, n),
		psnr: psnr(hr, sr),
		ssim: ssim(hr, sr)
	};
}
