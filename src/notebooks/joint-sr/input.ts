// The joint-SR notebook's input: a sharp 128×128 face I_HR — a ProGAN sample (its 64 px face
// enlarged ×2 by bicubic) or the face cell's face — degraded live by the motion-blur kernel the
// person draws (length, angle: cell params, so sessions and links reproduce it) into the blurred
// HR I_HRB and the 16×16 LR I_LR, exactly as the models were trained (src/lib/jointSr/degrade.ts).
// Or the face cell's face taken as a real blurry LR face (area ↓8 to 16×16; no GT). View: Input.svelte.

import * as tf from '@tensorflow/tfjs';
import { defineCell } from '$lib/notebook/cellKind';
import { downsampleArea, rgbImage, type RGBImage } from '$lib/image/rgb';
import { identityKernel, type Kernel } from '$lib/image/kernels';
import { toSeed } from '$lib/image/rng';
import { resize } from '$lib/image/resample';
import { readFloats } from '$lib/image/tensor';
import { seededLatent } from '$lib/latent/slerp';
import { proganGenerator } from '$lib/srnam/models';
import { imageToSigned, motionDegrade } from '$lib/jointSr/degrade';
import { proganModel } from '$cells/proganModel';
import { faceInput } from '$cells/faceInput';
import { levelsId } from '$lib/image/levels';
import { LENGTH_MAX, LENGTH_STEP, ANGLE_STEP } from './kernelPad';

export interface JointInput {
	/** 16×16 in [0, 1]: what every model sees. */
	lr: RGBImage;
	/** The sharp 128×128 GT I_HR, when known. */
	hr?: RGBImage;
	/** The blurred 128×128 GT I_HRB = k ∗ I_HR, when known. */
	blurredHr?: RGBImage;
	/** The kernel that made the LR (identity for a real LR face). */
	kernel: Kernel;
	length: number;
	angle: number;
	label: string;
	/** Names the sharp face across runs (the mask cell keys its landmarks on it). */
	faceId: string;
}

/** I_HR → {I_HRB, I_LR} as [0, 1] images, through the training degradation. */
export async function degradeImage(hr: RGBImage, length: number, angle: number): Promise<{ blurredHr: RGBImage; lr: RGBImage; kernel: Kernel }> {
	let kernel: Kernel = identityKernel();
	const [b, l] = await readFloats(() => {
		const d = motionDegrade(imageToSigned(hr), length, angle);
		kernel = d.kernel;
		const unit = (t: tf.Tensor) => tf.clipByValue(tf.div(tf.add(t, 1), 2), 0, 1);
		return [unit(d.blurredHr), unit(d.lr)];
	});
	return { blurredHr: rgbImage(hr.width, hr.height, b), lr: rgbImage(hr.width / 8, hr.height / 8, l), kernel };
}

/** A ProGAN sample at 128 px: its 64 px face, bicubic ×2, clamped to [0, 1]. */
async function proganHr128(weights: Parameters<typeof proganGenerator>[0], seed: number): Promise<RGBImage> {
	const data = await readFloats(() => {
		const z = tf.tensor2d(Float32Array.from(seededLatent(seed)), [1, 512]);
		const face64 = tf.div(tf.add(proganGenerator(weights)(z), 1), 2) as tf.Tensor4D;
		return tf.clipByValue(resize(face64, 128, 128, 'bicubic'), 0, 1);
	});
	return rgbImage(128, 128, data);
}

export const jointInput = defineCell({
	kind: 'joint-input',
	summary: 'A sharp face blurred by a motion kernel you draw and shrunk ×8 to 16×16, or your own blurry small face.',
	params: {
		source: {
			type: 'select',
			label: 'Input',
			options: [
				{ value: 'progan', label: 'ProGAN sample → motion blur → bicubic ↓8' },
				{ value: 'face', label: 'Face above → motion blur → bicubic ↓8' },
				{ value: 'face-lr', label: 'Face above is a real blurry LR face (no GT)' }
			],
			default: 'progan',
			help: 'Blur and ↓8 are how the models’ training inputs were made, so the sharp and blurred HR are known and every loss can be computed.'
		},
		seed: { type: 'seed', label: 'ProGAN seed', default: 5, help: 'Seed of the latent z ~ N(0, I) of the generated face.' },
		length: { type: 'number', label: 'Blur length', min: 0, max: LENGTH_MAX, step: LENGTH_STEP, default: 8, unit: 'HR px', help: 'Length of the motion in 128 px HR pixels (training used 0–16).' },
		angle: { type: 'number', label: 'Blur angle', min: 0, max: 180, step: ANGLE_STEP, default: 30, unit: '°', help: 'Direction of the motion, counter-clockwise from horizontal (180° is 0°).' }
	},
	inputs: { model: proganModel, face: faceInput },
	async compute(ctx): Promise<JointInput> {
		const { source, length, angle } = ctx.params;
		const { face, model } = ctx.inputs;
		if (source === 'face-lr') {
			// the face cell keeps faces at 128×128; area ↓8 brings a small upload back to 16×16
			const lr = downsampleArea(face.hr128, 8);
			return { lr, kernel: identityKernel(), length: 0, angle: 0, label: `${face.label}, used as a real 16×16 blurry LR face (no sharp or blurred HR is known)`, faceId: `lr-${levelsId(lr)}` };
		}
		const seed = toSeed(ctx.params.seed);
		const hr = source === 'face' ? face.hr128 : await ctx.gpu(() => proganHr128(model.weights, seed));
		const d = await ctx.gpu(() => degradeImage(hr, length, angle));
		const what = source === 'face' ? face.label : `ProGAN sample, seed ${seed} (generated, not a photo; 64 px enlarged ×2 by bicubic)`;
		const blurWhat = length > 0 ? `motion blur ${length} HR px at ${angle}°` : 'no blur';
		return { lr: d.lr, hr, blurredHr: d.blurredHr, kernel: d.kernel, length, angle, label: `${what}, ${blurWhat}, bicubic ↓8`, faceId: `${source}-${source === 'face' ? levelsId(hr) : seed}` };
	}
});
