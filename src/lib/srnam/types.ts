// Types of the SR-NAM latent search (search.ts): options, step reports, renders, the
// serialised state and the search object's interface.

import type { RGBImage } from '../image/rgb';
import type { AdamConfig } from './adam';
import type { HistoryState, SearchHistory } from './history';
import type { DegraderFn, GeneratorFn, ModelRange } from './models';

export type NoiseMode = 'fixed' | 'joint';

export interface SearchOptions {
	generator: GeneratorFn;
	degrader: DegraderFn;
	/** The LR input I_LR (16×16 for the paper's setup), [0, 1]. */
	lr: RGBImage;
	/** Number of random restarts (1–32). */
	K: number;
	seed: number;
	adam?: Partial<AdamConfig>;
	noise?: { mode: NoiseMode; seed: number };
	/** Latent-norm prior weight (extension; default off). */
	prior?: { weight: number };
	/** Store the latents every M-th step (default 10). */
	historyEvery?: number;
	/** z size (default 512, ProGAN) and degrader noise size (default 100, §4.1). */
	latentDim?: number;
	noiseDim?: number;
	/**
	 * Runs each piece of tensor work (a step call, a render, a serialise) exclusively, e.g. the
	 * runtime's ctx.gpu, so the search never interleaves with other cells' GPU work.
	 */
	gpu?: <R>(task: () => Promise<R>) => Promise<R>;
	/** Yield to the event loop between Adam steps inside one step(n) call (default true). */
	yieldBetweenSteps?: boolean;
	/** Range of G's output and D's input/output (default 'signed' = [-1, 1]); see models.ts. */
	range?: ModelRange;
}

export interface StepReport {
	/** Adam updates applied in total after this call. */
	step: number;
	/** Updates run by this call (< requested when aborted). */
	ran: number;
	aborted: boolean;
	/** [ran, K] row-major: loss of z_s for s = step−ran … step−1 (Eq. 6, per restart). */
	losses: Float32Array;
	/** The last row of `losses` (K values; empty if ran = 0). */
	last: Float32Array;
	ms: number;
}

export interface Render {
	/** The step whose latents were rendered. */
	step: number;
	/** [K, latentDim] */
	z: Float32Array;
	/** [K, noiseDim] */
	noise: Float32Array;
	/** G(z_k) in [0, 1] (clamped) */
	candidates: RGBImage[];
	/** D(G(z_k), n_k) in [0, 1] (clamped) */
	degraded: RGBImage[];
	/** Eq. 6 loss of each restart at these latents (model range, unclamped) */
	losses: Float32Array;
}

export interface SearchState {
	version: 1;
	K: number;
	latentDim: number;
	noiseDim: number;
	seed: number;
	noiseSeed: number;
	noiseMode: NoiseMode;
	step: number;
	z: Float32Array;
	noise: Float32Array;
	/** Adam moments of z, and of the noise when it is optimised (else empty) */
	zM: Float32Array;
	zV: Float32Array;
	noiseM: Float32Array;
	noiseV: Float32Array;
	history?: HistoryState;
}

export interface LatentSearch {
	readonly K: number;
	readonly latentDim: number;
	readonly noiseDim: number;
	/** Adam updates applied so far. */
	readonly stepCount: number;
	readonly history: SearchHistory;
	readonly disposed: boolean;
	/** Run n Adam updates on all K latents (one batch). One small readback per call. */
	step(n?: number, opts?: { signal?: AbortSignal }): Promise<StepReport>;
	/** Render the current latents. */
	snapshot(): Promise<Render>;
	/** Render the stored latents of the latest stored step ≤ stepIndex (the live state is untouched). */
	restore(stepIndex: number): Promise<Render>;
	/** Change Adam settings mid-run (moments are kept). */
	setAdam(c: Partial<AdamConfig>): void;
	serialise(opts?: { history?: boolean }): Promise<SearchState>;
	deserialise(s: SearchState): Promise<void>;
	/** Free every tensor: at once when idle, else when the running call ends (the promise says when). */
	dispose(): Promise<void>;
}
