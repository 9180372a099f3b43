// Fix for a tfjs-backend-webgpu 4.22 bug that silently breaks SR-NAM's gradient on webgpu:
// MatMulSplitKProgram (chosen for batch 1, inner size ≥ 2000 and few output tiles) switches to
// vec4 reads whenever the inner and output sizes divide by 4, WITHOUT checking transposeB
// (MatMulPackedProgram does: `&& !transposeB`). With B transposed, a vec4 read of B then takes
// four consecutive INNER elements instead of four output columns, so the product is wrong.
// ProGAN's backward pass hits exactly this: ∂/∂z of z·W (W = g/4/dense/w, [512, 2048]) is
// dy·Wᵀ = matMul(dy [1, 2048], W, transposeB) with inner size 2048 (SR-NAM Eq. 6 descends it).
// The forward (inner 512) never takes that path, so losses agreed at step 0 and diverged after.
// Found by test/e2e/webgpuGrad.test.js (bench/gradCheck.ts: per-op and whole-G gradients vs cpu).
//
// The fix wraps the webgpu BatchMatMul and _FusedMatMul kernels: when that path can be taken,
// B is transposed explicitly (the backend's own Transpose kernel) and the stock kernel runs with
// transposeB = false, whose vec4 reads are along B's columns as intended. Same arithmetic.

import * as tf from '@tensorflow/tfjs';

const KERNELS = ['BatchMatMul', '_FusedMatMul'];
const BACKEND = 'webgpu';
/** tfjs-backend-webgpu's BatchMatMul_impl: MatMulSplitKProgram only when innerShapeB ≥ this. */
const SPLIT_K_MIN_INNER = 2000;

type KernelArgs = Parameters<tf.KernelFunc>[0];
interface BackendLike {
	disposeData(dataId: unknown, force?: boolean): boolean;
}

/**
 * Could tfjs-backend-webgpu run this matMul as the broken vec4 split-K with transposed B? The
 * size test mirrors BatchMatMul_impl + MatMulSplitKProgram; whether it really picks split-K also
 * depends on the device's workgroup threshold, so this errs on the side of transposing.
 */
export function hitsSplitKTransposeBug(aShape: number[], bShape: number[], transposeA: boolean, transposeB: boolean): boolean {
	if (!transposeB) return false;
	const ra = aShape.length;
	const rb = bShape.length;
	const inner = bShape[rb - 1];
	const outerA = transposeA ? aShape[ra - 1] : aShape[ra - 2];
	const outerB = bShape[rb - 2];
	const batch = Math.max(tf.util.sizeFromShape(aShape.slice(0, -2)), tf.util.sizeFromShape(bShape.slice(0, -2)));
	const vec4 = (transposeA ? outerA % 4 === 0 : inner % 4 === 0) && outerB % 4 === 0;
	return batch === 1 && inner >= SPLIT_K_MIN_INNER && vec4;
}

let installed = false;

/** Wrap the webgpu matMul kernels once (idempotent; does nothing before the webgpu backend is imported). */
export function installWebgpuMatMulFix(): boolean {
	if (installed) return true;
	const transpose = tf.getKernel('Transpose', BACKEND);
	const origs = KERNELS.map((k) => tf.getKernel(k, BACKEND));
	if (!transpose || origs.some((o) => !o)) return false;
	installed = true;
	KERNELS.forEach((kernelName, i) => {
		const orig = origs[i]!;
		tf.unregisterKernel(kernelName, BACKEND);
		tf.registerKernel({
			kernelName,
			backendName: BACKEND,
			setupFunc: orig.setupFunc,
			disposeFunc: orig.disposeFunc,
			kernelFunc: (args: KernelArgs) => {
				const { a, b } = args.inputs as { a: tf.TensorInfo; b: tf.TensorInfo };
				const attrs = args.attrs as { transposeA?: boolean; transposeB?: boolean };
				if (!hitsSplitKTransposeBug(a.shape, b.shape, Boolean(attrs.transposeA), Boolean(attrs.transposeB)))
					return orig.kernelFunc(args);
				const perm = b.shape.map((_, d) => d);
				[perm[perm.length - 2], perm[perm.length - 1]] = [perm[perm.length - 1], perm[perm.length - 2]];
				const bt = transpose.kernelFunc({ inputs: { x: b }, backend: args.backend, attrs: { perm } }) as tf.TensorInfo;
				try {
					return orig.kernelFunc({ ...args, inputs: { ...args.inputs, b: bt }, attrs: { ...args.attrs, transposeB: false } });
				} finally {
					(args.backend as unknown as BackendLike).disposeData(bt.dataId);
				}
			}
		});
	});
	return true;
}
