// The comparison cell: the LR face through bicubic ×4 and each loaded net (SRResNet-MSE,
// SRResNet-content, SRGAN), side by side with the HR when it is known, each with its PSNR and
// SSIM against that HR (RGB, whole 64×64 face, on 8-bit levels — as the nets' cards measure them).
// View: Compare.svelte.

import * as tf from '@tensorflow/tfjs';
import { defineCell } from '$lib/notebook/cellKind';
import { rgbImage, type RGBImage } from '$lib/image/rgb';
import { to8bit } from '$lib/image/levels';
import { resize } from '$lib/image/resample';
import { readFloats } from '$lib/image/tensor';
import { psnr, ssim } from '$lib/heatmaps/losses';
import { srresnet } from '$models/srresnet';
import { srganInput } from './input';
import { srganNets, type SrNetId } from './nets';

export type MethodId = 'bicubic' | SrNetId;

export interface SrOutput {
	id: MethodId;
	label: string;
	/** 64×64 in [0, 1], rounded to 8-bit levels */
	image: RGBImage;
	/** Against the HR (absent without one). */
	psnr?: number;
	ssim?: number;
}

export interface SrganComparison {
	faceId: string;
	faceLabel: string;
	lr: RGBImage;
	hr?: RGBImage;
	/** Bicubic first, then each net that loaded, in SR_NETS order. */
	outputs: SrOutput[];
}

/** Every method's 64×64 output for a 16×16 [0, 1] LR, in one tidy pass (bicubic ×4, then each net). */
export async function superResolveAll(lr: RGBImage, nets: { id: SrNetId; weights: Parameters<typeof srresnet>[0] }[]): Promise<RGBImage[]> {
	const data = await readFloats(() => {
		const x = tf.tensor4d(lr.data, [1, lr.height, lr.width, 3]);
		const outs: tf.Tensor[] = [resize(x, lr.height * 4, lr.width * 4, 'bicubic')];
		const signed = tf.sub(tf.mul(x, 2), 1) as tf.Tensor4D;
		for (const n of nets) outs.push(tf.div(tf.add(srresnet(n.weights, signed), 1), 2));
		return outs.map((t) => tf.clipByValue(t, 0, 1));
	});
	return data.map((d) => to8bit(rgbImage(lr.width * 4, lr.height * 4, d)));
}

export const srganCompare = defineCell({
	kind: 'srgan-compare',
	summary: 'Bicubic ×4, SRResNet-MSE, SRResNet-content and SRGAN on one LR face, with PSNR/SSIM against its HR.',
	inputs: { input: srganInput, nets: srganNets },
	async compute(ctx): Promise<SrganComparison> {
		const { input, nets } = ctx.inputs;
		const loaded = nets.nets.filter((n) => n.model).map((n) => ({ id: n.id, label: n.label, weights: n.model!.weights }));
		const images = await ctx.gpu(() => superResolveAll(input.lr, loaded));
		const labels = ['Bicubic ×4', ...loaded.map((n) => n.label)];
		const ids: MethodId[] = ['bicubic', ...loaded.map((n) => n.id)];
		const hr = input.hr && to8bit(input.hr);
		const outputs = images.map((image, i): SrOutput => ({ id: ids[i], label: labels[i], image, ...(hr ? { psnr: psnr(hr, image), ssim: ssim(hr, image) } : {}) }));
		return { faceId: input.faceId, faceLabel: input.label, lr: input.lr, hr: input.hr, outputs };
	}
});
