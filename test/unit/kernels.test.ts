import { describe, expect, it } from 'vitest';
import { gaussianKernel, motionBlurKernel, randomBlurKernel, type Kernel } from '../../src/lib/image/kernels';

const sum = (k: Kernel) => k.data.reduce((a, b) => a + b, 0);
const at = (k: Kernel, x: number, y: number) => k.data[y * k.width + x];

function expectPointSymmetric(k: Kernel, tol = 1e-6) {
	for (let y = 0; y < k.height; y++)
		for (let x = 0; x < k.width; x++)
			expect(Math.abs(at(k, x, y) - at(k, k.width - 1 - x, k.height - 1 - y))).toBeLessThan(tol);
}

/** Weighted centroid of the kernel relative to its centre. */
function centroid(k: Kernel): [number, number] {
	let cx = 0;
	let cy = 0;
	for (let y = 0; y < k.height; y++)
		for (let x = 0; x < k.width; x++) {
			cx += at(k, x, y) * (x - (k.width - 1) / 2);
			cy += at(k, x, y) * (y - (k.height - 1) / 2);
		}
	return [cx, cy];
}

describe('gaussianKernel', () => {
	it('has size 2·ceil(3σ)+1, sums to 1, and is symmetric and peaked at the centre', () => {
		const k = gaussianKernel(1.5);
		expect([k.width, k.height]).toEqual([11, 11]);
		expect(sum(k)).toBeCloseTo(1, 6);
		for (let y = 0; y < 11; y++)
			for (let x = 0; x < 11; x++) {
				expect(at(k, x, y)).toBeCloseTo(at(k, y, x), 7); // transpose symmetric
				expect(at(k, x, y)).toBeCloseTo(at(k, 10 - x, y), 7); // mirror symmetric
				expect(at(k, x, y)).toBeLessThanOrEqual(at(k, 5, 5));
			}
	});

	it('matches hand-computed 3×3 weights for σ = 1', () => {
		const k = gaussianKernel(1, 3);
		const e1 = Math.exp(-0.5);
		const e2 = Math.exp(-1);
		const z = 1 + 4 * e1 + 4 * e2;
		expect(at(k, 1, 1)).toBeCloseTo(1 / z, 6);
		expect(at(k, 0, 1)).toBeCloseTo(e1 / z, 6);
		expect(at(k, 0, 0)).toBeCloseTo(e2 / z, 6);
	});

	it('σ = 0 is the identity', () => {
		const k = gaussianKernel(0);
		expect([k.width, k.height, k.data[0]]).toEqual([1, 1, 1]);
	});
});

describe('randomBlurKernel', () => {
	it('has the requested size, sums to 1, and is point-symmetric for sizes 2..6', () => {
		for (let size = 2; size <= 6; size++)
			for (const seed of [1, 2, 99]) {
				const k = randomBlurKernel(size, seed);
				expect([k.width, k.height]).toEqual([size, size]);
				expect(sum(k)).toBeCloseTo(1, 6);
				expect(Math.min(...k.data)).toBeGreaterThan(0);
				expectPointSymmetric(k);
			}
	});

	it('is deterministic per seed and varies with the seed', () => {
		const a = randomBlurKernel(5, 42);
		expect(Array.from(randomBlurKernel(5, 42).data)).toEqual(Array.from(a.data));
		expect(Array.from(randomBlurKernel(5, 43).data)).not.toEqual(Array.from(a.data));
		expect(a.params.sigmaX).toBeGreaterThanOrEqual(0.5);
		expect(a.params.sigmaX).toBeLessThan(2.5);
	});
});

describe('motionBlurKernel', () => {
	it('horizontal: one centre row with a symmetric profile, summing to 1', () => {
		const k = motionBlurKernel(5, 0);
		expect([k.width, k.height]).toEqual([7, 7]);
		expect(sum(k)).toBeCloseTo(1, 6);
		let row = 0;
		for (let x = 0; x < 7; x++) row += at(k, x, 3);
		expect(row).toBeCloseTo(1, 6); // all mass on the centre row
		for (let x = 0; x < 7; x++) expect(at(k, x, 3)).toBeCloseTo(at(k, 6 - x, 3), 6);
		// segment [−2.5, 2.5] ⊛ 1-px tent, /5: offsets 0, ±1 → 1/5; ±2 → ∫_{−.5}^{1}(1−|u|)du/5 = .175;
		// ±3 → ∫_{.5}^{1}(1−u)du/5 = .025
		expect(at(k, 3, 3)).toBeCloseTo(0.2, 2);
		expect(at(k, 2, 3)).toBeCloseTo(0.2, 2);
		expect(at(k, 1, 3)).toBeCloseTo(0.175, 2);
		expect(at(k, 0, 3)).toBeCloseTo(0.025, 2);
	});

	it('90° is the transpose of 0°', () => {
		const h = motionBlurKernel(6, 0);
		const v = motionBlurKernel(6, 90);
		for (let y = 0; y < h.height; y++) for (let x = 0; x < h.width; x++) expect(at(v, x, y)).toBeCloseTo(at(h, y, x), 6);
	});

	it('45° runs bottom-left to top-right (y down), centred, point-symmetric', () => {
		const k = motionBlurKernel(8, 45);
		expect(sum(k)).toBeCloseTo(1, 6);
		expectPointSymmetric(k);
		const [cx, cy] = centroid(k);
		expect(Math.abs(cx) + Math.abs(cy)).toBeLessThan(1e-5);
		const c = (k.width - 1) / 2;
		expect(at(k, c + 2, c - 2)).toBeGreaterThan(0.05); // top-right arm
		expect(at(k, c + 2, c + 2)).toBeLessThan(1e-6); // not the other diagonal
	});

	it('length 0 is the identity', () => {
		expect(Array.from(motionBlurKernel(0, 30).data)).toEqual([1]);
	});
});
