// Progressive-SR cells (paper 003 §3.1) of the progressive-growth notebook:
//  * "psr-steps": one 16×16 LR face (a ProGAN sample from the growth cell, area ×4 from its
//    64 px face, or an uploaded face, PIL-style bilinear 128 → 16 as in training, §4.1) through
//    the network once, on the GPU queue: the raw toRGB output of step 1 (32 px), 2 (64 px) and
//    3 (128 px), plus bicubic ×8 for comparison, and PSNR against the HR where one is known.
//  * "psr-fade": the fade-in of each step transition,
//        out_N = (1 − α_N) · f(G^{N−1}(I)) + α_N · G^N(I),  f = nearest ×2,  N ∈ {2, 3},
//    blended here from the raw heads (no GPU work), so the α sliders follow the pointer. The
//    unit test checks the blend against superResolve(weights, lr, {step, alpha}).

import * as tf from '@tensorflow/tfjs';
import type { ComputeContext } from '$lib/runtime/runtime';
import type { ParamSpec, ParamValues } from '$lib/notebook/types';
import { AbortedError } from '$lib/runtime/gpuQueue';
import { downsampleArea, rgbImage, type RGBImage } from '$lib/image/rgb';
import { resize } from '$lib/image/resample';
import { superResolve, PSR_STEP_PX } from '$models/progressiveSr';
import type { NamedWeights } from '$models/weights';
import { blend, upsample2 } from './proganFade';
import { toDisplay, type GrowthResult } from './proganGrowth';
import type { FaceValue } from './faceInput';
import { psrModelInput, type PsrVariant } from './psrModel';

export const psrStepsParams: Record<string, ParamSpec> = {
	source: {
		type: 'select',
		label: 'LR face',
		options: [
			{ value: 'progan', label: 'ProGAN sample above (64 px, area ×4 → 16 px)' },
			{ value: 'face', label: 'the face cell (128 px, bilinear → 16 px)' }
		],
		default: 'progan',
		help: 'The network only sees the 16×16 image; the HR it came from is kept to measure PSNR.'
	}
};

export const psrFadeParams: Record<string, ParamSpec> = {
	alpha2: { type: 'number', label: 'α, step 1 → 2 (32 → 64 px)', min: 0, max: 1, step: 0.01, default: 0.5, help: 'α = 0: step 1 blown up by nearest ×2; α = 1: step 2 alone.' },
	alpha3: { type: 'number', label: 'α, step 2 → 3 (64 → 128 px)', min: 0, max: 1, step: 0.01, default: 0.5, help: 'α = 0: step 2 blown up by nearest ×2; α = 1: step 3 alone.' }
};

export interface PsrStepOut {
	size: number;
	/** raw toRGB output, HWC, trained range [-1, 1] (unclamped) */
	raw: Float32Array;
	image: RGBImage;
	/** PSNR (dB, 8-bit levels) against the HR resized to this size, when an HR is known at >= this size */
	psnr?: number;
}

export interface PsrStepsResult {
	variant: PsrVariant;
	lr: RGBImage;
	label: string;
	hr?: RGBImage;
	steps: PsrStepOut[];
	bicubic: PsrStepOut;
}

/** PSNR on 8-bit levels of two [0, 1] images of the same size (what a saved PNG would score). */
export function psnr8(a: RGBImage, b: RGBImage): number {
	if (a.width !== b.width || a.height !== b.height) throw new Error('psnr8: sizes differ');
	let se = 0;
	for (let i = 0; i < a.data.length; i++) {
		const d = Math.round(Math.min(1, Math.max(0, a.data[i])) * 255) - Math.round(Math.min(1, Math.max(0, b.data[i])) * 255);
		se += d * d;
	}
	const mse = se / a.data.length;
	return mse === 0 ? Infinity : 10 * Math.log10((255 * 255) / mse);
}

function pickLr(ctx: ComputeContext): { lr: RGBImage; hr?: RGBImage; label: string; hrTensorSize?: number } {
	const source = String(ctx.params.source ?? 'progan');
	if (source === 'face') {
		const face = ctx.inputs.face as FaceValue | undefined;
		if (!face?.hr128) throw new Error('No face: connect the face-input cell.');
		const lr = tf.tidy(() => resize(tf.tensor3d(face.hr128.data, [128, 128, 3]), 16, 16, 'bilinear').clipByValue(0, 1).dataSync() as Float32Array);
		return { lr: rgbImage(16, 16, Float32Array.from(lr)), hr: face.hr128, label: `${face.label}, bilinear 128 → 16 px` };
	}
	const growth = ctx.inputs.growth as GrowthResult | undefined;
	const top = growth?.levels?.find((l) => l.size === 64);
	if (!top) throw new Error('No ProGAN sample: expected inputs.growth with a 64 px level.');
	return { lr: downsampleArea(top.image, 4), hr: top.image, label: 'ProGAN sample (the latent above), area 64 → 16 px' };
}

