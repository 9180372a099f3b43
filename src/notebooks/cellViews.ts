// Cell kind → the Svelte component that draws it. The `satisfies` makes a kind without a view,
// or a view whose props are not its kind's, a compile error (npm run check).
import type { Component } from 'svelte';
import type { CellProps } from '$lib/notebook/cellProps';
import type { CellKindName, KindNamed } from './cellKinds';
import FaceInput from '$cells/FaceInput.svelte';
import ProganModel from '$cells/ProganModel.svelte';
import DegraderModel from '$cells/DegraderModel.svelte';
import HrFace from '$cells/HrFace.svelte';
import HeatmapModels from '$cells/HeatmapModels.svelte';
import DegradationGallery from '$cells/DegradationGallery.svelte';
import L2Chart from './classical-degradations/L2Chart.svelte';
import ProganGrowth from './progressive-growth/Growth.svelte';
import ProganLatent from './progressive-growth/Latent.svelte';
import ProganFade from './progressive-growth/Fade.svelte';
import ProganFilmstrip from './progressive-growth/Filmstrip.svelte';
import PsrModel from './progressive-growth/PsrModel.svelte';
import PsrSteps from './progressive-growth/PsrSteps.svelte';
import PsrFade from './progressive-growth/PsrFade.svelte';
import SrnamInput from './srnam/Input.svelte';
import SrnamSearch from './srnam/Search.svelte';
import SamplerGrid from './degradation-sampler/Grid.svelte';
import SamplerWalk from './degradation-sampler/Walk.svelte';
import SamplerStats from './degradation-sampler/Stats.svelte';
import FidClaims from './degradation-sampler/FidClaims.svelte';
import SrTwins from './degradation-sampler/SrTwins.svelte';
import SrPanel from './degradation-sampler/SrPanel.svelte';
import AttentionHr from './attention-loss/Landmarks.svelte';
import AttentionSr from './attention-loss/SrImage.svelte';
import AttentionLoss from './attention-loss/LossMaps.svelte';
import AttentionExperiment from './attention-loss/Experiment.svelte';
import GanFaces from './live-gan/Faces.svelte';
import GanTrain from './live-gan/Train.svelte';
import SrganInput from './srgan/Input.svelte';
import SrganNets from './srgan/Nets.svelte';
import SrganCompare from './srgan/Compare.svelte';
import SrganLossMaps from './srgan/LossMaps.svelte';
import SrganMeanFace from './srgan/MeanFace.svelte';
import SrganPlane from './srgan/Plane.svelte';
import SrganMos from './srgan/Mos.svelte';
import JointNets from './joint-sr/Nets.svelte';
import JointInput from './joint-sr/Input.svelte';
import JointMask from './joint-sr/Mask.svelte';
import JointOutputs from './joint-sr/Outputs.svelte';
import JointLosses from './joint-sr/Losses.svelte';
import JointLiveSweep from './joint-sr/LiveSweep.svelte';
import JointOfflineSweep from './joint-sr/OfflineSweep.svelte';

export const CELL_VIEWS = {
	'face-input': FaceInput,
	'progan-model': ProganModel,
	'degrader-model': DegraderModel,
	'hr-face': HrFace,
	'heatmap-models': HeatmapModels,
	'degradation-gallery': DegradationGallery,
	'l2-chart': L2Chart,
	'progan-latent': ProganLatent,
	'progan-growth': ProganGrowth,
	'progan-fade': ProganFade,
	'progan-filmstrip': ProganFilmstrip,
	'psr-model': PsrModel,
	'psr-steps': PsrSteps,
	'psr-fade': PsrFade,
	'srnam-input': SrnamInput,
	'srnam-search': SrnamSearch,
	'sampler-grid': SamplerGrid,
	'sampler-walk': SamplerWalk,
	'sampler-stats': SamplerStats,
	'fid-table': FidClaims,
	'sr-models': SrTwins,
	'sampler-sr': SrPanel,
	'attn-hr': AttentionHr,
	'attn-sr': AttentionSr,
	'attn-loss': AttentionLoss,
	'attn-experiment': AttentionExperiment,
	'gan-faces': GanFaces,
	'gan-train': GanTrain,
	'srgan-input': SrganInput,
	'srgan-nets': SrganNets,
	'srgan-compare': SrganCompare,
	'srgan-loss-maps': SrganLossMaps,
	'srgan-mean-face': SrganMeanFace,
	'srgan-plane': SrganPlane,
	'srgan-mos': SrganMos,
	'joint-nets': JointNets,
	'joint-input': JointInput,
	'joint-mask': JointMask,
	'joint-outputs': JointOutputs,
	'joint-losses': JointLosses,
	'joint-live-sweep': JointLiveSweep,
	'joint-offline-sweep': JointOfflineSweep
} satisfies { [K in CellKindName]: Component<CellProps<KindNamed<K>>> };

/** The view of a kind, for the page that places cells by their kind name. */
export function viewOf(kind: string): Component<CellProps> {
	const view = (CELL_VIEWS as Record<string, unknown>)[kind];
	if (!view) throw new Error(`no view for cell kind “${kind}”`);
	return view as Component<CellProps>;
}
