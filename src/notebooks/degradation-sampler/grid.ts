// The learned degrader as a one-to-many map (paper 001 §3.3, Fig. 3; SR-NAM §3.2, Fig. 4): one
// HR face, many 16×16 LR faces, one per noise vector z ∈ R^100.
// - 'sampler-grid': N samples with seeded noise z_1..z_N (one RNG stream: z_i depends only on
//   the seed and i, so raising N keeps the first faces);
// - 'sampler-walk': z(t) on the great circle from z_1 to a second seeded z_B (slerp, as for
//   ProGAN latents), and z_1 + s·e_d, one noise direction d nudged by a strength s.

import * as tf from '@tensorflow/tfjs';
import type { ParamSpec } from '$lib/notebook/types';
import type { ComputeContext } from '$lib/runtime/runtime';
import { AbortedError } from '$lib/runtime/gpuQueue';
import { createRng, toSeed } from '$lib/image/rng';
import type { RGBImage } from '$lib/image/rgb';
import { learnedDegrader, splitImages } from '$lib/srnam/models';
import type { NamedWeights } from '$models/weights';
import type { DegraderModel } from './degraderModel';
import type { HrFace as SamplerHr } from './hrFace';
const hrInput = (inputs: Record<string, unknown>) => inputs.hr as SamplerHr;
import { slerp } from '$lib/latent/slerp';

/** Faces per degrader call: bounds memory and lets other cells' GPU work interleave. */
const CHUNK = 16;

/** `count` noise vectors of length `dim` from one seeded N(0, 1) stream (prefix-stable). */
export function noiseBank(seed: number, count: number, dim: number): Float32Array[] {
	const all = createRng(toSeed(seed)).fillNormal(new Float32Array(count * dim));
	return Array.from({ length: count }, (_, i) => all.subarray(i * dim, (i + 1) * dim));
}

export function degraderOf(inputs: Record<string, unknown>): DegraderModel {
	const d = inputs.degrader as DegraderModel | undefined;
	if (!d?.weights) throw new Error('No degrader: expected inputs.degrader from the degrader cell.');
	return d;
}

/** The HR face through the degrader once per noise vector → LR images in [0, 1]. */
export async function degradeMany(ctx: ComputeContext, weights: NamedWeights, hr: SamplerHr, noises: ArrayLike<number>[], onChunk?: (done: number) => void): Promise<RGBImage[]> {
	const out: RGBImage[] = [];
	const dim = noises[0]?.length ?? 0;
	for (let s = 0; s < noises.length; s += CHUNK) {
		if (ctx.signal.aborted) throw new AbortedError();
		const part = noises.slice(s, s + CHUNK);
		const n = part.length;
		const flat = new Float32Array(n * dim);
		part.forEach((z, i) => flat.set(z, i * dim));
		const data = await ctx.gpu(async () => {
			const t = tf.tidy(() => {
				const x = tf.tile(tf.sub(tf.mul(tf.tensor4d(hr.hr64.data, [1, 64, 64, 3]), 2), 1), [n, 1, 1, 1]) as tf.Tensor4D;
				const lo = learnedDegrader(weights)(x, tf.tensor2d(flat, [n, dim]));
				return tf.clipByValue(tf.div(tf.add(lo, 1), 2), 0, 1);
			});
			try {
				return (await t.data()) as Float32Array;
			} finally {
				t.dispose();
			}
		});
		out.push(...splitImages(data, n, 16, 16));
		onChunk?.(out.length);
	}
	return out;
}

export const gridParams: Record<string, ParamSpec> = {
	count: { type: 'number', label: 'Samples N', min: 1, max: 32, step: 1, default: 12, help: 'How many noise vectors z_i to draw.' },
	seed: { type: 'seed', label: 'Noise seed', default: 1, help: 'Seed of z_1..z_N ~ N(0, I); the same seed gives the same faces in every browser.' }
};

export interface SamplerGrid {
	hr: SamplerHr;
	seed: number;
	/** z_1: the start of the walk below. */
	z1: Float32Array;
	samples: RGBImage[];
	/** Mean over pixels and channels of the std across samples: how one-to-many the map is. */
	spread: number;
}

