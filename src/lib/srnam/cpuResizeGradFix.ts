// Fix for a tfjs 4.22 cpu-backend bug that silently breaks batched SR-NAM on 'cpu':
// ResizeNearestNeighborGrad (the backward pass of tf.image.resizeNearestNeighbor, ProGAN's
// nearest ×2 up-sampling) reads dy at `b * imagesStrides[0]` instead of `b * dyStrides[0]`,
// so every batch item after the first gets the gradient of the wrong pixels (wasm, webgl and
// webgpu index dy by batch correctly). With K restarts in one batch, restarts 1…K−1 on cpu
// then descend a wrong gradient (found by comparing batched vs single-row gradients; see
// test/unit/srnam.search.test.ts). This re-registers the cpu kernel with the same nearest-
// source rule as the forward pass, as a scatter-add over dy (exact, O(|dy|)).

import * as tf from '@tensorflow/tfjs';

const KERNEL = 'ResizeNearestNeighborGrad';
let installed = false;

interface CpuBackendLike {
	data: { get(id: unknown): { values: Float32Array } };
	makeTensorInfo(shape: number[], dtype: tf.DataType, values: Float32Array): tf.TensorInfo;
}

/** Replace the cpu kernel once (idempotent; does nothing if the cpu kernel is absent). */
export function installCpuResizeGradFix(): void {
	if (installed) return;
	if (!tf.getKernel(KERNEL, 'cpu')) return;
	installed = true;
	tf.unregisterKernel(KERNEL, 'cpu');
	tf.registerKernel({
		kernelName: KERNEL,
		backendName: 'cpu',
		kernelFunc: ({ inputs, backend, attrs }) => {
			const { images, dy } = inputs as { images: tf.TensorInfo; dy: tf.TensorInfo };
			const alignCorners = Boolean((attrs as { alignCorners?: boolean }).alignCorners);
			const be = backend as unknown as CpuBackendLike;
			const dyv = be.data.get(dy.dataId).values;
			const [batch, xH, xW, depth] = images.shape;
			const [, yH, yW] = dy.shape;
			// same scales as tfjs' forward kernel (alignCorners maps the corner pixels onto each other)
			const hScale = (alignCorners && yH > 1 ? xH - 1 : xH) / (alignCorners && yH > 1 ? yH - 1 : yH);
			const wScale = (alignCorners && yW > 1 ? xW - 1 : xW) / (alignCorners && yW > 1 ? yW - 1 : yW);
			const src = (i: number, scale: number, max: number) =>
				Math.min(max - 1, alignCorners ? Math.round(i * scale) : Math.floor(i * scale));
			const out = new Float32Array(batch * xH * xW * depth);
			let o = 0;
			for (let b = 0; b < batch; b++)
				for (let r = 0; r < yH; r++) {
					const sr = src(r, hScale, xH);
					for (let c = 0; c < yW; c++) {
						const base = ((b * xH + sr) * xW + src(c, wScale, xW)) * depth;
						for (let d = 0; d < depth; d++) out[base + d] += dyv[o++];
					}
				}
			return be.makeTensorInfo(images.shape, images.dtype, out);
		}
	});
}
