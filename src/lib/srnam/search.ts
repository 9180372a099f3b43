// SR-NAM inference (Lioutas §3.4, Eq. 6; §4.1 "SR-NAM Model"): with G (HR face generator) and
// D (degrader) fixed, find latents z_k such that D(G(z_k), n_k) matches the LR input I_LR in
// L1. K random restarts z_k ~ N(0, I) run as ONE batch; they never interact, because
//
//   loss_k = mean over pixels and channels of |D(G(z_k), n_k) − I_LR|      (Eq. 6, per restart)
//   total  = Σ_k loss_k  (+ prior, see below)
//
// is a SUM over restarts, so ∂total/∂z_k = ∂loss_k/∂z_k: restart k follows the same path it
// would alone (K=1 with the same seed reproduces restart 0 up to float rounding of batching).
// The optimiser is our own Adam (adam.ts: PyTorch formula, moments serialisable).
//
// Noise n_k [K, noiseDim] (the degrader's one-to-many input, §3.2): 'fixed' draws it once from
// noise.seed; 'joint' draws the same start and then optimises it with z (same Adam).
// Prior (extension, off by default): weight · Σ_k (mean_j z_kj² − 1)², pulling each z_k back
// to the shell where N(0, I) puts its mass. (ProGAN pixel-normalises z, so G itself ignores
// ‖z‖; the prior only stops the norm drifting, which would shrink Adam's effective step.)
// History records the Eq. 6 losses only (without the prior).
//
// Seeding: row k of z is the k-th block of latentDim draws of createRng(seed).fillNormal, row k
// of the noise the k-th block of noiseDim draws of createRng(noise.seed); so a smaller K is a
// prefix of a larger one, and the same seed reproduces the same run on the same backend.

import * as tf from '@tensorflow/tfjs';
import { createRng } from '../image/rng';
import { ADAM_DEFAULTS, Adam, assignFlat, checkAdamConfig } from './adam';
import { SearchHistory } from './history';
import { imageToModel } from './models';
import { renderLatents } from './render';
import type { LatentSearch, SearchOptions, SearchState, StepReport } from './types';

export type { LatentSearch, NoiseMode, Render, SearchOptions, SearchState, StepReport } from './types';


/**
 * Give the event loop a turn (input, paint, other tasks) without the 4 ms clamp of nested
 * setTimeout. A MessageChannel task, not scheduler.yield(): the latter's continuation jumps
 * ahead of other queued tasks, so a long run would still starve them.
 */
export function yieldToEventLoop(): Promise<void> {
	if (typeof MessageChannel === 'undefined') return new Promise((r) => setTimeout(r, 0));
	return new Promise((r) => {
		const ch = new MessageChannel();
		ch.port1.onmessage = () => {
			ch.port1.close();
			r();
		};
		ch.port2.postMessage(0);
	});
}

/**
 * What the search descends: Σ_k loss_k (Eq. 6 per restart) + weight · Σ_k (mean_j z_kj² − 1)²
 * (the latent-norm prior; weight 0 = the paper's objective). A scalar; call inside tf.tidy.
 */
export function searchObjective(perRestart: tf.Tensor1D, z: tf.Tensor2D, priorWeight: number): tf.Scalar {
	const total = tf.sum(perRestart);
	if (!(priorWeight > 0)) return total as tf.Scalar;
	const dev = tf.sub(tf.mean(tf.square(z), 1), 1);
	return tf.add(total, tf.mul(tf.sum(tf.square(dev)), priorWeight)) as tf.Scalar;
}

