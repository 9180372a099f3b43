// The loss switch: where each output is wrong in the eyes of each loss of paper 004 —
//   'mse'      per-pixel squared error to the HR, mean over RGB (Eq. 4's summand; [0, 1] images),
//   'feature'  per-location squared distance of the face-recognition net's feature maps of output
//              and HR, mean over channels (Eq. 5's summand; the net stands in for VGG-19, as in
//              training: train/common/face_net.py, here src/lib/eval/faceNet.ts),
//   'adversarial'  SRGAN's discriminator's 4×4 map of sigmoid(logit): D's probability that each
//              16-px region is from a real HR face (Eq. 2; the mean logit is the image's logit,
//              sigmoid of it the image's probability, what Eq. 6 drives up). Needs no HR.
// View: LossMaps.svelte.

import * as tf from '@tensorflow/tfjs';
import { defineCell } from '$lib/notebook/cellKind';
import type { RGBImage } from '$lib/image/rgb';
import { readFloats } from '$lib/image/tensor';
import { discriminatorLogitMap } from '$models/srresnet';
import type { NamedWeights } from '$models/weights';
import { faceNetFeatures, faceNetFeatureSize, loadFaceNetWeights, type FaceNetLayer, type FaceNetWeights } from '$lib/eval/faceNet';
import { srganCompare } from './compare';
import { srganNets } from './nets';

export type LossKind = 'mse' | 'feature' | 'adversarial';

export interface LossMap {
	/** Which picture: an output's method id, or 'hr'. */
	id: string;
	label: string;
	image: RGBImage;
	/** size×size, row-major */
	map: Float32Array;
	size: number;
	/** The loss of the whole image: the mean of the map (for 'adversarial', sigmoid of the mean logit). */
	value: number;
}

export interface LossMaps {
	loss: LossKind;
	layer: FaceNetLayer;
	maps: LossMap[];
	/** Why there are no maps (no HR for the HR-referenced losses, no discriminator). */
	unavailable?: string;
}

const signed = (img: RGBImage) => tf.sub(tf.mul(tf.tensor4d(img.data, [1, img.height, img.width, 3]), 2), 1) as tf.Tensor4D;

/** Per-pixel squared error, mean over channels: [N, H, W]. */
export function squaredErrorMaps(hr: RGBImage, outs: RGBImage[]): Promise<Float32Array[]> {
	return readFloats(() => {
		const h = tf.tensor3d(hr.data, [hr.height, hr.width, 3]);
		return outs.map((o) => tf.mean(tf.squaredDifference(tf.tensor3d(o.data, [o.height, o.width, 3]), h), 2));
	});
}

/** Per-location squared feature distance at `layer`, mean over channels. */
export function featureDistanceMaps(w: FaceNetWeights, layer: FaceNetLayer, hr: RGBImage, outs: RGBImage[]): Promise<Float32Array[]> {
	return readFloats(() => {
		const f = (img: RGBImage) => faceNetFeatures(w, signed(img), [layer])[layer]!;
		const ref = f(hr);
		return outs.map((o) => tf.mean(tf.squaredDifference(f(o), ref), 3));
	});
}

/** sigmoid of D's logit map and the image's probability sigmoid(mean logit), per image. */
export async function discriminatorMaps(w: NamedWeights, imgs: RGBImage[]): Promise<{ map: Float32Array; value: number }[]> {
	const maps = await readFloats(() => imgs.map((img) => discriminatorLogitMap(w, signed(img))));
	return maps.map((logits) => {
		const mean = logits.reduce((a, b) => a + b, 0) / logits.length;
		return { map: logits.map((l) => 1 / (1 + Math.exp(-l))), value: 1 / (1 + Math.exp(-mean)) };
	});
}

// The recognition net's weights, once per tfjs backend instance (a re-initialised WebGPU device
// is a new instance and loads afresh).
const faceNets = new WeakMap<object, Promise<FaceNetWeights>>();
function faceNet(): Promise<FaceNetWeights> {
	const key = tf.backend() as object;
	let p = faceNets.get(key);
	if (!p) {
		p = loadFaceNetWeights();
		faceNets.set(key, p);
		p.catch(() => faceNets.delete(key));
	}
	return p;
}

const mean = (a: Float32Array) => a.reduce((s, v) => s + v, 0) / a.length;

export const srganLossMaps = defineCell({
	kind: 'srgan-loss-maps',
	summary: 'Maps of where each loss sees error: pixel MSE, face-net feature distance, or SRGAN’s 4×4 D score.',
	params: {
		loss: {
			type: 'select',
			label: 'Loss',
			options: [
				{ value: 'mse', label: 'Pixel MSE (Eq. 4)' },
				{ value: 'feature', label: 'Feature distance (Eq. 5)' },
				{ value: 'adversarial', label: 'Discriminator score (Eq. 2, 6)' }
			],
			default: 'mse',
			help: 'Which loss’s view of the outputs the maps show.'
		},
		layer: {
			type: 'select',
			label: 'Feature layer',
			options: [
				{ value: 'conv32', label: 'conv32 (14×14 at 64 px)' },
				{ value: 'conv64', label: 'conv64 (7×7; the content nets were trained on it)' },
				{ value: 'conv128', label: 'conv128 (3×3)' }
			],
			default: 'conv64',
			help: 'Which stage of the face-recognition net the feature distance is measured at.'
		}
	},
	inputs: { compare: srganCompare, nets: srganNets },
	async compute(ctx): Promise<LossMaps> {
		const { loss, layer } = ctx.params;
		const { compare, nets } = ctx.inputs;
		const outs = compare.outputs;
		const base = { loss, layer } as const;
		if (loss === 'adversarial') {
			if (!nets.discriminator) return { ...base, maps: [], unavailable: 'The SRGAN weights with their discriminator are not loaded, so there is no D to ask.' };
			const pics = [...outs.map((o) => ({ id: o.id as string, label: o.label, image: o.image })), ...(compare.hr ? [{ id: 'hr', label: 'HR', image: compare.hr }] : [])];
			const d = await ctx.gpu(() => discriminatorMaps(nets.discriminator!.weights, pics.map((p) => p.image)));
			return { ...base, maps: pics.map((p, i) => ({ ...p, map: d[i].map, size: Math.round(Math.sqrt(d[i].map.length)), value: d[i].value })) };
		}
		const hr = compare.hr;
		if (!hr) return { ...base, maps: [], unavailable: 'This face has no known HR, so there is no reference to measure a pixel or feature distance to.' };
		if (loss === 'mse') {
			const m = await ctx.gpu(() => squaredErrorMaps(hr, outs.map((o) => o.image)));
			return { ...base, maps: outs.map((o, i) => ({ id: o.id, label: o.label, image: o.image, map: m[i], size: hr.width, value: mean(m[i]) })) };
		}
		const w = await faceNet();
		ctx.signal.throwIfAborted();
		const size = faceNetFeatureSize(hr.width, layer);
		const m = await ctx.gpu(() => featureDistanceMaps(w, layer, hr, outs.map((o) => o.image)));
		return { ...base, maps: outs.map((o, i) => ({ id: o.id, label: o.label, image: o.image, map: m[i], size, value: mean(m[i]) })) };
	}
});
