// SR-NAM latent search with the REAL shipped ProGAN (static/weights/progan) and the learned
// degrader when static/weights/degrader is shipped (else avg-pool ×4, named in the test).
// The LR input is D(G(z*)) for a held-out z*, so an exact solution exists in the model.
// SRNAM_BENCH=1 also times steps/second for K ∈ {1, 8} (printed; tfjs cpu backend).
import * as tf from '@tensorflow/tfjs';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rgbImage, type RGBImage } from '../../src/lib/image/rgb';
import { createRng } from '../../src/lib/image/rng';
import { avgPoolDegrader, learnedDegrader, proganGenerator, type DegraderFn, type GeneratorFn } from '../../src/lib/srnam/models';
import { createSearch } from '../../src/lib/srnam/search';
import { degraderInfo } from '../../src/models/degrader';
import { disposeWeights, type NamedWeights } from '../../src/models/weights';
import { loadWeightsFromDir } from '../../src/models/weights-node';

const PROGAN = resolve(process.env.PROGAN_WEIGHTS_DIR ?? 'static/weights/progan');
const DEGRADER = resolve(process.env.DEGRADER_WEIGHTS_DIR ?? 'static/weights/degrader');
const HAS_DEGRADER = existsSync(join(DEGRADER, 'model.json'));
const D_NAME = HAS_DEGRADER ? 'learned degrader' : 'avg-pool ×4 degrader (no degrader weights shipped)';

let gw: NamedWeights;
let dw: NamedWeights | undefined;
let G: GeneratorFn;
let D: DegraderFn;
let lr: RGBImage;

beforeAll(async () => {
	// SRNAM_BACKEND=wasm times the WebAssembly backend instead (Node loads its .wasm from node_modules)
	if (process.env.SRNAM_BACKEND === 'wasm') await import('@tensorflow/tfjs-backend-wasm');
	await tf.setBackend(process.env.SRNAM_BACKEND ?? 'cpu');
	gw = (await loadWeightsFromDir(PROGAN)).weights;
	G = proganGenerator(gw);
	if (HAS_DEGRADER) {
		dw = (await loadWeightsFromDir(DEGRADER)).weights;
		D = learnedDegrader(dw);
	} else D = avgPoolDegrader(4);
	const t = tf.tidy(() => {
		const zStar = tf.tensor2d(createRng(4242).fillNormal(new Float32Array(512)), [1, 512]);
		const n = tf.tensor2d(createRng(4243).fillNormal(new Float32Array(100)), [1, 100]);
		return tf.clipByValue(tf.div(tf.add(D(G(zStar), n), 1), 2), 0, 1);
	});
	lr = rgbImage(16, 16, (await t.data()) as Float32Array);
	t.dispose();
});

afterAll(() => {
	disposeWeights(gw);
	if (dw) disposeWeights(dw);
});

describe(`srnam with the shipped ProGAN + ${D_NAME}`, () => {
	it('Eq. 6 loss falls over 2 Adam steps with K = 2', async () => {
		const before = tf.memory().numTensors;
		const s = createSearch({ generator: G, degrader: D, lr, K: 2, seed: 1, adam: { learningRate: 0.05 }, noise: { mode: 'fixed', seed: 2 }, historyEvery: 5 });
		const r = await s.step(2);
		const snap = await s.snapshot();
		const first = [s.history.loss(0, 0), s.history.loss(0, 1)];
		console.log(`srnam progan K=2: loss ${first.map((x) => x.toFixed(4))} → ${Array.from(snap.losses, (x) => x.toFixed(4))} in 2 steps, ${(2 / (r.ms / 1000)).toFixed(2)} steps/s`);
		for (let k = 0; k < 2; k++) expect(snap.losses[k]).toBeLessThan(0.95 * first[k]); // 4 steps take 0.61/0.43 to 0.19/0.23
		expect(snap.candidates[0].width).toBe(64);
		expect(snap.degraded[0].width).toBe(16);
		await s.dispose();
		expect(tf.memory().numTensors).toBe(before);
	}, 300_000);

	it('batched Eq. 6 gradient of each restart equals its gradient alone (K = 2: restart 1 is the one the cpu bug broke)', async () => {
		const target = tf.tidy(() => tf.sub(tf.mul(tf.tensor4d(lr.data, [1, 16, 16, 3]), 2), 1));
		const z = tf.tensor2d(createRng(9).fillNormal(new Float32Array(2 * 512)), [2, 512]);
		const n = tf.tensor2d(createRng(10).fillNormal(new Float32Array(2 * 100)), [2, 100]);
		const loss = (nn: tf.Tensor2D) => (zz: tf.Tensor) => tf.sum(tf.mean(tf.abs(tf.sub(D(G(zz as tf.Tensor2D), nn), target)), [1, 2, 3]));
		const batched = tf.grad(loss(n))(z);
		const gb = await batched.data();
		for (let k = 0; k < 2; k++) {
			const alone = tf.grad(loss(tf.slice(n, [k, 0], [1, 100])))(tf.slice(z, [k, 0], [1, 512]));
			const ga = await alone.data();
			let diff = 0;
			let scale = 0;
			for (let j = 0; j < 512; j++) {
				diff = Math.max(diff, Math.abs(gb[k * 512 + j] - ga[j]));
				scale = Math.max(scale, Math.abs(ga[j]));
			}
			expect(diff / scale).toBeLessThan(1e-4);
			alone.dispose();
		}
		tf.dispose([target, z, n, batched]);
	}, 300_000);

	it.runIf(process.env.SRNAM_BENCH)('bench: steps/second for K = 1 and 8', async () => {
		for (const K of [1, 8]) {
			const s = createSearch({ generator: G, degrader: D, lr, K, seed: 1, noise: { mode: 'fixed', seed: 2 } });
			await s.step(1); // warm-up
			const n = K === 1 ? 10 : 4;
			const r = await s.step(n);
			console.log(`srnam bench (${tf.getBackend()}, ${D_NAME}): K=${K}: ${(n / (r.ms / 1000)).toFixed(2)} steps/s, ${((K * n) / (r.ms / 1000)).toFixed(2)} restart-steps/s`);
			await s.dispose();
		}
	}, 600_000);
});