export function createSearch(o: SearchOptions): LatentSearch {
	const K = o.K;
	if (!(Number.isInteger(K) && K >= 1 && K <= 32)) throw new RangeError(`srnam: K must be an integer in 1..32, got ${K}`);
	const latentDim = o.latentDim ?? 512;
	const noiseDim = o.noiseDim ?? 100;
	const range = o.range ?? 'signed';
	const noiseMode = o.noise?.mode ?? 'fixed';
	let seed = o.seed;
	let noiseSeed = o.noise?.seed ?? o.seed + 1;
	const priorWeight = o.prior?.weight ?? 0;
	if (!(priorWeight >= 0)) throw new RangeError(`srnam: prior weight must be >= 0, got ${priorWeight}`);
	const history = new SearchHistory(K, o.historyEvery ?? 10);
	const yieldSteps = o.yieldBetweenSteps ?? true;
	const adamConfig = checkAdamConfig({ ...ADAM_DEFAULTS, ...o.adam });

	const target = imageToModel(o.lr, range);
	// (tidy: tf.variable keeps its own reference, the initial tensor must go)
	const z = tf.tidy(() => tf.variable(tf.tensor2d(createRng(seed).fillNormal(new Float32Array(K * latentDim)), [K, latentDim]), true));
	const noise = tf.tidy(() =>
		tf.variable(tf.tensor2d(createRng(noiseSeed).fillNormal(new Float32Array(K * noiseDim)), [K, noiseDim]), noiseMode === 'joint')
	);
	const vars = noiseMode === 'joint' ? [z, noise] : [z];
	const adam = new Adam(vars, adamConfig);
	let disposed = false;
	let freed = false;
	let chain: Promise<unknown> = Promise.resolve();
	let busy = 0;

	// Probe once with restart 0: shapes must line up (a wrong degrader size would otherwise
	// broadcast silently); any failure frees what was made.
	try {
		tf.tidy(() => {
			const lrOut = o.degrader(o.generator(tf.slice(z, [0, 0], [1, latentDim])), tf.slice(noise, [0, 0], [1, noiseDim]));
			const [n, h, w, c] = lrOut.shape;
			if (lrOut.rank !== 4 || n !== 1 || h !== o.lr.height || w !== o.lr.width || c !== 3)
				throw new Error(`srnam: D(G(z)) is [${lrOut.shape}] per restart, the LR input is [1, ${o.lr.height}, ${o.lr.width}, 3]`);
		});
	} catch (e) {
		free();
		throw e;
	}

	function free() {
		if (freed) return;
		freed = true;
		adam.dispose();
		tf.dispose([target, z, noise]);
	}

	/** Run `fn` after every earlier call; no two calls touch the variables at once. */
	function exclusive<R>(fn: () => Promise<R>): Promise<R> {
		if (disposed) return Promise.reject(new Error('srnam: search was disposed'));
		busy++;
		// every touch of the tensors goes through the page's GPU queue when one is given
		const p = chain.then(() => {
			if (disposed) throw new Error('srnam: search was disposed');
			return o.gpu ? o.gpu(fn) : fn();
		});
		chain = p
			.catch(() => undefined)
			.then(() => {
				busy--;
				if (disposed && busy === 0) free();
			});
		return p;
	}

	function perRestart(zt: tf.Tensor2D, nt: tf.Tensor2D): tf.Tensor1D {
		const out = o.degrader(o.generator(zt), nt);
		return tf.mean(tf.abs(tf.sub(out, target)), [1, 2, 3]) as tf.Tensor1D;
	}

	function record(step: number, zData: Float32Array, nData?: Float32Array) {
		history.addLatents({ step, z: zData, noise: nData });
	}

	async function step(n = 1, opts: { signal?: AbortSignal } = {}): Promise<StepReport> {
		if (!(Number.isInteger(n) && n >= 0)) throw new RangeError(`srnam: step count must be an integer >= 0, got ${n}`);
		return exclusive(async () => {
			const t0 = performance.now();
			const rows: tf.Tensor[] = [];
			const snaps: { step: number; z: tf.Tensor; noise?: tf.Tensor }[] = [];
			const start = adam.t;
			let ran = 0;
			try {
				for (; ran < n; ran++) {
					// between steps (not before the first): let input and paint through
					if (ran > 0 && yieldSteps) await yieldToEventLoop();
					if (opts.signal?.aborted || disposed) break;
					if (adam.t % history.every === 0)
						snaps.push({ step: adam.t, z: tf.clone(z), noise: noiseMode === 'joint' ? tf.clone(noise) : undefined });
					rows.push(
						tf.tidy(() => {
							let kept: tf.Tensor1D | undefined;
							const { grads } = tf.variableGrads(() => {
								const pk = perRestart(z, noise);
								kept = tf.keep(pk);
								return searchObjective(pk, z, priorWeight);
							}, vars);
							adam.apply(vars.map((v) => grads[v.name]));
							return kept!;
						})
					);
				}
				// One readback: all losses of this call, then any latents due for the history.
				const flat = [...rows, ...snaps.flatMap((s) => (s.noise ? [s.z, s.noise] : [s.z]))].map((t) => t.reshape([-1]));
				let data: Float32Array = new Float32Array(0);
				if (flat.length) {
					const all = tf.concat(flat);
					data = (await all.data()) as Float32Array;
					all.dispose();
				}
				tf.dispose(flat);
				for (let i = 0; i < ran; i++) history.push(data.subarray(i * K, (i + 1) * K));
				let off = ran * K;
				for (const s of snaps) {
					const zd = data.slice(off, (off += K * latentDim));
					const nd = s.noise ? data.slice(off, (off += K * noiseDim)) : undefined;
					record(s.step, zd, nd);
				}
				const losses = data.slice(0, ran * K);
				return {
					step: start + ran,
					ran,
					aborted: ran < n,
					losses,
					last: losses.slice(Math.max(0, (ran - 1) * K)),
					ms: performance.now() - t0
				};
			} finally {
				tf.dispose(rows);
				tf.dispose(snaps.flatMap((s) => (s.noise ? [s.z, s.noise] : [s.z])));
			}
		});
	}

	const render = (stepIndex: number, zt: tf.Tensor2D, nt: tf.Tensor2D) => renderLatents({ generator: o.generator, degrader: o.degrader, lr: o.lr, target, range }, stepIndex, zt, nt);

	const search: LatentSearch = {
		K,
		latentDim,
		noiseDim,
		history,
		get stepCount() {
			return adam.t;
		},
		get disposed() {
			return disposed;
		},
		step,
		snapshot: () => exclusive(() => render(adam.t, z, noise)),
		restore: (stepIndex) =>
			exclusive(async () => {
				if (stepIndex >= adam.t) return render(adam.t, z, noise);
				const rec = history.latentsAtOrBefore(stepIndex);
				if (!rec) throw new Error(`srnam: no stored latents at or before step ${stepIndex}`);
				const zt = tf.tensor2d(rec.z, [K, latentDim]);
				// fixed noise never changes; joint noise was stored with the latents
				const nt = rec.noise ? tf.tensor2d(rec.noise, [K, noiseDim]) : noise;
				try {
					return await render(rec.step, zt, nt);
				} finally {
					zt.dispose();
					if (nt !== noise) nt.dispose();
				}
			}),
		setAdam(c) {
			adam.config = checkAdamConfig({ ...adam.config, ...c });
		},
		serialise: (opts = {}) =>
			exclusive(async () => {
				const mom = await adam.read();
				return {
					version: 1 as const,
					K,
					latentDim,
					noiseDim,
					seed,
					noiseSeed,
					noiseMode,
					step: adam.t,
					z: new Float32Array(await z.data()),
					noise: new Float32Array(await noise.data()),
					zM: mom.m[0],
					zV: mom.v[0],
					noiseM: mom.m[1] ?? new Float32Array(0),
					noiseV: mom.v[1] ?? new Float32Array(0),
					history: opts.history === false ? undefined : history.serialise()
				};
			}),
		deserialise: (s) =>
			exclusive(async () => {
				if (s.version !== 1) throw new Error(`srnam: unknown search state version ${s.version}`);
				if (s.K !== K || s.latentDim !== latentDim || s.noiseDim !== noiseDim || s.noiseMode !== noiseMode)
					throw new Error(
						`srnam: saved search (K=${s.K}, z ${s.latentDim}, noise ${s.noiseDim} ${s.noiseMode}) does not match this one (K=${K}, z ${latentDim}, noise ${noiseDim} ${noiseMode})`
					);
				assignFlat(z, s.z, 'z');
				assignFlat(noise, s.noise, 'noise');
				adam.write({
					t: s.step,
					m: noiseMode === 'joint' ? [s.zM, s.noiseM] : [s.zM],
					v: noiseMode === 'joint' ? [s.zV, s.noiseV] : [s.zV]
				});
				seed = s.seed;
				noiseSeed = s.noiseSeed;
				if (s.history) history.load(s.history, K * latentDim, K * noiseDim);
			}),
		dispose() {
			disposed = true;
			// free now if idle; otherwise the last queued call frees on its way out
			if (busy === 0) free();
			return chain.then(() => undefined);
		}
	};
	return search;
}

/** A new search with the options' networks and input, continuing from a saved state. */
export async function resumeSearch(o: SearchOptions, s: SearchState): Promise<LatentSearch> {
	const search = createSearch({ ...o, K: s.K, seed: s.seed, latentDim: s.latentDim, noiseDim: s.noiseDim, noise: { mode: s.noiseMode, seed: s.noiseSeed } });
	try {
		await search.deserialise(s);
	} catch (e) {
		await search.dispose(); // a damaged saved state must not leave its tensors behind
		throw e;
	}
	return search;
}
