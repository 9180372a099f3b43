// The two networks SR-NAM composes (Eq. 6: D(G(z)) vs I_LR), as plain differentiable
// functions the search engine takes by injection, plus the value-range plumbing.
//
// Range convention of the engine: the generator output, the degrader's input and output and
// the comparison all live in one "model range", either 'signed' ([-1, 1], ProGAN's trained
// range, the default) or 'unit' ([0, 1]). The LR input (an RGBImage in [0, 1]) is mapped into
// that range once; candidates are mapped back to [0, 1] (and clamped) only for display.

import * as tf from '@tensorflow/tfjs';
import type { RGBImage } from '../image/rgb';
import { rgbImage } from '../image/rgb';
import { degrade } from '../../models/degrader';
import { generate, type GenerateOptions } from '../../models/progan';
import type { NamedWeights } from '../../models/weights';
import { installCpuResizeGradFix } from './cpuResizeGradFix';

/** z [K, latentDim] → HR images [K, H, W, 3] in the model range. Must be differentiable in z. */
export type GeneratorFn = (z: tf.Tensor2D) => tf.Tensor4D;
/** HR [K, H, W, 3] and noise [K, noiseDim] → LR [K, h, w, 3], model range; differentiable in both. */
export type DegraderFn = (hr: tf.Tensor4D, noise: tf.Tensor2D) => tf.Tensor4D;

export type ModelRange = 'signed' | 'unit';

// Once, where the SR-NAM networks load (the backend manager does the same in the browser):
// ProGAN's nearest ×2 needs a correct batched gradient on tfjs-cpu.
installCpuResizeGradFix();

/** [0, 1] value → model range (as an affine map a·x + b). */
export function rangeMap(range: ModelRange): { a: number; b: number } {
	return range === 'signed' ? { a: 2, b: -1 } : { a: 1, b: 0 };
}

/** An RGBImage as a [1, H, W, 3] tensor in the model range (the caller disposes it). */
export function imageToModel(img: RGBImage, range: ModelRange): tf.Tensor4D {
	const { a, b } = rangeMap(range);
	return tf.tidy(() => tf.add(tf.mul(tf.tensor4d(img.data, [1, img.height, img.width, 3], 'float32'), a), b) as tf.Tensor4D);
}

/** Model-range NHWC tensor → [0, 1] NHWC, clamped (display). */
export function modelToUnit(t: tf.Tensor4D, range: ModelRange): tf.Tensor4D {
	const { a, b } = rangeMap(range);
	return tf.tidy(() => tf.clipByValue(tf.div(tf.sub(t, b), a), 0, 1) as tf.Tensor4D);
}

/** Slice flat NHWC [0, 1] data into N RGBImages. */
export function splitImages(data: Float32Array, n: number, h: number, w: number): RGBImage[] {
	const size = h * w * 3;
	const out: RGBImage[] = [];
	for (let i = 0; i < n; i++) out.push(rgbImage(w, h, data.slice(i * size, (i + 1) * size)));
	return out;
}

/**
 * Average pooling by `factor` (the area / box-filter degradation), ignoring the noise. The
 * stand-in degrader when no learned one is loaded; it is affine so it works in either range.
 */
export function avgPoolDegrader(factor = 4): DegraderFn {
	return (hr) => tf.avgPool(hr, factor, factor, 'valid') as tf.Tensor4D;
}

/** ProGAN (src/models/progan.ts) as the SR-NAM generator: z [K, 512] → [K, 64, 64, 3] in [-1, 1]. */
export function proganGenerator(weights: NamedWeights, opts: GenerateOptions = {}): GeneratorFn {
	return (z) => generate(weights, z, opts);
}

/**
 * The learned degrader (src/models/degrader.ts, SR-NAM §3.2) as the SR-NAM D: HR [K, 64, 64, 3]
 * in [-1, 1] and noise [K, 100] → LR [K, 16, 16, 3] in [-1, 1] (tanh), i.e. range 'signed'.
 */
export function learnedDegrader(weights: NamedWeights): DegraderFn {
	return (hr, noise) => degrade(weights, hr, noise);
}
