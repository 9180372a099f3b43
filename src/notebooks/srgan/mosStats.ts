// Per-method summary of mini-MOS ratings: n, mean, standard deviation and a 95% Student-t
// interval for the mean, mean ± t(0.975, n−1)·s/√n. The interval treats one person's ratings of
// different faces as independent draws of that person's opinion; it says nothing about other
// raters (the prose says so). Skips are counted, never scored.

import type { MosData } from './mosSession';

export interface MethodSummary {
	method: string;
	label: string;
	/** Scored ratings (skips excluded). */
	n: number;
	skipped: number;
	/** NaN when n = 0. */
	mean: number;
	/** Sample standard deviation (n − 1); NaN when n < 2. */
	sd: number;
	/** 95% t-interval of the mean; NaN when n < 2. */
	lo: number;
	hi: number;
}

/** ln Γ(x) for x > 0 (Lanczos, g = 7, n = 9: ~1e-15 relative). */
function lnGamma(x: number): number {
	const c = [0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7];
	if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
	x -= 1;
	let a = c[0];
	const t = x + 7.5;
	for (let i = 1; i < 9; i++) a += c[i] / (x + i);
	return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the incomplete beta function (modified Lentz). */
function betaFraction(a: number, b: number, x: number): number {
	const tiny = 1e-300;
	let c = 1;
	let d = 1 - ((a + b) * x) / (a + 1);
	if (Math.abs(d) < tiny) d = tiny;
	d = 1 / d;
	let h = d;
	for (let m = 1; m <= 300; m++) {
		const m2 = 2 * m;
		let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
		d = 1 + aa * d;
		c = 1 + aa / c;
		d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
		c = Math.abs(c) < tiny ? tiny : c;
		h *= d * c;
		aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
		d = 1 + aa * d;
		c = 1 + aa / c;
		d = Math.abs(d) < tiny ? 1 / tiny : 1 / d;
		c = Math.abs(c) < tiny ? tiny : c;
		const del = d * c;
		h *= del;
		if (Math.abs(del - 1) < 1e-15) break;
	}
	return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
	if (x <= 0) return 0;
	if (x >= 1) return 1;
	const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
	return x < (a + 1) / (a + b + 2) ? (front * betaFraction(a, b, x)) / a : 1 - (front * betaFraction(b, a, 1 - x)) / b;
}

/** P(T ≤ t) for Student's t with df degrees of freedom. */
export function studentTCdf(t: number, df: number): number {
	const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
	return t >= 0 ? 1 - tail : tail;
}

/** The p-quantile of Student's t with df degrees of freedom (bisection on the CDF), p in (0, 1). */
export function studentTQuantile(p: number, df: number): number {
	if (!(p > 0 && p < 1) || !(df > 0)) throw new RangeError(`t quantile needs 0 < p < 1 and df > 0 (got p = ${p}, df = ${df})`);
	let lo = -1;
	let hi = 1;
	while (studentTCdf(lo, df) > p) lo *= 2;
	while (studentTCdf(hi, df) < p) hi *= 2;
	for (let i = 0; i < 200 && hi - lo > 1e-12 * Math.max(1, Math.abs(hi)); i++) {
		const mid = (lo + hi) / 2;
		if (studentTCdf(mid, df) < p) lo = mid;
		else hi = mid;
	}
	return (lo + hi) / 2;
}

/** Mean, sd and the 95% t-interval of a list of scores. */
export function tInterval(scores: readonly number[], level = 0.95): { n: number; mean: number; sd: number; lo: number; hi: number } {
	const n = scores.length;
	const mean = n ? scores.reduce((s, x) => s + x, 0) / n : NaN;
	if (n < 2) return { n, mean, sd: NaN, lo: NaN, hi: NaN };
	const sd = Math.sqrt(scores.reduce((s, x) => s + (x - mean) ** 2, 0) / (n - 1));
	const half = studentTQuantile(1 - (1 - level) / 2, n - 1) * (sd / Math.sqrt(n));
	return { n, mean, sd, lo: mean - half, hi: mean + half };
}

/** One row per method that has an item in the session, in order of first appearance. */
export function summarise(data: MosData): MethodSummary[] {
	const labels = new Map<string, string>();
	for (const f of data.faces) for (const m of f.methods) labels.set(m.id, m.label);
	const scores = new Map<string, number[]>([...labels.keys()].map((id) => [id, []]));
	const skips = new Map<string, number>();
	for (const r of data.records) {
		if (r.score === null) skips.set(r.method, (skips.get(r.method) ?? 0) + 1);
		else scores.get(r.method)?.push(r.score);
	}
	return [...labels].map(([method, label]) => ({ method, label, skipped: skips.get(method) ?? 0, ...tInterval(scores.get(method) ?? []) }));
}
