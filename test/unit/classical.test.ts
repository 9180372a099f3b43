import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import {
	bicubicLR,
	bilinearLR,
	CLASSICAL_DEGRADATIONS,
	gaussianLR,
	jpegLR,
	LR_SIZE,
	motionLR,
	noiseLR,
	pixelL2,
	poolToLR,
	randomBlurLR,
	type ClassicalId,
	type ClassicalParams
} from '../../src/lib/degradations/classical';
import { rgbImage } from '../../src/lib/image/rgb';
import { l2Chart } from '../../src/notebooks/classical-degradations/l2Chart';
import { runCell } from './cellContext';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

/** A textured 64×64 test image: smooth shading plus fine stripes that blur removes. */
function textured(size = 64): tf.Tensor3D {
	const d = new Float32Array(size * size * 3);
	for (let y = 0; y < size; y++)
		for (let x = 0; x < size; x++)
			for (let c = 0; c < 3; c++)
				d[(y * size + x) * 3 + c] = 0.5 + 0.2 * Math.sin((x + 2 * c) / 5) * Math.cos(y / 7) + 0.15 * Math.sin(x * 1.3 + y * 0.9);
	return tf.tensor3d(d, [size, size, 3]);
}

const l2 = (a: tf.Tensor, b: tf.Tensor) => {
	const s = pixelL2(a, b);
	const v = s.dataSync()[0];
	s.dispose();
	return v;
};

const P: ClassicalParams = {
	blurSigma: 1.5,
	kernelSize: 4,
	kernelSeed: 1,
	motionLength: 9,
	motionAngle: 30,
	jpegQuality: 30,
	noiseSigma: 8,
	noiseSeed: 1
};

describe('pixelL2 (paper 001 Eq. 4) and pooling', () => {
	it('is the mean over pixels and channels of squared differences (hand example)', () => {
		const a = tf.zeros([1, 2, 3]);
		const b = tf.tensor3d([0.1, 0.2, 0.3, 0.4, 0.5, 0.6], [1, 2, 3]);
		// (.01 + .04 + .09 + .16 + .25 + .36) / 6 = 0.91 / 6 (1/(WH) Σ, averaged over 3 channels)
		expect(l2(a, b)).toBeCloseTo(0.91 / 6, 7);
		tf.dispose([a, b]);
	});

	it('poolToLR averages factor×factor blocks', () => {
		const d = Float32Array.from({ length: 32 * 32 * 3 }, (_, i) => (i % 97) / 97);
		const x = tf.tensor3d(d, [32, 32, 3]);
		const p = poolToLR(x);
		expect(p.shape).toEqual([16, 16, 3]);
		// output (0,0), channel 1: pixels (0,0), (0,1), (1,0), (1,1)
		const want = (d[1] + d[3 + 1] + d[32 * 3 + 1] + d[33 * 3 + 1]) / 4;
		expect(p.dataSync()[1]).toBeCloseTo(want, 6);
		tf.dispose([x, p]);
	});
});

