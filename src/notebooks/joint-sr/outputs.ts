// The outputs cell: the 16×16 input through every loaded joint SR model — the five-layer CNN's
// feature image I_LRf, the blurred branch Î_HRB (absent in joint-sr-noblur) and the sharp output
// Î_HR — and bicubic ×8 of the same input, each sharp output with PSNR/SSIM against the sharp GT
// and each Î_HRB against the blurred GT, where there is a GT (RGB, whole 128×128 face, 8-bit levels,
// as the cards measure). The `model` param picks whose three images are shown large.
// View: Outputs.svelte.

import * as tf from '@tensorflow/tfjs';
import { defineCell } from '$lib/notebook/cellKind';
import { rgbImage, type RGBImage } from '$lib/image/rgb';
import { readFloats } from '$lib/image/tensor';
import { psnr, ssim } from '$lib/heatmaps/losses';
import { jointSr } from '$models/jointSr';
import type { NamedWeights } from '$models/weights';
import { bicubicUp, imageToSigned } from '$lib/jointSr/degrade';
import { to8bit } from '$lib/image/levels';
import { jointInput } from './input';
import { jointMask, type JointMask } from './mask';
import { jointNets, loadedNets, JOINT_NETS, type JointNetId } from './nets';

export interface Scored {
	/** 128×128 in [0, 1], rounded to 8-bit levels */
	image: RGBImage;
	psnr?: number;
	ssim?: number;
}

export interface ModelOutputs {
	id: JointNetId;
	label: string;
	/** I_LRf */
	feature: RGBImage;
	/** Î_HRB against I_HRB; null without the blurred branch. */
	blurred: Scored | null;
	/** Î_HR against I_HR. */
	sharp: Scored;
}

export interface JointOutputs {
	/** The model shown large (the param, or the first loaded one when that one is missing). */
	selected: JointNetId;
	models: ModelOutputs[];
	bicubic: Scored;
	lr: RGBImage;
	hr?: RGBImage;
	blurredHr?: RGBImage;
	label: string;
	mask: JointMask;
}

const unit = (t: tf.Tensor) => tf.clipByValue(tf.div(tf.add(t, 1), 2), 0, 1);

/**
 * Every net's three images and bicubic ×8 for a [0, 1] LR, in one read-back: per net
 * [feature, blurred | null, sharp], then bicubic, all [0, 1] and 8-bit rounded.
 */
export async function runJointNets(lr: RGBImage, nets: { weights: NamedWeights }[]): Promise<{ nets: { feature: RGBImage; blurred: RGBImage | null; sharp: RGBImage }[]; bicubic: RGBImage }> {
	const hasBlur: boolean[] = [];
	const data = await readFloats(() => {
		const x = imageToSigned(lr);
		const outs: tf.Tensor[] = [];
		for (const n of nets) {
			const o = jointSr(n.weights, x);
			hasBlur.push(o.blurred !== null);
			outs.push(unit(o.feature), ...(o.blurred ? [unit(o.blurred)] : []), unit(o.sharp));
		}
		outs.push(unit(bicubicUp(x)));
		return outs;
	});
	const side = lr.width * 8;
	const img = (d: Float32Array) => to8bit(rgbImage(side, side, d));
	let k = 0;
	const out = nets.map((_, i) => ({ feature: img(data[k++]), blurred: hasBlur[i] ? img(data[k++]) : null, sharp: img(data[k++]) }));
	return { nets: out, bicubic: img(data[k]) };
}

function score(image: RGBImage, gt: RGBImage | undefined): Scored {
	return gt ? { image, psnr: psnr(gt, image), ssim: ssim(gt, image) } : { image };
}

export const jointOutputs = defineCell({
	kind: 'joint-outputs',
	summary: 'Each model’s feature image, blurred Î_HRB and sharp Î_HR beside bicubic ×8, with PSNR/SSIM against the GT.',
	params: {
		model: {
			type: 'select',
			label: 'Model shown large',
			options: JOINT_NETS.map((n) => ({ value: n.id, label: n.label })),
			default: 'joint-sr',
			help: 'Whose feature image, blurred and sharp outputs are drawn large; every model’s sharp output is in the row below.'
		}
	},
	inputs: { input: jointInput, nets: jointNets, mask: jointMask },
	async compute(ctx): Promise<JointOutputs> {
		const { input, nets, mask } = ctx.inputs;
		const loaded = loadedNets(nets);
		const run = await ctx.gpu(() => runJointNets(input.lr, loaded.map((n) => n.model)));
		const hr = input.hr && to8bit(input.hr);
		const blurredHr = input.blurredHr && to8bit(input.blurredHr);
		const models = loaded.map((n, i): ModelOutputs => {
			const o = run.nets[i];
			return { id: n.id, label: n.label, feature: o.feature, blurred: o.blurred && score(o.blurred, blurredHr), sharp: score(o.sharp, hr) };
		});
		const want = ctx.params.model as JointNetId;
		const selected = models.some((m) => m.id === want) ? want : models[0].id;
		return { selected, models, bicubic: score(run.bicubic, hr), lr: input.lr, hr: input.hr, blurredHr: input.blurredHr, label: input.label, mask };
	}
});
