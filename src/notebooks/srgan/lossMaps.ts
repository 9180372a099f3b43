// The loss switch: where each output is wrong in the eyes of each loss of paper 004 —
//   'mse'      per-pixel squared error to the HR, mean over RGB (Eq. 4's summand; [0, 1] images),
//   'feature'  per-location squared distance of the face-recognition net's feature maps of output
//              and HR, mean over channels (Eq. 5's summand; the net stands in for VGG-19, as in
//              training: train/common/face_net.py, here src/lib/eval/faceNet.ts). By default where
//              the content nets were trained (their card: layer, faces resized bilinearly to px,
//              features × scale, as train/srgan/train.py does); or at a chosen layer at 128 px,
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
import { FACE_NET_LAYERS, faceNetFeatures, faceNetFeatureSize, faceNetForBackend, type FaceNetLayer, type FaceNetWeights } from '$lib/eval/faceNet';
import { srganCompare } from './compare';
import { srganNets, type ContentSpace } from './nets';

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

/** Where a feature distance is measured. */
export interface FeatureSpace {
	layer: FaceNetLayer;
	/** Faces are resized (bilinear, half-pixel centres = PyTorch align_corners=False) to px × px first. */
	px: number;
	/** Features are multiplied by this before the distance (the trainer's feature_scale). */
	scale: number;
	/** Where the choice came from, in words. */
	note: string;
}

/** Side the face net sees faces at when a layer is picked by hand (near its own 150 px). */
export const FEATURE_PX = 128;

export interface LossMaps {
	loss: LossKind;
	feature?: FeatureSpace;
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

/** Per-location squared distance of scaled features at `space`, mean over channels. */
export function featureDistanceMaps(w: FaceNetWeights, space: Pick<FeatureSpace, 'layer' | 'px' | 'scale'>, hr: RGBImage, outs: RGBImage[]): Promise<Float32Array[]> {
	const { layer, px, scale } = space;
	return readFloats(() => {
		const f = (img: RGBImage) => {
			const x = img.width === px && img.height === px ? signed(img) : tf.image.resizeBilinear(signed(img), [px, px], false, true);
			return tf.mul(faceNetFeatures(w, x, [layer])[layer]!, scale);
		};
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


/** The feature space a `layer` choice means; 'trained' reads the card (conv128 at 128 px, scale 1, without one). */
export function featureSpace(layer: string, content: ContentSpace | undefined): FeatureSpace {
	if (layer !== 'trained') return { layer: layer as FaceNetLayer, px: FEATURE_PX, scale: 1, note: `${layer} at ${FEATURE_PX} px` };
	if (content && (FACE_NET_LAYERS as readonly string[]).includes(content.layer))
		return { layer: content.layer as FaceNetLayer, px: content.px, scale: content.scale, note: `${content.layer} at ${content.px} px, features × ${content.scale}, as ${content.from}’s card says it was trained` };
	return { layer: 'conv128', px: FEATURE_PX, scale: 1, note: `conv128 at ${FEATURE_PX} px (no loaded net’s card names its content layer)` };
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
				{ value: 'trained', label: 'As the content nets were trained (their card)' },
				{ value: 'conv32', label: 'conv32 (30×30 at 128 px)' },
				{ value: 'conv64', label: 'conv64 (15×15 at 128 px)' },
				{ value: 'conv128', label: 'conv128 (7×7 at 128 px)' },
				{ value: 'conv256', label: 'conv256 (3×3 at 128 px)' }
			],
			default: 'trained',
			help: 'Where the feature distance is measured: the face-recognition net’s stage, on faces resized to 128 px (or the layer, size and scale the content nets’ card names).'
		}
	},
	inputs: { compare: srganCompare, nets: srganNets },
	async compute(ctx): Promise<LossMaps> {
		const { loss, layer } = ctx.params;
		const { compare, nets } = ctx.inputs;
		const outs = compare.outputs;
		const base = { loss } as const;
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
		const feature = featureSpace(layer, nets.content);
		const w = await faceNetForBackend();
		ctx.signal.throwIfAborted();
		const size = faceNetFeatureSize(feature.px, feature.layer);
		const m = await ctx.gpu(() => featureDistanceMaps(w, feature, hr, outs.map((o) => o.image)));
		return { ...base, feature, maps: outs.map((o, i) => ({ id: o.id, label: o.label, image: o.image, map: m[i], size, value: mean(m[i]) })) };
	}
});
