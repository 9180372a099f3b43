// What a latent search remembers: every step's per-restart loss (a growing Float32Array,
// row-major [step][restart]) and, every M-th step, the K latents (and the degrader noise when
// it is optimised too) so the notebook can scrub back and re-render any stored step.
//
// Step convention: entry s is the loss of z_s, the latents after s Adam updates (computed in
// the forward pass of update s+1). Latents are stored for s = 0, M, 2M, … .

export interface LatentRecord {
	step: number;
	/** [K, latentDim] row-major */
	z: Float32Array;
	/** [K, noiseDim] row-major; only when the noise is optimised jointly */
	noise?: Float32Array;
}

export interface HistoryState {
	K: number;
	every: number;
	/** [steps, K] row-major */
	losses: Float32Array;
	latentSteps: Int32Array;
	/** the stored latents concatenated in latentSteps order */
	latents: Float32Array;
	/** the stored noise concatenated (empty when the noise is fixed) */
	noises: Float32Array;
}

export class SearchHistory {
	private buf: Float32Array;
	private n = 0;
	private records: LatentRecord[] = [];

	constructor(
		readonly K: number,
		readonly every: number
	) {
		if (!(Number.isInteger(every) && every >= 1)) throw new RangeError(`srnam history: historyEvery must be an integer >= 1, got ${every}`);
		this.buf = new Float32Array(K * 64);
	}

	/** Number of steps whose losses are recorded. */
	get length(): number {
		return this.n;
	}

	/** Append one step's K losses. */
	push(losses: ArrayLike<number>): void {
		if (losses.length !== this.K) throw new Error(`srnam history: expected ${this.K} losses, got ${losses.length}`);
		if ((this.n + 1) * this.K > this.buf.length) {
			const grown = new Float32Array(this.buf.length * 2);
			grown.set(this.buf);
			this.buf = grown;
		}
		this.buf.set(losses, this.n * this.K);
		this.n++;
	}

	/** Loss of restart k at step s. */
	loss(step: number, k: number): number {
		if (step < 0 || step >= this.n || k < 0 || k >= this.K) throw new RangeError(`srnam history: no loss for step ${step}, restart ${k}`);
		return this.buf[step * this.K + k];
	}

	/** All losses, [steps, K] row-major (a view: copy it before keeping it past the next step). */
	losses(): Float32Array {
		return this.buf.subarray(0, this.n * this.K);
	}

	/** One restart's loss curve (a copy). */
	series(k: number): Float32Array {
		const out = new Float32Array(this.n);
		for (let s = 0; s < this.n; s++) out[s] = this.buf[s * this.K + k];
		return out;
	}

	/** Store latents of step `step` (kept in increasing step order; a re-store replaces). */
	addLatents(rec: LatentRecord): void {
		const last = this.records.at(-1);
		if (last && last.step >= rec.step) this.records = this.records.filter((r) => r.step < rec.step);
		this.records.push(rec);
	}

	latentSteps(): number[] {
		return this.records.map((r) => r.step);
	}

	/** All stored latent records (shared, do not mutate). */
	latentRecords(): readonly LatentRecord[] {
		return this.records;
	}

	/** The stored record with the largest step ≤ `step`, or undefined. */
	latentsAtOrBefore(step: number): LatentRecord | undefined {
		let best: LatentRecord | undefined;
		for (const r of this.records) if (r.step <= step) best = r;
		return best;
	}

	serialise(): HistoryState {
		const zLen = this.records.reduce((s, r) => s + r.z.length, 0);
		const nLen = this.records.reduce((s, r) => s + (r.noise?.length ?? 0), 0);
		const latents = new Float32Array(zLen);
		const noises = new Float32Array(nLen);
		let zo = 0;
		let no = 0;
		for (const r of this.records) {
			latents.set(r.z, zo);
			zo += r.z.length;
			if (r.noise) {
				noises.set(r.noise, no);
				no += r.noise.length;
			}
		}
		return {
			K: this.K,
			every: this.every,
			losses: this.losses().slice(),
			latentSteps: Int32Array.from(this.records.map((r) => r.step)),
			latents,
			noises
		};
	}

	/** Replace the contents with a serialised history; zLen/noiseLen are the per-record sizes. */
	load(s: HistoryState, zLen: number, noiseLen: number): void {
		if (s.K !== this.K) throw new Error(`srnam history: saved for K=${s.K}, this search has K=${this.K}`);
		if (s.losses.length % this.K) throw new Error('srnam history: loss array is not a whole number of steps');
		const steps = s.losses.length / this.K;
		const n = s.latentSteps.length;
		if (s.latents.length !== n * zLen) throw new Error('srnam history: latent array size does not match');
		const joint = s.noises.length > 0;
		if (joint && s.noises.length !== n * noiseLen) throw new Error('srnam history: noise array size does not match');
		this.buf = new Float32Array(Math.max(64, steps * 2) * this.K);
		this.buf.set(s.losses);
		this.n = steps;
		this.records = [];
		for (let i = 0; i < n; i++)
			this.records.push({
				step: s.latentSteps[i],
				z: s.latents.slice(i * zLen, (i + 1) * zLen),
				noise: joint ? s.noises.slice(i * noiseLen, (i + 1) * noiseLen) : undefined
			});
	}
}
