// The degradation and the face mask are the same in TypeScript and in the PyTorch the nets were trained
// with: motionBlurKernel and tensor.ts `blur` against train/joint_sr/blur.py, the face-region polygon and
// mask against train/joint_sr/mask.py (fixtures written by train/joint_sr/fixtures.py).
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { faceRegionMask, faceRegionPolygon } from '../../src/lib/jointSr/faceMask';
import { motionBlurKernel } from '../../src/lib/image/kernels';
import { blur } from '../../src/lib/image/tensor';

interface KernelFixture {
	kernels: { length: number; angle: number; width: number; height: number; data: number[] }[];
	patch: { shape: [number, number, number]; u8_base64: string };
	blurred: { length: number; angle: number; values: number[] }[];
}
interface MaskFixture {
	size: number;
	cases: { name: string; points: number[]; polygon: number[]; mask_bits_base64: string; count: number }[];
}

const kernels: KernelFixture = JSON.parse(readFileSync('test/fixtures/joint-sr-kernels.json', 'utf8'));
const masks: MaskFixture = JSON.parse(readFileSync('test/fixtures/joint-sr-mask.json', 'utf8'));

beforeAll(async () => {
	await tf.setBackend('cpu');
});

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => {
	expect(a.length).toBe(b.length);
	let d = 0;
	for (let i = 0; i < b.length; i++) d = Math.max(d, Math.abs(a[i] - b[i]));
	return d;
};

describe('motion blur: TypeScript = PyTorch (train/joint_sr/blur.py)', () => {
	for (const k of kernels.kernels)
		it(`kernel length ${k.length} at ${k.angle}°`, () => {
			const ts = motionBlurKernel(k.length, k.angle);
			expect([ts.width, ts.height]).toEqual([k.width, k.height]);
			expect(maxAbsDiff(ts.data, k.data)).toBeLessThanOrEqual(1e-6);
		});

	for (const b of kernels.blurred)
		it(`blurred 8×8 patch, length ${b.length} at ${b.angle}° (mirror padding, incl. repeated reflection)`, () => {
			const [h, w, c] = kernels.patch.shape;
			const u8 = Uint8Array.from(Buffer.from(kernels.patch.u8_base64, 'base64'));
			const x = tf.tensor3d(Float32Array.from(u8, (v) => v / 127.5 - 1), [h, w, c]);
			const y = blur(x, motionBlurKernel(b.length, b.angle));
			expect(maxAbsDiff(y.dataSync(), b.values)).toBeLessThanOrEqual(1e-6);
			tf.dispose([x, y]);
		});
});

describe('face-region mask: TypeScript = PyTorch (train/joint_sr/mask.py)', () => {
	for (const c of masks.cases)
		it(c.name, () => {
			const poly = faceRegionPolygon(c.points).flat();
			expect(maxAbsDiff(poly, c.polygon)).toBeLessThanOrEqual(1e-4);
			const m = faceRegionMask(c.points, masks.size);
			const bits = Uint8Array.from(Buffer.from(c.mask_bits_base64, 'base64'));
			let count = 0;
			let differ = 0;
			for (let i = 0; i < m.length; i++) {
				const want = (bits[i >> 3] >> (7 - (i & 7))) & 1;
				count += m[i];
				if (m[i] !== want) differ++;
			}
			expect(differ).toBe(0);
			expect(count).toBe(c.count);
		});
});
