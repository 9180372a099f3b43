// The "growth strip" cell (SR-NAM §4.3, Fig. 5): one fixed z through the generator at every
// level, 4 → 64 px, each with its level fully faded in (α = 1), i.e. toRGB_L(h_L). The raw
// heads are kept in the output (unclamped, [-1, 1] range) because the fade-in cell blends
// exactly these: up2(toRGB_{L-1}(h_{L-1})) and toRGB_L(h_L). View: Growth.svelte.

import * as tf from '@tensorflow/tfjs';
import { defineCell } from '$lib/notebook/cellKind';
import { AbortedError } from '$lib/runtime/gpuQueue';
import type { RGBImage } from '$lib/image/rgb';
import { toDisplay } from '$lib/image/signed';
import { generate, PROGAN_LEVELS, type ProganLevel } from '$models/progan';
import type { NamedWeights } from '$models/weights';
import { proganModel } from '$cells/proganModel';
import { proganLatent } from './latent';
import { readFloats } from '$lib/image/tensor';

export interface GrowthLevel {
	size: ProganLevel;
	/** toRGB_L(h_L), HWC, the generator's raw output (trained range [-1, 1], not clamped). */
	raw: Float32Array;
	/** The same for display: (raw + 1) / 2 clamped to [0, 1]. */
	image: RGBImage;
}

export interface GrowthResult {
	levels: GrowthLevel[];
}

/** All five heads for one z, in one GPU task, read back asynchronously; disposes everything. */
async function generateHeads(weights: NamedWeights, z: Float32Array, run: <R>(task: () => Promise<R>) => Promise<R>): Promise<Float32Array[]> {
	return run(async () => {
		return readFloats(() => {
			const zt = tf.tensor2d(z, [1, z.length]);
			return PROGAN_LEVELS.map((level) => generate(weights, zt, { level, alpha: 1 }));
		});
	});
}

export const proganGrowth = defineCell({
	kind: 'progan-growth',
	summary: 'One latent rendered by the generator at 4, 8, 16, 32 and 64 px (SR-NAM Fig. 5).',
	inputs: { model: proganModel, latent: proganLatent },
	async compute(ctx): Promise<GrowthResult> {
		const { model, latent: z } = ctx.inputs;
		if (z.length !== model.info.latent) throw new Error(`The latent has ${z.length} values; this generator takes ${model.info.latent}.`);
		if (ctx.signal.aborted) throw new AbortedError();
		const heads = await generateHeads(model.weights, z, (task) => ctx.gpu(task));
		if (ctx.signal.aborted) throw new AbortedError();
		return { levels: PROGAN_LEVELS.map((size, i) => ({ size, raw: heads[i], image: toDisplay(heads[i], size) })) };
	}
});
