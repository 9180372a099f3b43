import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { frechetDistance, frechetFromFeatures, gaussianStats, matMul, symmetricEigen } from '../../src/lib/eval/frechet';
import { FACE_DESCRIPTOR_DIM, loadFaceFeatureExtractor } from '../../src/lib/eval/faceFeatures';
import { decodePng, readImageSet, seededSubset, type U8Image } from '../../src/lib/eval/imageSets';
import { gaussianKernel } from '../../src/lib/image/kernels';
import { blur } from '../../src/lib/image/tensor';
import { createRng } from '../../src/lib/image/rng';

// CI keeps the shared data beside the repo (never copied into it).
const FACES = fileURLToPath(new URL('../../../shared/data/faces/', import.meta.url));

/** n samples of N(mean, diag(variances)) as row-major features. */
function gaussianSamples(n: number, mean: number[], variances: number[], seed: number): Float64Array {
	const d = mean.length;
	const rng = createRng(seed);
	const out = new Float64Array(n * d);
	for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * d + j] = mean[j] + Math.sqrt(variances[j]) * rng.normal();
	return out;
}

function randomSpd(n: number, seed: number): Float64Array {
	const rng = createRng(seed);
	const b = new Float64Array(n * n);
	rng.fillNormal(b);
	const bt = new Float64Array(n * n);
	for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) bt[i * n + j] = b[j * n + i];
	const a = matMul(b, bt, n);
	for (let i = 0; i < n; i++) a[i * n + i] += 0.1;
	return a;
}

describe('Fréchet distance (float64)', () => {
	it('Jacobi eigen-decomposition reconstructs a random SPD matrix with orthonormal vectors', () => {
		const n = 40;
		const a = randomSpd(n, 7);
		const { values, vectors } = symmetricEigen(a, n);
		for (let k = 1; k < n; k++) expect(values[k]).toBeLessThanOrEqual(values[k - 1]);
		expect(values[n - 1]).toBeGreaterThan(0);
		let maxErr = 0;
		let maxOrth = 0;
		for (let i = 0; i < n; i++)
			for (let j = 0; j < n; j++) {
				let r = 0;
				let o = 0;
				for (let k = 0; k < n; k++) {
					r += vectors[i * n + k] * values[k] * vectors[j * n + k];
					o += vectors[k * n + i] * vectors[k * n + j];
				}
				maxErr = Math.max(maxErr, Math.abs(r - a[i * n + j]));
				maxOrth = Math.max(maxOrth, Math.abs(o - (i === j ? 1 : 0)));
			}
		expect(maxErr).toBeLessThan(1e-9 * values[0]);
		expect(maxOrth).toBeLessThan(1e-12);
	});

	it('is ≈ 0 for identical sets and symmetric in its arguments', () => {
		const d = 16;
		const a = gaussianSamples(300, Array(d).fill(0.5), Array.from({ length: d }, (_, i) => 0.1 + i / d), 1);
		const b = gaussianSamples(300, Array(d).fill(0.2), Array(d).fill(0.3), 2);
		expect(frechetFromFeatures(a, a, d).distance).toBeLessThan(1e-9);
		const ab = frechetFromFeatures(a, b, d).distance;
		const ba = frechetFromFeatures(b, a, d).distance;
		expect(ab).toBeGreaterThan(1);
		expect(Math.abs(ab - ba)).toBeLessThan(1e-9 * ab);
	});

	it('matches the closed form for diagonal covariances: ‖μ1−μ2‖² + Σ(√a−√b)²', () => {
		const d = FACE_DESCRIPTOR_DIM; // the real size, full 128×128 path
		const va = Array.from({ length: d }, (_, i) => 0.5 + (i % 7) * 0.3);
		const vb = Array.from({ length: d }, (_, i) => 2 - (i % 5) * 0.35);
		const mean = (v: number[]) => Float64Array.from(v);
		const diag = (v: number[]) => {
			const c = new Float64Array(d * d);
			v.forEach((x, i) => (c[i * d + i] = x));
			return c;
		};
		const ma = Array.from({ length: d }, (_, i) => Math.sin(i));
		const mb = Array.from({ length: d }, (_, i) => Math.cos(i));
		const r = frechetDistance({ dim: d, count: 2, mean: mean(ma), cov: diag(va) }, { dim: d, count: 2, mean: mean(mb), cov: diag(vb) });
		let expected = 0;
		for (let i = 0; i < d; i++) expected += (ma[i] - mb[i]) ** 2 + (Math.sqrt(va[i]) - Math.sqrt(vb[i])) ** 2;
		expect(r.distance).toBeCloseTo(expected, 9);

		// A full (non-diagonal) 128×128 Σ against itself with shifted means: the covariance
		// term must vanish through the whole sqrt/eigen path, leaving exactly ‖Δμ‖².
		const s = randomSpd(d, 3);
		const g = { dim: d, count: 2, mean: new Float64Array(d), cov: s };
		const shifted = { ...g, mean: new Float64Array(d).fill(0.5) };
		const same = frechetDistance(g, shifted);
		expect(same.covTerm).toBeLessThan(1e-6);
		expect(same.distance).toBeCloseTo(0.25 * d, 6);
	});

	it('estimates the population distance from samples', () => {
		const d = 8;
		const a = gaussianSamples(20000, Array(d).fill(0), Array(d).fill(1), 4);
		const b = gaussianSamples(20000, Array(d).fill(1), Array(d).fill(4), 5);
		// ‖μ‖² = 8, Σ(√1 − √4)² = 8
		expect(frechetFromFeatures(a, b, d).distance).toBeCloseTo(16, 0);
		expect(gaussianStats(a, 20000, d).cov[0]).toBeCloseTo(1, 1);
	});
});

