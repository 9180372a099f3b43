// The search cell of the Live SR-NAM notebook (paper 000 §3.4, Eq. 6; §4.1; §4.4): builds a
// latent search (src/lib/srnam/search.ts) ready to run; the view drives it through
// SearchController (run / pause / step / scrub / reset), so the compute only builds it. The
// search runs in a Web Worker (src/lib/srnam/searchWorker.ts) so its ~1 s backward passes never
// block input; without a worker (or on cpu) it runs in the page. Either way its GPU work goes
// through ctx.gpu (the page's one GPU queue): per Adam step in the page, per chunk of steps in
// the worker. With a landmark network and a known HR it also scores candidates by Eq. 7
// (src/lib/srnam/eq7.ts). View: Search.svelte.

import * as tf from '@tensorflow/tfjs';
import { defineCell } from '$lib/notebook/cellKind';
import { toSeed } from '$lib/image/rng';
import { learnedDegrader, proganGenerator } from '$lib/srnam/models';
import { createSearch, resumeSearch, type LatentSearch, type SearchOptions, type SearchState } from '$lib/srnam/search';
import { searchFingerprint } from '$lib/srnam/persist';
import { searchWorker } from '$lib/srnam/workerHost';
import type { PlainSearchOptions } from '$lib/srnam/workerProtocol';
import type { WorkerNets } from '$lib/srnam/searchWorker';
import { createEq7Scorer, type Eq7Scorer } from '$lib/srnam/eq7';
import { modelDir } from '$models/catalog';
import { proganModel } from '$cells/proganModel';
import { degraderModel } from '$cells/degraderModel';
import { heatmapModels } from '$cells/heatmapModels';
import { srnamInput, type SrnamInput } from './input';

const params = {
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
} as const;

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

export const srnamSearch = defineCell({
	kind: 'srnam-search',
	summary: 'SR-NAM latent search (Eq. 6) with K restarts: run, pause, step, scrub, pin, export.',
	params,
	inputs: { model: proganModel, degrader: degraderModel, input: srnamInput, landmarks: heatmapModels },
	compute(ctx): SrnamSession {
		const { model: g, degrader: d, input, landmarks } = ctx.inputs;
		const K = Math.round(ctx.params.K);
		const budget = Math.round(ctx.params.budget);
		const seed = toSeed(ctx.params.seed);
		const adam = { learningRate: ctx.params.lr, beta1: ctx.params.beta1, beta2: ctx.params.beta2 };
		const noiseMode = ctx.params.noise;
		const prior = ctx.params.prior;
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
		const eq7 = input.hr ? createEq7Scorer(input.hr, landmarks, (task) => ctx.gpu(task)) : null;
		// The worker loads G and D from the same files as the model cells (refusing any whose manifest
		// hashes otherwise than the cells' loaded ones) and runs on the same backend.
		const { generator: _g, degrader: _d, gpu: _q, ...plain } = opts;
		const nets: WorkerNets = { generator: modelDir('progan') + 'model.json', degrader: modelDir('degrader') + 'model.json', generatorManifest: g.manifestSha256, degraderManifest: d.manifestSha256 };
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
});
