// The degradation gallery cell (classical and sampler notebooks): one HR face, seven classical
// LR (16×16) versions of it, each with its L2 distance to the average-pooled HR (paper 001
// Eq. 4). Its face (128×128 `hr128`) comes from a face-input or an HR face cell.
// View: DegradationGallery.svelte.

import * as tf from '@tensorflow/tfjs';
import { defineCell, type CellContext, type ParamValuesOf } from '$lib/notebook/cellKind';
import { AbortedError } from '$lib/runtime/gpuQueue';
import type { RGBImage } from '$lib/image/rgb';
import { fromTensor, toTensor } from '$lib/image/tensor';
import { resize } from '$lib/image/resample';
import { toSeed } from '$lib/image/rng';
import {
	CLASSICAL_DEGRADATIONS,
	pixelL2,
	poolToLR,
	type ClassicalId,
	type ClassicalParams
} from '$lib/degradations/classical';
import { faceInput } from './faceInput';
import { hrFace } from './hrFace';

export const galleryParams = {
	source: {
		type: 'select',
		label: 'HR source',
		options: [
			{ value: '64', label: '64×64 (×4, as High-to-Low)' },
			{ value: '128', label: '128×128 (×8)' }
		],
		default: '64',
		help: 'The HR image the LR versions are made from; 64×64 is the 128×128 face area-downsampled.'
	},
	blurSigma: { type: 'number', label: 'Gaussian σ', min: 0, max: 6, step: 0.1, default: 1.5, unit: 'HR px', help: 'SRGAN: Gaussian filter, then ↓r.' },
	kernelSize: { type: 'number', label: 'Random kernel size', min: 2, max: 6, step: 1, default: 4, unit: 'HR px', help: 'High-to-Low: random blur kernel of 2–6 px.' },
	kernelSeed: { type: 'seed', label: 'Random kernel seed', default: 1 },
	motionLength: { type: 'number', label: 'Motion length', min: 0, max: 32, step: 1, default: 9, unit: 'HR px' },
	motionAngle: { type: 'number', label: 'Motion angle', min: 0, max: 180, step: 1, default: 30, unit: '°', help: 'Counter-clockwise from horizontal.' },
	jpegQuality: { type: 'number', label: 'JPEG quality', min: 1, max: 100, step: 1, default: 30 },
	noiseSigma: { type: 'number', label: 'Noise σ', min: 0, max: 50, step: 0.5, default: 8, unit: '/255', help: 'Standard deviation in 8-bit grey levels.' },
	noiseSeed: { type: 'seed', label: 'Noise seed', default: 1 }
} as const;

export interface GalleryItem {
	id: ClassicalId;
	label: string;
	note: string;
	lr: RGBImage;
	/** paper 001 Eq. 4 against hrPooled, mean over pixels and channels, values in [0, 1] */
	l2: number;
}

export interface GalleryResult {
	source: 64 | 128;
	/** F(I_hr): the source average-pooled to 16×16 */
	hrPooled: RGBImage;
	items: GalleryItem[];
}

/** The recipes' parameters from the cell's (already fitted to their specs): sizes rounded, seeds 32-bit. */
export function readGalleryParams(v: ParamValuesOf<typeof galleryParams>): { source: 64 | 128; p: ClassicalParams } {
	return {
		source: v.source === '128' ? 128 : 64,
		p: {
			blurSigma: v.blurSigma,
			kernelSize: Math.round(v.kernelSize),
			kernelSeed: toSeed(v.kernelSeed),
			motionLength: v.motionLength,
			motionAngle: v.motionAngle,
			jpegQuality: Math.round(v.jpegQuality),
			noiseSigma: v.noiseSigma,
			noiseSeed: toSeed(v.noiseSeed)
		}
	};
}

function checkFace(hr: RGBImage): RGBImage {
	if (hr.width !== 128 || hr.height !== 128 || hr.data.length !== 128 * 128 * 3)
		throw new Error(`The face must be 128×128, got ${hr.width}×${hr.height}.`);
	return hr;
}

const inputs = { face: [faceInput, hrFace] } as const;

export async function computeGallery(ctx: CellContext<typeof galleryParams, typeof inputs>): Promise<GalleryResult> {
	const hr128 = checkFace(ctx.inputs.face.hr128);
	const { source, p } = readGalleryParams(ctx.params);
	const check = () => {
		if (ctx.signal.aborted) throw new AbortedError();
	};
	check();
	// Kept across GPU tasks (released in `finally`) so each degradation is its own queue task
	// and other cells' GPU work can interleave.
	let src: tf.Tensor3D | undefined;
	let pooled: tf.Tensor3D | undefined;
	try {
		const hrPooled = await ctx.gpu(async () => {
			// 64×64 is the 128×128 face downsampled by area averaging (= 2×2 average pooling).
			src = tf.tidy(() => {
				const t = toTensor(hr128);
				return source === 128 ? t : resize(t, 64, 64, 'area');
			});
			pooled = poolToLR(src);
			return fromTensor(pooled);
		});
		const items: GalleryItem[] = [];
		const n = CLASSICAL_DEGRADATIONS.length;
		for (let i = 0; i < n; i++) {
			check();
			const d = CLASSICAL_DEGRADATIONS[i];
			const { lr, l2 } = await ctx.gpu(async () => {
				const out = await d.apply(src!, p);
				try {
					const loss = pixelL2(out, pooled!);
					let l2: number;
					try {
						l2 = (await loss.data())[0];
					} finally {
						loss.dispose();
					}
					return { lr: await fromTensor(out), l2 };
				} finally {
					out.dispose();
				}
			});
			items.push({ id: d.id, label: d.label, note: d.note, lr, l2 });
			ctx.progress((i + 1) / n);
		}
		check();
		return { source, hrPooled, items };
	} finally {
		src?.dispose();
		pooled?.dispose();
	}
}

export const degradationGallery = defineCell({ kind: 'degradation-gallery', summary: 'Seven classical LR versions of a face (bicubic, blur, motion, JPEG, noise…) with their Eq. 4 L2.', params: galleryParams, inputs, compute: computeGallery });
