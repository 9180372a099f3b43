// Node side of the bench: tfjs cpu and wasm (and WebGPU through the `webgpu` npm package, i.e.
// Dawn, on a machine with a GPU), weights read from static/weights/. Bundled by bench/build.js.

import * as tf from '@tensorflow/tfjs';
import { join } from 'node:path';
import { dirSource } from '../src/models/weights-node';
import { installCpuResizeGradFix } from '../src/lib/srnam/cpuResizeGradFix';
import { createBench } from './core';

export { createBench };

export interface NodeInit {
	backend: 'cpu' | 'wasm' | 'webgpu';
	weightsDir: string;
	/** wasm threads (0 = tfjs default). */
	threads?: number;
}

/** Start one backend; resolves to what runs, or throws with the reason it cannot. */
export async function init(o: NodeInit): Promise<{ backend: string; adapter?: string; threads?: number }> {
	let adapter: string | undefined;
	if (o.backend === 'wasm') {
		const wasm = await import('@tensorflow/tfjs-backend-wasm');
		if (o.threads) wasm.setThreadsCount(o.threads);
	} else if (o.backend === 'webgpu') {
		adapter = await initNodeWebGPU();
	}
	if (!(await tf.setBackend(o.backend))) throw new Error(`tfjs backend ${o.backend} did not initialise`);
	await tf.ready();
	installCpuResizeGradFix();
	let threads: number | undefined;
	if (o.backend === 'wasm') threads = (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
	return { backend: tf.getBackend(), adapter, threads };
}

/** Dawn in Node (npm `webgpu`): install navigator.gpu and the WebGPU globals for tfjs. */
async function initNodeWebGPU(): Promise<string> {
	let mod: { create: (flags: string[]) => GPU; globals: Record<string, unknown> };
	try {
		mod = (await import(/* @vite-ignore */ 'webgpu' as string)) as typeof mod;
	} catch (e) {
		throw new Error(`the "webgpu" npm package is not installed (npm i --no-save webgpu): ${(e as Error).message.split('\n')[0]}`);
	}
	Object.assign(globalThis, mod.globals);
	const gpu = mod.create([]);
	const a = await gpu.requestAdapter({ powerPreference: 'high-performance' });
	if (!a) throw new Error('Dawn found no WebGPU adapter (no GPU, or no Vulkan driver: apt-get install libvulkan1 + the vendor ICD)');
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	const info = (a as any).info ?? {};
	Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true });
	const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
	const device = await a.requestDevice({
		requiredLimits: {
			maxStorageBufferBindingSize: a.limits.maxStorageBufferBindingSize,
			maxBufferSize: a.limits.maxBufferSize,
			maxComputeWorkgroupStorageSize: a.limits.maxComputeWorkgroupStorageSize
		}
	});
	if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	tf.registerBackend('webgpu', async () => new WebGPUBackend(device, info as any), 3);
	return [info.vendor, info.architecture, info.description, info.device].filter(Boolean).join(' · ') || 'unknown adapter';
}

export function nodeSource(weightsDir: string) {
	return (model: string) => dirSource(join(weightsDir, model), model);
}

export { installFastConvGrad, uninstallFastConvGrad } from '../src/lib/backend/fastConvGrad';
