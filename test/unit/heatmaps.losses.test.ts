// Every formula of the attention-loss explorer against values computed by hand on tiny tensors.
import { describe, expect, it } from 'vitest';
import { rgbImage, type RGBImage } from '../../src/lib/image/rgb';
import {
	absErrorMap, attentionLoss, heatmapDifferenceMap, heatmapLoss, l1Loss, lossReport, multiplyMaps,
	pixelLoss, psnr, squaredErrorMap, srnamHeatmapMetric, ssim
} from '../../src/lib/heatmaps/losses';
import { attentionMap, heatmapsToPoints, minMaxNormalise, renderHeatmaps, sigmaAt } from '../../src/lib/heatmaps/render';
import { GROUP_NAMES, groupIndices, groupOf, LANDMARK_GROUPS, rescalePoints } from '../../src/lib/heatmaps/landmarks';

/** A W×H image whose every channel of pixel p is values[p]. */
function grey(w: number, h: number, values: number[]): RGBImage {
	const img = rgbImage(w, h);
	values.forEach((v, p) => img.data.fill(v, p * 3, p * 3 + 3));
	return img;
}

describe('landmark groups', () => {
	it('cover 0..67 once, in the standard ranges', () => {
		expect(LANDMARK_GROUPS.eyes).toEqual([36, 48]);
		expect(GROUP_NAMES.flatMap(groupIndices)).toEqual(Array.from({ length: 68 }, (_, i) => i));
		expect(groupOf(0)).toBe('jaw');
		expect(groupOf(30)).toBe('nose');
		expect(groupOf(67)).toBe('mouth');
		expect(() => groupOf(68)).toThrow();
	});
	it('rescale points with the image', () => {
		expect([...rescalePoints([64, 32], 128, 64)]).toEqual([32, 16]);
	});
});

describe('heatmap rendering', () => {
	it('is a Gaussian at pixel centres: 1 at the point, e^{-1/2} one σ away', () => {
		const m = renderHeatmaps([2.5, 1.5], 5, 1);
		expect(m[1 * 5 + 2]).toBeCloseTo(1, 6);
		expect(m[1 * 5 + 3]).toBeCloseTo(Math.exp(-0.5), 6);
		expect(m[2 * 5 + 3]).toBeCloseTo(Math.exp(-1), 6);
		expect(sigmaAt(64)).toBe(1.5);
	});
	it('M* is the min-max normalised channel-wise max (Eq. 1)', () => {
		// two channels on a 1×3 "image": max = [0.2, 0.8, 0.5] → normalised [0, 1, 0.5]
		const m = new Float32Array([0.2, 0.1, 0.5, 0.0, 0.8, 0.3]);
		expect([...attentionMap(m, 2)].map((v) => +v.toFixed(6))).toEqual([0, 1, 0.5]);
		expect([...attentionMap(m, 2, { normalise: false })].map((v) => +v.toFixed(6))).toEqual([0.2, 0.8, 0.5]);
		expect([...attentionMap(m, 2, { channels: [0], normalise: false })].map((v) => +v.toFixed(6))).toEqual([0.2, 0.1, 0.5]);
		expect([...minMaxNormalise(new Float32Array([3, 3]))]).toEqual([0, 0]);
	});
	it('recovers points from rendered heatmaps to sub-pixel accuracy', () => {
		const pts = [10.3, 20.7, 40.5, 5.2];
		const back = heatmapsToPoints(renderHeatmaps(pts, 64, 1.5), 2, 64);
		back.forEach((v, i) => expect(Math.abs(v - pts[i])).toBeLessThan(1e-3));
	});
});

