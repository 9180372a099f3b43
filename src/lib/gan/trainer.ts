// Trains the live GAN (nets.ts) with WGAN-GP (wgangp.ts) along the progressive schedule
// (schedule.ts): per training step one critic update on a batch of real faces and fakes, then
// one generator update (n_critic = 1 and Adam β1 = 0, β2 = 0.99, as Karras et al. §A.1). During
// a fade-in the real faces are blended like the generator's output, α·x + (1−α)·up(down(x)).
// Each step's random draws come from an RNG seeded by (seed, step), so a run restored from its
// saved weights and moments continues exactly as it would have. Steps run in chunks with one
// readback of the losses per chunk.

import * as tf from '@tensorflow/tfjs';
import { createRng } from '$lib/image/rng';
import { AbortedError } from '$lib/runtime/gpuQueue';
import { ensureConvFilterGrad } from '$lib/backend/convFilterGrad';
import { Adam, assignFlat, type AdamConfig, type AdamMoments } from '$lib/srnam/adam';
import type { RGBImage } from '$lib/image/rgb';
import { createNets, discriminate, disposeNets, generate, weightShapes, type GanNets, type GanShape } from './nets';
import { phaseAt, totalSteps, type GrowthSchedule, type Phase } from './schedule';
import { criticTerms, generatorLoss, type CriticSettings } from './wgangp';
import { toImages, type FaceSet } from './faces';

export interface TrainerOptions {
	shape: GanShape;
	/** Its levels must be the shape's. */
	schedule: GrowthSchedule;
	batch: number;
	adam: AdamConfig;
	critic: CriticSettings;
	seed: number;
	faces: FaceSet;
	/** How many fixed latents the samples show. */
	samples: number;
}

/** Per step: critic loss, generator loss, Wasserstein estimate, gradient penalty. */
export const LOSS_TERMS = ['critic', 'generator', 'wasserstein', 'penalty'] as const;
const T = LOSS_TERMS.length;

export interface TrainerSnapshot {
	step: number;
	g: Float32Array[];
	d: Float32Array[];
	adamG: AdamMoments;
	adamD: AdamMoments;
	/** T values per step so far. */
	losses: Float32Array;
}

export interface Samples {
	step: number;
	phase: Phase;
	images: RGBImage[];
}

export interface ChunkResult {
	ran: number;
	ms: number;
	/** Tensors the steps created (one per op output, so roughly the kernels launched) per step. */
	tensorsPerStep: number;
}

/** The id of a fresh tensor: ids count up by one per tensor made, so differences count tensors. */
function lastTensorId(): number {
	const t = tf.scalar(0);
	t.dispose();
	return t.id;
}

/** A distinct 32-bit seed per (seed, step). */
function stepSeed(seed: number, step: number): number {
	return (Math.imul(step + 1, 0x9e3779b1) ^ seed) >>> 0;
}

export class GanTrainer {
	readonly nets: GanNets;
	readonly total: number;
	stepCount = 0;
	disposed = false;
	private losses = new Float32Array(1024 * T);
	private readonly adamG: Adam;
	private readonly adamD: Adam;
	private readonly gVars: tf.Variable[];
	private readonly dVars: tf.Variable[];
	/** Real faces per level, and their up(down(·)) for fade-ins. */
	private readonly real = new Map<number, { x: tf.Tensor4D; low?: tf.Tensor4D }>();
	private readonly fixedZ: tf.Tensor2D;

