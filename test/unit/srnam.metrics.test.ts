// SR-NAM metrics against hand-computed values.
import { describe, expect, it } from 'vitest';
import { rgbImage, type RGBImage } from '../../src/lib/image/rgb';
import {
	diversityMatrix,
	l1,
	lrConsistency,
	meanDiversity,
	meanImage,
	mse,
	pca2,
	pcaTrajectories,
	psnr,
	psnrAgainstHR
} from '../../src/lib/srnam/metrics';

const px = (...v: number[]): RGBImage => rgbImage(v.length / 3, 1, Float32Array.from(v));

describe('srnam metrics', () => {
	it('L1, MSE and PSNR', () => {
		const a = px(0, 0, 0);
		const b = px(0.5, 0.25, 0);
		expect(l1(a, b)).toBeCloseTo(0.75 / 3, 7);
		// MSE = (0.25 + 0.0625 + 0) / 3 = 0.104166…; PSNR = 10 log10(1 / MSE) = 9.822712 dB
		expect(mse(a, b)).toBeCloseTo(0.3125 / 3, 7);
		expect(psnr(a, b)).toBeCloseTo(9.822712, 5);
		expect(psnrAgainstHR(b, a)).toBeCloseTo(9.822712, 5);
		expect(psnr(a, a)).toBe(Infinity);
		// MSE 0.01 → 20 dB
		expect(psnr(px(0, 0, 0), px(0.1, 0.1, 0.1))).toBeCloseTo(20, 5);
		expect(() => l1(a, px(0, 0, 0, 0, 0, 0))).toThrow(/differ in size/);
	});

	it('LR consistency per candidate', () => {
		const input = px(0.5, 0.5, 0.5);
		const r = lrConsistency([px(0.5, 0.5, 0.5), px(0.6, 0.4, 0.5)], input);
		expect(r[0].l1).toBe(0);
		expect(r[0].psnr).toBe(Infinity);
		expect(r[1].l1).toBeCloseTo(0.2 / 3, 6);
		// MSE = 0.02 / 3 → PSNR = 10 log10(150) = 21.760913
		expect(r[1].psnr).toBeCloseTo(21.760913, 4);
	});

	it('diversity matrix is symmetric with mean |x_i − x_j|', () => {
		const ims = [px(0, 0, 0, 0, 0, 0), px(1, 1, 1, 1, 1, 1), px(0, 0.5, 0, 0.5, 0, 1)];
		const m = diversityMatrix(ims);
		// d01 = 1; d02 = (0.5+0.5+1)/6 = 1/3; d12 = (1+0.5+1+0.5+1+0)/6 = 2/3
		const want = [0, 1, 1 / 3, 1, 0, 2 / 3, 1 / 3, 2 / 3, 0];
		want.forEach((w, i) => expect(m[i]).toBeCloseTo(w, 6));
		expect(meanDiversity(m, 3)).toBeCloseTo((1 + 1 / 3 + 2 / 3) / 3, 6);
		expect(meanDiversity(new Float32Array(1), 1)).toBe(0);
	});

	it('mean of candidates', () => {
		const m = meanImage([px(0, 0.2, 1), px(1, 0.4, 1), px(0.5, 0, 0.1)]);
		[0.5, 0.2, 0.7].forEach((w, i) => expect(m.data[i]).toBeCloseTo(w, 6));
		expect(() => meanImage([])).toThrow();
	});

	it('PCA: axis-aligned cloud (hand-computed covariance)', () => {
		// points (±2, 0) and (0, ±1): mean 0, C = diag(8/3, 2/3)
		const p = Float32Array.from([-2, 0, 2, 0, 0, -1, 0, 1]);
		const r = pca2(p, 2);
		expect(r.variance[0]).toBeCloseTo(8 / 3, 6);
		expect(r.variance[1]).toBeCloseTo(2 / 3, 6);
		expect(r.total).toBeCloseTo(10 / 3, 6);
		// sign rule: largest-magnitude entry positive → e1 = (1, 0), e2 = (0, 1)
		[1, 0, 0, 1].forEach((w, i) => expect(r.components[i]).toBeCloseTo(w, 6));
		[-2, 0, 2, 0, 0, -1, 0, 1].forEach((w, i) => expect(r.coords[i]).toBeCloseTo(w, 5));
	});

	it('PCA: rotated, shifted 3-D cloud recovers the directions; deterministic', () => {
		// along u = (1, 1, 0)/√2 with spread ±3, along w = (0, 0, 1) with ±1; shifted by (5, −1, 2)
		const s = Math.SQRT1_2;
		const pts: number[] = [];
		for (const [a, b] of [[3, 0], [-3, 0], [0, 1], [0, -1]]) pts.push(5 + a * s, -1 + a * s, 2 + b);
		const r = pca2(Float32Array.from(pts), 3);
		[5, -1, 2].forEach((w, i) => expect(r.mean[i]).toBeCloseTo(w, 5));
		expect(r.variance[0]).toBeCloseTo(18 / 3, 5);
		expect(r.variance[1]).toBeCloseTo(2 / 3, 5);
		// u has two equal largest entries; whichever is chosen is positive, so u = +(s, s, 0)
		[s, s, 0].forEach((w, i) => expect(r.components[i]).toBeCloseTo(w, 5));
		[0, 0, 1].forEach((w, i) => expect(r.components[3 + i]).toBeCloseTo(w, 5));
		expect(r.coords[0]).toBeCloseTo(3, 4);
		expect(r.coords[5]).toBeCloseTo(1, 4);
		const again = pca2(Float32Array.from(pts), 3);
		expect(Array.from(again.coords)).toEqual(Array.from(r.coords));
	});

	it('PCA: degenerate inputs', () => {
		const one = pca2(Float32Array.from([1, 2, 3]), 3);
		expect(Array.from(one.coords)).toEqual([0, 0]);
		expect(one.variance).toEqual([0, 0]);
		// a line: second component has zero variance
		const line = pca2(Float32Array.from([0, 0, 1, 2, 2, 4]), 2);
		expect(line.variance[0]).toBeCloseTo(5, 5);
		expect(line.variance[1]).toBeCloseTo(0, 5);
		expect(() => pca2(new Float32Array(5), 2)).toThrow();
	});

	it('PCA of latent trajectories labels points by restart and step', () => {
		// K = 2 restarts in R^2 over 3 records: restart 0 moves along x, restart 1 sits still at
		// (2, 0.5); centred, x and y are uncorrelated, so PC1 is the x axis (variance 8/5)
		const recs = [0, 1, 2].map((i) => ({ step: i * 10, z: Float32Array.from([2 * i, 0, 2, 0.5]) }));
		const { points, pca } = pcaTrajectories(recs, 2, 2);
		expect(points).toHaveLength(6);
		expect(points.map((p) => [p.restart, p.step])).toEqual([[0, 0], [1, 0], [0, 10], [1, 10], [0, 20], [1, 20]]);
		expect(pca.components[0]).toBeCloseTo(1, 5);
		expect(pca.variance[0]).toBeCloseTo(8 / 5, 5);
		expect(points[0].x).toBeCloseTo(-2, 4);
		expect(points[2].x - points[0].x).toBeCloseTo(2, 4);
		expect(points[4].x - points[2].x).toBeCloseTo(2, 4);
		expect(points[3].x).toBeCloseTo(points[1].x, 6);
		expect(() => pcaTrajectories([{ step: 0, z: new Float32Array(3) }], 2, 2)).toThrow();
	});
});

