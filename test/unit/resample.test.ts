import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { avgPool, keysCubic, resampleMatrix, resize, type ResampleMethod } from '../../src/lib/image/resample';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

const rows = (m: Float32Array, inSize: number) => Array.from({ length: m.length / inSize }, (_, i) => Array.from(m.subarray(i * inSize, (i + 1) * inSize)));

function expectMatrix(m: Float32Array, inSize: number, want: number[][]) {
	const got = rows(m, inSize);
	expect(got.length).toBe(want.length);
	got.forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(want[i][j], 6)));
}

describe('resampleMatrix', () => {
	it('area 4→2 averages pairs', () => {
		expectMatrix(resampleMatrix(4, 2, 'area'), 4, [
			[0.5, 0.5, 0, 0],
			[0, 0, 0.5, 0.5]
		]);
	});

	it('area 3→2 weights by overlap (1, ½ | ½, 1) / 1.5', () => {
		expectMatrix(resampleMatrix(3, 2, 'area'), 3, [
			[2 / 3, 1 / 3, 0],
			[0, 1 / 3, 2 / 3]
		]);
	});

	it('bilinear 4→2 is the antialiased tent stretched ×2 (PIL)', () => {
		// output 0: centre 1.0; taps at 0.5, 1.5, 2.5 → tent((j+½−1)/2) = .75, .75, .25 (j=3 at 1.25 → 0)
		const w = [0.75, 0.75, 0.25, 0];
		const z = 1.75;
		expectMatrix(resampleMatrix(4, 2, 'bilinear'), 4, [w.map((v) => v / z), [...w].reverse().map((v) => v / z)]);
	});

	it('bicubic 4→2 matches Keys a=−0.5 stretched ×2, clipped at the border', () => {
		// output 0: centre 1.0; distances (j+½−1)/2 = −.25, .25, .75, 1.25
		// Keys: |x|<1: 1.5|x|³−2.5|x|²+1 → .8671875, .8671875, .2265625; 1<|x|<2 → −.0703125
		const w = [0.8671875, 0.8671875, 0.2265625, -0.0703125];
		const z = w.reduce((a, b) => a + b, 0);
		expect(z).toBeCloseTo(1.890625, 9);
		expectMatrix(resampleMatrix(4, 2, 'bicubic'), 4, [w.map((v) => v / z), [...w].reverse().map((v) => v / z)]);
	});

	it('matches Pillow (12.3, mode "F", Image.resize) bit for bit on a 7→3 case', () => {
		// Pillow's weights for resizing a 7-px row to 3 px: impulse responses, printed to float32.
		const pilBicubic = [
			[0.38306450843811035, 0.4395161271095276, 0.21370968222618103, 0, -0.032258063554763794, -0.004032257944345474, 0],
			[-0.030525030568242073, 0.045177046209573746, 0.2759462893009186, 0.4188034236431122, 0.2759462893009186, 0.045177046209573746, -0.030525030568242073]
		];
		const m = rows(resampleMatrix(7, 3, 'bicubic'), 7);
		pilBicubic.forEach((r, i) => r.forEach((v, j) => expect(m[i][j]).toBeCloseTo(v, 7)));
	});

	it('keysCubic matches the hand values', () => {
		expect(keysCubic(0)).toBe(1);
		expect(keysCubic(1)).toBeCloseTo(0, 12);
		expect(keysCubic(2)).toBeCloseTo(0, 12);
		expect(keysCubic(-0.5)).toBeCloseTo(keysCubic(0.5), 12);
		expect(keysCubic(0.5)).toBeCloseTo(0.5625, 12);
		expect(keysCubic(1.5)).toBeCloseTo(-0.0625, 12);
	});

	it('bilinear 2→4 upsampling interpolates (no stretch), edges clamp', () => {
		expectMatrix(resampleMatrix(2, 4, 'bilinear'), 2, [
			[1, 0],
			[0.75, 0.25],
			[0.25, 0.75],
			[0, 1]
		]);
	});

	it('same size is the identity for every method; rows always sum to 1', () => {
		for (const method of ['area', 'bilinear', 'bicubic'] as ResampleMethod[]) {
			const m = resampleMatrix(5, 5, method);
			rows(m, 5).forEach((r, i) => r.forEach((v, j) => expect(v).toBeCloseTo(i === j ? 1 : 0, 6)));
			for (const [a, b] of [
				[128, 16],
				[64, 16],
				[16, 64],
				[7, 3]
			]) {
				const mm = resampleMatrix(a, b, method);
				for (const r of rows(mm, a)) expect(r.reduce((x, y) => x + y, 0)).toBeCloseTo(1, 5);
			}
		}
	});

	it('rejects bad sizes', () => {
		expect(() => resampleMatrix(0, 2, 'area')).toThrow();
		expect(() => resampleMatrix(4, 2.5, 'area')).toThrow();
	});
});

