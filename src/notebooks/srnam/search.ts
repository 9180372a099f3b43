// Compute side of the "Live SR-NAM" notebook (paper 000 §3.4, Eq. 6; §4.1; §4.4):
// - 'srnam-degrader': loads the degrader (static/weights/degrader, SR-NAM §3.2) with byte
//   progress and its card, cached per tfjs backend instance like the ProGAN model cell;
// - 'srnam-input': the 16×16 LR input: a ProGAN sample degraded by the degrader, or the
//   face-input cell's face (64×64) through the degrader or area ×4;
// - 'srnam-search': a latent search (src/lib/srnam/search.ts) ready to run; the component
//   drives it (run / pause / step / scrub / reset), so the compute only builds it. The search
//   runs in a Web Worker (src/lib/srnam/searchWorker.ts) so its ~1 s backward passes never
//   block input; without a worker (or on cpu) it runs in the page. Either way its GPU work
//   goes through ctx.gpu (the page's one GPU queue): per Adam step in the page, per chunk of
//   steps in the worker. With the
//   landmark networks (input 'landmarks', srnamLandmarks.ts) and a known HR it also scores
//   candidates by Eq. 7 (src/lib/srnam/eq7.ts).

import * as tf from '@tensorflow/tfjs';
import type { ParamSpec } from '$lib/notebook/types';
import type { ComputeContext } from '$lib/runtime/runtime';
import { AbortedError } from '$lib/runtime/gpuQueue';
import { downsampleArea, rgbImage, type RGBImage } from '$lib/image/rgb';
import { createRng, toSeed } from '$lib/image/rng';
import { fetchSource, loadWeightsFrom, type NamedWeights } from '$models/weights';
import { degraderInfo } from '$models/degrader';
import { learnedDegrader, proganGenerator } from '$lib/srnam/models';
import { createSearch, resumeSearch, type LatentSearch, type SearchOptions, type SearchState } from '$lib/srnam/search';
import { searchFingerprint } from '$lib/srnam/persist';
import { searchWorker } from '$lib/srnam/workerHost';
import type { PlainSearchOptions } from '$lib/srnam/workerProtocol';
import type { WorkerNets } from '$lib/srnam/searchWorker';
import type { ProganModel } from './proganModel';
import type { DegraderModel } from './degraderModel';
import { modelDir } from '$models/catalog';
import type { FaceValue } from './faceInput';
import type { HeatmapModels } from './heatmapModels';
import { createEq7Scorer, type Eq7Scorer } from '$lib/srnam/eq7';

const modelInput = (inputs: Record<string, unknown>) => inputs.model as ProganModel;
const degraderInput = (inputs: Record<string, unknown>) => inputs.degrader as DegraderModel;

export const inputParams: Record<string, ParamSpec> = {
	source: {
		type: 'select',
		label: 'LR input',
		options: [
			{ value: 'progan', label: 'ProGAN sample → degrader' },
			{ value: 'face', label: 'Face above → degrader' },
			{ value: 'face-area', label: 'Face above → area ×4' },
			{ value: 'face-lr', label: 'Face above is a real LR face (no HR)' }
		],
		default: 'progan',
		help: 'Where the 16×16 input comes from. A ProGAN sample is inside the generator’s range, so an exact answer exists.'
	},
	seed: { type: 'seed', label: 'Sample / noise seed', default: 11, help: 'Seed of the ProGAN sample z and of the degrader noise.' }
};

export interface SrnamInput {
	lr: RGBImage;
	/** The HR the LR was made from (64×64), when known (not for a real LR face). */
	hr?: RGBImage;
	label: string;
}

const toUnit = (t: tf.Tensor4D) => tf.clipByValue(tf.div(tf.add(t, 1), 2), 0, 1);