describe('classical degradations', () => {
	it('all return fresh 16×16×3 tensors in [0, 1], keep the input, and leak nothing', async () => {
		const hr = textured();
		const before = tf.memory().numTensors;
		for (const d of CLASSICAL_DEGRADATIONS) {
			const lr = await d.apply(hr, P);
			expect(lr.shape).toEqual([LR_SIZE, LR_SIZE, 3]);
			const v = lr.dataSync();
			expect(Math.min(...v)).toBeGreaterThanOrEqual(0);
			expect(Math.max(...v)).toBeLessThanOrEqual(1);
			lr.dispose();
			expect(tf.memory().numTensors).toBe(before);
		}
		expect(hr.isDisposed).toBe(false);
		hr.dispose();
	});

	it('lists 7 degradations with unique ids, labels, notes and references', () => {
		expect(CLASSICAL_DEGRADATIONS.map((d) => d.id)).toEqual(['bicubic', 'bilinear', 'gaussian', 'random-blur', 'motion', 'jpeg', 'noise']);
		for (const d of CLASSICAL_DEGRADATIONS) {
			expect(d.label.length).toBeGreaterThan(2);
			expect(d.note.length).toBeGreaterThan(20);
			expect(d.ref).toMatch(/§/);
		}
	});

	it('keeps a constant image constant (except noise)', async () => {
		const hr = tf.fill([128, 128, 3], 0.4) as tf.Tensor3D;
		for (const d of CLASSICAL_DEGRADATIONS.filter((x) => x.id !== 'noise')) {
			const lr = await d.apply(hr, P);
			for (const v of lr.dataSync()) expect(Math.abs(v - 0.4)).toBeLessThan(d.id === 'jpeg' ? 2 / 255 : 1e-5);
			lr.dispose();
		}
		hr.dispose();
	});

	it('Gaussian σ = 0 is exactly the pooled HR; more blur moves further away', () => {
		const hr = textured();
		const target = poolToLR(hr);
		const errs = [0, 1, 2, 4].map((s) => {
			const lr = gaussianLR(hr, s);
			const e = l2(lr, target);
			lr.dispose();
			return e;
		});
		expect(errs[0]).toBeLessThan(1e-12);
		for (let i = 1; i < errs.length; i++) expect(errs[i]).toBeGreaterThan(errs[i - 1]);
		tf.dispose([hr, target]);
	});

	it('bicubic and bilinear stay close to the pooled HR but are not identical to it', () => {
		const hr = textured();
		const target = poolToLR(hr);
		for (const f of [bicubicLR, bilinearLR]) {
			const lr = f(hr);
			const e = l2(lr, target);
			expect(e).toBeGreaterThan(1e-7);
			expect(e).toBeLessThan(5e-3);
			lr.dispose();
		}
		tf.dispose([hr, target]);
	});

	it('motion length 0 and noise σ 0 reduce to bilinear; seeds are deterministic', () => {
		const hr = textured();
		const base = bilinearLR(hr);
		const m0 = motionLR(hr, 0, 45);
		const n0 = noiseLR(hr, 0, 3);
		expect(l2(m0, base)).toBeLessThan(1e-12);
		expect(l2(n0, base)).toBeLessThan(1e-12);
		const [a, b, c] = [noiseLR(hr, 10, 5), noiseLR(hr, 10, 5), noiseLR(hr, 10, 6)];
		expect(l2(a, b)).toBe(0);
		expect(l2(a, c)).toBeGreaterThan(1e-4);
		const [r1, r2, r3] = [randomBlurLR(hr, 5, 9), randomBlurLR(hr, 5, 9), randomBlurLR(hr, 5, 10)];
		expect(l2(r1, r2)).toBe(0);
		expect(l2(r1, r3)).toBeGreaterThan(0);
		const [mh, mv] = [motionLR(hr, 12, 0), motionLR(hr, 12, 90)];
		expect(l2(mh, base)).toBeGreaterThan(1e-5);
		expect(l2(mh, mv)).toBeGreaterThan(1e-5); // direction matters
		tf.dispose([hr, base, m0, n0, a, b, c, r1, r2, r3, mh, mv]);
	});

	it('JPEG error grows as quality drops', async () => {
		const hr = textured();
		const base = bilinearLR(hr);
		const lo = await jpegLR(hr, 5);
		const hi = await jpegLR(hr, 95);
		expect(l2(lo, base)).toBeGreaterThan(3 * l2(hi, base));
		tf.dispose([hr, base, lo, hi]);
	});
});

describe('L2 chart cell (classical-degradations notebook)', () => {
	it('one row per gallery recipe with its Eq. 4 distance, smallest first', async () => {
		const lr = rgbImage(16, 16);
		const item = (id: ClassicalId, l2: number) => ({ id, label: `${id} label`, note: '', lr, l2 });
		const gallery = { source: 64 as const, hrPooled: lr, items: [item('noise', 3e-3), item('bicubic', 1e-5), item('gaussian', 4e-4)] };
		const rows = await runCell(l2Chart, { inputs: { gallery } });
		expect(rows).toEqual([
			{ id: 'bicubic', label: 'bicubic label', l2: 1e-5 },
			{ id: 'gaussian', label: 'gaussian label', l2: 4e-4 },
			{ id: 'noise', label: 'noise label', l2: 3e-3 }
		]);
	});
});