/** Per pixel and channel std across images (population), averaged. */
export function meanSpread(images: RGBImage[]): number {
	const n = images.length;
	if (n < 2) return 0;
	const len = images[0].data.length;
	let total = 0;
	for (let i = 0; i < len; i++) {
		let s = 0;
		let s2 = 0;
		for (const im of images) {
			s += im.data[i];
			s2 += im.data[i] * im.data[i];
		}
		const m = s / n;
		total += Math.sqrt(Math.max(0, s2 / n - m * m));
	}
	return total / len;
}

export async function computeSamplerGrid(ctx: ComputeContext): Promise<SamplerGrid> {
	const hr = hrInput(ctx.inputs);
	const d = degraderOf(ctx.inputs);
	const count = Math.max(1, Math.min(32, Math.round(Number(ctx.params.count ?? 12)) || 12));
	const seed = toSeed(Number(ctx.params.seed ?? 1));
	const zs = noiseBank(seed, count, d.info.noiseDim);
	const samples = await degradeMany(ctx, d.weights, hr, zs, (k) => ctx.progress(k / count));
	return { hr, seed, z1: zs[0], samples, spread: meanSpread(samples) };
}

export const walkParams: Record<string, ParamSpec> = {
	seedB: { type: 'seed', label: 'Seed of z_B', default: 2, help: 'The walk goes from z_1 (first sample of the grid) to this seed’s noise vector.' },
	t: { type: 'number', label: 'Interpolation t', min: 0, max: 1, step: 0.05, default: 0.5, help: 't = 0 is z_1, t = 1 is z_B, spherical in between.' },
	dim: { type: 'number', label: 'Noise dimension d', min: 0, max: 99, step: 1, default: 0, help: 'Which coordinate of z_1 to nudge.' },
	strength: { type: 'number', label: 'Nudge strength s', min: -6, max: 6, step: 0.25, default: 3, help: 'z = z_1 + s·e_d (z’s coordinates are N(0, 1), so 3 is a large move).' }
};

export interface SamplerWalk {
	t: number;
	dim: number;
	strength: number;
	a: RGBImage;
	mid: RGBImage;
	b: RGBImage;
	nudged: RGBImage;
	/** Mean |nudged − a| over pixels and channels, [0, 1] units. */
	nudgeChange: number;
	/** Same for the walk: mean |mid − a|. */
	walkChange: number;
}

const meanAbsDiff = (x: RGBImage, y: RGBImage) => x.data.reduce((s, v, i) => s + Math.abs(v - y.data[i]), 0) / x.data.length;

export async function computeSamplerWalk(ctx: ComputeContext): Promise<SamplerWalk> {
	const grid = ctx.inputs.grid as SamplerGrid | undefined;
	if (!grid?.z1) throw new Error('No samples: expected inputs.grid from the sample grid cell.');
	const d = degraderOf(ctx.inputs);
	const num = (k: string, lo: number, hi: number, def: number) => {
		const v = Number(ctx.params[k]);
		return Number.isFinite(v) ? Math.min(hi, Math.max(lo, v)) : def;
	};
	const t = num('t', 0, 1, 0.5);
	const dim = Math.round(num('dim', 0, d.info.noiseDim - 1, 0));
	const strength = num('strength', -6, 6, 3);
	const zA = Float64Array.from(grid.z1);
	const zB = Float64Array.from(noiseBank(toSeed(Number(ctx.params.seedB ?? 2)), 1, d.info.noiseDim)[0]);
	const nudge = Float32Array.from(grid.z1);
	nudge[dim] += strength;
	const [a, mid, b, nudged] = await degradeMany(ctx, d.weights, grid.hr, [grid.z1, Float32Array.from(slerp(zA, zB, t).z), Float32Array.from(zB), nudge]);
	return { t, dim, strength, a, mid, b, nudged, nudgeChange: meanAbsDiff(nudged, a), walkChange: meanAbsDiff(mid, a) };
}
