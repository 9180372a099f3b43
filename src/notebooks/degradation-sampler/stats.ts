// The "statistics" cell of the Degradation Sampler: many learned LR samples of one HR face
// (seeded noise), each measured by src/lib/degradations/stats.ts against F(I_hr) (paper 001
// Eq. 4), with the classical recipes of the degradation-gallery cell and F(I_hr) itself as
// reference values.

import type { ParamSpec } from '$lib/notebook/types';
import type { ComputeContext } from '$lib/runtime/runtime';
import { toSeed } from '$lib/image/rng';
import { lrStats, type LrStats } from '$lib/degradations/stats';
import type { GalleryResult } from './degradationGallery';
import { degradeMany, degraderOf, noiseBank } from './samplerGrid';
import type { HrFace } from './hrFace';
const hrInput = (inputs: Record<string, unknown>) => inputs.hr as HrFace;

export const statsParams: Record<string, ParamSpec> = {
	count: { type: 'number', label: 'Samples', min: 8, max: 128, step: 8, default: 64, help: 'Learned LR samples measured (one noise vector each).' },
	seed: { type: 'seed', label: 'Noise seed', default: 100, help: 'Seed of the noise vectors of these samples.' }
};

export interface StatRef {
	id: string;
	label: string;
	stats: LrStats;
}

export interface SamplerStats {
	samples: LrStats[];
	/** Classical recipes (from the gallery) and F(I_hr) itself. */
	refs: StatRef[];
	count: number;
	seed: number;
}

export async function computeSamplerStats(ctx: ComputeContext): Promise<SamplerStats> {
	const hr = hrInput(ctx.inputs);
	const d = degraderOf(ctx.inputs);
	const gallery = ctx.inputs.gallery as GalleryResult | undefined;
	const count = Math.max(8, Math.min(128, Math.round(Number(ctx.params.count ?? 64)) || 64));
	const seed = toSeed(Number(ctx.params.seed ?? 100));
	const lrs = await degradeMany(ctx, d.weights, hr, noiseBank(seed, count, d.info.noiseDim), (k) => ctx.progress(k / count));
	const refs: StatRef[] = [{ id: 'pooled', label: 'F(I_hr) (average pooling)', stats: lrStats(hr.pooled, hr.pooled) }];
	// The gallery measures against its own pooled source; with the 64×64 source that is hr.pooled.
	for (const it of gallery?.items ?? []) refs.push({ id: it.id, label: it.label, stats: lrStats(it.lr, gallery!.hrPooled) });
	return { samples: lrs.map((lr) => lrStats(lr, hr.pooled)), refs, count, seed };
}
