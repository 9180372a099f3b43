// Perturbations a person applies to the HR face to make the "SR" image judged by the losses:
// blur, noise, shift or erase, inside a region — a landmark group, the background, a painted
// brush mask, or the whole face. Plain float32 on RGBImage (HWC, [0, 1]); seeded noise.

import { rgbImage, type RGBImage } from '../image/rgb';
import { createRng } from '../image/rng';
import { resampleMatrix } from '../image/resample';
import { LANDMARK_GROUPS, type LandmarkGroup } from './landmarks';

export type PerturbKind = 'blur' | 'noise' | 'shift' | 'erase';
export type RegionKind = LandmarkGroup | 'background' | 'brush' | 'whole';

/** Radius (pixels at 64×64, scaled with the image) of the disc around each landmark of a group. */
export const GROUP_RADIUS_64 = 3;
/** Background: pixels outside the face outline and at least this far (px at 64×64) from every landmark. */
export const BACKGROUND_DISTANCE_64 = 4;
/** Brush grid: BRUSH_CELLS × BRUSH_CELLS cells over the image, one bit each. */
export const BRUSH_CELLS = 16;
export const BRUSH_WORDS = (BRUSH_CELLS * BRUSH_CELLS) / 32;

/** Per pixel, the distance to the nearest of the given landmarks (points x,y interleaved). */
export function distanceToLandmarks(points: ArrayLike<number>, size: number, indices?: readonly number[]): Float32Array {
	const out = new Float32Array(size * size).fill(Infinity);
	const idx = indices ?? Array.from({ length: points.length / 2 }, (_, i) => i);
	for (let y = 0; y < size; y++)
		for (let x = 0; x < size; x++) {
			let best = Infinity;
			for (const k of idx) best = Math.min(best, Math.hypot(x + 0.5 - points[2 * k], y + 0.5 - points[2 * k + 1]));
			out[y * size + x] = best;
		}
	return out;
}

/** 0/1 mask [size×size] of a landmark group (discs around its points). */
export function groupMask(points: ArrayLike<number>, size: number, group: LandmarkGroup): Float32Array {
	const [a, b] = LANDMARK_GROUPS[group];
	const r = (GROUP_RADIUS_64 * size) / 64;
	const d = distanceToLandmarks(points, size, Array.from({ length: b - a }, (_, i) => a + i));
	return d.map((v) => (v <= r ? 1 : 0));
}

