// The joint-SR degradation (src/lib/jointSr/degrade.ts): shapes and range, length 0 = bicubic ×1/8 of
// the sharp face, the kernel's direction (a horizontal blur leaves an image that varies only down the
// rows unchanged, a vertical one does not), and the face mask's polygon rule (faceMask.ts).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { bicubicUp, degradeJoint, imageToSigned, motionDegrade } from '../../src/lib/jointSr/degrade';
import { faceRegionMask, faceRegionPolygon, insidePolygon, polygonMask } from '../../src/lib/jointSr/faceMask';
import { identityKernel } from '../../src/lib/image/kernels';
import { resize } from '../../src/lib/image/resample';
import { rgbImage } from '../../src/lib/image/rgb';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

const maxAbs = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
const face = () => tf.randomUniform([1, 128, 128, 3], -1, 1, 'float32', 11) as tf.Tensor4D;
/** Varies only down the rows: value of row i = sin(i / 5). */
const rowRamp = () => tf.tidy(() => tf.tile(tf.reshape(tf.sin(tf.div(tf.range(0, 128), 5)), [1, 128, 1, 1]), [1, 1, 128, 3]) as tf.Tensor4D);

describe('degradeJoint', () => {
	it('gives a 128 px blurred HR and a 16 px LR in [-1, 1]', () => {
		const hr = face();
		const { blurredHr, lr, kernel } = motionDegrade(hr, 12, 30);
		expect(blurredHr.shape).toEqual([1, 128, 128, 3]);
		expect(lr.shape).toEqual([1, 16, 16, 3]);
		expect(tf.max(lr).dataSync()[0]).toBeLessThanOrEqual(1);
		expect(tf.min(lr).dataSync()[0]).toBeGreaterThanOrEqual(-1);
		expect(kernel.width).toBe(13);
		expect(maxAbs(blurredHr, hr)).toBeGreaterThan(0.1);
		tf.dispose([hr, blurredHr, lr]);
	});

	it('at length 0 leaves the HR sharp and the LR is the clamped bicubic ×1/8 of the sharp face', () => {
		const hr = face();
		const { blurredHr, lr } = motionDegrade(hr, 0, 77);
		expect(maxAbs(blurredHr, hr)).toBe(0);
		const want = tf.clipByValue(resize(hr, 16, 16, 'bicubic'), -1, 1);
		expect(maxAbs(lr, want)).toBeLessThan(1e-6);
		tf.dispose([hr, blurredHr, lr, want]);
	});

	it('blurs along the kernel\'s direction: 0° leaves row-only variation alone, 90° smooths it', () => {
		const x = rowRamp();
		const h = motionDegrade(x, 8, 0);
		const v = motionDegrade(x, 8, 90);
		expect(maxAbs(h.blurredHr, x)).toBeLessThan(1e-5);
		expect(maxAbs(v.blurredHr, x)).toBeGreaterThan(0.05);
		tf.dispose([x, h.blurredHr, h.lr, v.blurredHr, v.lr]);
	});

	it('refuses an HR of the wrong size', () => {
		const small = tf.zeros([1, 64, 64, 3]) as tf.Tensor4D;
		expect(() => degradeJoint(small, identityKernel())).toThrow(/\[N, 128, 128, 3\]/);
		small.dispose();
	});

	it('bicubicUp scales ×8 and imageToSigned maps [0, 1] to [-1, 1]', () => {
		const lr = tf.zeros([1, 16, 16, 3]) as tf.Tensor4D;
		const up = bicubicUp(lr);
		expect(up.shape).toEqual([1, 128, 128, 3]);
		const img = rgbImage(2, 1, Float32Array.of(0, 0.5, 1, 1, 0.5, 0));
		const s = imageToSigned(img);
		expect(s.shape).toEqual([1, 1, 2, 3]);
		expect(Array.from(s.dataSync())).toEqual([-1, 0, 1, 1, 0, -1]);
		tf.dispose([lr, up, s]);
	});
});

/** 68 landmarks of a synthetic face: jaw p0..p16 on a lower half-circle (centre 64, 60, radius 40), brows p17..p26 on y = 50. */
function syntheticLandmarks(): Float32Array {
	const p = new Float32Array(136);
	for (let k = 0; k <= 16; k++) {
		const a = Math.PI - (k / 16) * Math.PI; // 180° → 0°, down through the chin
		p[2 * k] = 64 + 40 * Math.cos(a);
		p[2 * k + 1] = 60 + 40 * Math.sin(a);
	}
	for (let k = 17; k <= 26; k++) {
		p[2 * k] = 30 + ((k - 17) / 9) * 68;
		p[2 * k + 1] = 50;
	}
	for (let k = 27; k < 68; k++) {
		p[2 * k] = 64;
		p[2 * k + 1] = 70; // inside the face; not part of the polygon
	}
	return p;
}

describe('faceRegionMask', () => {
	it('rasterises a square by pixel centres (even–odd)', () => {
		const m = polygonMask([[2, 2], [6, 2], [6, 6], [2, 6]], 8);
		const rows = Array.from({ length: 8 }, (_, i) => Array.from(m.subarray(i * 8, i * 8 + 8)).join(''));
		expect(rows).toEqual(['00000000', '00000000', '00111100', '00111100', '00111100', '00111100', '00000000', '00000000']);
		// a pentagram: its centre has winding number 2, outside by the even–odd rule; a tip is inside
		const star = [0, 2, 4, 1, 3].map((k): [number, number] => {
			const a = ((90 + 72 * k) * Math.PI) / 180;
			return [10 * Math.cos(a), 10 * Math.sin(a)];
		});
		expect(insidePolygon(0, 0, star)).toBe(false);
		expect(insidePolygon(0, 8, star)).toBe(true);
		expect(insidePolygon(0, 11, star)).toBe(false);
	});

	it('closes the jaw over the eyebrows lifted by 0.2 of the brow-to-chin height', () => {
		const p = syntheticLandmarks();
		const poly = faceRegionPolygon(p);
		expect(poly).toHaveLength(27);
		// h = p8.y − mean brow y = 100 − 50; lift = 10; q26 first after p16
		expect(poly[17][0]).toBeCloseTo(98, 5);
		expect(poly[17][1]).toBeCloseTo(40, 5);
		expect(poly[26][0]).toBeCloseTo(30, 5);
		const m = faceRegionMask(p);
		const at = (x: number, y: number) => m[y * 128 + x];
		expect(at(64, 80)).toBe(1); // inside the jaw
		expect(at(64, 45)).toBe(1); // forehead: above the brows, below the lift
		expect(at(64, 38)).toBe(0); // above the lifted brows
		expect(at(2, 2)).toBe(0);
		expect(at(64, 101)).toBe(0); // below the chin
		let area = 0;
		for (const v of m) area += v;
		// half 32-gon of radius 40 (8·40²·sin(π/16) = 2497) + the trapezoid from y 60 (x 24..104) to the
		// lifted brows at y 40 (x 30..98): 20·(80 + 68)/2 = 1480
		expect(area).toBeGreaterThan(3977 - 30);
		expect(area).toBeLessThan(3977 + 30);
	});

	it('refuses anything but 68 finite points', () => {
		expect(() => faceRegionMask(new Float32Array(10))).toThrow(/136/);
		const p = syntheticLandmarks();
		p[5] = NaN;
		expect(() => faceRegionMask(p)).toThrow(/landmark 2/);
	});
});
