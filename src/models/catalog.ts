// Every model srlab ships (static/weights/<name>/), with its card reader and the check that
// the weights are that model's. loadModel() is the app's loader of each (one per model,
// cached per backend); tests make their own with modelLoader(MODELS.x, { root, fetch }).

import { parseCard, parsePsrCard, parseStudentCard } from './cards';
import { WEIGHTS_ROOT, modelLoader, type LoadContext, type LoadedModel, type ModelLoader, type ModelSource } from './load';
import { proganInfo } from './progan';
import { degraderInfo } from './degrader';
import { low2highInfo } from './low2high';
import { progressiveSrInfo } from './progressiveSr';
import { heatmapParamCount } from './heatmaps';
import { srresnetInfo } from './srresnet';
import { parseSrganCard } from './srganCard';
import { jointSrInfo } from './jointSr';
import { parseJointSrCard } from './jointSrCard';

export const modelDir = (name: string) => `${WEIGHTS_ROOT}${name}/`;

const source = <C, I>(s: ModelSource<C, I>) => s;

export const MODELS = {
	progan: source({ name: 'progan', label: 'The ProGAN face generator', parseCard, inspect: proganInfo }),
	degrader: source({ name: 'degrader', label: 'The degrader', parseCard, inspect: degraderInfo }),
	low2high: source({ name: 'low2high', label: 'The Low-to-High net (learned LR)', parseCard, inspect: low2highInfo }),
	'low2high-bicubic': source({ name: 'low2high-bicubic', label: 'The Low-to-High net (bicubic LR)', parseCard, inspect: low2highInfo }),
	'progressive-sr': source({ name: 'progressive-sr', label: 'The progressive SR network', parseCard: parsePsrCard, inspect: progressiveSrInfo }),
	'progressive-sr-noatt': source({ name: 'progressive-sr-noatt', label: 'The progressive SR network', parseCard: parsePsrCard, inspect: progressiveSrInfo }),
	heatmaps: source({ name: 'heatmaps', label: 'The heatmap student', parseCard: parseStudentCard, inspect: (w) => ({ parameters: heatmapParamCount(w) }) }),
	'srresnet-mse': source({ name: 'srresnet-mse', label: 'SRResNet-MSE', parseCard: parseSrganCard, inspect: srresnetInfo }),
	'srresnet-content': source({ name: 'srresnet-content', label: 'SRResNet-content', parseCard: parseSrganCard, inspect: srresnetInfo }),
	srgan: source({ name: 'srgan', label: 'SRGAN', parseCard: parseSrganCard, inspect: srresnetInfo }),
	'joint-sr': source({ name: 'joint-sr', label: 'The joint SR + deblurring net', parseCard: parseJointSrCard, inspect: jointSrInfo }),
	'joint-sr-noblur': source({ name: 'joint-sr-noblur', label: 'The joint SR net without the blurred branch', parseCard: parseJointSrCard, inspect: jointSrInfo }),
	'joint-sr-nolocal': source({ name: 'joint-sr-nolocal', label: 'The joint SR net without the local discriminator', parseCard: parseJointSrCard, inspect: jointSrInfo })
};

export type ModelName = keyof typeof MODELS;
type SourceOf<N extends ModelName> = (typeof MODELS)[N];
type CardOf<N extends ModelName> = ReturnType<SourceOf<N>['parseCard']>;
type InfoOf<N extends ModelName> = ReturnType<SourceOf<N>['inspect']>;
export type Model<N extends ModelName> = LoadedModel<CardOf<N>, InfoOf<N>>;

const loaders = new Map<ModelName, ModelLoader<unknown, unknown>>();

/** Load a shipped model from /weights/<name>/ (kept per backend; see load.ts). */
export function loadModel<N extends ModelName>(name: N, ctx: LoadContext): Promise<Model<N>> {
	let load = loaders.get(name);
	if (!load) loaders.set(name, (load = modelLoader(MODELS[name] as ModelSource<unknown, unknown>)));
	return load(ctx) as Promise<Model<N>>;
}
