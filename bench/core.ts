// The srlab side of `npm run bench`: the same ops as bench/torch_ref.py (load, forward, the
// SR-NAM step, memory), run on whatever tfjs backend is active, in Node or in a page. Only the
// weight source differs between the two (files vs fetch). Every op returns wall milliseconds
// measured around the work INCLUDING the readback (data()), because that is when a GPU backend
// has really finished and when the UI could draw.

import * as tf from '@tensorflow/tfjs';
import { loadWeightsFrom, disposeWeights, type NamedWeights, type WeightsSource } from '../src/models/weights';
import { generate } from '../src/models/progan';
import { degrade } from '../src/models/degrader';
import { superResolve } from '../src/models/low2high';
import { predictHeatmaps } from '../src/models/heatmaps';
import { superResolve as progressiveSuperResolve } from '../src/models/progressiveSr';
import { srresnet } from '../src/models/srresnet';
import { createSearch, type LatentSearch } from '../src/lib/srnam/search';
import { avgPoolDegrader, learnedDegrader, proganGenerator } from '../src/lib/srnam/models';
import { createRng } from '../src/lib/image/rng';
import { rgbImage } from '../src/lib/image/rgb';

export type Kind = 'progan' | 'degrader' | 'low2high' | 'heatmaps' | 'progressive-sr' | 'srresnet';

/** Which network a weight set is, from its tensor names (as bench/torch_ref.py's kind_of). */
export function kindOf(w: NamedWeights): Kind | null {
	const names = Object.keys(w);
	if (w['g/head/w']) return 'srresnet'; // before progan: both name their generator g/
	if (names.some((n) => n.startsWith('g/'))) return 'progan';
	if (names.some((n) => n.startsWith('d/'))) return 'degrader';
	if (names.some((n) => n.startsWith('s/'))) return 'low2high';
	if (names.some((n) => n.startsWith('h/'))) return 'heatmaps';
	if (names.some((n) => n.startsWith('p/'))) return 'progressive-sr';
	return null;
}

function randn(shape: number[], seed: number): tf.Tensor {
	return tf.tensor(createRng(seed).fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1))), shape);
}

function uniformPm1(shape: number[], seed: number): tf.Tensor {
	const a = createRng(seed).fillNormal(new Float32Array(shape.reduce((a, b) => a * b, 1)));
	for (let i = 0; i < a.length; i++) a[i] = Math.tanh(a[i]);
	return tf.tensor(a, shape);
}

/** A ProGAN-layout generator at 4 px with latent 8 and 8 channels: the tiny 10k-step memory run. */
function tinyProgan(): NamedWeights {
	return tf.tidy(() => ({
		'g/4/dense/w': randn([8, 16 * 8], 1).mul(0.3),
		'g/4/dense/b': tf.zeros([8]),
		'g/4/conv/w': randn([3, 3, 8, 8], 2).mul(0.2),
		'g/4/conv/b': tf.zeros([8]),
		'g/4/torgb/w': randn([1, 1, 8, 3], 3).mul(0.3),
		'g/4/torgb/b': tf.zeros([3])
	}));
}

export interface MemorySample {
	step: number;
	tensors: number;
	bytes: number;
}

