// Page side of the bench (bench/browser.html): starts the backend the query names through the
// app's own backend manager (same device limits, same wasm binaries), then serves the ops of
// bench/core.ts to the driver (playwright's page.evaluate).

import * as tf from '@tensorflow/tfjs';
import { startBackend } from '../src/lib/backend/backendManager';
import { fetchSource } from '../src/models/weights';
import { installFastConvGrad, uninstallFastConvGrad } from '../src/lib/backend/fastConvGrad';
import { createBench, type Bench } from './core';

declare global {
	interface Window {
		srlabBench: {
			init(backend: string, threads?: number): Promise<{ backend: string; adapter?: string; threads?: number; isolated: boolean; message?: string }>;
			call(op: keyof Bench, args?: unknown): Promise<unknown>;
			setFastConvGrad(on: boolean): string[];
		};
	}
}

let bench: Bench | undefined;

window.srlabBench = {
	async init(backend, threads) {
		if (backend === 'wasm' && threads) {
			const wasm = await import('@tensorflow/tfjs-backend-wasm');
			wasm.setThreadsCount(threads);
		}
		const info = await startBackend(backend);
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
	async call(op, args) {
		if (!bench) throw new Error('bench: init first');
		// eslint-disable-next-line @typescript-eslint/no-explicit-any
		return (bench[op] as any)(args ?? {});
	}
};
