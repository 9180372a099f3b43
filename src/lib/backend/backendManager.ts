// Starts a tfjs backend (WebGPU → WebGL → WASM → CPU, or the one `?backend=` names), reports
// which one runs on which adapter, and re-initialises WebGPU when its device is lost.
// Listeners hear every change; the UI badge is one of them.

import * as tf from '@tensorflow/tfjs';
import { backendOrder, fallbackSentence, type BackendName } from './order';
import { installCpuResizeGradFix } from '$lib/srnam/cpuResizeGradFix';
import { installFastConvGrad } from './fastConvGrad';
import { installWebgpuMatMulFix } from './webgpuMatMulFix';
import { threadsFromAddress, wasmThreadPlan, withThreadsVisible } from './wasmThreads';

export interface BackendInfo {
	status: 'starting' | 'ready' | 'lost' | 'failed';
	name?: BackendName;
	/** GPU adapter description, when there is one. */
	adapter?: string;
	/** One sentence when the backend is not the first choice, or after a device loss. */
	message?: string;
	/** How many times a lost WebGPU device was re-initialised. */
	recoveries: number;
	/** WebAssembly: the threads tfjs runs (more than 1 only on a cross-origin isolated page). */
	threads?: number;
	/** WebAssembly on one thread: why it could not have more. */
	threadsWhy?: string;
}

export interface BackendOptions {
	/** WebAssembly threads to ask for (default: one per logical core, when the page is isolated). */
	wasmThreads?: number;
}

type Listener = (info: BackendInfo) => void;

let info: BackendInfo = { status: 'starting', recoveries: 0 };
const listeners = new Set<Listener>();
let started: Promise<BackendInfo> | undefined;

export function backendInfo(): BackendInfo {
	return info;
}

export function onBackendChange(l: Listener): () => void {
	listeners.add(l);
	l(info);
	return () => listeners.delete(l);
}

function publish(patch: Partial<BackendInfo>): void {
	info = { ...info, ...patch };
	for (const l of listeners) l(info);
}

let options: BackendOptions = {};

/** Start once per page; later calls share the first start. */
export function startBackend(requested?: string | null, opts: BackendOptions = {}): Promise<BackendInfo> {
	// `?threads=N` in a page's address: a person on a busy machine may want fewer (bench/NOTES.md)
	if (!started) options = { wasmThreads: opts.wasmThreads ?? threadsFromAddress(globalThis.location?.search) };
	started ??= start(requested);
	return started;
}

async function start(requested?: string | null): Promise<BackendInfo> {
	// once per page, before any model runs: tfjs 4.22's cpu ResizeNearestNeighborGrad is wrong for batches
	installCpuResizeGradFix();
	const { order, forced, invalid } = backendOrder(requested);
	const problems: string[] = [];
	if (invalid) problems.push(`“${invalid}” is not a backend; use webgpu, webgl, wasm or cpu`);
	const wanted = forced ?? order[0];
	for (const name of order) {
		try {
			await activate(name);
			const adapter = describeAdapter(name);
			const reason = problems.length ? problems.join('; ') : '';
			publish({
				status: 'ready',
				name,
				adapter,
				...(await threadsOf(name)),
				message: name !== wanted || invalid ? fallbackSentence(wanted, name, reason || 'unknown reason') : undefined
			});
			if (name === 'webgpu') watchDeviceLoss();
			return info;
		} catch (e) {
			problems.push(`${name}: ${e instanceof Error ? e.message : String(e)}`);
			forget(name);
		}
	}
	publish({ status: 'failed', message: `No tfjs backend could start: ${problems.join('; ')}.` });
	return info;
}

/** Prepare one backend, install srlab's kernel fixes for it and switch to it; throws if it does not start. */
async function activate(name: BackendName, failure = 'it did not initialise'): Promise<void> {
	await prepare(name);
	installFastConvGrad(); // its kernels are registered now (wasm: by prepare's import); bench/NOTES.md
	if (name === 'webgpu') installWebgpuMatMulFix(); // tfjs-webgpu's split-K matMul with transposed B is wrong
	// wasm: tfjs reads the core count as its module starts (wasmThreads.ts says why it must see more)
	const threads = name === 'wasm' ? wasmPlan().threads : 1;
	if (!(await withThreadsVisible(threads, () => tf.setBackend(name)))) throw new Error(failure);
	await tf.ready();
}

async function prepare(name: BackendName): Promise<void> {
	if (name === 'webgpu') {
		const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
		if (!gpu) throw new Error('this browser has no navigator.gpu');
		const { WebGPUBackend } = await import('@tensorflow/tfjs-backend-webgpu');
		// Register our own factory (replacing the package's) so a lost device can be re-created.
		forget('webgpu');
		tf.registerBackend('webgpu', async () => {
			const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
			if (!adapter) throw new Error('no WebGPU adapter');
			const limits = adapter.limits;
			const device = await adapter.requestDevice({
				requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
				requiredLimits: {
					maxComputeWorkgroupStorageSize: limits.maxComputeWorkgroupStorageSize,
					maxComputeWorkgroupsPerDimension: limits.maxComputeWorkgroupsPerDimension,
					maxStorageBufferBindingSize: limits.maxStorageBufferBindingSize,
					maxBufferSize: limits.maxBufferSize,
					maxComputeWorkgroupSizeX: limits.maxComputeWorkgroupSizeX,
					maxComputeInvocationsPerWorkgroup: limits.maxComputeInvocationsPerWorkgroup
				}
			});
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			return new WebGPUBackend(device, (adapter as any).info);
		}, 3);
	} else if (name === 'wasm') {
		const wasm = await import('@tensorflow/tfjs-backend-wasm');
		// The .wasm binaries are copied to static/vendor by scripts/vendor.js at build time.
		wasm.setWasmPaths(`${location.origin}/vendor/tfjs-wasm/`);
		// tfjs picks the threaded SIMD binary itself when SharedArrayBuffer exists (an isolated page)
		wasm.setThreadsCount(wasmPlan().threads);
	}
}

