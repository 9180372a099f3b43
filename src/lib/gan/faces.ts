// The training faces of the live GAN: never dataset images. Either faces the shipped ProGAN
// generates (sampled at 64 px from seeded latents, box-downsampled to the training size), or
// the person's own face images (already cropped square). Stored as one NHWC block in the
// training range [−1, 1].

import * as tf from '@tensorflow/tfjs';
import { createRng } from '$lib/image/rng';
import { AbortedError } from '$lib/runtime/gpuQueue';
import { rgbImage, type RGBImage } from '$lib/image/rgb';
import { generate as proganGenerate } from '$models/progan';
import type { NamedWeights } from '$models/weights';

export interface FaceSet {
	/** Side of every face in px (the largest training resolution). */
	size: number;
	count: number;
	/** count·size·size·3 values in [−1, 1], NHWC. */
	data: Float32Array;
	source: 'progan' | 'upload';
}

export interface Work {
	signal?: AbortSignal;
	gpu?: <R>(task: () => Promise<R> | R) => Promise<R>;
	progress?: (fraction: number) => void;
}

/** [N, r, r, 3] in [−1, 1] → display images in [0, 1]. */
export async function toImages(x: tf.Tensor4D): Promise<RGBImage[]> {
	const [n, h, w] = x.shape;
	const shown = tf.tidy(() => tf.clipByValue(tf.div(tf.add(x, 1), 2), 0, 1));
	const data = await shown.data().finally(() => shown.dispose());
	const per = h * w * 3;
	return Array.from({ length: n }, (_, i) => rgbImage(w, h, Float32Array.from(data.subarray(i * per, (i + 1) * per) as Float32Array)));
}

/** `count` faces from the ProGAN generator (latent seed `seed`), box-downsampled from 64 px to `size`. */
export async function facesFromProgan(weights: NamedWeights, latent: number, count: number, seed: number, size: number, work: Work = {}): Promise<FaceSet> {
	if (64 % size !== 0) throw new RangeError(`gan faces: size ${size} must divide 64`);
	const rng = createRng(seed);
	const data = new Float32Array(count * size * size * 3);
	const gpu = work.gpu ?? (async (t) => t());
	const chunk = 8;
	for (let i = 0; i < count; i += chunk) {
		if (work.signal?.aborted) throw new AbortedError();
		const n = Math.min(chunk, count - i);
		const z = rng.fillNormal(new Float32Array(n * latent));
		const out = await gpu(() => {
			const t = tf.tidy(() => {
				const img = proganGenerate(weights, tf.tensor2d(z, [n, latent]), { level: 64 });
				return tf.clipByValue(tf.avgPool(img, 64 / size, 64 / size, 'valid'), -1, 1);
			});
			return t.data().finally(() => t.dispose());
		});
		data.set(out as Float32Array, i * size * size * 3);
		work.progress?.((i + n) / count);
	}
	return { size, count, data, source: 'progan' };
}

/** Square face images (any equal sizes that `size` divides) → a FaceSet, box-downsampled. */
export function facesFromImages(images: readonly RGBImage[], size: number): FaceSet {
	const data = new Float32Array(images.length * size * size * 3);
	images.forEach((img, k) => {
		if (img.width !== img.height || img.width % size !== 0) throw new RangeError(`gan faces: image ${k + 1} is ${img.width}×${img.height}, not a square multiple of ${size}`);
		const f = img.width / size;
		for (let y = 0; y < size; y++)
			for (let x = 0; x < size; x++)
				for (let ch = 0; ch < 3; ch++) {
					let s = 0;
					for (let dy = 0; dy < f; dy++) for (let dx = 0; dx < f; dx++) s += img.data[((y * f + dy) * img.width + x * f + dx) * 3 + ch];
					data[((k * size + y) * size + x) * 3 + ch] = (s / (f * f)) * 2 - 1;
				}
	});
	return { size, count: images.length, data, source: 'upload' };
}

/** Face k of a set as a display image. */
export function faceImage(set: FaceSet, k: number): RGBImage {
	const per = set.size * set.size * 3;
	return rgbImage(set.size, set.size, Float32Array.from(set.data.subarray(k * per, (k + 1) * per), (v) => Math.min(1, Math.max(0, (v + 1) / 2))));
}
