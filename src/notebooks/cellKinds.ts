// Every cell kind, in one registry: the notebook page and the Node tests run notebooks through
// it, cellViews.ts must give each kind a view (checked by the compiler), and the registry test
// checks every notebook against it (known kinds, declared inputs wired to accepted kinds).

import type { AnyCellKind } from '$lib/notebook/cellKind';
import { faceInput } from '$cells/faceInput';
import { proganModel } from '$cells/proganModel';
import { degraderModel } from '$cells/degraderModel';
import { hrFace } from '$cells/hrFace';
import { heatmapModels } from '$cells/heatmapModels';
import { degradationGallery } from '$cells/degradationGallery';
import { l2Chart } from './classical-degradations/l2Chart';
import { proganLatent } from './progressive-growth/latent';
import { proganGrowth } from './progressive-growth/growth';
import { proganFade } from './progressive-growth/fade';
import { proganFilmstrip } from './progressive-growth/filmstrip';
import { srnamInput } from './srnam/input';
import { srnamSearch } from './srnam/search';
import { samplerGrid } from './degradation-sampler/grid';
import { samplerWalk } from './degradation-sampler/walk';
import { samplerStats } from './degradation-sampler/stats';
import { fidClaims } from './degradation-sampler/fidClaims';
import { srTwins } from './degradation-sampler/srTwins';
import { srPanel } from './degradation-sampler/srPanel';
import { psrModel } from './progressive-growth/psrModel';
import { psrSteps } from './progressive-growth/psrSteps';
import { psrFade } from './progressive-growth/psrFade';
import { hrLandmarks } from './attention-loss/landmarks';
import { srImage } from './attention-loss/srImage';
import { lossMaps } from './attention-loss/lossMaps';
import { experiment } from './attention-loss/experiment';
import { ganFaces } from './live-gan/faces';
import { ganTrain } from './live-gan/train';
import { srganInput } from './srgan/input';
import { srganNets } from './srgan/nets';
import { srganCompare } from './srgan/compare';
import { srganLossMaps } from './srgan/lossMaps';
import { srganMeanFace } from './srgan/meanFace';
import { srganPlane } from './srgan/plane';
import { srganMos } from './srgan/mos';
import { jointNets } from './joint-sr/nets';
import { jointInput } from './joint-sr/input';
import { jointMask } from './joint-sr/mask';
import { jointOutputs } from './joint-sr/outputs';
import { jointLosses } from './joint-sr/lossTable';
import { jointLiveSweep } from './joint-sr/liveSweep';
import { jointOfflineSweep } from './joint-sr/offlineSweep';


const KINDS = [
	faceInput,
	proganModel,
	degraderModel,
	hrFace,
	heatmapModels,
	degradationGallery,
	l2Chart,
	proganLatent,
	proganGrowth,
	proganFade,
	proganFilmstrip,
	psrModel,
	psrSteps,
	psrFade,
	srnamInput,
	srnamSearch,
	samplerGrid,
	samplerWalk,
	samplerStats,
	fidClaims,
	srTwins,
	srPanel,
	hrLandmarks,
	srImage,
	lossMaps,
	experiment,
	ganFaces,
	ganTrain,
	srganInput,
	srganNets,
	srganCompare,
	srganLossMaps,
	srganMeanFace,
	srganPlane,
	srganMos,
	jointNets,
	jointInput,
	jointMask,
	jointOutputs,
	jointLosses,
	jointLiveSweep,
	jointOfflineSweep
] as const;

export type CellKindName = (typeof KINDS)[number]['kind'];
/** The definition of the kind named K. */
export type KindNamed<K extends CellKindName> = Extract<(typeof KINDS)[number], { kind: K }>;

export const CELL_KINDS: Readonly<Record<CellKindName, AnyCellKind>> = Object.fromEntries(KINDS.map((k) => [k.kind, k])) as Record<CellKindName, AnyCellKind>;