export function createBench(source: (model: string) => WeightsSource) {
	const models: Record<string, { kind: Kind | null; weights: NamedWeights }> = {};
	let search: LatentSearch | undefined;

	async function timed<T>(fn: () => Promise<T>): Promise<{ ms: number; value: T }> {
		const t0 = performance.now();
		const value = await fn();
		return { ms: performance.now() - t0, value };
	}

	/** The model's forward on K deterministic inputs, plus those inputs (the caller disposes them). */
	function forwardOf(model: string, K: number): { run: () => tf.Tensor; inputs: tf.Tensor[] } {
		const m = models[model];
		if (!m?.kind) throw new Error(`bench: ${model} is not loaded or of unknown kind`);
		const w = m.weights;
		if (m.kind === 'progan') {
			const z = randn([K, w['g/4/dense/w'].shape[0]], K) as tf.Tensor2D;
			return { run: () => generate(w, z), inputs: [z] };
		}
		if (m.kind === 'degrader') {
			const hr = uniformPm1([K, 64, 64, 3], K) as tf.Tensor4D;
			const n = randn([K, w['d/noise/w'].shape[0]], K + 1) as tf.Tensor2D;
			return { run: () => degrade(w, hr, n), inputs: [hr, n] };
		}
		if (m.kind === 'heatmaps') {
			const face = uniformPm1([K, 64, 64, 3], K) as tf.Tensor4D;
			return { run: () => predictHeatmaps(w, face), inputs: [face] };
		}
		const lr = uniformPm1([K, 16, 16, 3], K) as tf.Tensor4D;
		if (m.kind === 'progressive-sr')
			// every step 16 -> 32 -> 64 -> 128 (alpha = 1: the final output is step 3's raw toRGB)
			return {
				run: () => {
					const { steps, output } = progressiveSuperResolve(w, lr, { step: 3, alpha: 1 });
					tf.dispose(steps);
					return output;
				},
				inputs: [lr]
			};
		if (m.kind === 'srresnet') return { run: () => srresnet(w, lr), inputs: [lr] };
		return { run: () => superResolve(w, lr), inputs: [lr] };
	}

	return {
		info() {
			return { backend: tf.getBackend(), tfjs: tf.version.tfjs, memory: tf.memory() };
		},

		/** Weight download/read + sha256 check + decode into tensors (the model's cold start). */
		async load({ model }: { model: string }) {
			if (models[model]) disposeWeights(models[model].weights);
			const { ms, value } = await timed(() => loadWeightsFrom(source(model)));
			models[model] = { kind: kindOf(value.weights), weights: value.weights };
			return { ms, kind: models[model].kind };
		},

		/** One batched forward of K inputs, to data(). */
		async forward({ model, K }: { model: string; K: number }) {
			const { run, inputs } = forwardOf(model, K);
			try {
				const { ms } = await timed(async () => {
					const out = run();
					await out.data();
					out.dispose();
				});
				return { ms };
			} finally {
				tf.dispose(inputs);
			}
		},

		/** A fresh search with the shipped ProGAN + degrader; target is flat NHWC [16·16·3] in [-1, 1]. */
		async setup({ K, seed, target }: { K: number; seed: number; target: number[] }) {
			await search?.dispose();
			const lr = rgbImage(16, 16, Float32Array.from(target, (v) => (v + 1) / 2));
			search = createSearch({
				generator: proganGenerator(models.progan.weights),
				degrader: learnedDegrader(models.degrader.weights),
				lr,
				K,
				seed,
				noise: { mode: 'fixed', seed: seed + 1 }
			});
			return { ok: true };
		},

		/** n SR-NAM steps (Eq. 6 forward, backward to z, Adam) with srlab's one readback per call. */
		async steps({ n }: { n: number }) {
			if (!search) throw new Error('bench: setup first');
			const { ms, value } = await timed(() => search!.step(n));
			return { ms, last: Array.from(value.last) };
		},

		/** `steps` tiny SR-NAM steps in chunks, tf.memory() after each chunk (must stay flat). */
		async memory({ steps, every = 100 }: { steps: number; every?: number }) {
			const w = tinyProgan();
			const s = createSearch({
				generator: proganGenerator(w, { level: 4 }),
				degrader: avgPoolDegrader(2),
				lr: rgbImage(2, 2, new Float32Array(12).fill(0.5)),
				K: 4,
				seed: 5,
				latentDim: 8,
				noiseDim: 4
			});
			const samples: MemorySample[] = [];
			const t0 = performance.now();
			for (let i = 0; i < steps; i += every) {
				await s.step(Math.min(every, steps - i));
				const m = tf.memory();
				samples.push({ step: s.stepCount, tensors: m.numTensors, bytes: m.numBytes });
			}
			const ms = performance.now() - t0;
			await s.dispose();
			disposeWeights(w);
			return { ms, samples };
		},

		async dispose() {
			await search?.dispose();
			search = undefined;
			for (const m of Object.values(models)) disposeWeights(m.weights);
			for (const k of Object.keys(models)) delete models[k];
			return { ok: true };
		}
	};
}

export type Bench = ReturnType<typeof createBench>;
