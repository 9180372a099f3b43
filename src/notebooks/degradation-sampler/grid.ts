// The sample grid cell (Degradation Sampler, paper 001 §3.3, Fig. 3): N learned 16×16 LR
// versions of one HR face, one per seeded noise vector z_1..z_N (one RNG stream, so raising N
// keeps the first faces), and how much they differ. View: Grid.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import { toSeed } from '$lib/image/rng';
import type { RGBImage } from '$lib/image/rgb';
import { degraderModel } from '$cells/degraderModel';
import { hrFace, type HrFace } from '$cells/hrFace';
import { degradeMany, noiseBank } from './degrade';

export const gridParams = {
	count: { type: 'number', label: 'Samples N', min: 1, max: 32, step: 1, default: 12, help: 'How many noise vectors z_i to draw.' },
	seed: { type: 'seed', label: 'Noise seed', default: 1, help: 'Seed of z_1..z_N ~ N(0, I); the same seed gives the same faces in every browser.' }
} as const;

export interface SamplerGrid {
	hr: HrFace;
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

export const samplerGrid = defineCell({
	kind: 'sampler-grid',
	summary: 'A seeded grid of 16×16 samples from the learned degrader, one per noise vector.',
	params: gridParams,
	inputs: { hr: hrFace, degrader: degraderModel },
	async compute(ctx): Promise<SamplerGrid> {
		const { hr, degrader } = ctx.inputs;
		const count = Math.round(ctx.params.count);
		const seed = toSeed(ctx.params.seed);
		const zs = noiseBank(seed, count, degrader.info.noiseDim);
		const samples = await degradeMany(ctx, degrader.weights, hr.hr64, zs, (k) => ctx.progress(k / count));
		return { hr, seed, z1: zs[0], samples, spread: meanSpread(samples) };
	}
});