describe('image set readers', () => {
	it('decodes a PNG with every scanline filter (RGBA, alpha dropped)', () => {
		const w = 5;
		const h = 5;
		const rgba = new Uint8Array(w * h * 4).map((_, i) => (i * 37 + 11) & 255);
		// Encode row y with filter y (0..4) so each filter's inverse runs once.
		const rows: number[] = [];
		const px = (x: number, y: number, c: number) => (x < 0 || y < 0 ? 0 : rgba[(y * w + x) * 4 + c]);
		for (let y = 0; y < h; y++) {
			rows.push(y);
			for (let x = 0; x < w; x++)
				for (let c = 0; c < 4; c++) {
					const a = px(x - 1, y, c), b = px(x, y - 1, c), cc = px(x - 1, y - 1, c);
					const pa = Math.abs(b - cc), pb = Math.abs(a - cc), pc = Math.abs(a + b - 2 * cc);
					const paeth = pa <= pb && pa <= pc ? a : pb <= pc ? b : cc;
					const pred = [0, a, b, (a + b) >> 1, paeth][y];
					rows.push((px(x, y, c) - pred) & 255);
				}
		}
		const chunk = (type: string, body: Uint8Array) => {
			const out = new Uint8Array(12 + body.length);
			new DataView(out.buffer).setUint32(0, body.length);
			out.set(new TextEncoder().encode(type), 4);
			out.set(body, 8);
			return out; // CRC left zero: the decoder does not check it
		};
		const ihdr = new Uint8Array(13);
		new DataView(ihdr.buffer).setUint32(0, w);
		new DataView(ihdr.buffer).setUint32(4, h);
		ihdr.set([8, 6, 0, 0, 0], 8);
		const sig = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
		const png = Buffer.concat([sig, chunk('IHDR', ihdr), chunk('IDAT', deflateSync(Uint8Array.from(rows))), chunk('IEND', new Uint8Array())]);
		const img = decodePng(png);
		expect([img.width, img.height]).toEqual([w, h]);
		for (let i = 0; i < w * h; i++) expect([...img.data.subarray(i * 3, i * 3 + 3)]).toEqual([...rgba.subarray(i * 4, i * 4 + 3)]);
		// A directory set reads image files only, in name order.
		const dir = mkdtempSync(join(tmpdir(), 'fidproxy-png-'));
		try {
			writeFileSync(join(dir, 'b.png'), png);
			writeFileSync(join(dir, 'a.PNG'), png);
			writeFileSync(join(dir, 'notes.txt'), 'not an image');
			const set = readImageSet(dir);
			expect(set.total).toBe(2);
			expect(set.images[1].data).toEqual(img.data);
		} finally {
			rmSync(dir, { recursive: true });
		}
	});

	it('reads .npy and .u8 arrays, a tar shard and a zip, with limit and seeded subsets', () => {
		const dir = mkdtempSync(join(tmpdir(), 'fidproxy-'));
		try {
			const pix = new Uint8Array(3 * 2 * 2 * 3).map((_, i) => i);
			const header = "{'descr': '|u1', 'fortran_order': False, 'shape': (3, 2, 2, 3), }";
			const padded = header.padEnd(118, ' ') + '\n'; // 10 + 118 = 128-byte aligned
			const npy = Buffer.concat([Buffer.from([0x93]), Buffer.from('NUMPY'), Buffer.from([1, 0, padded.length, 0]), Buffer.from(padded), pix]);
			writeFileSync(join(dir, 'a.npy'), npy);
			writeFileSync(join(dir, 'a.u8'), pix);
			const fromNpy = readImageSet(join(dir, 'a.npy'), { limit: 2 });
			expect(fromNpy.total).toBe(3);
			expect(fromNpy.images.map((i) => i.data[0])).toEqual([0, 12]);
			const fromU8 = readImageSet(join(dir, 'a.u8'), { shape: [2, 2], limit: 2, seed: 9 });
			expect(fromU8.images.length).toBe(2);
			expect(() => readImageSet(join(dir, 'a.u8'))).toThrow(/shape/);
		} finally {
			rmSync(dir, { recursive: true });
		}
		const sub = seededSubset(1000, 64, 3);
		expect(new Set(sub).size).toBe(64);
		expect(sub).toEqual(seededSubset(1000, 64, 3));
		const tar = readImageSet(join(FACES, 'faces128-test-000.tar'), { limit: 3 });
		expect(tar.total).toBe(1000);
		expect(tar.images.map((i) => [i.width, i.height])).toEqual([[128, 128], [128, 128], [128, 128]]);
		const zip = readImageSet(join(FACES, 'faces64-test.zip'), { limit: 4, seed: 1 });
		expect(zip.indices).toEqual([...zip.indices].sort((a, b) => a - b));
		expect(zip.images[0].data.length).toBe(64 * 64 * 3);
	});
});