describe('resize', () => {
	it('keeps a constant image constant (HWC and NHWC, all methods)', () => {
		for (const method of ['area', 'bilinear', 'bicubic'] as ResampleMethod[]) {
			const x = tf.fill([24, 20, 3], 0.37) as tf.Tensor3D;
			const y = resize(x, 6, 5, method);
			expect(y.shape).toEqual([6, 5, 3]);
			for (const v of y.dataSync()) expect(v).toBeCloseTo(0.37, 5);
			const x4 = tf.fill([2, 8, 8, 3], 0.5) as tf.Tensor4D;
			const y4 = resize(x4, 16, 4, method);
			expect(y4.shape).toEqual([2, 16, 4, 3]);
			for (const v of y4.dataSync()) expect(v).toBeCloseTo(0.5, 5);
			tf.dispose([x, y, x4, y4]);
		}
	});

	it('applies Ry · X · Rxᵀ per channel (against a direct computation)', () => {
		const H = 6, W = 4, h = 3, w = 2;
		const data = Float32Array.from({ length: H * W * 3 }, (_, i) => Math.sin(i * 0.7) * 0.5 + 0.5);
		const y = resize(tf.tensor3d(data, [H, W, 3]), h, w, 'bicubic');
		const got = y.dataSync();
		const ry = resampleMatrix(H, h, 'bicubic');
		const rx = resampleMatrix(W, w, 'bicubic');
		for (let i = 0; i < h; i++)
			for (let j = 0; j < w; j++)
				for (let c = 0; c < 3; c++) {
					let s = 0;
					for (let a = 0; a < H; a++) for (let b = 0; b < W; b++) s += ry[i * H + a] * rx[j * W + b] * data[(a * W + b) * 3 + c];
					expect(got[(i * w + j) * 3 + c]).toBeCloseTo(s, 5);
				}
		y.dispose();
	});

	it('area resize by an integer factor equals avgPool, and is differentiable', () => {
		const x = tf.randomUniform([16, 16, 3], 0, 1, 'float32', 3) as tf.Tensor3D;
		const a = resize(x, 4, 4, 'area');
		const b = avgPool(x, 4);
		expect(b.shape).toEqual([4, 4, 3]);
		const d = tf.max(tf.abs(tf.sub(a, b))).dataSync()[0];
		expect(d).toBeLessThan(1e-6);
		// d/dx sum(resize(x)) = column sums of the matrices: 1/16 per pixel for 16→4 area
		const g = tf.grad((t: tf.Tensor) => tf.sum(resize(t as tf.Tensor3D, 4, 4, 'area')))(x);
		for (const v of g.dataSync()) expect(v).toBeCloseTo(1 / 16, 6);
		tf.dispose([x, a, b, g]);
	});

	it('does not leak tensors', () => {
		const x = tf.zeros([32, 32, 3]) as tf.Tensor3D;
		const before = tf.memory().numTensors;
		const y = resize(x, 16, 8, 'bicubic');
		expect(tf.memory().numTensors).toBe(before + 1);
		y.dispose();
		x.dispose();
	});

	it('avgPool rejects sizes not divisible by the factor', () => {
		const x = tf.zeros([10, 10, 3]) as tf.Tensor3D;
		expect(() => avgPool(x, 4)).toThrow(/divisible/);
		x.dispose();
	});
});
