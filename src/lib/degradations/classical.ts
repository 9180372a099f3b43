// The classical (hand-designed) ways SR papers make low-resolution training inputs, each a
// function of an HR face tensor ([S, S, 3], S a multiple of 16, values in [0, 1]) and its
// parameters, returning a new 16×16 LR tensor the caller owns (the input is not disposed).
// Outputs are clamped to [0, 1]: an LR image is a displayable image (bicubic overshoots).
// Blur sizes (σ, kernel size, motion length) are in HR (source) pixels.

import * as tf from '@tensorflow/tfjs';
import { avgPool, resize } from '../image/resample';
import { blur, fromTensor, toTensor } from '../image/tensor';
import { gaussianKernel, motionBlurKernel, randomBlurKernel } from '../image/kernels';
import { decodeJpeg, encodeJpeg } from '../image/jpeg';
import { createRng } from '../image/rng';

/** Side of every LR image in this notebook (High-to-Low: 16×16, paper 001 §3). */
export const LR_SIZE = 16;

export interface ClassicalParams {
	/** Gaussian σ, HR px */
	blurSigma: number;
	/** random blur kernel support, 2..6 HR px */
	kernelSize: number;
	kernelSeed: number;
	/** motion blur length, HR px */
	motionLength: number;
	/** motion direction, degrees counter-clockwise from horizontal */
	motionAngle: number;
	/** JPEG quality 1..100 */
	jpegQuality: number;
	/** noise standard deviation in 8-bit units (0..255); divided by 255 for [0, 1] images */
	noiseSigma: number;
	noiseSeed: number;
}

const clip = (t: tf.Tensor3D): tf.Tensor3D => tf.clipByValue(t, 0, 1);
const down = (t: tf.Tensor3D, method: 'area' | 'bilinear' | 'bicubic') => resize(t, LR_SIZE, LR_SIZE, method);

/** F(I_hr) of paper 001 Eq. 4: average pooling of the HR image to 16×16. */
export function poolToLR(hr: tf.Tensor3D): tf.Tensor3D {
	return avgPool(hr, hr.shape[0] / LR_SIZE);
}

/**
 * L2 pixel loss, paper 001 Eq. 4: l_pixel = 1/(WH) Σ_ij (F(I_hr)_ij − I_lr_ij)². For RGB we
 * also average over the 3 channels (mean squared error per pixel and channel, values in [0, 1]),
 * so a constant error e gives e², independent of the image size.
 */
export function pixelL2(lr: tf.Tensor, target: tf.Tensor): tf.Scalar {
	return tf.tidy(() => tf.mean(tf.squaredDifference(lr, target)) as tf.Scalar);
}

/** 1. PIL-style antialiased bicubic (Keys a = −0.5, kernel stretched by the scale factor). */
export function bicubicLR(hr: tf.Tensor3D): tf.Tensor3D {
	return tf.tidy(() => clip(down(hr, 'bicubic')));
}

/**
 * 2. "Bilinear downsampling" (paper 001 §1, §4): PIL-style antialiased triangle filter.
 * (Plain 2-tap bilinear sampling, as tf.image.resizeBilinear does, would skip most HR pixels
 * at ×4/×8 and alias; the papers' PyTorch/PIL pipelines use the antialiased one.)
 */
export function bilinearLR(hr: tf.Tensor3D): tf.Tensor3D {
	return tf.tidy(() => clip(down(hr, 'bilinear')));
}

/**
 * 3. SRGAN's LR generation (paper 004 §2): Gaussian filter on I_HR, then downsampling by r.
 * We downsample by area (box) averaging, so the result stays aligned with F(I_hr) and σ = 0
 * gives exactly the pooled HR (L2 = 0): the number measures the blur alone.
 */
export function gaussianLR(hr: tf.Tensor3D, sigma: number): tf.Tensor3D {
	return tf.tidy(() => clip(down(blur(hr, gaussianKernel(sigma)), 'area')));
}

/** 4. High-to-Low's "bilinear-blur" baseline (paper 001 §4 item 2): random kernel, then bilinear. */
export function randomBlurLR(hr: tf.Tensor3D, size: number, seed: number): tf.Tensor3D {
	return tf.tidy(() => clip(down(blur(hr, randomBlurKernel(size, seed)), 'bilinear')));
}

/** 5. Linear motion blur (paper 002's camera/object motion), then bilinear downsampling. */
export function motionLR(hr: tf.Tensor3D, length: number, angleDeg: number): tf.Tensor3D {
	return tf.tidy(() => clip(down(blur(hr, motionBlurKernel(length, angleDeg)), 'bilinear')));
}

