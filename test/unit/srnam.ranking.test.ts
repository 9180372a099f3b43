// Ranking SR-NAM candidates by LR-consistency and counting restarts that collapsed onto one face
// (src/lib/srnam/candidateRanking.ts), against hand-built cases.
import { describe, expect, it } from 'vitest';
import { rgbImage } from '../../src/lib/image/rgb';
import { diversityMatrix } from '../../src/lib/srnam/metrics';
import { COLLAPSE_L1, collapseGroups, distinctCount, distinctSummary, rankByConsistency } from '../../src/lib/srnam/candidateRanking';

/** [n, n] symmetric matrix from the upper triangle, row by row. */
function matrix(n: number, upper: number[]): Float32Array {
	const m = new Float32Array(n * n);
	let t = 0;
	for (let i = 0; i < n; i++)
		for (let j = i + 1; j < n; j++) {
			m[i * n + j] = upper[t];
			m[j * n + i] = upper[t++];
		}
	return m;
}

describe('srnam candidate ranking', () => {
	it('orders by LR-consistency L1, lowest first; ties keep restart order; NaN last', () => {
		expect(rankByConsistency([0.3, 0.1, 0.2])).toEqual([1, 2, 0]);
		expect(rankByConsistency(Float32Array.from([0.2, 0.1, 0.2, 0.1]))).toEqual([1, 3, 0, 2]);
		expect(rankByConsistency([NaN, 0.5, 0.4])).toEqual([2, 1, 0]);
		expect(rankByConsistency([])).toEqual([]);
	});

	it('merges pairs under the threshold, transitively (a chain is one face)', () => {
		// 0–1 close, 1–2 close, 0–2 not: one group by transitivity; 3 alone
		const m = matrix(4, [0.01, 0.03, 0.2, 0.015, 0.2, 0.2]);
		expect(collapseGroups(m, 4, 0.02)).toEqual([0, 0, 0, 3]);
		expect(distinctCount(m, 4, 0.02)).toBe(2);
		// 0 and 1 far apart but both close to 2: one face (2 joins both groups)
		expect(collapseGroups(matrix(3, [0.5, 0.01, 0.01]), 3)).toEqual([0, 0, 0]);
		// just above the threshold is distinct, just below is not
		expect(distinctCount(matrix(2, [0.0201]), 2, 0.02)).toBe(2);
		expect(distinctCount(matrix(2, [0.0199]), 2, 0.02)).toBe(1);
		expect(distinctCount(matrix(3, [0.5, 0.5, 0.5]), 3)).toBe(3);
		expect(distinctCount(new Float32Array(1), 1)).toBe(1);
		expect(() => distinctCount(new Float32Array(3), 2)).toThrow(/3 distances for 2/);
	});

	it('on images: two copies of one face and a different face are 2 distinct of 3', () => {
		const face = rgbImage(4, 4, Float32Array.from({ length: 48 }, (_, i) => (i % 7) / 7));
		const nearly = rgbImage(4, 4, face.data.map((v) => v + COLLAPSE_L1 / 2));
		const other = rgbImage(4, 4, face.data.map((v) => 1 - v));
		const m = diversityMatrix([face, other, nearly]);
		expect(collapseGroups(m, 3)).toEqual([0, 1, 0]);
		expect(distinctSummary(distinctCount(m, 3), 3)).toBe('2 of 3 restarts found distinct faces');
		expect(distinctSummary(1, 1)).toMatch(/nothing to compare/);
	});
});