/** The badge's thread count: what tfjs really runs, and why it is one when it could be more. */
async function threadsOf(name: BackendName): Promise<Pick<BackendInfo, 'threads' | 'threadsWhy'>> {
	if (name !== 'wasm') return { threads: undefined, threadsWhy: undefined };
	const threads = (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
	return { threads, threadsWhy: threads === 1 ? wasmPlan().why : undefined };
}

function wasmPlan() {
	return wasmThreadPlan(globalThis.crossOriginIsolated === true, navigator.hardwareConcurrency, options.wasmThreads);
}

/** Remove a backend and its factory if registered (tf.removeBackend throws otherwise). */
function forget(name: BackendName): void {
	if (tf.findBackendFactory(name)) tf.removeBackend(name);
}

function describeAdapter(name: BackendName): string | undefined {
	try {
		if (name === 'webgpu') {
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			const a = (tf.backend() as any).adapterInfo?.adapterInfo ?? (tf.backend() as any).adapterInfo;
			const parts = [a?.vendor, a?.architecture, a?.description, a?.device].filter((s: unknown) => typeof s === 'string' && s);
			return parts.length ? parts.join(' · ') : 'unknown adapter';
		}
		if (name === 'webgl') {
			// eslint-disable-next-line @typescript-eslint/no-explicit-any
			const gl = (tf.backend() as any).gpgpu?.gl as WebGLRenderingContext | undefined;
			const ext = gl?.getExtension('WEBGL_debug_renderer_info');
			return ext ? String(gl!.getParameter(ext.UNMASKED_RENDERER_WEBGL)) : gl ? String(gl.getParameter(gl.RENDERER)) : undefined;
		}
	} catch {
		/* adapter details are nice to have */
	}
	return undefined;
}

/** Listeners that must re-run work after the device came back (the runtime registers one). */
const recoveryListeners = new Set<() => void>();
export function onBackendRecovered(l: () => void): () => void {
	recoveryListeners.add(l);
	return () => recoveryListeners.delete(l);
}

/** A second loss this soon after a recovery means the GPU keeps failing on this work: stop retrying. */
export const REPEAT_LOSS_MS = 60_000;
let lastRecoveryAt = -Infinity;

/** Leave WebGPU for a CPU backend (wasm, else cpu); returns the one now running. */
async function leaveWebgpu(): Promise<BackendName> {
	for (const name of ['wasm', 'cpu'] as const) {
		try {
			await activate(name);
			return name;
		} catch {
			forget(name);
		}
	}
	throw new Error('neither wasm nor cpu could start');
}

function watchDeviceLoss(): void {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	const device = (tf.backend() as any).device as GPUDevice | undefined;
	device?.lost.then(async (lost) => {
		if (tf.getBackend() !== 'webgpu') return;
		const why = lost.message || lost.reason;
		const again = performance.now() - lastRecoveryAt < REPEAT_LOSS_MS;
		publish({ status: 'lost', message: `The GPU device was lost (${why}); ${again ? 'leaving WebGPU' : 're-initialising WebGPU'}…` });
		try {
			// Tensors on the dead device are gone; cells re-run from their inputs, which live in plain memory.
			forget('webgpu');
			if (again) {
				// re-creating it would only crash again on the same work and loop: keep the notebook working
				const name = await leaveWebgpu();
				publish({ status: 'ready', name, adapter: undefined, ...(await threadsOf(name)), message: `The GPU device was lost again within a minute of its recovery (${why}); srlab switched to ${name} so the notebook keeps working, more slowly. Reload the page to try WebGPU again.` });
			} else {
				await activate('webgpu', 'WebGPU did not come back');
				lastRecoveryAt = performance.now();
				publish({ status: 'ready', name: 'webgpu', adapter: describeAdapter('webgpu'), recoveries: info.recoveries + 1, message: 'The GPU device was lost and WebGPU was re-initialised; the notebook re-ran its cells. Nothing was lost.' });
				watchDeviceLoss();
			}
		} catch (e) {
			const name = await leaveWebgpu().catch(() => tf.getBackend() as BackendName);
			publish({ status: 'ready', name, adapter: undefined, ...(await threadsOf(name).catch(() => ({}))), message: `The GPU device was lost and could not be re-initialised (${e instanceof Error ? e.message : e}); srlab switched to ${name}.` });
		}
		for (const l of recoveryListeners) l();
	});
}

/**
 * Destroys the WebGPU device on purpose, as a driver reset would. For the browser test of
 * device loss (and for anyone who wants to see recovery work); does nothing on other backends.
 */
export function simulateDeviceLoss(): boolean {
	// eslint-disable-next-line @typescript-eslint/no-explicit-any
	const device = (tf.backend() as any)?.device as GPUDevice | undefined;
	if (tf.getBackend() !== 'webgpu' || !device) return false;
	device.destroy();
	return true;
}
