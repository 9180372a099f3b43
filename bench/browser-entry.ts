// Page side of the bench (bench/browser.html): starts the backend the query names through the
// app's own backend manager (same device limits, same wasm binaries), then serves the ops of
// bench/core.ts to the driver (playwright's page.evaluate).

import * as tf from '@tensorflow/tfjs';
import { startBackend } from '../src/lib/backend/backendManager';
import { fetchSource } from '../src/models/weights';
import { installFastConvGrad, uninstallFastConvGrad } from '../src/lib/backend/fastConvGrad';
import { createBench, type Bench } from './core';
import { modelGradients, probeGradients } from './gradCheck';
import { disposeWeights, loadWeightsFrom } from '../src/models/weights';
import { faceNetCheck } from './faceNetCheck';

declare global {
	interface Window {
		srlabBench: {
			init(backend: string, threads?: number): Promise<{ backend: string; adapter?: string; threads?: number; isolated: boolean; message?: string }>;
			call(op: keyof Bench, args?: unknown): Promise<unknown>;
			setFastConvGrad(on: boolean): string[];
			checkConvGrad(): Promise<number>;
			probeGradients(names?: string[]): Promise<Record<string, number[]>>;
			modelGradients(names?: string[]): Promise<Record<string, number[]>>;
			faceNetCheck: typeof faceNetCheck;
		};
	}
}

let bench: Bench | undefined;

window.srlabBench = {
	async init(backend, threads) {
		// threads > 1 only take effect on a cross-origin isolated page (bench/browser.js serves both)
		const info = await startBackend(backend, { wasmThreads: threads });
		bench = createBench((model) => fetchSource(`${location.origin}/weights/${model}/model.json`, model));
		let t: number | undefined;
		if (tf.getBackend() === 'wasm') t = (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
		return { backend: tf.getBackend(), adapter: info.adapter, threads: t, isolated: globalThis.crossOriginIsolated === true, message: info.message };
	},
	/** Before/after: the forward-conv input gradient on or off for the active backend. */
	setFastConvGrad(on) {
		if (!on) uninstallFastConvGrad(tf.getBackend());
		return on ? installFastConvGrad([tf.getBackend()]) : [];
	},
	/** Largest relative difference of replaced vs stock input gradients on the active backend. */
	async checkConvGrad() {
		const b = tf.getBackend();
		const wasOn = installFastConvGrad([]).includes(b);
		const cases: [number[], number[]][] = [[[2, 8, 8, 5], [3, 3, 5, 7]], [[1, 6, 5, 4], [1, 1, 4, 6]], [[1, 9, 9, 2], [5, 5, 2, 3]]];
		let worst = 0;
		for (const [xs, ws] of cases) {
			const x = tf.randomNormal(xs, 0, 1, 'float32', 1) as tf.Tensor4D;
			const w = tf.randomNormal(ws, 0, 1, 'float32', 2) as tf.Tensor4D;
			const grad = async () => {
				const g = tf.grad((xx: tf.Tensor) => tf.sum(tf.sin(tf.conv2d(xx as tf.Tensor4D, w, 1, 'same'))))(x);
				const d = (await g.data()) as Float32Array;
				g.dispose();
				return d;
			};
			uninstallFastConvGrad(b);
			const stock = await grad();
			installFastConvGrad([b]);
			const fast = await grad();
			let err = 0;
			let mag = 0;
			for (let i = 0; i < stock.length; i++) {
				err = Math.max(err, Math.abs(stock[i] - fast[i]));
				mag = Math.max(mag, Math.abs(stock[i]));
			}
			worst = Math.max(worst, err / mag);
			tf.dispose([x, w]);
		}
		if (!wasOn) uninstallFastConvGrad(b);
		return worst;
	},
	/** Per-op gradients on the active backend (bench/gradCheck.ts), for cross-backend comparison. */
	probeGradients(names) {
		return probeGradients(names);
	},
	/** G's and D's own gradients (shipped weights) on the active backend (bench/gradCheck.ts). */
	async modelGradients(names) {
		const load = (m: string) => loadWeightsFrom(fetchSource(`${location.origin}/weights/${m}/model.json`, m));
		const [g, d] = await Promise.all([load('progan'), load('degrader')]);
		try {
			return await modelGradients(g.weights, d.weights, names);
		} finally {
			disposeWeights(g.weights);
			disposeWeights(d.weights);
		}
	},
	/** The face net twin's descriptors and a feature loss's input gradient (test/e2e/faceNet.test.js). */
	faceNetCheck,
	async call(op, args) {
		if (!bench) throw new Error('bench: init first');
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		return (bench[op] as any)(args ?? {});
	}
};
