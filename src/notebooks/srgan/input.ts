// The LR input of the SRGAN notebook: a 16×16 face the three nets super-resolve — a ProGAN
// sample made 16×16 by bicubic ↓4 (antialiased Keys a = −0.5, the degradation the nets were
// trained on, paper 004 §3.2), so its 64×64 HR is known; the face cell's face the same way; or
// that face taken as a real LR face (no HR: no PSNR, SSIM or content distance). View: Input.svelte.

import * as tf from '@tensorflow/tfjs';
import { defineCell } from '$lib/notebook/cellKind';
import { downsampleArea, rgbImage, type RGBImage } from '$lib/image/rgb';
import { levelsId } from '$lib/image/levels';
import { toSeed } from '$lib/image/rng';
import { resize } from '$lib/image/resample';
import { readFloats } from '$lib/image/tensor';
import { seededLatent } from '$lib/latent/slerp';
import { proganGenerator } from '$lib/srnam/models';
import { proganModel } from '$cells/proganModel';
import { faceInput } from '$cells/faceInput';

export interface SrganInput {
	/** 16×16, [0, 1] */
	lr: RGBImage;
	/** The 64×64 HR the LR was made from, when known. */
	hr?: RGBImage;
	label: string;
	/** Names the face across runs and browsers (the mini-MOS keys ratings by it). */
	faceId: string;
}

/** Antialiased bicubic ↓4 of a [0, 1] 64×64 image, clamped like train/common/images.py bicubic_down. */
export async function bicubicDown4(hr: RGBImage): Promise<RGBImage> {
	const data = await readFloats(() => tf.clipByValue(resize(tf.tensor3d(hr.data, [hr.height, hr.width, 3]), hr.height / 4, hr.width / 4, 'bicubic'), 0, 1));
	return rgbImage(hr.width / 4, hr.height / 4, data);
}

export const srganInput = defineCell({
	kind: 'srgan-input',
	summary: 'A 16×16 LR face: a ProGAN sample or your face by bicubic ↓4 (HR known), or your face as real LR.',
	params: {
		source: {
			type: 'select',
			label: 'LR input',
			options: [
				{ value: 'progan', label: 'ProGAN sample → bicubic ↓4' },
				{ value: 'face', label: 'Face above → bicubic ↓4' },
				{ value: 'face-lr', label: 'Face above is a real LR face (no HR)' }
			],
			default: 'progan',
			help: 'Where the 16×16 input comes from. Bicubic ↓4 is how the nets’ training LR was made, so the HR is known and PSNR/SSIM can be computed.'
		},
		seed: { type: 'seed', label: 'ProGAN seed', default: 5, help: 'Seed of the latent z ~ N(0, I) of the generated face.' }
	},
	inputs: { model: proganModel, face: faceInput },
	async compute(ctx): Promise<SrganInput> {
		const { source } = ctx.params;
		const { face, model } = ctx.inputs;
		if (source === 'face-lr') {
			// the face cell keeps faces at 128×128; area ×8 brings a small upload back to 16×16
			const lr = downsampleArea(face.hr128, 8);
			return { lr, label: `${face.label}, used as a real 16×16 LR face (its HR is unknown)`, faceId: `lr-${levelsId(lr)}` };
		}
		if (source === 'face') {
			const lr = await ctx.gpu(() => bicubicDown4(face.hr64));
			return { lr, hr: face.hr64, label: `${face.label}, bicubic ↓4`, faceId: `face-${levelsId(face.hr64)}` };
		}
		const seed = toSeed(ctx.params.seed);
		const hr = await ctx.gpu(async () => {
			const data = await readFloats(() => {
				const z = tf.tensor2d(Float32Array.from(seededLatent(seed)), [1, 512]);
				return tf.clipByValue(tf.div(tf.add(proganGenerator(model.weights)(z), 1), 2), 0, 1);
			});
			return rgbImage(64, 64, data);
		});
		const lr = await ctx.gpu(() => bicubicDown4(hr));
		return { lr, hr, label: `ProGAN sample, seed ${seed} (generated, not a photo), bicubic ↓4`, faceId: `progan-${seed}` };
	}
});
