// The joint SR + deblurring degradation (paper 002 §4.1, our version: issue-15 contract): a sharp
// 128×128 face I_HR is blurred by a motion-blur kernel (the Classical degradations notebook's
// motionBlurKernel, applied by tensor.ts `blur`: true convolution, mirror padding) into I_HRB, the
// "HR with blur" target, and I_HRB is bicubic-downsampled ×1/8 (antialiased, PIL-like a = −0.5)
// to the 16×16 input I_LR, clamped to [-1, 1]. train/joint_sr/blur.py is the PyTorch twin the nets
// were trained on. Tensors are NHWC in [-1, 1].

import * as tf from '@tensorflow/tfjs';
import { motionBlurKernel, type Kernel } from '../image/kernels';
import { resize } from '../image/resample';
import type { RGBImage } from '../image/rgb';
import { blur } from '../image/tensor';

export const JOINT_HR_PX = 128;
export const JOINT_LR_PX = 16;
export const JOINT_SCALE = JOINT_HR_PX / JOINT_LR_PX;

export interface JointDegraded {
	/** I_HRB = k ∗ I_HR, [N, 128, 128, 3]. */
	blurredHr: tf.Tensor4D;
	/** I_LR = clamp(bicubic ×1/8 of I_HRB), [N, 16, 16, 3]. */
	lr: tf.Tensor4D;
}

function checkHr(hr: tf.Tensor4D) {
	if (hr.rank !== 4 || hr.shape[1] !== JOINT_HR_PX || hr.shape[2] !== JOINT_HR_PX || hr.shape[3] !== 3)
		throw new Error(`joint-SR degradation: hr must be [N, ${JOINT_HR_PX}, ${JOINT_HR_PX}, 3], got [${hr.shape}]`);
}

/** hr [N, 128, 128, 3] in [-1, 1] and a blur kernel → {blurredHr, lr}. The caller disposes both. */
export function degradeJoint(hr: tf.Tensor4D, kernel: Kernel): JointDegraded {
	checkHr(hr);
	const blurredHr = blur(hr, kernel);
	const lr = tf.tidy(() => tf.clipByValue(resize(blurredHr, JOINT_LR_PX, JOINT_LR_PX, 'bicubic'), -1, 1) as tf.Tensor4D);
	return { blurredHr, lr };
}

/** The same with the motion-blur kernel of `length` HR px at `angleDeg` (length 0: no blur); returns the kernel too. */
export function motionDegrade(hr: tf.Tensor4D, length: number, angleDeg: number): JointDegraded & { kernel: Kernel } {
	const kernel = motionBlurKernel(length, angleDeg);
	return { ...degradeJoint(hr, kernel), kernel };
}

/** The baseline: bicubic ×8 of the LR (PIL-like weights, no clamping: bicubic overshoots), [N, 8h, 8w, 3]. */
export function bicubicUp(lr: tf.Tensor4D, scale = JOINT_SCALE): tf.Tensor4D {
	return resize(lr, lr.shape[1] * scale, lr.shape[2] * scale, 'bicubic');
}

/** An RGBImage in [0, 1] → a [1, H, W, 3] tensor in [-1, 1] (the nets' range). */
export function imageToSigned(img: RGBImage): tf.Tensor4D {
	return tf.tidy(() => tf.sub(tf.mul(tf.tensor4d(img.data, [1, img.height, img.width, 3]), 2), 1) as tf.Tensor4D);
}