/**
 * Random weights with the layout of src/models/degrader.ts and train/degrader/model.py's default
 * widths (16, 32, 48, 64, 128, 64), 2 blocks per group: for timing and gradient checks of the
 * degrader path before trained weights are shipped (its outputs mean nothing).
 */
function randomDegraderWeights(widths = [16, 32, 48, 64, 128, 64], bpg = 2): NamedWeights {
	const rng = createRng(77);
	const w: NamedWeights = {};
	const rnd = (shape: number[], std: number) => tf.tensor(rng.fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1)), 0, std), shape);
	const conv = (name: string, k: number, cin: number, cout: number) => {
		w[`${name}/w`] = rnd([k, k, cin, cout], Math.sqrt(2 / (k * k * cin)));
		w[`${name}/b`] = tf.zeros([cout]);
	};
	const bn = (name: string, c: number) => {
		w[`${name}/scale`] = tf.ones([c]);
		w[`${name}/shift`] = tf.zeros([c]);
	};
	w['d/noise/w'] = rnd([100, 4096], 0.1);
	w['d/noise/b'] = tf.zeros([4096]);
	conv('d/stem', 3, 4, widths[0]);
	let cin = widths[0];
	widths.forEach((wd, g) => {
		for (let b = 1; b <= bpg; b++) {
			const p = `d/g${g + 1}/b${b}`;
			bn(`${p}/bn1`, cin);
			conv(`${p}/conv1`, 3, cin, wd);
			bn(`${p}/bn2`, wd);
			conv(`${p}/conv2`, 3, wd, wd);
			if (cin !== wd) conv(`${p}/short`, 1, cin, wd);
			cin = wd;
		}
		if (g >= 4) cin = wd / 4; // pixel shuffle after groups 5 and 6
	});
	bn('d/out/bn', cin);
	conv('d/out/conv', 3, cin, 3);
	return w;
}

// only without shipped degrader weights (else the test above covers G + D) or when benchmarking
describe.runIf(!HAS_DEGRADER || process.env.SRNAM_BENCH)('srnam with the shipped ProGAN + a RANDOM-weight degrader of the trained architecture (timing and gradients only)', () => {
	let rw: NamedWeights;
	beforeAll(() => {
		rw = randomDegraderWeights();
	});
	afterAll(() => disposeWeights(rw));

	it('batched gradient through G and D equals each restart alone (K = 2)', async () => {
		expect(degraderInfo(rw).widths).toEqual([16, 32, 48, 64, 128, 64]);
		const RD = learnedDegrader(rw);
		const z = tf.tensor2d(createRng(9).fillNormal(new Float32Array(2 * 512)), [2, 512]);
		const n = tf.tensor2d(createRng(10).fillNormal(new Float32Array(2 * 100)), [2, 100]);
		const loss = (nn: tf.Tensor2D) => (zz: tf.Tensor) => tf.sum(tf.abs(tf.sub(RD(G(zz as tf.Tensor2D), nn), 0.1)));
		const gb = await tf.grad(loss(n))(z).data();
		for (let k = 0; k < 2; k++) {
			const ga = await tf.grad(loss(tf.slice(n, [k, 0], [1, 100])))(tf.slice(z, [k, 0], [1, 512])).data();
			let diff = 0;
			let scale = 0;
			for (let j = 0; j < 512; j++) {
				diff = Math.max(diff, Math.abs(gb[k * 512 + j] - ga[j]));
				scale = Math.max(scale, Math.abs(ga[j]));
			}
			expect(diff / scale).toBeLessThan(1e-4);
		}
	}, 300_000);

	it.runIf(process.env.SRNAM_BENCH)('bench: steps/second for K = 1 and 8 with G + D', async () => {
		const RD = learnedDegrader(rw);
		for (const K of [1, 8]) {
			const s = createSearch({ generator: G, degrader: RD, lr, K, seed: 1, noise: { mode: 'fixed', seed: 2 } });
			await s.step(1);
			const n = K === 1 ? 6 : 2;
			const r = await s.step(n);
			console.log(`srnam bench (${tf.getBackend()}, progan + random-weight degrader): K=${K}: ${(n / (r.ms / 1000)).toFixed(2)} steps/s, ${((K * n) / (r.ms / 1000)).toFixed(2)} restart-steps/s`);
			await s.dispose();
		}
	}, 600_000);
});

