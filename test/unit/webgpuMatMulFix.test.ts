import { describe, expect, it } from 'vitest';
import { hitsSplitKTransposeBug, installWebgpuMatMulFix } from '../../src/lib/backend/webgpuMatMulFix';

describe('webgpu split-K matMul fix: which calls it re-routes', () => {
	it("ProGAN's dense backward dz = dy·Wᵀ (dy [1, 2048], W [512, 2048]) is re-routed", () => {
		expect(hitsSplitKTransposeBug([1, 2048], [512, 2048], false, true)).toBe(true);
		expect(hitsSplitKTransposeBug([1, 1, 2048], [1, 512, 2048], false, true)).toBe(true);
	});
	it('calls tfjs-webgpu never runs as vec4 split-K with transposed B are left alone', () => {
		expect(hitsSplitKTransposeBug([1, 2048], [2048, 512], false, false)).toBe(false); // B not transposed
		expect(hitsSplitKTransposeBug([1, 512], [2048, 512], false, true)).toBe(false); // inner < 2000
		expect(hitsSplitKTransposeBug([2, 1, 2048], [2, 512, 2048], false, true)).toBe(false); // batch 2
		expect(hitsSplitKTransposeBug([1, 2048], [510, 2048], false, true)).toBe(false); // scalar reads
	});
	it('does nothing where the webgpu backend is not loaded (Node)', () => {
		expect(installWebgpuMatMulFix()).toBe(false);
	});
});
