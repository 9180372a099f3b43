// WGAN-GP losses (Gulrajani et al. 2017, Algorithm 1; as used by Karras et al. 2018 §A.1):
//   critic:    L_D = mean D(G(z)) − mean D(x) + λ · mean_i (‖∇_x̂ D(x̂_i)‖₂ − 1)² + ε_drift · mean D(x)²
//              with x̂_i = ε_i x_i + (1 − ε_i) G(z_i), ε_i ~ U[0, 1]
//   generator: L_G = −mean D(G(z))
// The penalty's gradient w.r.t. the critic's weights is a gradient of a gradient: tf.grad runs
// inside the tape of tf.variableGrads, which records the inner backward pass (see layers.ts
// for the op choices that make this work on every backend).

import * as tf from '@tensorflow/tfjs';

export type Critic = (x: tf.Tensor4D) => tf.Tensor2D;

/** x̂ = ε·real + (1 − ε)·fake, ε of shape [N] broadcast per sample. */
export function interpolate(real: tf.Tensor4D, fake: tf.Tensor4D, eps: tf.Tensor1D): tf.Tensor4D {
	const e = tf.reshape(eps, [-1, 1, 1, 1]);
	return tf.add(tf.mul(real, e), tf.mul(fake, tf.sub(1, e))) as tf.Tensor4D;
}

/** Per-sample ‖∇_x D(x)‖₂, shape [N]. */
export function inputGradientNorms(critic: Critic, x: tf.Tensor4D): tf.Tensor1D {
	const g = tf.grad((xx) => tf.sum(critic(xx as tf.Tensor4D)))(x);
	// the tiny constant keeps sqrt's gradient finite if a gradient is exactly zero
	return tf.sqrt(tf.add(tf.sum(tf.square(g), [1, 2, 3]), 1e-12)) as tf.Tensor1D;
}

/** mean_i (‖∇ D(x̂_i)‖ − 1)². */
export function gradientPenalty(critic: Critic, xhat: tf.Tensor4D): tf.Scalar {
	return tf.mean(tf.square(tf.sub(inputGradientNorms(critic, xhat), 1))) as tf.Scalar;
}

export interface CriticTerms {
	loss: tf.Scalar;
	/** mean D(real) − mean D(fake): the critic's estimate of the Wasserstein distance. */
	wasserstein: tf.Scalar;
	penalty: tf.Scalar;
}

export interface CriticSettings {
	/** λ of the gradient penalty (Gulrajani et al.: 10). */
	lambda: number;
	/** Karras et al. §A.1: 0.001 · D(x)² keeps the scores near 0. */
	drift: number;
}

export function criticTerms(critic: Critic, real: tf.Tensor4D, fake: tf.Tensor4D, eps: tf.Tensor1D, s: CriticSettings): CriticTerms {
	const dReal = critic(real);
	const dFake = critic(fake);
	const penalty = gradientPenalty(critic, interpolate(real, fake, eps));
	const wasserstein = tf.sub(tf.mean(dReal), tf.mean(dFake)) as tf.Scalar;
	const loss = tf.addN([tf.neg(wasserstein), tf.mul(penalty, s.lambda), tf.mul(tf.mean(tf.square(dReal)), s.drift)]) as tf.Scalar;
	return { loss, wasserstein, penalty };
}

export function generatorLoss(critic: Critic, fake: tf.Tensor4D): tf.Scalar {
	return tf.neg(tf.mean(critic(fake))) as tf.Scalar;
}