/** Convex hull of the points (x,y interleaved), counter-clockwise in image coordinates (monotone chain). */
export function convexHull(points: ArrayLike<number>): [number, number][] {
	const p: [number, number][] = [];
	for (let i = 0; i < points.length; i += 2) p.push([points[i], points[i + 1]]);
	p.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
	const cross = (o: number[], a: number[], b: number[]) => (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
	const half = (pts: [number, number][]) => {
		const h: [number, number][] = [];
		for (const q of pts) {
			while (h.length >= 2 && cross(h[h.length - 2], h[h.length - 1], q) <= 0) h.pop();
			h.push(q);
		}
		return h.slice(0, -1);
	};
	return p.length < 3 ? p : [...half(p), ...half([...p].reverse())];
}

/** 1 where the pixel centre lies inside the convex hull of the landmarks (the face outline). */
export function faceMask(points: ArrayLike<number>, size: number): Float32Array {
	const hull = convexHull(points);
	const out = new Float32Array(size * size);
	if (hull.length < 3) return out;
	for (let y = 0; y < size; y++)
		for (let x = 0; x < size; x++) {
			const [px, py] = [x + 0.5, y + 0.5];
			let inside = true;
			for (let i = 0; i < hull.length && inside; i++) {
				const [ax, ay] = hull[i], [bx, by] = hull[(i + 1) % hull.length];
				inside = (bx - ax) * (py - ay) - (by - ay) * (px - ax) >= 0;
			}
			out[y * size + x] = inside ? 1 : 0;
		}
	return out;
}

/** 0/1 mask of the background: outside the landmarks' convex hull and far from every landmark. */
export function backgroundMask(points: ArrayLike<number>, size: number): Float32Array {
	const far = (BACKGROUND_DISTANCE_64 * size) / 64;
	const face = faceMask(points, size);
	return distanceToLandmarks(points, size).map((v, i) => (v >= far && !face[i] ? 1 : 0));
}

/**
 * An equal-area background: the `count` pixels farthest from every landmark, taking pixels
 * outside the face outline (convex hull) first; ties broken by index.
 */
export function farthestPixels(points: ArrayLike<number>, size: number, count: number): Float32Array {
	const d = distanceToLandmarks(points, size);
	const face = faceMask(points, size);
	const order = Array.from(d.keys()).sort((i, j) => face[i] - face[j] || d[j] - d[i] || i - j);
	const out = new Float32Array(size * size);
	for (const i of order.slice(0, count)) out[i] = 1;
	return out;
}

/** Brush bits (BRUSH_WORDS uint32 words, row-major cells) → 0/1 mask [size×size]. */
export function brushMask(words: readonly number[], size: number): Float32Array {
	const out = new Float32Array(size * size);
	for (let y = 0; y < size; y++)
		for (let x = 0; x < size; x++) {
			const cell = Math.floor((y * BRUSH_CELLS) / size) * BRUSH_CELLS + Math.floor((x * BRUSH_CELLS) / size);
			out[y * size + x] = brushBit(words, cell) ? 1 : 0;
		}
	return out;
}

export function brushBit(words: readonly number[], cell: number): boolean {
	return (((words[cell >> 5] ?? 0) >>> (cell & 31)) & 1) === 1;
}

/** A copy of the brush words with one cell set or cleared. */
export function setBrushBit(words: readonly number[], cell: number, on: boolean): number[] {
	const out = Array.from({ length: BRUSH_WORDS }, (_, i) => (words[i] ?? 0) >>> 0);
	const bit = (1 << (cell & 31)) >>> 0;
	out[cell >> 5] = (on ? out[cell >> 5] | bit : out[cell >> 5] & ~bit) >>> 0;
	return out;
}

export function regionMask(region: RegionKind, points: ArrayLike<number>, size: number, brush: readonly number[]): Float32Array {
	if (region === 'whole') return new Float32Array(size * size).fill(1);
	if (region === 'background') return backgroundMask(points, size);
	if (region === 'brush') return brushMask(brush, size);
	return groupMask(points, size, region);
}

/** Separable Gaussian blur with edge clamping (σ in px). */
export function gaussianBlur(img: RGBImage, sigma: number): RGBImage {
	const r = Math.max(1, Math.ceil(3 * sigma));
	const k = Array.from({ length: 2 * r + 1 }, (_, i) => Math.exp(-((i - r) ** 2) / (2 * sigma * sigma)));
	const s = k.reduce((a, b) => a + b, 0);
	const w = k.map((v) => v / s);
	const { width: W, height: H } = img;
	const pass = (src: Float32Array, horizontal: boolean) => {
		const out = new Float32Array(src.length);
		for (let y = 0; y < H; y++)
			for (let x = 0; x < W; x++)
				for (let c = 0; c < 3; c++) {
					let acc = 0;
					for (let t = -r; t <= r; t++) {
						const xx = horizontal ? Math.min(W - 1, Math.max(0, x + t)) : x;
						const yy = horizontal ? y : Math.min(H - 1, Math.max(0, y + t));
						acc += w[t + r] * src[(yy * W + xx) * 3 + c];
					}
					out[(y * W + x) * 3 + c] = acc;
				}
		return out;
	};
	return rgbImage(W, H, pass(pass(img.data, true), false));
}

/**
 * The HR image with `kind` applied inside `mask` at `strength` ∈ [0, 1]:
 *  blur  — Gaussian σ = 0.5 + 2.5·strength px;
 *  noise — N(0, (0.3·strength)²) per value, seeded;
 *  shift — content moved right and down by round(1 + 5·strength) px (edge-clamped);
 *  erase — blended towards the mask's mean colour by `strength`.
 * Results are clamped to [0, 1].
 */
export function perturb(hr: RGBImage, mask: Float32Array, kind: PerturbKind, strength: number, seed = 1): RGBImage {
	const { width: W, height: H, data } = hr;
	const s = Math.min(1, Math.max(0, strength));
	let src: Float32Array;
	if (kind === 'blur') src = gaussianBlur(hr, 0.5 + 2.5 * s).data;
	else if (kind === 'noise') {
		const rng = createRng(seed);
		src = data.map((v) => v + 0.3 * s * rng.normal());
	} else if (kind === 'shift') {
		const d = Math.round(1 + 5 * s);
		src = new Float32Array(data.length);
		for (let y = 0; y < H; y++)
			for (let x = 0; x < W; x++)
				for (let c = 0; c < 3; c++) src[(y * W + x) * 3 + c] = data[(Math.max(0, y - d) * W + Math.max(0, x - d)) * 3 + c];
	} else {
		const mean = [0, 0, 0];
		let n = 0;
		for (let p = 0; p < W * H; p++)
			if (mask[p] > 0) {
				n += mask[p];
				for (let c = 0; c < 3; c++) mean[c] += mask[p] * data[p * 3 + c];
			}
		src = new Float32Array(data.length);
		for (let p = 0; p < W * H; p++)
			for (let c = 0; c < 3; c++) src[p * 3 + c] = (1 - s) * data[p * 3 + c] + s * (n > 0 ? mean[c] / n : 0.5);
	}
	const out = rgbImage(W, H);
	for (let p = 0; p < W * H; p++)
		for (let c = 0; c < 3; c++) {
			const i = p * 3 + c;
			out.data[i] = Math.min(1, Math.max(0, data[i] + mask[p] * (src[i] - data[i])));
		}
	return out;
}

/** Σ (SR − HR)² over all values: the perturbation's energy. */
export function energy(hr: RGBImage, sr: RGBImage): number {
	let e = 0;
	for (let i = 0; i < hr.data.length; i++) e += (sr.data[i] - hr.data[i]) ** 2;
	return e;
}

/**
 * HR + k·(SR − HR) with k chosen so that energy(HR, result) = target exactly (no clamping:
 * the equal-energy experiment needs the energies equal, and a small k stays in range anyway).
 */
export function scaleToEnergy(hr: RGBImage, sr: RGBImage, target: number): RGBImage {
	const e = energy(hr, sr);
	const k = e > 0 ? Math.sqrt(target / e) : 0;
	return rgbImage(hr.width, hr.height, hr.data.map((v, i) => v + k * (sr.data[i] - v)));
}

/** Resize with a separable resampling matrix (resample.ts: PIL-style, antialiased when shrinking). */
export function resizeCpu(img: RGBImage, w: number, h: number, mx: Float32Array, my: Float32Array): RGBImage {
	const { width: W, height: H, data } = img;
	const tmp = new Float32Array(H * w * 3);
	for (let y = 0; y < H; y++)
		for (let x = 0; x < w; x++)
			for (let c = 0; c < 3; c++) {
				let acc = 0;
				for (let j = 0; j < W; j++) acc += mx[x * W + j] * data[(y * W + j) * 3 + c];
				tmp[(y * w + x) * 3 + c] = acc;
			}
	const out = rgbImage(w, h);
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++)
			for (let c = 0; c < 3; c++) {
				let acc = 0;
				for (let i = 0; i < H; i++) acc += my[y * H + i] * tmp[(i * w + x) * 3 + c];
				out.data[(y * w + x) * 3 + c] = acc;
			}
	return out;
}

/** PIL-style resize of an RGBImage on the CPU ('area', 'bilinear' or 'bicubic'), not clamped. */
export function resizeImage(img: RGBImage, w: number, h: number, method: 'area' | 'bilinear' | 'bicubic'): RGBImage {
	return resizeCpu(img, w, h, resampleMatrix(img.width, w, method), resampleMatrix(img.height, h, method));
}

/** The classical SR baseline: bicubic ↓factor then bicubic ↑factor, clamped to [0, 1]. */
export function bicubicRoundTrip(img: RGBImage, factor: number): RGBImage {
	const w = img.width / factor, h = img.height / factor;
	if (!Number.isInteger(w) || !Number.isInteger(h)) throw new Error(`cannot downsample ${img.width}×${img.height} by ${factor}`);
	const lr = resizeCpu(img, w, h, resampleMatrix(img.width, w, 'bicubic'), resampleMatrix(img.height, h, 'bicubic'));
	const up = resizeCpu(lr, img.width, img.height, resampleMatrix(w, img.width, 'bicubic'), resampleMatrix(h, img.height, 'bicubic'));
	up.data.forEach((v, i) => (up.data[i] = Math.min(1, Math.max(0, v))));
	return up;
}