	constructor(readonly opts: TrainerOptions) {
		const { shape, schedule, faces } = opts;
		if (schedule.levels.join() !== shape.levels.join()) throw new Error('gan trainer: schedule and nets disagree on the levels');
		if (faces.size % shape.levels.at(-1)! !== 0) throw new Error(`gan trainer: faces are ${faces.size} px, not a multiple of the last level ${shape.levels.at(-1)} px`);
		if (faces.count < 1) throw new Error('gan trainer: no training faces');
		this.total = totalSteps(schedule);
		// wasm has no filter gradient of its own
		if (!ensureConvFilterGrad()) throw new Error(`gan trainer: the ${tf.getBackend()} backend cannot compute convolution filter gradients`);
		this.nets = createNets(shape, opts.seed);
		const names = weightShapes(shape);
		this.gVars = names.g.map(([n]) => this.nets.g[n]);
		this.dVars = names.d.map(([n]) => this.nets.d[n]);
		this.adamG = new Adam(this.gVars, opts.adam);
		this.adamD = new Adam(this.dVars, opts.adam);
		tf.tidy(() => {
			const full = tf.tensor4d(faces.data, [faces.count, faces.size, faces.size, 3]);
			shape.levels.forEach((r, i) => {
				const x = r === faces.size ? full : tf.avgPool(full, faces.size / r, faces.size / r, 'valid');
				const low = i > 0 ? tf.image.resizeNearestNeighbor(tf.avgPool(x, 2, 2, 'valid'), [r, r]) : undefined;
				this.real.set(r, { x: tf.keep(x), low: low && tf.keep(low) });
			});
		});
		const z = createRng(opts.seed ^ 0x5eed).fillNormal(new Float32Array(opts.samples * shape.latent));
		this.fixedZ = tf.keep(tf.tensor2d(z, [opts.samples, shape.latent]));
	}

	phase(step = this.stepCount): Phase {
		return phaseAt(step, this.opts.schedule);
	}

	/** The losses so far, T per step (see LOSS_TERMS). */
	lossLog(): Float32Array {
		return this.losses.subarray(0, this.stepCount * T);
	}

	private record(values: Float32Array, from: number): void {
		const need = (from + values.length / T) * T;
		if (need > this.losses.length) {
			const grown = new Float32Array(Math.max(need, this.losses.length * 2));
			grown.set(this.losses);
			this.losses = grown;
		}
		this.losses.set(values, from * T);
	}

	/** One critic and one generator update; returns the T loss terms (a tensor the caller owns). */
	private oneStep(): tf.Tensor1D {
		const { batch: B, shape, faces, seed } = this.opts;
		const ph = this.phase();
		const rng = createRng(stepSeed(seed, this.stepCount));
		const idx = Int32Array.from({ length: B }, () => Math.floor(rng.uniform() * faces.count));
		const zD = rng.fillNormal(new Float32Array(B * shape.latent));
		const zG = rng.fillNormal(new Float32Array(B * shape.latent));
		const eps = Float32Array.from({ length: B }, () => rng.uniform());
		return tf.tidy(() => {
			const { x, low } = this.real.get(ph.level)!;
			let real = tf.gather(x, idx) as tf.Tensor4D;
			if (ph.alpha < 1 && low) real = tf.add(tf.mul(real, ph.alpha), tf.mul(tf.gather(low, idx), 1 - ph.alpha)) as tf.Tensor4D;
			const critic = (im: tf.Tensor4D) => discriminate(this.nets, im, ph.level, ph.alpha);
			const fake = generate(this.nets, tf.tensor2d(zD, [B, shape.latent]), ph.level, ph.alpha);
			let aux: tf.Tensor1D | undefined;
			const d = tf.variableGrads(() => {
				const t = criticTerms(critic, real, fake, tf.tensor1d(eps), this.opts.critic);
				aux = tf.keep(tf.stack([t.wasserstein, t.penalty]) as tf.Tensor1D);
				return t.loss;
			}, this.dVars);
			this.adamD.apply(this.dVars.map((v) => d.grads[v.name] ?? tf.zerosLike(v)));
			const g = tf.variableGrads(() => generatorLoss(critic, generate(this.nets, tf.tensor2d(zG, [B, shape.latent]), ph.level, ph.alpha)), this.gVars);
			this.adamG.apply(this.gVars.map((v) => g.grads[v.name] ?? tf.zerosLike(v)));
			const out = tf.concat([tf.stack([d.value, g.value]), aux!]) as tf.Tensor1D;
			aux!.dispose();
			return out;
		});
	}

