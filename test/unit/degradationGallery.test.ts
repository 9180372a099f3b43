import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { computeGallery, degradationGallery, galleryParams, readGalleryParams, type GalleryResult } from '../../src/cells/degradationGallery';
import { cellContext } from './cellContext';
import { GpuQueue, isAbort } from '../../src/lib/runtime/gpuQueue';
import { rgbImage, type RGBImage } from '../../src/lib/image/rgb';
import type { ParamValues } from '../../src/lib/notebook/types';

beforeAll(async () => {
	await tf.setBackend('cpu');
});

/** A smooth synthetic "face": shaded oval on a gradient background, 128×128. */
function smoothFace(): RGBImage {
	const img = rgbImage(128, 128);
	for (let y = 0; y < 128; y++)
		for (let x = 0; x < 128; x++) {
			const r2 = ((x - 64) / 40) ** 2 + ((y - 64) / 52) ** 2;
			const face = Math.exp(-(r2 ** 2)); // soft-edged oval
			const i = (y * 128 + x) * 3;
			img.data[i] = 0.2 + 0.6 * face + 0.1 * (x / 128);
			img.data[i + 1] = 0.2 + 0.45 * face;
			img.data[i + 2] = 0.3 + 0.3 * face * (y / 128);
		}
	return img;
}

function constant(v: number): RGBImage {
	return rgbImage(128, 128, new Float32Array(128 * 128 * 3).fill(v));
}

function makeCtx(hr128: RGBImage, params: ParamValues = {}, controller = new AbortController()) {
	const queue = new GpuQueue();
	const progress: number[] = [];
	let gpuCalls = 0;
	const ctx = cellContext(degradationGallery, {
		params,
		inputs: { face: { hr128 } },
		signal: controller.signal,
		gpu: (task) => {
			gpuCalls++;
			return queue.run(task, controller.signal);
		},
		progress: (f) => progress.push(f)
	});
	return { ctx, progress, controller, gpuCalls: () => gpuCalls };
}

const item = (r: GalleryResult, id: string) => r.items.find((i) => i.id === id)!;

