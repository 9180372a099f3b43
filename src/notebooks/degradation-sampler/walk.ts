// The noise walk cell (Degradation Sampler): z(t) on the great circle from the grid's z_1 to a
// second seeded z_B (slerp, as for ProGAN latents, so every point keeps a training z's norm),
// and z_1 + s·e_d, one noise coordinate d nudged by s, each through the learned degrader (paper
// 001 §3.3), with the mean change of the LR. View: Walk.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import { toSeed } from '$lib/image/rng';
import type { RGBImage } from '$lib/image/rgb';
import { slerp } from '$lib/latent/slerp';
import { l1 } from '$lib/srnam/metrics';
import { degraderModel } from '$cells/degraderModel';
import { degradeMany, noiseBank } from './degrade';
import { samplerGrid } from './grid';

export const walkParams = {
	seedB: { type: 'seed', label: 'Seed of z_B', default: 2, help: 'The walk goes from z_1 (first sample of the grid) to this seed’s noise vector.' },
	t: { type: 'number', label: 'Interpolation t', min: 0, max: 1, step: 0.05, default: 0.5, help: 't = 0 is z_1, t = 1 is z_B, spherical in between.' },
	dim: { type: 'number', label: 'Noise dimension d', min: 0, max: 99, step: 1, default: 0, help: 'Which coordinate of z_1 to nudge.' },
	strength: { type: 'number', label: 'Nudge strength s', min: -6, max: 6, step: 0.25, default: 3, help: 'z = z_1 + s·e_d (z’s coordinates are N(0, 1), so 3 is a large move).' }
} as const;

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

export const samplerWalk = defineCell({
	kind: 'sampler-walk',
	summary: 'Walks the degrader\'s noise from one sample to another and nudges one noise dimension.',
	params: walkParams,
	inputs: { grid: samplerGrid, degrader: degraderModel },
	async compute(ctx): Promise<SamplerWalk> {
		const { grid, degrader } = ctx.inputs;
		const { t, strength } = ctx.params;
		// The spec allows d up to 99; a degrader with fewer noise dimensions nudges its last one.
		const dim = Math.min(Math.round(ctx.params.dim), degrader.info.noiseDim - 1);
		const zA = Float64Array.from(grid.z1);
		const zB = Float64Array.from(noiseBank(toSeed(ctx.params.seedB), 1, degrader.info.noiseDim)[0]);
		const nudge = Float32Array.from(grid.z1);
		nudge[dim] += strength;
		const [a, mid, b, nudged] = await degradeMany(ctx, degrader.weights, grid.hr.hr64, [grid.z1, Float32Array.from(slerp(zA, zB, t).z), Float32Array.from(zB), nudge]);
		return { t, dim, strength, a, mid, b, nudged, nudgeChange: l1(nudged, a), walkChange: l1(mid, a) };
	}
});