function hrAt(hr: RGBImage | undefined, size: number): RGBImage | undefined {
	if (!hr || hr.width < size) return undefined;
	return hr.width === size ? hr : downsampleArea(hr, hr.width / size);
}

/**
 * SR-output API (also for other notebooks, e.g. the Attention Explorer): a 16×16 RGBImage in
 * [0, 1] through all three steps at α = 1, in one task on the given GPU queue. Returns the raw
 * heads ([-1, 1], HWC: 32, 64, 128 px) and the same as display images in [0, 1].
 */
export async function superResolveImage(
	weights: NamedWeights,
	lr: RGBImage,
	gpu: <R>(task: () => Promise<R>) => Promise<R>
): Promise<{ raw: Float32Array[]; images: RGBImage[] }> {
	if (lr.width !== 16 || lr.height !== 16) throw new Error(`progressive-sr: the LR face must be 16×16, got ${lr.width}×${lr.height}`);
	const raw = await gpu(async () => {
		const outs = tf.tidy(() => {
			const x = tf.sub(tf.mul(tf.tensor4d(lr.data, [1, 16, 16, 3]), 2), 1) as tf.Tensor4D;
			return superResolve(weights, x, { step: 3, alpha: 1 }).steps;
		});
		try {
			return (await Promise.all(outs.map((t) => t.data()))) as Float32Array[];
		} finally {
			tf.dispose(outs);
		}
	});
	return { raw, images: raw.map((r, i) => toDisplay(r, PSR_STEP_PX[i])) };
}

export async function computePsrSteps(ctx: ComputeContext): Promise<PsrStepsResult> {
	const model = psrModelInput(ctx.inputs);
	const { lr, hr, label } = pickLr(ctx);
	if (ctx.signal.aborted) throw new AbortedError();
	const gpu = <R>(task: () => Promise<R>) => ctx.gpu(task);
	const { raw } = await superResolveImage(model.weights, lr, gpu);
	const bic = await gpu(async () => {
		const t = tf.tidy(() => tf.sub(tf.mul(resize(tf.tensor4d(lr.data, [1, 16, 16, 3]), 128, 128, 'bicubic'), 2), 1));
		try {
			return (await t.data()) as Float32Array;
		} finally {
			t.dispose();
		}
	});
	if (ctx.signal.aborted) throw new AbortedError();
	const mk = (r: Float32Array, size: number): PsrStepOut => {
		const image = toDisplay(r, size);
		const ref = hrAt(hr, size);
		return { size, raw: r, image, psnr: ref ? psnr8(image, ref) : undefined };
	};
	return {
		variant: model.variant,
		lr,
		label,
		hr,
		steps: PSR_STEP_PX.map((size, i) => mk(raw[i], size)),
		bicubic: mk(bic, 128)
	};
}

export interface PsrFadeTransition {
	step: 2 | 3;
	alpha: number;
	/** f(G^{N−1}(I)): the previous step's raw head, nearest ×2, for display */
	low: RGBImage;
	/** G^N(I) */
	high: RGBImage;
	out: RGBImage;
	raw: Float32Array;
}

export interface PsrFadeResult {
	transitions: PsrFadeTransition[];
}

export function readPsrFadeParams(values: ParamValues): { alpha2: number; alpha3: number } {
	const a = (v: unknown) => {
		const n = Number(v);
		return Number.isFinite(n) ? Math.min(1, Math.max(0, n)) : 0.5;
	};
	return { alpha2: a(values.alpha2), alpha3: a(values.alpha3) };
}

// The upsampled low terms depend only on the steps result; α changes reuse them.
let lastLow: { steps: PsrStepsResult; lows: Float32Array[] } | undefined;

export function computePsrFade(ctx: ComputeContext): PsrFadeResult {
	const sr = ctx.inputs.steps as PsrStepsResult | undefined;
	if (!sr?.steps || sr.steps.length !== 3) throw new Error('No progressive SR outputs: expected inputs.steps.');
	const { alpha2, alpha3 } = readPsrFadeParams(ctx.params);
	if (!lastLow || lastLow.steps !== sr) lastLow = { steps: sr, lows: [upsample2(sr.steps[0].raw, 32), upsample2(sr.steps[1].raw, 64)] };
	const transitions = ([2, 3] as const).map((step) => {
		const alpha = step === 2 ? alpha2 : alpha3;
		const size = PSR_STEP_PX[step - 1];
		const lowRaw = lastLow!.lows[step - 2];
		const raw = blend(lowRaw, sr.steps[step - 1].raw, alpha);
		return { step, alpha, low: toDisplay(lowRaw, size), high: sr.steps[step - 1].image, out: toDisplay(raw, size), raw };
	});
	return { transitions };
}
