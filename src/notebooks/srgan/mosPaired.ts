// Paired comparisons of two methods on the faces both were scored on, with the test the SRGAN
// paper uses (§3.1: paired two-sided Wilcoxon signed-rank tests, significance at p < 0.05).
// Zero differences are dropped (Wilcoxon's convention), tied |differences| get mid-ranks, and the
// p-value is exact: the null distribution of the positive rank sum is counted over all 2^n sign
// patterns of those (tied) ranks, so it stays right with the many ties integer scores make.
// Past EXACT_UP_TO differences the normal approximation with the tie-corrected variance is used
// (no continuity correction), which keeps the per-answer update cheap.

import type { MosData } from './mosSession';

export interface SignedRankTest {
	/** Non-zero differences used. */
	n: number;
	/** Sum of the ranks of the positive differences. */
	wPlus: number;
	/** Two-sided p-value; NaN when n = 0. */
	p: number;
	method: 'exact' | 'normal';
}

/** Largest n for the exact null distribution (its cost grows as n³). */
export const EXACT_UP_TO = 60;

/** erfc(x) (Numerical Recipes' Chebyshev fit, relative error < 1.2e-7). */
function erfc(x: number): number {
	const z = Math.abs(x);
	const t = 1 / (1 + 0.5 * z);
	const r = t * Math.exp(-z * z - 1.26551223 + t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277)))))))));
	return x >= 0 ? r : 2 - r;
}

/** Exact two-sided Wilcoxon signed-rank test of differences d (zeros dropped, mid-ranks for ties). */
export function signedRank(diffs: readonly number[], exactUpTo = EXACT_UP_TO): SignedRankTest {
	const d = diffs.filter((x) => x !== 0);
	const n = d.length;
	if (n === 0) return { n, wPlus: 0, p: NaN, method: 'exact' };
	const order = d.map((x, i) => ({ a: Math.abs(x), i })).sort((u, v) => u.a - v.a);
	// doubled mid-ranks are integers: the DP below counts over integer sums
	const rank2 = new Array<number>(n);
	for (let s = 0; s < n; ) {
		let e = s;
		while (e + 1 < n && order[e + 1].a === order[s].a) e++;
		for (let k = s; k <= e; k++) rank2[order[k].i] = s + e + 2; // 2 · mean of ranks s+1 … e+1
		s = e + 1;
	}
	const total = rank2.reduce((a, b) => a + b, 0);
	const w2 = d.reduce((acc, x, i) => acc + (x > 0 ? rank2[i] : 0), 0);
	if (n > exactUpTo) {
		const ties = new Map<number, number>();
		for (const r of rank2) ties.set(r, (ties.get(r) ?? 0) + 1);
		const tieTerm = [...ties.values()].reduce((acc, t) => acc + t ** 3 - t, 0);
		const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48);
		const z = (w2 / 2 - (n * (n + 1)) / 4) / sd;
		return { n, wPlus: w2 / 2, p: Math.min(1, erfc(Math.abs(z) / Math.SQRT2)), method: 'normal' };
	}
	let prob = new Float64Array(total + 1);
	prob[0] = 1;
	for (const r of rank2) {
		const next = new Float64Array(total + 1);
		for (let s = 0; s <= total - r; s++) {
			if (prob[s] === 0) continue;
			next[s] += prob[s] / 2;
			next[s + r] += prob[s] / 2;
		}
		prob = next;
	}
	let below = 0;
	let above = 0;
	for (let s = 0; s <= total; s++) {
		if (s <= w2) below += prob[s];
		if (s >= w2) above += prob[s];
	}
	return { n, wPlus: w2 / 2, p: Math.min(1, 2 * Math.min(below, above)), method: 'exact' };
}

export interface PairComparison {
	a: string;
	b: string;
	/** Faces where both were scored. */
	faces: number;
	aBetter: number;
	bBetter: number;
	ties: number;
	test: SignedRankTest;
}

/** Every pair of methods scored on at least one common face, in summary order. */
export function pairedComparisons(data: MosData, methods: readonly string[]): PairComparison[] {
	const score = new Map<string, number>();
	for (const r of data.records) if (r.score !== null) score.set(`${r.face}\u0000${r.method}`, r.score);
	const out: PairComparison[] = [];
	for (let i = 0; i < methods.length; i++)
		for (let j = i + 1; j < methods.length; j++) {
			const [a, b] = [methods[i], methods[j]];
			const diffs: number[] = [];
			for (const f of data.faces) {
				const sa = score.get(`${f.id}\u0000${a}`);
				const sb = score.get(`${f.id}\u0000${b}`);
				if (sa !== undefined && sb !== undefined) diffs.push(sa - sb);
			}
			if (!diffs.length) continue;
			out.push({ a, b, faces: diffs.length, aBetter: diffs.filter((x) => x > 0).length, bBetter: diffs.filter((x) => x < 0).length, ties: diffs.filter((x) => x === 0).length, test: signedRank(diffs) });
		}
	return out;
}
