// The Low-to-High panel of the Degradation Sampler (paper 001 §3.4, §4.2): both SR twins and
// plain bicubic ×4 upsampling applied to (1) the first learned LR sample of the grid, whose HR
// face is known, and (2) a person's own small "real" LR face: the second face-input cell's
// 128×128 crop area-averaged ×8 to 16×16.

import * as tf from '@tensorflow/tfjs';
import type { ComputeContext } from '$lib/runtime/runtime';
import { downsampleArea, type RGBImage } from '$lib/image/rgb';
import { resize } from '$lib/image/resample';
import { superResolve } from '$models/low2high';
import { splitImages } from '$lib/srnam/models';
import { pixelL2Images } from '$lib/degradations/stats';
import type { FaceValue } from './faceInput';
import type { SamplerGrid } from './samplerGrid';
import type { SrModels } from './srModels';

export interface SrOutput {
	id: 'bicubic' | 'low2high' | 'low2high-bicubic';
	label: string;
	image: RGBImage;
	/** PSNR (dB) against the known HR, when there is one. */
	psnr?: number;
}

export interface SrRow {
	id: 'sampled' | 'uploaded';
	label: string;
	lr: RGBImage;
	hr?: RGBImage;
	outputs: SrOutput[];
}

export function psnr(a: RGBImage, b: RGBImage): number {
	return 10 * Math.log10(1 / Math.max(pixelL2Images(a, b), 1e-12));
}

async function upscaleAll(ctx: ComputeContext, models: SrModels, lrs: RGBImage[]): Promise<RGBImage[][]> {
	const n = lrs.length;
	const flat = new Float32Array(n * 16 * 16 * 3);
	lrs.forEach((l, i) => flat.set(l.data, i * l.data.length));
	const data = await ctx.gpu(async () => {
		const t = tf.tidy(() => {
			const x = tf.tensor4d(flat, [n, 16, 16, 3]);
			const signed = tf.sub(tf.mul(x, 2), 1) as tf.Tensor4D;
			const outs = [resize(x, 64, 64, 'bicubic'), ...models.nets.map((m) => tf.div(tf.add(superResolve(m.weights, signed), 1), 2))];
			return tf.clipByValue(tf.concat(outs.map((o) => tf.reshape(o, [-1]))), 0, 1);
		});
		try {
			return (await t.data()) as Float32Array;
		} finally {
			t.dispose();
		}
	});
	const per = n * 64 * 64 * 3;
	return Array.from({ length: 1 + models.nets.length }, (_, k) => splitImages(data.subarray(k * per, (k + 1) * per), n, 64, 64));
}

export async function computeSamplerSr(ctx: ComputeContext): Promise<SrRow[]> {
	const models = ctx.inputs.models as SrModels | undefined;
	if (!models?.nets?.length) throw new Error('No SR nets: expected inputs.models from the SR models cell.');
	const grid = ctx.inputs.grid as SamplerGrid | undefined;
	if (!grid?.samples?.length) throw new Error('No LR sample: expected inputs.grid from the sample grid cell.');
	const face = ctx.inputs.lrFace as FaceValue | undefined;
	const rows: SrRow[] = [{ id: 'sampled', label: `Learned LR sample z_1 of “${grid.hr.label}”`, lr: grid.samples[0], hr: grid.hr.hr64, outputs: [] }];
	if (face?.hr128) rows.push({ id: 'uploaded', label: `${face.label}, area-averaged 128 → 16`, lr: downsampleArea(face.hr128, 8), outputs: [] });
	const outs = await upscaleAll(ctx, models, rows.map((r) => r.lr));
	const labels: { id: SrOutput['id']; label: string }[] = [
		{ id: 'bicubic', label: 'Bicubic ×4 upsampling' },
		...models.nets.map((m) => ({ id: m.id, label: m.id === 'low2high' ? 'Low-to-High (degrader-trained)' : 'Low-to-High (bicubic-trained twin)' }))
	];
	rows.forEach((r, i) => {
		r.outputs = labels.map((l, k) => ({ ...l, image: outs[k][i], psnr: r.hr ? psnr(outs[k][i], r.hr) : undefined }));
	});
	return rows;
}
