// The Low-to-High panel of the Degradation Sampler (paper 001 §3.4, §4.2): both SR twins and
// plain bicubic ×4 upsampling applied to (1) the first learned LR sample of the grid, whose HR
// face is known (PSNR against it), and (2) a person's own small "real" LR face: the second
// face-input cell's 128×128 crop area-averaged ×8 to 16×16. View: SrPanel.svelte.

import * as tf from '@tensorflow/tfjs';
import { defineCell } from '$lib/notebook/cellKind';
import type { ComputeContext } from '$lib/runtime/runtime';
import { downsampleArea, type RGBImage } from '$lib/image/rgb';
import { resize } from '$lib/image/resample';
import { psnr } from '$lib/srnam/metrics';
import { splitImages } from '$lib/srnam/models';
import { superResolve } from '$models/low2high';
import { faceInput } from '$cells/faceInput';
import { samplerGrid } from './grid';
import { srTwins, type SrModels, type SrNetId } from './srTwins';
import { readFloats } from '$lib/image/tensor';

export interface SrOutput {
	id: 'bicubic' | SrNetId;
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

/** 16×16 images → [bicubic ×4, each net's 64×64 output], each a list in the order of `lrs`. */
async function upscaleAll(ctx: Pick<ComputeContext, 'gpu'>, models: SrModels, lrs: RGBImage[]): Promise<RGBImage[][]> {
	const n = lrs.length;
	const flat = new Float32Array(n * 16 * 16 * 3);
	lrs.forEach((l, i) => flat.set(l.data, i * l.data.length));
	const data = await ctx.gpu(async () => {
		return readFloats(() => {
			const x = tf.tensor4d(flat, [n, 16, 16, 3]);
			const signed = tf.sub(tf.mul(x, 2), 1) as tf.Tensor4D;
			const outs = [resize(x, 64, 64, 'bicubic'), ...models.nets.map((m) => tf.div(tf.add(superResolve(m.weights, signed), 1), 2))];
			return tf.clipByValue(tf.concat(outs.map((o) => tf.reshape(o, [-1]))), 0, 1);
		});
	});
	const per = n * 64 * 64 * 3;
	return Array.from({ length: 1 + models.nets.length }, (_, k) => splitImages(data.subarray(k * per, (k + 1) * per), n, 64, 64));
}

export const srPanel = defineCell({
	kind: 'sampler-sr',
	summary: 'Both Low-to-High twins side by side on a degrader sample and on your own small face.',
	inputs: { models: srTwins, grid: samplerGrid, lrFace: faceInput },
	async compute(ctx): Promise<SrRow[]> {
		const { models, grid, lrFace: face } = ctx.inputs;
		const rows: SrRow[] = [
			{ id: 'sampled', label: `Learned LR sample z_1 of “${grid.hr.label}”`, lr: grid.samples[0], hr: grid.hr.hr64, outputs: [] },
			{ id: 'uploaded', label: `${face.label}, area-averaged 128 → 16`, lr: downsampleArea(face.hr128, 8), outputs: [] }
		];
		const outs = await upscaleAll(ctx, models, rows.map((r) => r.lr));
		const methods: { id: SrOutput['id']; label: string }[] = [{ id: 'bicubic', label: 'Bicubic ×4 upsampling' }, ...models.nets.map((m) => ({ id: m.id, label: m.label }))];
		rows.forEach((r, i) => {
			r.outputs = methods.map((l, k) => ({ ...l, image: outs[k][i], psnr: r.hr ? psnr(outs[k][i], r.hr) : undefined }));
		});
		return rows;
	}
});
