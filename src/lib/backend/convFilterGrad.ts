// A Conv2DBackpropFilter kernel (a convolution's gradient w.r.t. its filter) for backends that
// lack one: tfjs-backend-wasm 4.22 has none, so no conv net can be trained there (the live GAN
// notebook trains one). Built from the backend's own kernels as im2col + one matMul:
//
//   dW[i, j, c, o] = Σ_{n,y,x} xp[n, y+i, x+j, c] · dy[n, y, x, o]      (xp: x zero-padded)
//                  = (concat_{i,j} slice_{i,j}(xp))ᵀ · dy, reshaped to [k, k, cin, cout]
//
// for stride 1, NHWC, odd k×k filters with 'same' padding, or 1×1 with 'valid' (what tfjs ops
// produce for those convs); anything else is refused with a message.

import * as tf from '@tensorflow/tfjs';

const KERNEL = 'Conv2DBackpropFilter';
type KernelArgs = Parameters<tf.KernelFunc>[0];
interface BackendLike {
	disposeData(dataId: unknown, force?: boolean): boolean;
}

const pair = (v: unknown): [number, number] => (typeof v === 'number' ? [v, v] : (v as [number, number]));

/** Register the kernel on `backend` when it has none (and has the kernels it is built from). */
export function ensureConvFilterGrad(backend: string = tf.getBackend()): boolean {
	if (tf.getKernel(KERNEL, backend)) return true;
	const k = (name: string) => tf.getKernel(name, backend);
	const [pad, slice, concat, reshape, matMul] = ['PadV2', 'Slice', 'Concat', 'Reshape', 'BatchMatMul'].map(k);
	if (!pad || !slice || !concat || !reshape || !matMul) return false;
	tf.registerKernel({
		kernelName: KERNEL,
		backendName: backend,
		kernelFunc: (args: KernelArgs) => {
			const { x, dy } = args.inputs as { x: tf.TensorInfo; dy: tf.TensorInfo };
			const attrs = args.attrs as tf.NamedAttrMap;
			const [kh, kw, cin, cout] = attrs.filterShape as number[];
			const [sh, sw] = pair(attrs.strides);
			const same = attrs.pad === 'same' || (attrs.pad === 'valid' && kh === 1 && kw === 1);
			if (sh !== 1 || sw !== 1 || kh !== kw || kh % 2 !== 1 || !same || ((attrs.dataFormat as string | undefined) ?? 'NHWC') !== 'NHWC')
				throw new Error(`${KERNEL} on ${backend}: only stride-1 NHWC convolutions with odd square filters and 'same' padding are supported`);
			const be = args.backend as unknown as BackendLike;
			const run = (kernel: tf.KernelConfig, inputs: unknown, a: tf.NamedAttrMap) => kernel.kernelFunc({ inputs: inputs as tf.NamedTensorInfoMap, attrs: a, backend: args.backend }) as tf.TensorInfo;
			const [n, h, w] = x.shape;
			const m = n * h * w;
			const temps: tf.TensorInfo[] = [];
			const keep = (t: tf.TensorInfo) => (temps.push(t), t);
			try {
				let cols = x;
				if (kh > 1) {
					const p = (kh - 1) / 2;
					const xp = keep(run(pad, { x }, { paddings: [[0, 0], [p, p], [p, p], [0, 0]], constantValue: 0 }));
					const taps: tf.TensorInfo[] = [];
					for (let i = 0; i < kh; i++) for (let j = 0; j < kw; j++) taps.push(keep(run(slice, { x: xp }, { begin: [0, i, j, 0], size: [n, h, w, cin] })));
					cols = keep(run(concat, taps, { axis: 3 }));
				}
				const a = keep(run(reshape, { x: cols }, { shape: [1, m, kh * kw * cin] }));
				const b = keep(run(reshape, { x: dy }, { shape: [1, m, cout] }));
				const prod = keep(run(matMul, { a, b }, { transposeA: true, transposeB: false }));
				return run(reshape, { x: prod }, { shape: [kh, kw, cin, cout] });
			} finally {
				for (const t of temps) be.disposeData(t.dataId);
			}
		}
	});
	return true;
}
