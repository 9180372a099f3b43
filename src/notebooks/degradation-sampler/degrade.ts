// The learned High-to-Low degrader run as a one-to-many map (paper 001 §3.3, Fig. 3; SR-NAM
// §3.2, Fig. 4): one 64×64 HR face through G(I_hr, z) once per noise vector z ∈ R^noiseDim,
// in chunks through the page's GPU queue. Shared by the grid, walk and statistics cells.

import * as tf from '@tensorflow/tfjs';
import type { ComputeContext } from '$lib/runtime/runtime';
import { AbortedError } from '$lib/runtime/gpuQueue';
import { createRng, toSeed } from '$lib/image/rng';
import type { RGBImage } from '$lib/image/rgb';
import { learnedDegrader, splitImages } from '$lib/srnam/models';
import type { NamedWeights } from '$models/weights';
import { readFloats } from '$lib/image/tensor';

/** Faces per degrader call: bounds memory and lets other cells' GPU work interleave. */
const CHUNK = 16;

/** `count` noise vectors of length `dim` from one seeded N(0, 1) stream (prefix-stable: z_i depends only on the seed and i). */
export function noiseBank(seed: number, count: number, dim: number): Float32Array[] {
	const all = createRng(toSeed(seed)).fillNormal(new Float32Array(count * dim));
	return Array.from({ length: count }, (_, i) => all.subarray(i * dim, (i + 1) * dim));
}

/** The 64×64 HR face through the degrader once per noise vector → 16×16 LR images in [0, 1]. */
export async function degradeMany(
	ctx: Pick<ComputeContext, 'signal' | 'gpu'>,
	weights: NamedWeights,
	hr64: RGBImage,
	noises: ArrayLike<number>[],
	onChunk?: (done: number) => void
): Promise<RGBImage[]> {
	const out: RGBImage[] = [];
	const dim = noises[0]?.length ?? 0;
	for (let s = 0; s < noises.length; s += CHUNK) {
		if (ctx.signal.aborted) throw new AbortedError();
		const part = noises.slice(s, s + CHUNK);
		const n = part.length;
		const flat = new Float32Array(n * dim);
		part.forEach((z, i) => flat.set(z, i * dim));
		const data = await ctx.gpu(async () => {
			return readFloats(() => {
				const x = tf.tile(tf.sub(tf.mul(tf.tensor4d(hr64.data, [1, 64, 64, 3]), 2), 1), [n, 1, 1, 1]) as tf.Tensor4D;
				const lo = learnedDegrader(weights)(x, tf.tensor2d(flat, [n, dim]));
				return tf.clipByValue(tf.div(tf.add(lo, 1), 2), 0, 1);
			});
		});
		out.push(...splitImages(data, n, 16, 16));
		onChunk?.(out.length);
	}
	return out;
}
