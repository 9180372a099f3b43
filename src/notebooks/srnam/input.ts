// The LR input cell of the Live SR-NAM notebook: the 16×16 face the search must explain — a
// ProGAN sample degraded by the learned degrader (SR-NAM §3.2; inside G's range, so an exact
// answer exists), the face cell's face through the degrader or area ×4 (its HR is known), or
// that face taken as a real LR face (no HR). View: Input.svelte.

import * as tf from '@tensorflow/tfjs';
import { defineCell } from '$lib/notebook/cellKind';
import { downsampleArea, rgbImage, type RGBImage } from '$lib/image/rgb';
import { createRng, toSeed } from '$lib/image/rng';
import { learnedDegrader, proganGenerator } from '$lib/srnam/models';
import { proganModel } from '$cells/proganModel';
import { degraderModel } from '$cells/degraderModel';
import { faceInput } from '$cells/faceInput';
import { readFloats } from '$lib/image/tensor';

export interface SrnamInput {
	lr: RGBImage;
	/** The HR the LR was made from (64×64), when known (not for a real LR face). */
	hr?: RGBImage;
	label: string;
}

const toUnit = (t: tf.Tensor4D) => tf.clipByValue(tf.div(tf.add(t, 1), 2), 0, 1);

export const srnamInput = defineCell({
	kind: 'srnam-input',
	summary: 'The 16×16 LR input of the SR-NAM search: a degraded ProGAN sample or your face.',
	params: {
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
	},
	inputs: { model: proganModel, degrader: degraderModel, face: faceInput },
	async compute(ctx): Promise<SrnamInput> {
		const { source } = ctx.params;
		const seed = toSeed(ctx.params.seed);
		const { face, model, degrader } = ctx.inputs;
		// an uploaded small face: the face cell scaled it to 128×128, area ×8 brings it to 16×16
		if (source === 'face-lr') return { lr: downsampleArea(face.hr128, 8), label: `${face.label}, used as a real 16×16 LR face (its HR is unknown)` };
		if (source === 'face-area') return { lr: downsampleArea(face.hr64, 4), hr: face.hr64, label: `${face.label}, area ×4` };
		const noiseDim = degrader.info.noiseDim;
		const data = await ctx.gpu(async () => {
			return readFloats(() => {
				const hr =
					source === 'progan'
						? proganGenerator(model.weights)(tf.tensor2d(createRng(seed).fillNormal(new Float32Array(model.info.latent)), [1, model.info.latent]))
						: (tf.sub(tf.mul(tf.tensor4d(face.hr64.data, [1, 64, 64, 3]), 2), 1) as tf.Tensor4D);
				const noise = tf.tensor2d(createRng(seed + 1).fillNormal(new Float32Array(noiseDim)), [1, noiseDim]);
				const lo = learnedDegrader(degrader.weights)(hr, noise);
				return tf.concat([tf.reshape(toUnit(hr), [-1]), tf.reshape(toUnit(lo), [-1])]);
			});
		});
		const hr = rgbImage(64, 64, data.slice(0, 64 * 64 * 3));
		const lr = rgbImage(16, 16, data.slice(64 * 64 * 3));
		return { lr, hr, label: source === 'progan' ? `ProGAN sample (seed ${seed}), degraded` : `${face.label}, degraded` };
	}
});
