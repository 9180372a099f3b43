// "Why MSE blurs, made visible" (paper 004 §1, Fig. 3): many HR faces explain one LR face; a net
// trained on pixel MSE is pulled towards their pixel-wise mean, which is blurry. Here the
// plausible HR faces are found honestly: a short SR-NAM search (paper 000 Eq. 6; src/lib/srnam/
// search.ts) with K restarts in the ProGAN face space, for latents whose bicubic ↓4 matches the
// LR (the degradation the nets were trained on, not the learned degrader). Their mean is shown
// next to SRResNet-MSE's output, with every PSNR against the HR. Progress per step; the Stop
// button (the `active` parameter) cancels, and a re-run is deterministic from the seed.
// View: MeanFace.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import type { RGBImage } from '$lib/image/rgb';
import { toSeed } from '$lib/image/rng';
import { resize } from '$lib/image/resample';
import { psnr } from '$lib/heatmaps/losses';
import { l1, meanImage } from '$lib/srnam/metrics';
import { createSearch } from '$lib/srnam/search';
import { proganGenerator, type DegraderFn, type GeneratorFn } from '$lib/srnam/models';
import { proganModel } from '$cells/proganModel';
import { srganCompare } from './compare';
import { to8bit } from '$lib/image/levels';

/** Bicubic ↓4 as SR-NAM's degrader (linear, so it works on [-1, 1] images; the noise is unused). */
export const bicubicDegrader: DegraderFn = (hr) => resize(hr, hr.shape[1] / 4, hr.shape[2] / 4, 'bicubic');

export interface Candidate {
	image: RGBImage;
	/** L1 of its bicubic ↓4 to the LR input ([0, 1] values): how well it explains the LR. */
	lrL1: number;
	psnr?: number;
}

export interface MeanFace {
	state: 'idle' | 'done';
	steps: number;
	candidates: Candidate[];
	mean?: RGBImage;
	meanPsnr?: number;
	/** SRResNet-MSE's output (when it loaded) and its PSNR. */
	mse?: { image: RGBImage; psnr?: number };
	/** Mean pairwise L1 of the candidates: they differ, the LR does not tell them apart. */
	spread?: number;
	hasHr: boolean;
}

const CHUNK = 5;

export interface PlausibleSearch {
	generator: GeneratorFn;
	latentDim: number;
	/** 16×16 [0, 1] */
	lr: RGBImage;
	K: number;
	steps: number;
	seed: number;
	gpu: <R>(task: () => Promise<R>) => Promise<R>;
	signal: AbortSignal;
	progress(fraction: number): void;
}

/**
 * K faces G(z_k) whose bicubic ↓4 nears the LR: Adam on Eq. 6 of paper 000 (L1, per restart)
 * with learning rate 0.05, in chunks of CHUNK steps with progress; abortable. -> [0, 1]
 * candidates and each one's L1 to the LR after the last step.
 */
export async function searchPlausibleFaces(o: PlausibleSearch): Promise<{ candidates: RGBImage[]; lrL1: number[] }> {
	const search = createSearch({ generator: o.generator, degrader: bicubicDegrader, lr: o.lr, K: o.K, seed: o.seed, latentDim: o.latentDim, adam: { learningRate: 0.05 }, historyEvery: o.steps, gpu: o.gpu });
	try {
		for (let done = 0; done < o.steps; ) {
			const r = await search.step(Math.min(CHUNK, o.steps - done), { signal: o.signal });
			o.signal.throwIfAborted();
			done += r.ran;
			o.progress(done / o.steps);
		}
		const snap = await search.snapshot();
		return { candidates: snap.candidates, lrL1: snap.degraded.map((d) => l1(d, o.lr)) };
	} finally {
		await search.dispose();
	}
}

export const srganMeanFace = defineCell({
	kind: 'srgan-mean-face',
	summary: 'Finds K ProGAN faces that explain the LR and shows their blurry mean beside SRResNet-MSE, with PSNRs.',
	params: {
		active: { type: 'boolean', label: 'Search', default: false, help: 'Run the search (it takes seconds to minutes, depending on the backend); untick, or press Stop, to cancel it.' },
		K: { type: 'number', label: 'Restarts K', min: 2, max: 16, step: 1, default: 6, help: 'How many plausible HR faces to look for (one random start each).' },
		steps: { type: 'number', label: 'Adam steps', min: 5, max: 300, step: 5, default: 40, help: 'Steps of the latent search; each step runs ProGAN forward and back on all K at once.' },
		seed: { type: 'seed', label: 'Restart seed', default: 1, help: 'Seed of the K starting latents.' }
	},
	inputs: { compare: srganCompare, model: proganModel },
	async compute(ctx): Promise<MeanFace> {
		const { compare, model } = ctx.inputs;
		const hr = compare.hr ? to8bit(compare.hr) : undefined;
		const mseOut = compare.outputs.find((o) => o.id === 'srresnet-mse');
		const mse = mseOut && { image: mseOut.image, psnr: mseOut.psnr };
		if (!ctx.params.active) return { state: 'idle', steps: 0, candidates: [], mse, hasHr: !!hr };
		const found = await searchPlausibleFaces({
			generator: proganGenerator(model.weights),
			latentDim: model.info.latent,
			lr: compare.lr,
			K: ctx.params.K,
			steps: ctx.params.steps,
			seed: toSeed(ctx.params.seed),
			gpu: ctx.gpu,
			signal: ctx.signal,
			progress: ctx.progress
		});
		const images = found.candidates.map(to8bit);
		const candidates = images.map((image, k) => ({ image, lrL1: found.lrL1[k], psnr: hr && psnr(hr, image) }));
		const mean = to8bit(meanImage(images));
		let spread = 0;
		for (let i = 0; i < images.length; i++) for (let j = i + 1; j < images.length; j++) spread += l1(images[i], images[j]);
		spread /= (images.length * (images.length - 1)) / 2;
		return { state: 'done', steps: ctx.params.steps, candidates, mean, meanPsnr: hr && psnr(hr, mean), mse, spread, hasHr: !!hr };
	}
});