/** Gaussian blur with σ = 6 px on 64-px faces (the project's reflect-padded blur): heavily blurred. */
function blurred(images: U8Image[], sigma: number): U8Image[] {
	return images.map((img) =>
		tf.tidy(() => {
			const t = tf.tensor3d(img.data, [img.height, img.width, 3], 'float32');
			return { ...img, data: Uint8Array.from(blur(t, gaussianKernel(sigma)).round().dataSync()) };
		})
	);
}

describe('FID-proxy on real faces (face-api recognition features)', () => {
	it('gives 128-D unit-scale descriptors and orders real ≪ blurred < noise', { timeout: 180_000 }, async () => {
		const zip = join(FACES, 'faces64-test.zip');
		expect(existsSync(zip), `${zip} missing: the shared face data must sit beside the repo`).toBe(true);
		const faces = readImageSet(zip, { limit: 128 }).images;
		const pick = seededSubset(128, 64, 11); // 64 of the 128 for A, the rest for B: disjoint
		const inA = new Set(pick);
		const a = faces.filter((_, i) => inA.has(i));
		const b = faces.filter((_, i) => !inA.has(i));

		const ex = await loadFaceFeatureExtractor();
		const fa = await ex.describe(a);
		expect(fa.length).toBe(64 * FACE_DESCRIPTOR_DIM);
		for (let i = 0; i < 2; i++) {
			const norm = Math.hypot(...fa.subarray(i * 128, (i + 1) * 128));
			expect(norm).toBeGreaterThan(0.5);
			expect(norm).toBeLessThan(3);
		}
		const fb = await ex.describe(b);
		const fBlur = await ex.describe(blurred(b, 6));
		const rng = createRng(99);
		const noise = b.map((img) => ({ ...img, data: img.data.map(() => Math.floor(rng.uniform() * 256)) }));
		const fNoise = await ex.describe(noise);

		const real = frechetFromFeatures(fa, fb, FACE_DESCRIPTOR_DIM).distance;
		const soft = frechetFromFeatures(fa, fBlur, FACE_DESCRIPTOR_DIM).distance;
		const noisy = frechetFromFeatures(fa, fNoise, FACE_DESCRIPTOR_DIM).distance;
		// Measured on wasm: real ≈ 0.15 (mostly small-N covariance bias), blurred ≈ 0.34, noise ≈ 0.47.
		expect(real).toBeGreaterThan(0);
		expect(soft).toBeGreaterThan(2 * real);
		expect(noisy).toBeGreaterThan(3 * real);
		expect(noisy).toBeGreaterThan(soft);
	});
});