/**
 * 6. Compression: bilinear downsampling, then JPEG at `quality` on the 16×16 LR with the
 * pure-JS codec (identical bytes everywhere). Async: the LR is read back for the encoder.
 */
export async function jpegLR(hr: tf.Tensor3D, quality: number): Promise<tf.Tensor3D> {
	const lr = bilinearLR(hr);
	let img;
	try {
		img = await fromTensor(lr);
	} finally {
		lr.dispose();
	}
	return toTensor(decodeJpeg(encodeJpeg(img, quality)));
}

/**
 * 7. Sensor noise: bilinear downsampling, then i.i.d. Gaussian noise N(0, (σ/255)²) per pixel
 * and channel from the seeded RNG (generated on the CPU, so every backend adds the same
 * pattern), clamped to [0, 1]. σ is in 8-bit units, as denoising papers quote it.
 */
export function noiseLR(hr: tf.Tensor3D, sigma255: number, seed: number): tf.Tensor3D {
	const noise = createRng(seed).fillNormal(new Float32Array(LR_SIZE * LR_SIZE * 3), 0, Math.max(0, sigma255) / 255);
	return tf.tidy(() => clip(tf.add(down(hr, 'bilinear'), tf.tensor3d(noise, [LR_SIZE, LR_SIZE, 3]))));
}

export type ClassicalId = 'bicubic' | 'bilinear' | 'gaussian' | 'random-blur' | 'motion' | 'jpeg' | 'noise';

export interface ClassicalDegradation {
	id: ClassicalId;
	label: string;
	/** One line for the gallery caption. */
	note: string;
	/** Where the model comes from. */
	ref: string;
	apply(hr: tf.Tensor3D, p: ClassicalParams): tf.Tensor3D | Promise<tf.Tensor3D>;
}

export const CLASSICAL_DEGRADATIONS: readonly ClassicalDegradation[] = [
	{
		id: 'bicubic',
		label: 'Bicubic',
		note: 'Antialiased bicubic downsampling (Keys a = −0.5, as PIL): the textbook LR input.',
		ref: 'The standard SR benchmark input; SRGAN (Ledig et al. 2017) §3.1 bicubic baseline',
		apply: (hr) => bicubicLR(hr)
	},
	{
		id: 'bilinear',
		label: 'Bilinear',
		note: 'Antialiased bilinear downsampling: how most face SR work makes its LR images.',
		ref: 'High-to-Low (Bulat et al. 2018) §1 and §4, baseline 1',
		apply: (hr) => bilinearLR(hr)
	},
	{
		id: 'gaussian',
		label: 'Gaussian blur + ↓',
		note: 'Gaussian filter on the HR image, then downsampling by the factor r (area average).',
		ref: 'SRGAN (Ledig et al. 2017) §2',
		apply: (hr, p) => gaussianLR(hr, p.blurSigma)
	},
	{
		id: 'random-blur',
		label: 'Random blur + bilinear',
		note: 'A seeded random blur kernel of 2–6 px (anisotropic Gaussian), then bilinear.',
		ref: 'High-to-Low (Bulat et al. 2018) §4, baseline 2 (“bilinear-blur”)',
		apply: (hr, p) => randomBlurLR(hr, p.kernelSize, p.kernelSeed)
	},
	{
		id: 'motion',
		label: 'Motion blur + ↓',
		note: 'A straight-line motion blur (camera or face moving during exposure), then bilinear.',
		ref: 'Yun & Park, joint face SR and deblurring, §1 and §4.1 (motion-blurred LR faces)',
		apply: (hr, p) => motionLR(hr, p.motionLength, p.motionAngle)
	},
	{
		id: 'jpeg',
		label: 'JPEG',
		note: 'Bilinear downsampling, then JPEG compression: blocking and ringing artefacts.',
		ref: 'High-to-Low (Bulat et al. 2018) §3.1 (“compression artefacts” of real LR images)',
		apply: (hr, p) => jpegLR(hr, p.jpegQuality)
	},
	{
		id: 'noise',
		label: 'Sensor noise',
		note: 'Bilinear downsampling, then additive Gaussian noise (σ in 8-bit units), clamped.',
		ref: 'High-to-Low (Bulat et al. 2018) §1, §3.5 (“noise and artefacts” of real LR images)',
		apply: (hr, p) => noiseLR(hr, p.noiseSigma, p.noiseSeed)
	}
];
