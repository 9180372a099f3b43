// Adam (Kingma & Ba 2015, Algorithm 1) for the SR-NAM latent search (paper §4.1: "Adam with
// default settings"). Our own instead of tf.train.adam because (1) the moments must be
// serialised into a session and restored bit-for-bit so a reload resumes mid-run, and (2) the
// update is written out here so the notebook can show exactly what runs:
//
//   m ← β1 m + (1−β1) g          v ← β2 v + (1−β2) g²
//   x ← x − lr · (m / (1−β1^t)) / (sqrt(v / (1−β2^t)) + ε)
//
// This is PyTorch's torch.optim.Adam (ε outside the square root, after bias correction);
// the defaults are PyTorch's (ε = 1e-8; tf.train.adam would default to 1e-7).

import * as tf from '@tensorflow/tfjs';

export interface AdamConfig {
	learningRate: number;
	beta1: number;
	beta2: number;
	epsilon: number;
}

export const ADAM_DEFAULTS: Readonly<AdamConfig> = { learningRate: 1e-3, beta1: 0.9, beta2: 0.999, epsilon: 1e-8 };

export function checkAdamConfig(c: AdamConfig): AdamConfig {
	const ok =
		c.learningRate > 0 && Number.isFinite(c.learningRate) &&
		c.beta1 >= 0 && c.beta1 < 1 &&
		c.beta2 >= 0 && c.beta2 < 1 &&
		c.epsilon > 0 && Number.isFinite(c.epsilon);
	if (!ok) throw new RangeError(`srnam adam: bad settings ${JSON.stringify(c)}`);
	return { ...c };
}

export interface AdamMoments {
	/** Number of updates applied so far (the t of the bias correction). */
	t: number;
	/** First and second moments, one flat array per optimised variable, in variable order. */
	m: Float32Array[];
	v: Float32Array[];
}

/** Adam over a fixed list of variables; the moments live in non-trainable tf.Variables. */
export class Adam {
	readonly m: tf.Variable[];
	readonly v: tf.Variable[];
	t = 0;
	config: AdamConfig;

	constructor(
		readonly vars: tf.Variable[],
		config: AdamConfig
	) {
		this.config = checkAdamConfig(config);
		this.m = vars.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
		this.v = vars.map((x) => tf.tidy(() => tf.variable(tf.zerosLike(x), false)));
	}

	/** One update with gradients `grads[i]` for `vars[i]`. Call inside tf.tidy. */
	apply(grads: tf.Tensor[]): void {
		if (grads.length !== this.vars.length) throw new Error('srnam adam: one gradient per variable');
		this.t++;
		const { learningRate: lr, beta1: b1, beta2: b2, epsilon: eps } = this.config;
		// bias corrections in float64 on the JS side, passed in as scalars
		const c1 = 1 - Math.pow(b1, this.t);
		const c2 = 1 - Math.pow(b2, this.t);
		for (let i = 0; i < this.vars.length; i++) {
			const g = grads[i];
			const m = tf.add(tf.mul(this.m[i], b1), tf.mul(g, 1 - b1));
			const v = tf.add(tf.mul(this.v[i], b2), tf.mul(tf.square(g), 1 - b2));
			const denom = tf.add(tf.sqrt(tf.div(v, c2)), eps);
			const x = tf.sub(this.vars[i], tf.div(tf.mul(m, lr / c1), denom));
			this.m[i].assign(m);
			this.v[i].assign(v);
			this.vars[i].assign(x);
		}
	}

	async read(): Promise<AdamMoments> {
		const m = await Promise.all(this.m.map(async (t) => new Float32Array(await t.data())));
		const v = await Promise.all(this.v.map(async (t) => new Float32Array(await t.data())));
		return { t: this.t, m, v };
	}

	write(s: AdamMoments): void {
		if (s.m.length !== this.m.length || s.v.length !== this.v.length)
			throw new Error('srnam adam: moment count does not match');
		if (!Number.isInteger(s.t) || s.t < 0) throw new Error(`srnam adam: bad step ${s.t}`);
		for (let i = 0; i < this.m.length; i++) {
			assignFlat(this.m[i], s.m[i], 'first moment');
			assignFlat(this.v[i], s.v[i], 'second moment');
		}
		this.t = s.t;
	}

	dispose(): void {
		for (const t of [...this.m, ...this.v]) t.dispose();
	}
}

/** Overwrite a variable with flat data of the same size. */
export function assignFlat(x: tf.Variable, data: Float32Array, what: string): void {
	if (data.length !== x.size) throw new Error(`srnam: ${what} has ${data.length} values, expected ${x.size}`);
	tf.tidy(() => x.assign(tf.tensor(data, x.shape, 'float32')));
}
