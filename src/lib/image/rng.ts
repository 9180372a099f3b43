// The project's seeded random numbers. Every random choice a notebook shows (noise patterns,
// random blur kernels, synthetic faces) comes from here, so a session or link that stores a
// seed reproduces the same pixels in every browser.
//
// Determinism across engines: the generator is mulberry32 (32-bit integer ops only), and
// normal() uses Box–Muller with our own log/sin/cos built from +, −, ×, ÷ only. Those are
// correctly rounded IEEE-754 operations in every JS engine, whereas Math.log/Math.cos are
// "implementation-approximated" by the ECMAScript spec and may differ in the last bit.

export interface Rng {
	/** Next raw 32-bit unsigned integer. */
	nextUint32(): number;
	/** Uniform in [0, 1), a multiple of 2^-32. */
	uniform(): number;
	/** Uniform in [lo, hi). */
	range(lo: number, hi: number): number;
	/** Standard normal N(0, 1) (Box–Muller; pairs are cached). */
	normal(): number;
	/** Fill an array with N(mean, std²) samples. */
	fillNormal<T extends Float32Array | Float64Array>(out: T, mean?: number, std?: number): T;
}

const TWO_POW_32 = 4294967296;
const LN2 = 0.6931471805599453;

/** Normalise any number to a uint32 seed (non-integers and negatives are folded in). */
export function toSeed(seed: number): number {
	if (!Number.isFinite(seed)) return 0;
	return Math.trunc(seed) >>> 0;
}

/** mulberry32 (Tommy Ettinger): tiny, fast, passes PractRand to 2^32 outputs, 32-bit state. */
export function createRng(seed: number): Rng {
	let state = toSeed(seed);
	let spare: number | null = null;

	const nextUint32 = (): number => {
		state = (state + 0x6d2b79f5) | 0;
		let t = state;
		t = Math.imul(t ^ (t >>> 15), t | 1);
		t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
		return (t ^ (t >>> 14)) >>> 0;
	};
	const uniform = (): number => nextUint32() / TWO_POW_32;

	const normal = (): number => {
		if (spare !== null) {
			const s = spare;
			spare = null;
			return s;
		}
		// u1 in (0, 1] so log(u1) is finite; u2 in [0, 1) is an angle in turns.
		const u1 = (nextUint32() + 1) / TWO_POW_32;
		const u2 = uniform();
		const r = Math.sqrt(-2 * detLog(u1)); // sqrt is correctly rounded (IEEE-754)
		const [s, c] = sinCosTurns(u2);
		spare = r * s;
		return r * c;
	};

	return {
		nextUint32,
		uniform,
		range: (lo, hi) => lo + (hi - lo) * uniform(),
		normal,
		fillNormal(out, mean = 0, std = 1) {
			for (let i = 0; i < out.length; i++) out[i] = mean + std * normal();
			return out;
		}
	};
}

/** Natural log for x in (0, ∞) with basic arithmetic only (abs. error ~1e-16). */
export function detLog(x: number): number {
	if (!(x > 0) || !Number.isFinite(x)) throw new RangeError(`detLog: bad argument ${x}`);
	// x = m · 2^e with m in [√½, √2): scaling by 2 is exact in binary floating point.
	let e = 0;
	let m = x;
	while (m >= Math.SQRT2) {
		m /= 2;
		e++;
	}
	while (m < Math.SQRT1_2) {
		m *= 2;
		e--;
	}
	// log m = 2 atanh(s), s = (m−1)/(m+1), |s| ≤ 0.1716: the odd series converges fast.
	const s = (m - 1) / (m + 1);
	const s2 = s * s;
	let term = s;
	let sum = 0;
	for (let k = 1; k <= 25; k += 2) {
		sum += term / k;
		term *= s2;
	}
	return e * LN2 + 2 * sum;
}

/** [sin, cos] of 2π·t for t in [0, 1), by quadrant reduction and Taylor series on [−π/4, π/4]. */
export function sinCosTurns(t: number): [number, number] {
	const q = Math.round(4 * t); // quadrant 0..4
	const r = t - q / 4; // exact: t is a multiple of 2^-32, q/4 a multiple of 1/4
	const x = 2 * Math.PI * r;
	const x2 = x * x;
	// Taylor to x^19 / x^18: remainder < (π/4)^20/20! ≈ 1e-20.
	let sn = 0;
	let cs = 0;
	let ts = x;
	let tc = 1;
	for (let k = 0; k < 10; k++) {
		sn += ts;
		cs += tc;
		ts *= -x2 / ((2 * k + 2) * (2 * k + 3));
		tc *= -x2 / ((2 * k + 1) * (2 * k + 2));
	}
	switch (q & 3) {
		case 0:
			return [sn, cs];
		case 1:
			return [cs, -sn];
		case 2:
			return [-sn, -cs];
		default:
			return [-cs, sn];
	}
}
