// The statistics cell of the Degradation Sampler: many learned LR samples of one HR face
// (seeded noise), each measured by src/lib/degradations/stats.ts against F(I_hr) (colour
// shift, Laplacian energy, noise, paper 001 Eq. 4 L2), with the classical recipes of the
// degradation-gallery cell and F(I_hr) itself as reference values. View: Stats.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import { toSeed } from '$lib/image/rng';
import { lrStats, type LrStats, type StatKey } from '$lib/degradations/stats';
import { degraderModel } from '$cells/degraderModel';
import { hrFace } from '$cells/hrFace';
import { degradationGallery } from '$cells/degradationGallery';
import { degradeMany, noiseBank } from './degrade';

export const statsParams = {
	count: { type: 'number', label: 'Samples', min: 8, max: 128, step: 8, default: 64, help: 'Learned LR samples measured (one noise vector each).' },
	seed: { type: 'seed', label: 'Noise seed', default: 100, help: 'Seed of the noise vectors of these samples.' }
} as const;

/** The statistics shown, in the order of the charts. */
export const STAT_KEYS: readonly StatKey[] = ['l2', 'colourShift', 'laplacianEnergy', 'noiseStd'];

export interface StatRef {
	id: string;
	label: string;
	stats: LrStats;
}

export interface SamplerStats {
	samples: LrStats[];
	/** Per statistic, the median over the learned samples (upper median for an even count). */
	medians: Record<StatKey, number>;
	/** Classical recipes (from the gallery) and F(I_hr) itself. */
	refs: StatRef[];
	count: number;
	seed: number;
}

/** The middle value (the upper of the two middle ones for an even count); NaN for none. */
export function median(xs: number[]): number {
	const s = [...xs].sort((a, b) => a - b);
	return s.length ? s[Math.floor(s.length / 2)] : NaN;
}

export const samplerStats = defineCell({
	kind: 'sampler-stats',
	summary: 'Per-sample statistics of learned LR samples against the classical recipes.',
	params: statsParams,
	inputs: { hr: hrFace, degrader: degraderModel, gallery: degradationGallery },
	async compute(ctx): Promise<SamplerStats> {
		const { hr, degrader, gallery } = ctx.inputs;
		const count = Math.round(ctx.params.count);
		const seed = toSeed(ctx.params.seed);
		const lrs = await degradeMany(ctx, degrader.weights, hr.hr64, noiseBank(seed, count, degrader.info.noiseDim), (k) => ctx.progress(k / count));
		const samples = lrs.map((lr) => lrStats(lr, hr.pooled));
		const refs: StatRef[] = [{ id: 'pooled', label: 'F(I_hr) (average pooling)', stats: lrStats(hr.pooled, hr.pooled) }];
		// The gallery measures against its own pooled source; with the 64×64 source that is hr.pooled.
		for (const it of gallery.items) refs.push({ id: it.id, label: it.label, stats: lrStats(it.lr, gallery.hrPooled) });
		const medians = Object.fromEntries(STAT_KEYS.map((k) => [k, median(samples.map((x) => x[k]))])) as Record<StatKey, number>;
		return { samples, medians, refs, count, seed };
	}
});
