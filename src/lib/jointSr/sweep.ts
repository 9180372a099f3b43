// Blur-length sweep on one face (paper 002 §4.5's ablation made measurable, live): for each motion-blur
// length, degrade the sharp HR face (degrade.ts), run every given model and bicubic ×8 on the same
// 16×16 LR, and measure PSNR/SSIM of each output against the sharp HR. Metrics as train/common/metrics.py
// computes the cards' numbers: images rounded to 8-bit levels, PSNR over all RGB values, SSIM with an
// 11×11 Gaussian window (σ 1.5) per channel, valid positions. Cancellable (AbortSignal, checked between
// steps), with a progress callback, and it gives the event loop a turn after every step so the page
// stays responsive.

import * as tf from '@tensorflow/tfjs';
import { AbortedError } from '$lib/runtime/gpuQueue';
import { motionBlurKernel } from '../image/kernels';
import { rgbImage, type RGBImage } from '../image/rgb';
import { psnr, ssim } from '../heatmaps/losses';
import { yieldToEventLoop } from '../srnam/search';
import { jointSr } from '../../models/jointSr';
import type { NamedWeights } from '../../models/weights';
import { bicubicUp, degradeJoint, JOINT_HR_PX } from './degrade';

export interface SweepModel {
	/** Shown in the chart ('joint-sr', ...). */
	name: string;
	weights: NamedWeights;
}

export interface SweepOptions {
	/** The sharp HR face, [1, 128, 128, 3] in [-1, 1] (not disposed). */
	hr: tf.Tensor4D;
	/** Blur lengths in HR px. */
	lengths: readonly number[];
	/** The kernel's angle, degrees (the same for every length). */
	angleDeg: number;
	models: readonly SweepModel[];
	signal?: AbortSignal;
	/** After every measured (length, method): done of total steps. */
	onProgress?(p: { done: number; total: number; length: number; method: string }): void;
}

/** The bicubic ×8 baseline's name in the rows. */
export const BICUBIC = 'bicubic';

export interface SweepRow {
	length: number;
	/** BICUBIC or a model's name. */
	method: string;
	psnrDb: number;
	ssim: number;
}

/** [1, H, W, 3] in [-1, 1] → [0, 1] at 8-bit levels (what the cards' metrics see). */
async function toLevels(t: tf.Tensor4D): Promise<RGBImage> {
	const raw = await t.data();
	const out = new Float32Array(raw.length);
	for (let i = 0; i < raw.length; i++) {
		const v = Math.round(((raw[i] + 1) / 2) * 255);
		out[i] = (v > 0 ? (v < 255 ? v : 255) : 0) / 255; // NaN → 0
	}
	return rgbImage(t.shape[2], t.shape[1], out);
}

/** Rows in length order, bicubic first at each length, then the models in the given order. */
export async function blurLengthSweep(opts: SweepOptions): Promise<SweepRow[]> {
	const { hr, lengths, angleDeg, models, signal, onProgress } = opts;
	if (hr.rank !== 4 || hr.shape[0] !== 1 || hr.shape[1] !== JOINT_HR_PX || hr.shape[2] !== JOINT_HR_PX || hr.shape[3] !== 3)
		throw new Error(`joint-SR sweep: hr must be [1, ${JOINT_HR_PX}, ${JOINT_HR_PX}, 3], got [${hr.shape}]`);
	for (const l of lengths) if (!(l >= 0) || !Number.isFinite(l)) throw new Error(`joint-SR sweep: blur length ${l} is not a length ≥ 0`);
	const stop = () => {
		if (signal?.aborted) throw new AbortedError();
	};
	const truth = await toLevels(hr);
	const total = lengths.length * (models.length + 1);
	const rows: SweepRow[] = [];
	let done = 0;
	for (const length of lengths) {
		stop();
		const { blurredHr, lr } = degradeJoint(hr, motionBlurKernel(length, angleDeg));
		try {
			const methods: [string, () => tf.Tensor4D][] = [
				[BICUBIC, () => bicubicUp(lr)],
				...models.map((m): [string, () => tf.Tensor4D] => [
					m.name,
					() => {
						const o = jointSr(m.weights, lr);
						tf.dispose([o.feature, o.blurred ?? []].flat());
						return o.sharp;
					}
				])
			];
			for (const [method, run] of methods) {
				stop();
				const out = run();
				let img: RGBImage;
				try {
					img = await toLevels(out);
				} finally {
					out.dispose();
				}
				rows.push({ length, method, psnrDb: psnr(truth, img), ssim: ssim(truth, img) });
				onProgress?.({ done: ++done, total, length, method });
				await yieldToEventLoop();
			}
		} finally {
			tf.dispose([blurredHr, lr]);
		}
	}
	return rows;
}
