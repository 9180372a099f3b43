// The Conv2DBackpropFilter kernel srlab adds to tfjs-backend-wasm (src/lib/backend/convFilterGrad.ts):
// a conv's filter gradient on wasm equals tfjs-cpu's for 3×3 'same' and 1×1 filters, and the live
// GAN's second-order gradient (the WGAN-GP penalty w.r.t. a critic weight) runs on wasm and agrees.
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { beforeAll, describe, expect, it } from 'vitest';
import { ensureConvFilterGrad } from '../../src/lib/backend/convFilterGrad';
import { createRng } from '../../src/lib/image/rng';
import { createNets, discriminate, disposeNets } from '../../src/lib/gan/nets';
import { gradientPenalty } from '../../src/lib/gan/wgangp';

beforeAll(async () => {
	setWasmPaths(process.cwd() + '/node_modules/@tensorflow/tfjs-backend-wasm/dist/');
	await tf.setBackend('wasm');
	await tf.ready();
});

async function on<R>(backend: string, f: () => R): Promise<R> {
	const before = tf.getBackend();
	await tf.setBackend(backend);
	try {
		return f();
	} finally {
		await tf.setBackend(before);
	}
}

describe('Conv2DBackpropFilter on wasm', () => {
	it('the stock wasm backend lacks it, and ensureConvFilterGrad adds it', () => {
		const had = !!tf.getKernel('Conv2DBackpropFilter', 'wasm');
		expect(ensureConvFilterGrad('wasm')).toBe(true);
		expect(had || !!tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBe(true);
		expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeTruthy();
	});

	for (const k of [3, 1]) {
		it(`${k}×${k} filter gradient equals tfjs-cpu's`, async () => {
			ensureConvFilterGrad('wasm');
			const rng = createRng(k);
			const xs = rng.fillNormal(new Float32Array(2 * 5 * 6 * 3));
			const ws = rng.fillNormal(new Float32Array(k * k * 3 * 4));
			const rs = rng.fillNormal(new Float32Array(2 * 5 * 6 * 4));
			const grad = () =>
				tf.tidy(() => {
					const x = tf.tensor4d(xs, [2, 5, 6, 3]);
					const r = tf.tensor4d(rs, [2, 5, 6, 4]);
					return tf.grad((w) => tf.sum(tf.mul(tf.conv2d(x, w as tf.Tensor4D, 1, 'same'), r)))(tf.tensor4d(ws, [k, k, 3, 4])).dataSync();
				});
			const wasm = grad();
			const cpu = await on('cpu', grad);
			expect(wasm.length).toBe(cpu.length);
			wasm.forEach((v, i) => expect(v).toBeCloseTo(cpu[i], 3));
		});
	}

	it('the WGAN-GP penalty’s gradient w.r.t. critic weights agrees between wasm and cpu', async () => {
		ensureConvFilterGrad('wasm');
		const xs = createRng(8).fillNormal(new Float32Array(2 * 8 * 8 * 3));
		const shape = { levels: [4, 8], channels: 2, latent: 3 };
		const grads = () => {
			const nets = createNets(shape, 4);
			const x = tf.tensor4d(xs, [2, 8, 8, 3]);
			const vars = ['8/conv1/w', '8/fromrgb/w', '4/conv/w'].map((n) => nets.d[n]);
			const { value, grads } = tf.variableGrads(() => gradientPenalty((im) => discriminate(nets, im, 8, 0.6), x), vars);
			const out = vars.map((v) => Array.from(grads[v.name].dataSync()));
			tf.dispose([value, x, ...Object.values(grads)]);
			disposeNets(nets);
			return out;
		};
		const wasm = grads();
		const cpu = await on('cpu', grads);
		wasm.forEach((g, j) => g.forEach((v, i) => expect(Math.abs(v - cpu[j][i])).toBeLessThan(1e-3 * Math.max(1, Math.abs(cpu[j][i])))));
	});
});
