// The HR face cell (sampler and attention notebooks): the 64×64 face the learned degrader
// (paper 001 §3.3), the classical recipes and the heatmap networks start from — a ProGAN sample (seeded latent) or the
// face-input cell's face (its 128×128 crop area-averaged to 64×64). Also F(I_hr), the face
// average-pooled to 16×16, the target of Eq. 4.
//
// `hr128` lets the classical degradation-gallery cell run unchanged: for a ProGAN sample it is
// the 64×64 face enlarged ×2 by pixel repetition, so the gallery's 64×64 source (a 2×2 area
// average of it) is exactly the generated face again.

import * as tf from '@tensorflow/tfjs';
import { defineCell } from '$lib/notebook/cellKind';
import { downsampleArea, rgbImage, type RGBImage } from '$lib/image/rgb';
import { toSeed } from '$lib/image/rng';
import { proganGenerator } from '$lib/srnam/models';
import { proganModel } from './proganModel';
import { seededLatent } from '$lib/latent/slerp';
import { faceInput } from './faceInput';
import { readFloats } from '$lib/image/tensor';

const params = {
	source: {
		type: 'select',
		label: 'HR face',
		options: [
			{ value: 'progan', label: 'ProGAN sample' },
			{ value: 'face', label: 'Face above' }
		],
		default: 'progan',
		help: 'The high-resolution face every degradation below starts from.'
	},
	seed: { type: 'seed', label: 'ProGAN seed', default: 5, help: 'Seed of the latent z ~ N(0, I) of the generated face.' }
} as const;

export interface HrFace {
	hr64: RGBImage;
	hr128: RGBImage;
	/** F(I_hr): hr64 average-pooled ×4 to 16×16 (paper 001 Eq. 4). */
	pooled: RGBImage;
	label: string;
	generated: boolean;
}

/** Nearest-neighbour ×2 (pixel repetition): its 2×2 area average is the input again. */
export function repeat2(img: RGBImage): RGBImage {
	const out = rgbImage(img.width * 2, img.height * 2);
	for (let y = 0; y < out.height; y++)
		for (let x = 0; x < out.width; x++) {
			const s = ((y >> 1) * img.width + (x >> 1)) * 3;
			out.data.set(img.data.subarray(s, s + 3), (y * out.width + x) * 3);
		}
	return out;
}

export const hrFace = defineCell({
	kind: 'hr-face',
	summary: 'A 64×64 HR face (a ProGAN sample or your face) and its 16×16 average pooling (High-to-Low Eq. 4).',
	params,
	inputs: { model: proganModel, face: faceInput },
	async compute(ctx): Promise<HrFace> {
		const { face, model } = ctx.inputs;
		if (ctx.params.source === 'face') {
			return { hr64: face.hr64, hr128: face.hr128, pooled: downsampleArea(face.hr64, 4), label: face.label, generated: false };
		}
		const seed = toSeed(ctx.params.seed);
		const data = await ctx.gpu(async () => {
			return readFloats(() => {
				const z = tf.tensor2d(Float32Array.from(seededLatent(seed)), [1, 512]);
				return tf.clipByValue(tf.div(tf.add(proganGenerator(model.weights)(z), 1), 2), 0, 1);
			});
		});
		const hr64 = rgbImage(64, 64, data);
		return { hr64, hr128: repeat2(hr64), pooled: downsampleArea(hr64, 4), label: `ProGAN sample, seed ${seed} (generated, not a photo)`, generated: true };
	}
});