describe('losses (hand-computed)', () => {
	// HR = [0, 0.5, 1, 0.25], SR = [0.5, 0.5, 0.5, 0.75] on a 2×2 grey image:
	// diffs = [-0.5, 0, 0.5, -0.5]; squared [0.25, 0, 0.25, 0.25]; abs [0.5, 0, 0.5, 0.5]
	const hr = grey(2, 2, [0, 0.5, 1, 0.25]);
	const sr = grey(2, 2, [0.5, 0.5, 0.5, 0.75]);
	it('L_pixel (Eq. 2) = 0.75/4, L1 = 1.5/4', () => {
		expect(pixelLoss(hr, sr)).toBeCloseTo(0.1875, 7);
		expect(l1Loss(hr, sr)).toBeCloseTo(0.375, 7);
		expect([...squaredErrorMap(hr, sr)]).toEqual([0.25, 0, 0.25, 0.25]);
		expect([...absErrorMap(hr, sr)]).toEqual([0.5, 0, 0.5, 0.5]);
	});
	it('L_attention (Eq. 1) weights |diff| by M*', () => {
		const mStar = new Float32Array([1, 0.5, 0, 0.5]);
		// (1·0.5 + 0.5·0 + 0·0.5 + 0.5·0.5) / 4 = 0.1875
		expect(attentionLoss(hr, sr, mStar)).toBeCloseTo(0.1875, 7);
		expect([...multiplyMaps(mStar, absErrorMap(hr, sr))]).toEqual([0.5, 0, 0, 0.25]);
		expect(attentionLoss(hr, sr, new Float32Array(4).fill(1))).toBeCloseTo(l1Loss(hr, sr), 7);
	});
	it('L_heatmap (Eq. 5) is a mean; SR-NAM Eq. 7 sums pixels and averages landmarks', () => {
		// N = 2 channels of 2 pixels: diffs [1, 0, 0.5, 0.5] → squares [1, 0, 0.25, 0.25], sum 1.5
		const m = new Float32Array([1, 0, 0.5, 0.5]);
		const mt = new Float32Array([0, 0, 0, 1]);
		expect(heatmapLoss(m, mt)).toBeCloseTo(1.5 / 4, 7);
		expect(srnamHeatmapMetric(mt, m, 2)).toBeCloseTo(1.5 / 2, 7);
		expect([...heatmapDifferenceMap(m, mt, 2)]).toEqual([1.25, 0.25]);
		expect([...heatmapDifferenceMap(m, mt, 2, [1])]).toEqual([0.25, 0.25]);
	});
	it('PSNR = 10 log10(1/MSE)', () => {
		expect(psnr(hr, sr)).toBeCloseTo(10 * Math.log10(1 / 0.1875), 6);
		expect(psnr(hr, hr)).toBe(Infinity);
	});
	it('SSIM with one uniform 2×2 window matches the formula by hand', () => {
		// x = [0, .5, 1, .25]: μx = .4375, σx² = E[x²] − μx² = (0 + .25 + 1 + .0625)/4 − .19140625 = .13671875
		// y = [.5, .5, .5, .75]: μy = .5625, σy² = (.25·3 + .5625)/4 − .31640625 = .01171875
		// σxy = E[xy] − μxμy = (0 + .25 + .5 + .1875)/4 − .24609375 = −.01171875
		const [mx, my, vx, vy, cxy] = [0.4375, 0.5625, 0.13671875, 0.01171875, -0.01171875];
		const [C1, C2] = [0.0001, 0.0009];
		const expected = ((2 * mx * my + C1) * (2 * cxy + C2)) / ((mx * mx + my * my + C1) * (vx + vy + C2));
		expect(ssim(hr, sr, { size: 2, sigma: 0 })).toBeCloseTo(expected, 6);
		expect(ssim(hr, hr)).toBeCloseTo(1, 6);
	});
	it('lossReport gathers them all', () => {
		const r = lossReport(hr, sr, new Float32Array([1, 0, 0.5, 0.5]), new Float32Array([0, 0, 0, 1]), 2, new Float32Array(4).fill(1));
		expect(r.pixel).toBeCloseTo(0.1875, 7);
		expect(r.attention).toBeCloseTo(0.375, 7);
		expect(r.srnamHeatmap).toBeCloseTo(0.75, 7);
	});
});