	/**
	 * Up to n steps (fewer at the end of the schedule, or when `signal` aborts between steps);
	 * one GPU task through `gpu` when given. Returns how many ran and the time they took.
	 */
	async train(n: number, o: { signal?: AbortSignal; gpu?: <R>(task: () => Promise<R> | R) => Promise<R>; now?: () => number } = {}): Promise<ChunkResult> {
		const now = o.now ?? (() => performance.now());
		const gpu = o.gpu ?? (async (t) => t());
		return gpu(async () => {
			if (this.disposed) throw new AbortedError();
			const t0 = now();
			const from = this.stepCount;
			const outs: tf.Tensor1D[] = [];
			const id0 = lastTensorId();
			let created = 0;
			try {
				for (let i = 0; i < n && this.stepCount < this.total && !o.signal?.aborted; i++) {
					outs.push(this.oneStep());
					this.stepCount++;
				}
				created = lastTensorId() - id0 - 1;
				if (outs.length) {
					const all = tf.concat(outs);
					const values = await all.data();
					all.dispose();
					this.record(values as Float32Array, from);
				}
			} finally {
				tf.dispose(outs);
			}
			const ran = this.stepCount - from;
			return { ran, ms: now() - t0, tensorsPerStep: ran ? created / ran : 0 };
		});
	}

	/** The generator's output for the fixed latents at the current level and α. */
	async samples(gpu: <R>(task: () => Promise<R> | R) => Promise<R> = async (t) => t()): Promise<Samples> {
		return gpu(async () => {
			if (this.disposed) throw new AbortedError();
			const step = this.stepCount;
			const phase = this.phase(Math.max(0, step - 1));
			const out = generate(this.nets, this.fixedZ, phase.level, phase.alpha);
			try {
				return { step, phase, images: await toImages(out) };
			} finally {
				out.dispose();
			}
		});
	}

	async snapshot(): Promise<TrainerSnapshot> {
		const read = (vs: tf.Variable[]) => Promise.all(vs.map(async (v) => new Float32Array(await v.data())));
		const [g, d, adamG, adamD] = await Promise.all([read(this.gVars), read(this.dVars), this.adamG.read(), this.adamD.read()]);
		return { step: this.stepCount, g, d, adamG, adamD, losses: this.lossLog().slice() };
	}

	/** Continue from a snapshot of a trainer with the same options. */
	restore(s: TrainerSnapshot): void {
		if (s.g.length !== this.gVars.length || s.d.length !== this.dVars.length) throw new Error('gan trainer: the saved weights belong to other nets');
		if (s.losses.length !== s.step * T) throw new Error('gan trainer: the saved losses do not match the saved step');
		this.gVars.forEach((v, i) => assignFlat(v, s.g[i], 'generator weight'));
		this.dVars.forEach((v, i) => assignFlat(v, s.d[i], 'critic weight'));
		this.adamG.write(s.adamG);
		this.adamD.write(s.adamD);
		this.stepCount = s.step;
		this.losses = new Float32Array(Math.max(1024 * T, s.losses.length));
		this.losses.set(s.losses);
	}

	/** Weights and Adam moments in floats (what a snapshot holds besides the losses). */
	stateFloats(): number {
		const n = (vs: tf.Variable[]) => vs.reduce((a, v) => a + v.size, 0);
		return 3 * (n(this.gVars) + n(this.dVars));
	}

	dispose(): void {
		if (this.disposed) return;
		this.disposed = true;
		disposeNets(this.nets);
		this.adamG.dispose();
		this.adamD.dispose();
		for (const { x, low } of this.real.values()) tf.dispose(low ? [x, low] : [x]);
		this.fixedZ.dispose();
	}
}
