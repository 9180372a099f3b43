// Latents z ∈ R^512 for the ProGAN generator: seeded N(0, I) draws (the project's RNG,
// identical in every browser) and a spherical interpolation between two. Slerp rather than a
// straight line because a straight line's midpoint has a norm ≈ √(512/2) instead of ≈ √512: a
// point the generator almost never saw in training (White 2016, "Sampling generative
// networks"). sin/acos are built from basic arithmetic, so a link reproduces the same z bit
// for bit in every engine.

import { createRng, sinCosTurns, toSeed } from '$lib/image/rng';

export const LATENT_SIZE = 512;

/** The seeded latent z ~ N(0, I) of length n (float64 for the interpolation). */
export function seededLatent(seed: number, n = LATENT_SIZE): Float64Array {
	return createRng(toSeed(seed)).fillNormal(new Float64Array(n));
}

const detSin = (x: number) => sinCosTurns(x / (2 * Math.PI))[0]; // x in [0, π]
const detCos = (x: number) => sinCosTurns(x / (2 * Math.PI))[1];

/** acos on [-1, 1] by bisection on the deterministic cos (decreasing on [0, π]). */
export function detAcos(c: number): number {
	const v = Math.min(1, Math.max(-1, c));
	let lo = 0;
	let hi = Math.PI;
	for (let i = 0; i < 60; i++) {
		const mid = (lo + hi) / 2;
		if (detCos(mid) > v) lo = mid;
		else hi = mid;
	}
	return (lo + hi) / 2;
}

export function dot(a: ArrayLike<number>, b: ArrayLike<number>): number {
	let s = 0;
	for (let i = 0; i < a.length; i++) s += a[i] * b[i];
	return s;
}

/** Spherical interpolation; t = 0 and t = 1 return a and b exactly. */
export function slerp(a: Float64Array, b: Float64Array, t: number): { z: Float64Array; theta: number } {
	const theta = detAcos(dot(a, b) / Math.sqrt(dot(a, a) * dot(b, b)));
	const z = new Float64Array(a.length);
	const s = detSin(theta);
	// Nearly parallel latents: sinθ ≈ 0, and the straight line is the same path.
	const [wa, wb] = s < 1e-6 ? [1 - t, t] : [detSin((1 - t) * theta) / s, detSin(t * theta) / s];
	for (let i = 0; i < a.length; i++) z[i] = t === 0 ? a[i] : t === 1 ? b[i] : wa * a[i] + wb * b[i];
	return { z, theta };
}
