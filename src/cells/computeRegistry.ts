// Cell kind → compute function. Kept apart from the Svelte components so the whole
// notebook graph can run in Node tests.

import type { ComputeFn } from '$lib/runtime/runtime';
import { computeFaceInput } from './faceInput';
import { computeGallery } from './degradationGallery';
import { computeL2Rows } from './l2Chart';
import { computeProganModel } from './proganModel';
import { computeLatent } from './proganLatent';
import { computeGrowth } from './proganGrowth';
import { computeFade } from './proganFade';
import { computeFilmstrip } from './proganFilmstrip';
import { computeDegrader, computeSrnamInput, computeSrnamSearch } from './srnam';
import { computeSrnamLandmarks } from './srnamLandmarks';
import { computeSamplerHr } from './samplerHr';
import { computeSamplerGrid, computeSamplerWalk } from './samplerGrid';
import { computeSamplerStats } from './samplerStats';
import { computeFidTable } from './fidTable';
import { computeSrModels } from './srModels';
import { computeSamplerSr } from './samplerSr';
import { computePsrModel } from './psrModel';
import { computePsrFade, computePsrSteps } from './psrSteps';
import { computeHeatmapModels } from './attentionModels';
import { computeAttnHrMaps, computeAttnSr } from './attentionInputs';
import { computeAttnExperiment, computeAttnLoss } from './attentionLoss';

export const COMPUTE: Record<string, ComputeFn> = {
	'face-input': computeFaceInput,
	'degradation-gallery': computeGallery,
	'l2-chart': computeL2Rows,
	'progan-model': computeProganModel,
	'progan-latent': computeLatent,
	'progan-growth': computeGrowth,
	'progan-fade': computeFade,
	'progan-filmstrip': (ctx) => computeFilmstrip(ctx),
	'psr-model': computePsrModel,
	'psr-steps': computePsrSteps,
	'psr-fade': computePsrFade,
	'srnam-degrader': computeDegrader,
	'srnam-input': computeSrnamInput,
	'srnam-search': computeSrnamSearch,
	'srnam-landmarks': (ctx) => computeSrnamLandmarks(ctx),
	'sampler-hr': computeSamplerHr,
	'sampler-grid': computeSamplerGrid,
	'sampler-walk': computeSamplerWalk,
	'sampler-stats': computeSamplerStats,
	'fid-table': computeFidTable,
	'sr-models': computeSrModels,
	'sampler-sr': computeSamplerSr,
	'attn-models': computeHeatmapModels,
	'attn-hr': computeAttnHrMaps,
	'attn-sr': computeAttnSr,
	'attn-loss': computeAttnLoss,
	'attn-experiment': computeAttnExperiment
};
