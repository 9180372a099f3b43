// Ordering and grouping of SR-NAM's K candidates for a person looking at them (issue 18):
// - rank by LR-consistency: the L1 between the input and each candidate degraded back,
//   D(G(z_k), n_k) vs I_LR — the quantity Eq. 6 (paper 000) minimises, so the candidate
//   that explains the input best comes first;
// - restarts that collapsed onto one face: pairs whose candidates differ by less than
//   COLLAPSE_L1 (mean |G(z_i) − G(z_j)| on [0, 1]) are merged, and the groups that remain
//   (connected components) are the distinct faces found. train/srnam_eval/candidates.py is the
//   Python twin (same threshold, same rule).

/**
 * Mean |difference| on [0, 1] over 64×64×3 below which two candidates count as one face. Set by
 * eye on the candidates of the first 10 real-LR test faces (K = 4, 300 steps, bench/NOTES.md
 * "SR-NAM on real LR"): every pair looked at under 0.05 (0.017, 0.023, 0.025, 0.033–0.038, 0.045)
 * was the same face, at 0.056–0.065 the same face with small changes of detail, at 0.075 a face
 * with visibly different details; independent ProGAN faces differ by 0.24 on average.
 */
export const COLLAPSE_L1 = 0.05;

/** Candidate indices ordered by LR-consistency L1, lowest (best) first; ties keep restart order. */
export function rankByConsistency(l1: ArrayLike<number>): number[] {
	const order = Array.from({ length: l1.length }, (_, k) => k);
	// NaN (a broken render) sorts last
	const key = (k: number) => (Number.isNaN(l1[k]) ? Infinity : l1[k]);
	return order.sort((a, b) => key(a) - key(b) || a - b);
}

/**
 * Group id (the smallest member index) of each of the n candidates, pairs of the [n, n]
 * row-major distance matrix below `threshold` merged transitively.
 */
export function collapseGroups(dist: ArrayLike<number>, n: number, threshold = COLLAPSE_L1): number[] {
	if (dist.length !== n * n) throw new Error(`collapseGroups: ${dist.length} distances for ${n} candidates`);
	const parent = Array.from({ length: n }, (_, i) => i);
	const root = (i: number): number => (parent[i] === i ? i : (parent[i] = root(parent[i])));
	for (let i = 0; i < n; i++)
		for (let j = i + 1; j < n; j++)
			if (dist[i * n + j] < threshold) {
				const [a, b] = [root(i), root(j)];
				parent[Math.max(a, b)] = Math.min(a, b);
			}
	return parent.map((_, i) => root(i));
}

/** How many distinct faces the n candidates are (collapsed restarts counted once). */
export function distinctCount(dist: ArrayLike<number>, n: number, threshold = COLLAPSE_L1): number {
	return new Set(collapseGroups(dist, n, threshold)).size;
}

/** "5 of 8 restarts found distinct faces" (K = 1: nothing to compare). */
export function distinctSummary(distinct: number, K: number): string {
	if (K < 2) return 'one restart: nothing to compare';
	return `${distinct} of ${K} restarts found distinct faces`;
}