export async function computeSrnamInput(ctx: ComputeContext): Promise<SrnamInput> {
	const source = String(ctx.params.source ?? 'progan');
	const seed = toSeed(Number(ctx.params.seed ?? 11));
	const face = ctx.inputs.face as FaceValue | undefined;
	if (source === 'face-lr') {
		// an uploaded small face: the face cell scaled it to 128×128, area ×8 brings it to 16×16
		if (!face) throw new Error('No face: connect the face-input cell.');
		return { lr: downsampleArea(face.hr128, 8), label: `${face.label}, used as a real 16×16 LR face (its HR is unknown)` };
	}
	if (source === 'face-area') {
		if (!face) throw new Error('No face: connect the face-input cell.');
		return { lr: downsampleArea(face.hr64, 4), hr: face.hr64, label: `${face.label}, area ×4` };
	}
	const d = degraderInput(ctx.inputs);
	const g = source === 'progan' ? modelInput(ctx.inputs) : undefined;
	if (source !== 'progan' && !face) throw new Error('No face: connect the face-input cell.');
	const data = await ctx.gpu(async () => {
		const out = tf.tidy(() => {
			const hr = g
				? (generate64(g.weights, seed) as tf.Tensor4D)
				: (tf.sub(tf.mul(tf.tensor4d(face!.hr64.data, [1, 64, 64, 3]), 2), 1) as tf.Tensor4D);
			const noise = tf.tensor2d(createRng(seed + 1).fillNormal(new Float32Array(d.info.noiseDim)), [1, d.info.noiseDim]);
			const lo = learnedDegrader(d.weights)(hr, noise);
			return tf.concat([tf.reshape(toUnit(hr), [-1]), tf.reshape(toUnit(lo), [-1])]);
		});
		try {
			return (await out.data()) as Float32Array;
		} finally {
			out.dispose();
		}
	});
	const hr = rgbImage(64, 64, data.slice(0, 64 * 64 * 3));
	const lr = rgbImage(16, 16, data.slice(64 * 64 * 3));
	return { lr, hr, label: g ? `ProGAN sample (seed ${seed}), degraded` : `${face!.label}, degraded` };
}

function generate64(weights: NamedWeights, seed: number): tf.Tensor4D {
	const z = tf.tensor2d(createRng(seed).fillNormal(new Float32Array(512)), [1, 512]);
	return proganGenerator(weights)(z);
}

export const searchParams: Record<string, ParamSpec> = {
	K: { type: 'number', label: 'Restarts K', min: 1, max: 32, step: 1, default: 4, help: 'Random starts z_k ~ N(0, I), optimised together as one batch (§3.4 “Multiple Solutions”). Time per step grows with K.' },
	lr: { type: 'number', label: 'Adam learning rate', min: 0.001, max: 0.2, step: 0.001, default: 0.05, help: 'The paper uses Adam’s default 0.001 with 250–500 steps; a larger rate shows the search in fewer steps.' },
	beta1: { type: 'number', label: 'Adam β1', min: 0, max: 0.999, step: 0.001, default: 0.9, help: 'Decay of the gradient average (paper: Adam default 0.9).' },
	beta2: { type: 'number', label: 'Adam β2', min: 0, max: 0.9999, step: 0.0001, default: 0.999, help: 'Decay of the squared-gradient average (paper: Adam default 0.999).' },
	budget: { type: 'number', label: 'Step budget', min: 1, max: 500, step: 1, default: 100, help: 'Run stops after this many Adam steps (paper: 250–500).' },
	seed: { type: 'seed', label: 'Search seed', default: 1, help: 'Seed of the K starting latents and of the degrader noise.' },
	noise: {
		type: 'select',
		label: 'Degrader noise',
		options: [
			{ value: 'fixed', label: 'fixed by the seed' },
			{ value: 'joint', label: 'optimised with z' }
		],
		default: 'fixed',
		help: 'The degrader is one-to-many (§3.2): keep its noise fixed, or let the search pick it too.'
	},
	prior: { type: 'number', label: 'Latent-norm prior (extension)', min: 0, max: 1, step: 0.01, default: 0, help: 'Not in the paper (off = 0): weight of Σ_k (‖z_k‖²/d − 1)², keeping each z_k where N(0, I) puts its mass.' }
};

