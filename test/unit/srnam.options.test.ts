// The SR-NAM search's two options beyond the paper's plain Eq. 6 (src/lib/srnam/search.ts):
// the degrader noise optimised jointly with z, and the latent-norm prior. Tiny injected nets
// (tinyNets.ts): G linear 16 → 8×8×3, D avg-pool ×4 plus a linear noise term.
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { rgbImage, type RGBImage } from '../../src/lib/image/rgb';
import { createRng } from '../../src/lib/image/rng';
import type { DegraderFn, GeneratorFn } from '../../src/lib/srnam/models';
import { createSearch, searchObjective, type SearchOptions } from '../../src/lib/srnam/search';
import { LATENT, NOISE, tinyNets } from './tinyNets';

let generator: GeneratorFn;
let degrader: DegraderFn;
const lr: RGBImage = rgbImage(2, 2, Float32Array.from({ length: 12 }, (_, i) => 0.2 + 0.05 * i));

beforeAll(async () => {
	await tf.setBackend('cpu');
	({ generator, degrader } = tinyNets(7));
});

const opts = (over: Partial<SearchOptions> = {}): SearchOptions => ({
	generator,
	degrader,
	lr,
	K: 3,
	seed: 1,
	latentDim: LATENT,
	noiseDim: NOISE,
	adam: { learningRate: 0.05 },
	noise: { mode: 'fixed', seed: 2 },
	yieldBetweenSteps: false,
	...over
});

describe('srnam search options', () => {
	it('joint noise: the noise moves and the loss falls further than with it fixed; fixed noise stays the seeded draw', async () => {
		const fixed = createSearch(opts());
		const joint = createSearch(opts({ noise: { mode: 'joint', seed: 2 } }));
		const start = (await fixed.serialise()).noise;
		const rf = await fixed.step(40);
		const rj = await joint.step(40);
		const nf = (await fixed.serialise()).noise;
		const nj = (await joint.serialise()).noise;
		expect(Array.from(nf)).toEqual(Array.from(start));
		expect(Math.max(...nj.map((v, i) => Math.abs(v - start[i])))).toBeGreaterThan(0.1);
		const sum = (a: Float32Array) => a.reduce((s, v) => s + v, 0);
		expect(sum(rj.last)).toBeLessThan(sum(rf.last));
		await Promise.all([fixed.dispose(), joint.dispose()]);
	});

	it('the objective is Σ_k loss_k + w · Σ_k (mean_j z_kj² − 1)² (hand-computed)', async () => {
		const z = tf.tensor2d([1, 1, 1, 1, 3, 1, 0, 0], [2, 4]); // mean z²: 1 and 2.5
		const per = tf.tensor1d([0.25, 0.5]);
		const [plain, withPrior] = await Promise.all([searchObjective(per, z, 0).data(), searchObjective(per, z, 0.1).data()]);
		expect(plain[0]).toBeCloseTo(0.75, 6);
		expect(withPrior[0]).toBeCloseTo(0.75 + 0.1 * (0 + 1.5 ** 2), 6);
		tf.dispose([z, per]);
	});

	it('the prior pulls mean z² towards 1 and leaves the reported losses Eq. 6 only', async () => {
		// a generator that halves z: fitting the input pushes z off the shell (mean z² well above 1)
		const scaled: GeneratorFn = (z) => generator(tf.div(z, 2) as tf.Tensor2D);
		const meanSq = async (s: ReturnType<typeof createSearch>) => {
			const z = (await s.serialise()).z;
			return z.reduce((a, v) => a + v * v, 0) / z.length;
		};
		const plain = createSearch(opts({ generator: scaled }));
		const prior = createSearch(opts({ generator: scaled, prior: { weight: 1 } }));
		const p0 = await plain.step(1);
		const q0 = await prior.step(1);
		expect(Array.from(q0.last)).toEqual(Array.from(p0.last)); // same start, same Eq. 6 losses
		await plain.step(60);
		await prior.step(60);
		expect(Math.abs((await meanSq(prior)) - 1)).toBeLessThan(Math.abs((await meanSq(plain)) - 1) - 0.05);
		await Promise.all([plain.dispose(), prior.dispose()]);
	});
});
