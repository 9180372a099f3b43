// Cell kind → the Svelte component that draws it.
import type { Component } from 'svelte';
import type { CellProps } from './cellProps';
import FaceInput from './FaceInput.svelte';
import DegradationGallery from './DegradationGallery.svelte';
import L2Chart from './L2Chart.svelte';
import ProganModel from './ProganModel.svelte';
import ProganLatent from './ProganLatent.svelte';
import ProganGrowth from './ProganGrowth.svelte';
import ProganFade from './ProganFade.svelte';
import ProganFilmstrip from './ProganFilmstrip.svelte';
import PsrModel from './PsrModel.svelte';
import PsrSteps from './PsrSteps.svelte';
import PsrFade from './PsrFade.svelte';
import SrnamDegrader from './SrnamDegrader.svelte';
import SrnamInput from './SrnamInput.svelte';
import SrnamSearch from './SrnamSearch.svelte';
import SrnamLandmarks from './SrnamLandmarks.svelte';
import SamplerHr from './SamplerHr.svelte';
import SamplerGrid from './SamplerGrid.svelte';
import SamplerWalk from './SamplerWalk.svelte';
import SamplerStats from './SamplerStats.svelte';
import FidTable from './FidTable.svelte';
import SrModels from './SrModels.svelte';
import SamplerSr from './SamplerSr.svelte';
import AttentionModels from './AttentionModels.svelte';
import AttentionHr from './AttentionHr.svelte';
import AttentionSr from './AttentionSr.svelte';
import AttentionLoss from './AttentionLoss.svelte';
import AttentionExperiment from './AttentionExperiment.svelte';

export const COMPONENTS: Record<string, Component<CellProps>> = {
	'face-input': FaceInput,
	'degradation-gallery': DegradationGallery,
	'l2-chart': L2Chart,
	'progan-model': ProganModel,
	'progan-latent': ProganLatent,
	'progan-growth': ProganGrowth,
	'progan-fade': ProganFade,
	'progan-filmstrip': ProganFilmstrip,
	'psr-model': PsrModel,
	'psr-steps': PsrSteps,
	'psr-fade': PsrFade,
	'srnam-degrader': SrnamDegrader,
	'srnam-input': SrnamInput,
	'srnam-search': SrnamSearch,
	'srnam-landmarks': SrnamLandmarks,
	'sampler-hr': SamplerHr,
	'sampler-grid': SamplerGrid,
	'sampler-walk': SamplerWalk,
	'sampler-stats': SamplerStats,
	'fid-table': FidTable,
	'sr-models': SrModels,
	'sampler-sr': SamplerSr,
	'attn-models': AttentionModels,
	'attn-hr': AttentionHr,
	'attn-sr': AttentionSr,
	'attn-loss': AttentionLoss,
	'attn-experiment': AttentionExperiment
};
