// Tiny settings for the live GAN's tests (test-only): 3-channel nets growing 4 → 8 px on random
// "faces", so a training step takes milliseconds on tfjs-cpu.
import { createRng } from '../../src/lib/image/rng';
import type { GanShape } from '../../src/lib/gan/nets';
import type { TrainerOptions } from '../../src/lib/gan/trainer';
import type { FaceSet } from '../../src/lib/gan/faces';

export function randomFaces(count: number, size: number, seed = 3): FaceSet {
	return { size, count, data: createRng(seed).fillNormal(new Float32Array(count * size * size * 3), 0, 0.5), source: 'progan' };
}

export function tinyOptions(over: Partial<TrainerOptions> = {}): TrainerOptions {
	const shape: GanShape = { levels: [4, 8], channels: 3, latent: 4 };
	return {
		shape,
		schedule: { levels: shape.levels, stepsPerPhase: 4 },
		batch: 2,
		adam: { learningRate: 1e-3, beta1: 0, beta2: 0.99, epsilon: 1e-8 },
		critic: { lambda: 10, drift: 0.001 },
		seed: 5,
		faces: randomFaces(6, 8),
		samples: 2,
		...over
	};
}