describe('computeGallery', () => {
	it('returns 7 LR images of 16×16 plus the pooled HR, through ctx.gpu, reporting progress', async () => {
		const { ctx, progress, gpuCalls } = makeCtx(smoothFace());
		const r = await computeGallery(ctx);
		expect(r.source).toBe(64);
		expect([r.hrPooled.width, r.hrPooled.height]).toEqual([16, 16]);
		expect(r.items.map((i) => i.id)).toEqual(['bicubic', 'bilinear', 'gaussian', 'random-blur', 'motion', 'jpeg', 'noise']);
		for (const it of r.items) {
			expect([it.lr.width, it.lr.height, it.lr.data.length]).toEqual([16, 16, 768]);
			expect(Number.isFinite(it.l2)).toBe(true);
			expect(it.l2).toBeGreaterThanOrEqual(0);
			expect(it.label && it.note).toBeTruthy();
		}
		expect(gpuCalls()).toBeGreaterThanOrEqual(8);
		expect(progress.at(-1)).toBe(1);
		// smooth image: bicubic is nearly the average pooling; the blurs are further off
		expect(item(r, 'bicubic').l2).toBeLessThan(2e-5);
		expect(item(r, 'gaussian').l2).toBeGreaterThan(item(r, 'bicubic').l2);
		expect(item(r, 'noise').l2).toBeGreaterThan(item(r, 'bilinear').l2);
	});

	it('l2 is the mean squared difference between lr and hrPooled (Eq. 4)', async () => {
		const { ctx } = makeCtx(smoothFace(), { source: '128' });
		const r = await computeGallery(ctx);
		expect(r.source).toBe(128);
		for (const it of r.items) {
			let s = 0;
			for (let i = 0; i < 768; i++) s += (it.lr.data[i] - r.hrPooled.data[i]) ** 2;
			expect(it.l2).toBeCloseTo(s / 768, 7);
		}
	});

	it('noise on a constant image gives l2 ≈ σ² (σ in /255 units); the rest ≈ 0', async () => {
		const sigma = 10;
		const { ctx } = makeCtx(constant(0.5), { noiseSigma: sigma, noiseSeed: 123 });
		const r = await computeGallery(ctx);
		const want = (sigma / 255) ** 2;
		// 768 samples: the estimate's relative std is √(2/768) ≈ 5%
		expect(Math.abs(item(r, 'noise').l2 - want) / want).toBeLessThan(0.2);
		for (const it of r.items.filter((i) => i.id !== 'noise')) expect(it.l2).toBeLessThan(1e-5);
		for (const v of r.hrPooled.data) expect(v).toBeCloseTo(0.5, 6);
	});

	it('leaks no tensors (both sources)', async () => {
		await computeGallery(makeCtx(smoothFace()).ctx); // warm-up: backends may cache on first use
		const before = tf.memory().numTensors;
		await computeGallery(makeCtx(smoothFace()).ctx);
		await computeGallery(makeCtx(smoothFace(), { source: '128' }).ctx);
		expect(tf.memory().numTensors).toBe(before);
	});

	it('stops with an AbortError between degradations, without leaks', async () => {
		const before = tf.memory().numTensors;
		const controller = new AbortController();
		const { ctx, progress } = makeCtx(smoothFace(), {}, controller);
		// A queue that ignores the signal, so only computeGallery's own checks can stop it.
		ctx.gpu = (task) => Promise.resolve().then(task);
		const orig = ctx.progress;
		ctx.progress = (f) => {
			orig(f);
			if (progress.length === 2) controller.abort();
		};
		const err = await computeGallery(ctx).then(
			() => null,
			(e: unknown) => e
		);
		expect(isAbort(err)).toBe(true);
		expect(progress.length).toBe(2);
		expect(tf.memory().numTensors).toBe(before);
	});

	it('an already-aborted run does no work', async () => {
		const controller = new AbortController();
		controller.abort();
		const { ctx, gpuCalls } = makeCtx(smoothFace(), {}, controller);
		await expect(computeGallery(ctx)).rejects.toSatisfy(isAbort);
		expect(gpuCalls()).toBe(0);
	});

	it('rejects a wrongly sized face with a clear message', async () => {
		const bad = makeCtx(smoothFace()).ctx;
		await expect(computeGallery({ ...bad, inputs: { face: { ...bad.inputs.face, hr128: rgbImage(64, 64) } } })).rejects.toThrow(/128×128/);
	});
});

describe('gallery parameters', () => {
	it('every spec has a default inside its range', () => {
		for (const spec of Object.values(galleryParams)) {
			if (spec.type === 'number') {
				expect(spec.default).toBeGreaterThanOrEqual(spec.min);
				expect(spec.default).toBeLessThanOrEqual(spec.max);
			}
		}
		expect(galleryParams.kernelSize).toMatchObject({ min: 2, max: 6 });
		expect(galleryParams.kernelSeed.type).toBe('seed');
		expect(galleryParams.noiseSeed.type).toBe('seed');
	});

	it('reads values leniently: defaults, clamping, rounding, strings', () => {
		const read = (params: ParamValues) => readGalleryParams(cellContext(degradationGallery, { params }).params);
		const d = read({});
		expect(d.source).toBe(64);
		expect(d.p.blurSigma).toBe(galleryParams.blurSigma.default);
		const r = read({ source: '128', kernelSize: 9, jpegQuality: 55.6, noiseSigma: -3, blurSigma: 'x', kernelSeed: -1 });
		expect(r.source).toBe(128);
		expect(r.p.kernelSize).toBe(6);
		expect(r.p.jpegQuality).toBe(56);
		expect(r.p.noiseSigma).toBe(0);
		expect(r.p.blurSigma).toBe(galleryParams.blurSigma.default);
		expect(r.p.kernelSeed).toBe(0xffffffff);
	});
});
