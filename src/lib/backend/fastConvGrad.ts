// Faster input-gradient of 'same' stride-1 convolutions, the backward pass SR-NAM runs through
// ProGAN and the degrader for every step (Eq. 6: ∂loss/∂z goes through every conv's input).
//
// tfjs-backend-wasm 4.22 computes Conv2DBackpropInput with a scalar loop, while its forward
// Conv2D runs XNNPACK (SIMD): profiling one K = 8 step on wasm gave 4.7 s in 41 backprop-input
// calls vs 0.8 s in 41 forward convs (bench/NOTES.md). For stride 1, odd kernel and 'same'
// padding the input gradient IS a forward 'same' convolution of dy with the filter rotated
// by 180° and its in/out channels swapped:
//
//   dx[n, y, x, c] = Σ_{i,j,o} dy[n, y+p−i, x+p−j, o] · W[i, j, c, o]
//                  = conv2d_same(dy, W')[n, y, x, c],   W'[i, j, o, c] = W[k−1−i, k−1−j, c, o]
//
// so this re-registers the backend's kernel to do exactly that with the backend's own Reverse,
// Transpose and Conv2D kernels, and falls back to the stock kernel for anything else (strides,
// even kernels, explicit padding, NCHW). Same arithmetic up to summation order.
//
// The rotated filters are cached per source filter (LRU, CACHE_SIZE entries): XNNPACK keeps its
// packed operator per filter, so a fresh rotated filter every step re-packed it every step
// (~40% of the backprop's time in a 64-channel micro-benchmark, bench/NOTES.md). Weights never
// change in place (a tfjs assign makes new data), so the source's dataId is a sound key; an
// entry of a disposed model lingers until evicted (at most CACHE_SIZE filters).

import * as tf from '@tensorflow/tfjs';

const KERNEL = 'Conv2DBackpropInput';
export const CACHE_SIZE = 96;

/** Per backend: source filter dataId → rotated/swapped filter (backend data), in LRU order. */
const caches = new Map<string, Map<unknown, tf.TensorInfo>>();

/** Stock kernel configs of the backends we replaced, to put back (benchmarks compare both). */
const installed = new Map<string, tf.KernelConfig>();

type KernelArgs = Parameters<tf.KernelFunc>[0];
interface BackendLike {
	disposeData(dataId: unknown, force?: boolean): boolean;
}

function pair(v: number | [number, number]): [number, number] {
	return typeof v === 'number' ? [v, v] : v;
}

/** Is this backprop-input call one the forward-conv identity covers? */
export function coveredByForwardConv(filterShape: number[], attrs: tf.NamedAttrMap): boolean {
	const [kh, kw] = filterShape;
	const [sh, sw] = pair(attrs.strides as number | [number, number]);
	const fmt = (attrs.dataFormat as string | undefined) ?? 'NHWC';
	const pad = attrs.pad;
	const padOk = pad === 'same' || (pad === 'valid' && kh === 1 && kw === 1);
	return sh === 1 && sw === 1 && fmt === 'NHWC' && kh % 2 === 1 && kw % 2 === 1 && padOk;
}

/** Where it measured faster than the stock kernel (bench/NOTES.md: A/B 0.74 wasm, 0.80 webgl on SwiftShader;
 * cpu 1.09, i.e. slower, and webgpu no better on SwiftShader); the others keep tfjs's own. */
export const FAST_CONV_GRAD_BACKENDS = ['wasm', 'webgl'];

/**
 * Replace Conv2DBackpropInput on the given backends (those whose kernels are registered) with
 * the forward-conv form. Idempotent; returns the backends that now use it.
 */
export function installFastConvGrad(backends: string[] = FAST_CONV_GRAD_BACKENDS): string[] {
	for (const name of backends) {
		if (installed.has(name)) continue;
		const orig = tf.getKernel(KERNEL, name);
		const conv = tf.getKernel('Conv2D', name);
		const reverse = tf.getKernel('Reverse', name);
		const transpose = tf.getKernel('Transpose', name);
		if (!orig || !conv || !reverse || !transpose) continue;
		installed.set(name, orig);
		tf.unregisterKernel(KERNEL, name);
		tf.registerKernel({
			kernelName: KERNEL,
			backendName: name,
			// the stock kernel's setup (wasm: its cwrap) must still run for the fallback path
			setupFunc: orig.setupFunc,
			disposeFunc: orig.disposeFunc,
			kernelFunc: (args: KernelArgs) => {
				const { dy, filter } = args.inputs as { dy: tf.TensorInfo; filter: tf.TensorInfo };
				const attrs = args.attrs as tf.NamedAttrMap;
				if (!coveredByForwardConv(filter.shape, attrs)) return orig.kernelFunc(args);
				const backend = args.backend as unknown as BackendLike;
				let cache = caches.get(name);
				if (!cache) caches.set(name, (cache = new Map()));
				let swapped = cache.get(filter.dataId);
				if (swapped) cache.delete(filter.dataId); // re-inserted below: most recent last
				else {
					const [kh, kw] = filter.shape;
					let rotated = filter;
					if (kh > 1 || kw > 1) rotated = reverse.kernelFunc({ inputs: { x: filter }, attrs: { dims: [0, 1] }, backend: args.backend }) as tf.TensorInfo;
					swapped = transpose.kernelFunc({ inputs: { x: rotated }, attrs: { perm: [0, 1, 3, 2] }, backend: args.backend }) as tf.TensorInfo;
					if (rotated !== filter) backend.disposeData(rotated.dataId);
					if (cache.size >= CACHE_SIZE) {
						const [oldKey, old] = cache.entries().next().value!;
						cache.delete(oldKey);
						backend.disposeData(old.dataId);
					}
				}
				cache.set(filter.dataId, swapped);
				return conv.kernelFunc({
					inputs: { x: dy, filter: swapped },
					attrs: { strides: [1, 1], pad: attrs.pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: attrs.dimRoundingMode },
					backend: args.backend
				});
			}
		});
	}
	return [...installed.keys()];
}

/** Put the stock kernel back on `backend` (a no-op if ours is not installed there). */
export function uninstallFastConvGrad(backend: string): void {
	const orig = installed.get(backend);
	if (!orig) return;
	installed.delete(backend);
	clearFastConvGradCache(backend);
	tf.unregisterKernel(KERNEL, backend);
	tf.registerKernel(orig);
}

/** Free the cached rotated filters of `backend` (e.g. after unloading models). */
export function clearFastConvGradCache(backend: string): void {
	const cache = caches.get(backend);
	if (!cache?.size) return;
	const b = tf.findBackend(backend) as unknown as BackendLike | null;
	for (const t of cache.values()) b?.disposeData(t.dataId);
	cache.clear();
}
