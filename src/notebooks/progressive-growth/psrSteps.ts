// The "psr-steps" cell (paper 003 §3.1): one 16×16 LR face — the ProGAN sample of the growth
// cell (area ×4 from its 64 px face) or the face cell's face (PIL-style bilinear 128 → 16, as
// in training, §4.1) — through the progressive SR network once, on the GPU queue: the raw toRGB
// output of step 1 (32 px), 2 (64 px) and 3 (128 px), plus bicubic ×8 for comparison, and PSNR
// against the HR where one is known. View: PsrSteps.svelte.

import * as tf from '@tensorflow/tfjs';
import { defineCell, type CellContext } from '$lib/notebook/cellKind';
import { AbortedError } from '$lib/runtime/gpuQueue';
import { downsampleArea, rgbImage, type RGBImage } from '$lib/image/rgb';
import { toDisplay } from '$lib/image/signed';
import { resize } from '$lib/image/resample';
import { superResolveImage, PSR_STEP_PX } from '$models/progressiveSr';
import { faceInput } from '$cells/faceInput';
import { proganGrowth } from './growth';
import { psrModel } from './psrModel';
import { readFloats } from '$lib/image/tensor';

export interface PsrStepOut {
	size: number;
	/** raw toRGB output, HWC, trained range [-1, 1] (unclamped) */
	raw: Float32Array;
	image: RGBImage;
	/** PSNR (dB, 8-bit levels) against the HR resized to this size, when an HR is known at >= this size */
	psnr?: number;
}

export interface PsrStepsResult {
	/** The weights used (progressive-sr or progressive-sr-noatt). */
	variant: string;
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

const params = {
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
} as const;
const inputs = { model: psrModel, growth: proganGrowth, face: faceInput } as const;

function pickLr(ctx: CellContext<typeof params, typeof inputs>): { lr: RGBImage; hr?: RGBImage; label: string } {
	const { face, growth } = ctx.inputs;
	if (ctx.params.source === 'face') {
		const lr = tf.tidy(() => resize(tf.tensor3d(face.hr128.data, [128, 128, 3]), 16, 16, 'bilinear').clipByValue(0, 1).dataSync() as Float32Array);
		return { lr: rgbImage(16, 16, Float32Array.from(lr)), hr: face.hr128, label: `${face.label}, bilinear 128 → 16 px` };
	}
	const top = growth.levels.find((l) => l.size === 64);
	if (!top) throw new Error('The growth strip has no 64 px level.');
	return { lr: downsampleArea(top.image, 4), hr: top.image, label: 'ProGAN sample (the latent above), area 64 → 16 px' };
}

function hrAt(hr: RGBImage | undefined, size: number): RGBImage | undefined {
	if (!hr || hr.width < size) return undefined;
	return hr.width === size ? hr : downsampleArea(hr, hr.width / size);
}

export const psrSteps = defineCell({
	kind: 'psr-steps',
	summary: 'A 16×16 face through the progressive SR network\'s steps 1, 2, 3 next to bicubic.',
	params,
	inputs,
	async compute(ctx): Promise<PsrStepsResult> {
		const { model } = ctx.inputs;
		const { lr, hr, label } = pickLr(ctx);
		if (ctx.signal.aborted) throw new AbortedError();
		const gpu = <R>(task: () => Promise<R>) => ctx.gpu(task);
		const { raw } = await superResolveImage(model.weights, lr, gpu);
		const bic = await gpu(async () => {
			return readFloats(() => tf.sub(tf.mul(resize(tf.tensor4d(lr.data, [1, 16, 16, 3]), 128, 128, 'bicubic'), 2), 1));
		});
		if (ctx.signal.aborted) throw new AbortedError();
		const mk = (r: Float32Array, size: number): PsrStepOut => {
			const image = toDisplay(r, size);
			const ref = hrAt(hr, size);
			return { size, raw: r, image, psnr: ref ? psnr8(image, ref) : undefined };
		};
		return {
			variant: model.name,
			lr,
			label,
			hr,
			steps: PSR_STEP_PX.map((size, i) => mk(raw[i], size)),
			bicubic: mk(bic, 128)
		};
	}
});
