// Random weights in the issue-15 joint-SR layout (test-only): the generator (with or without the
// blurred branch), D_g and optionally D_l, drawn from the project's seeded RNG. Small enough for
// the CPU backend; the shapes follow the contract (w, 4w pixel-shuffle convs, 8w at the bottom).
import * as tf from '@tensorflow/tfjs';
import { createRng } from '../../src/lib/image/rng';
import type { NamedWeights } from '../../src/models/weights';

export interface TinyJointSrOptions {
	width?: number;
	dWidth?: number;
	blurBranch?: boolean;
	localD?: boolean;
	globalD?: boolean;
	seed?: number;
}

export function tinyJointSrWeights(opts: TinyJointSrOptions = {}): NamedWeights {
	const { width: w = 4, dWidth: dw = 4, blurBranch = true, localD = true, globalD = true, seed = 3 } = opts;
	const rng = createRng(seed);
	const weights: NamedWeights = {};
	const conv = (name: string, cin: number, cout: number) => {
		const std = 1 / Math.sqrt(9 * cin);
		weights[`${name}/w`] = tf.tensor4d(rng.fillNormal(new Float32Array(9 * cin * cout), 0, std), [3, 3, cin, cout]);
		weights[`${name}/b`] = tf.tensor1d(rng.fillNormal(new Float32Array(cout), 0, 0.05));
	};
	conv('g/f1', 3, w);
	for (const f of ['g/f2', 'g/f3', 'g/f4']) conv(f, w, 4 * w);
	conv('g/f5', w, 3);
	[[3, w], [w, 2 * w], [2 * w, 4 * w], [4 * w, 8 * w]].forEach(([a, b], i) => conv(`g/e${i + 1}`, a, b));
	const decoder = (p: string) => {
		conv(`${p}4`, 8 * w, 4 * w);
		conv(`${p}3`, 8 * w, 2 * w);
		conv(`${p}2`, 4 * w, w);
		conv(`${p}1`, 2 * w, w);
	};
	if (blurBranch) {
		decoder('g/u');
		conv('g/uo', w, 3);
	}
	decoder('g/l');
	conv('g/lf', blurBranch ? 2 * w + 3 : w + 3, w);
	conv('g/lo', w, 3);
	const patchD = (p: string, cin: number) => {
		[[cin, dw], [dw, 2 * dw], [2 * dw, 4 * dw], [4 * dw, 8 * dw]].forEach(([a, b], i) => conv(`${p}/c${i + 1}`, a, b));
		conv(`${p}/out`, 8 * dw, 1);
	};
	if (globalD) patchD('dg', 6);
	if (localD) patchD('dl', 3);
	return weights;
}
