// LR statistics of the Degradation Sampler (src/lib/degradations/stats.ts) against values
// worked out by hand on tiny images.
import { describe, expect, it } from 'vitest';
import { rgbImage } from '../../src/lib/image/rgb';
import { laplacianEnergy, lrStats, meanRGB, noiseStd, pixelL2Images } from '../../src/lib/degradations/stats';

const grey = (w: number, h: number, values: number[]) => rgbImage(w, h, Float32Array.from(values.flatMap((v) => [v, v, v])));
const flat = (w: number, h: number, rgb: [number, number, number]) => rgbImage(w, h, Float32Array.from({ length: w * h * 3 }, (_, i) => rgb[i % 3]));

// 4×4, one bright pixel at (x=1, y=1): the four interior pixels are (1,1), (2,1), (1,2), (2,2).
const dot = grey(4, 4, [0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0]);

describe('degradation statistics', () => {
	it('Laplacian energy: (4² + 1² + 1² + 0²) / 4 = 4.5 for a single bright pixel', () => {
		expect(laplacianEnergy(dot)).toBeCloseTo(4.5, 5);
		expect(laplacianEnergy(flat(5, 5, [0.3, 0.6, 0.9]))).toBeCloseTo(0, 10);
	});

	it('noise: residuals to the 3×3 median are [1, 0, 0, 0] → population std √0.1875', () => {
		expect(noiseStd(dot)).toBeCloseTo(Math.sqrt(0.1875), 5);
		// a linear ramp is its own median: no noise
		expect(noiseStd(grey(4, 4, Array.from({ length: 16 }, (_, i) => (i % 4) / 8)))).toBeCloseTo(0, 10);
	});

	it('colour shift and Eq. 4 L2 of flat images: ‖(0.3, 0, −0.4)‖ = 0.5, (0.09 + 0.16) / 3', () => {
		const lr = flat(2, 2, [0.5, 0.2, 0.1]);
		const ref = flat(2, 2, [0.2, 0.2, 0.5]);
		expect(meanRGB(lr)[0]).toBeCloseTo(0.5, 6);
		const s = lrStats(lr, ref);
		expect(s.colourShift).toBeCloseTo(0.5, 6);
		expect(s.meanShift.map((v) => Number(v.toFixed(6)))).toEqual([0.3, 0, -0.4]);
		expect(s.l2).toBeCloseTo(0.25 / 3, 6);
		expect(pixelL2Images(ref, ref)).toBe(0);
		expect(() => pixelL2Images(lr, dot)).toThrow(/L2/);
	});
});