export interface SrnamSession {
	input: SrnamInput;
	K: number;
	budget: number;
	historyEvery: number;
	/** Settings + input identity: a saved run resumes only into the same one. */
	fingerprint: string;
	/** Either network is a stand-in (its card says so) or has no card. */
	standIn: boolean;
	/** Eq. 7 (paper 000) of candidates against the known HR; null without an HR or a landmark net. */
	eq7: Eq7Scorer | null;
	/** A fresh search in the page (the component owns and disposes it). */
	make(): LatentSearch;
	/** A fresh search, in the search worker when one runs (else as make()). */
	open(): Promise<LatentSearch>;
	/** A search continuing from a saved state (in the worker when one runs). */
	resume(s: SearchState): Promise<LatentSearch>;
}

const num = (v: unknown, d: number) => (Number.isFinite(Number(v)) ? Number(v) : d);

export function computeSrnamSearch(ctx: ComputeContext): SrnamSession {
	const g = modelInput(ctx.inputs);
	const d = degraderInput(ctx.inputs);
	const input = ctx.inputs.input as SrnamInput | undefined;
	if (!input?.lr) throw new Error('No LR input: expected inputs.input from the input cell.');
	const K = Math.max(1, Math.min(32, Math.round(num(ctx.params.K, 4))));
	const budget = Math.max(1, Math.round(num(ctx.params.budget, 100)));
	const seed = toSeed(num(ctx.params.seed, 1));
	const adam = { learningRate: num(ctx.params.lr, 0.05), beta1: num(ctx.params.beta1, 0.9), beta2: num(ctx.params.beta2, 0.999) };
	const noiseMode = ctx.params.noise === 'joint' ? 'joint' : 'fixed';
	const prior = Math.max(0, num(ctx.params.prior, 0));
	const historyEvery = 5;
	const opts: SearchOptions = {
		generator: proganGenerator(g.weights),
		degrader: learnedDegrader(d.weights),
		lr: input.lr,
		K,
		seed,
		adam,
		noise: { mode: noiseMode, seed: seed + 1000 },
		prior: prior > 0 ? { weight: prior } : undefined,
		historyEvery,
		latentDim: g.info.latent,
		noiseDim: d.info.noiseDim,
		gpu: (task) => ctx.gpu(task)
	};
	const fingerprint = searchFingerprint({ K, seed, adam, noiseMode, prior, historyEvery, latent: g.info.latent, noise: d.info.noiseDim }, input.lr.data);
	const standIn = !g.card || g.card.standIn || !d.card || d.card.standIn;
	const landmarks = ctx.inputs.landmarks as HeatmapModels | undefined;
	const eq7 = input.hr ? createEq7Scorer(input.hr, landmarks, (task) => ctx.gpu(task)) : null;
	// The worker loads G and D from the same files as the model cells and runs on the same backend.
	const { generator: _g, degrader: _d, gpu: _q, ...plain } = opts;
	const nets: WorkerNets = { generator: modelDir('progan') + 'model.json', degrader: modelDir('degrader') + 'model.json' };
	const inWorker = async (state?: SearchState) => {
		const ch = await searchWorker(tf.getBackend());
		return ch ? ch.open(nets, plain satisfies PlainSearchOptions, state, (task) => ctx.gpu(task)) : null;
	};
	return {
		input,
		K,
		budget,
		historyEvery,
		fingerprint,
		standIn,
		eq7,
		make: () => createSearch(opts),
		open: async () => (await inWorker()) ?? createSearch(opts),
		resume: async (s) => (await inWorker(s)) ?? resumeSearch(opts, s)
	};
}
