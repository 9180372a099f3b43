// Tiny stand-in networks for the SR-NAM search tests (test-only): G: z ∈ R^16 → 8×8×3 linear,
// D: avg-pool ×4 → 2×2×3 plus a small linear noise term. 12 LR values < 16 latent dims, so
// Eq. 6 has a 4-dim family of exact minimisers and the restarts cannot collapse to one point.
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../src/lib/image/rng';
import { avgPoolDegrader, type DegraderFn, type GeneratorFn } from '../../src/lib/srnam/models';

export const LATENT = 16;
export const NOISE = 4;

export interface TinyNets {
	generator: GeneratorFn;
	degrader: DegraderFn;
	dispose(): void;
}

/** Weights drawn from the project's RNG with `seed` (G's first, then D's noise projection). */
export function tinyNets(seed = 7): TinyNets {
	const rng = createRng(seed);
	const W = tf.keep(tf.tensor2d(rng.fillNormal(new Float32Array(LATENT * 192), 0, 0.3 / Math.sqrt(LATENT)), [LATENT, 192]));
	const P = tf.keep(tf.tensor2d(rng.fillNormal(new Float32Array(NOISE * 12), 0, 0.02), [NOISE, 12]));
	const pool = avgPoolDegrader(4);
	return {
		generator: (z) => tf.reshape(tf.matMul(z, W), [z.shape[0], 8, 8, 3]),
		degrader: (hr, n) => tf.add(pool(hr, n), tf.reshape(tf.matMul(n, P), [n.shape[0], 2, 2, 3])),
		dispose: () => tf.dispose([W, P])
	};
}
