// The progressive-SR cells of the progressive-growth notebook (paper 003 §3.1): the model cell
// loads both shipped weight sets through the app's loader (loadModel, with fetch served from
// the repository's files) and parses their cards' measured metrics; the steps cell runs all
// three steps for a ProGAN-like 64 px face and a 128 px upload; the fade cell's JS blend equals
// superResolve(weights, lr, {step, alpha}); PSNR on 8-bit levels is hand-checked.
import * as tf from '@tensorflow/tfjs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { rgbImage } from '../../src/lib/image/rgb';
import { toDisplay } from '../../src/lib/image/signed';
import { parsePsrCard } from '../../src/models/cards';
import { superResolve, superResolveImage } from '../../src/models/progressiveSr';
import { pairedSummary, pairedText, psrModel, type PsrModel } from '../../src/notebooks/progressive-growth/psrModel';
import { psnr8, psrSteps, type PsrStepsResult } from '../../src/notebooks/progressive-growth/psrSteps';
import { psrFade } from '../../src/notebooks/progressive-growth/psrFade';
import { runCell } from './cellContext';
import { folderFetch } from './shippedModels';

const ROOT = resolve(process.env.PSR_WEIGHTS_ROOT ?? 'static/weights');

/** A smooth synthetic face-like image (no dataset faces in tests). */
function synthetic(size: number) {
	const img = rgbImage(size, size);
	for (let y = 0; y < size; y++)
		for (let x = 0; x < size; x++) {
			const r = Math.hypot(x / size - 0.5, y / size - 0.45);
			const i = (y * size + x) * 3;
			img.data[i] = r < 0.35 ? 0.8 : 0.2;
			img.data[i + 1] = r < 0.35 ? 0.6 : 0.3;
			img.data[i + 2] = r < 0.35 ? 0.5 : 0.4 + 0.2 * (x / size);
		}
	return img;
}

beforeAll(async () => {
	await tf.setBackend('cpu');
});

describe('psnr8', () => {
	it('matches a hand computation on 8-bit levels', () => {
		const a = rgbImage(1, 1, Float32Array.from([0, 0, 0]));
		const b = rgbImage(1, 1, Float32Array.from([10 / 255, 0, 0]));
		// MSE = 100 / 3 -> 10 log10(255^2 * 3 / 100)
		expect(psnr8(a, b)).toBeCloseTo(10 * Math.log10((255 * 255 * 3) / 100), 9);
		expect(psnr8(a, a)).toBe(Infinity);
	});
});

describe('progressive-SR cells on the shipped weights', () => {
	const models: Record<string, PsrModel> = {};
	beforeAll(async () => {
		// the cell loads through loadModel, which fetches /weights/<variant>/ as the app does
		vi.stubGlobal('fetch', folderFetch(ROOT));
		for (const variant of ['progressive-sr', 'progressive-sr-noatt']) models[variant] = await runCell(psrModel, { params: { variant } });
	});
	afterAll(() => {
		vi.unstubAllGlobals();
	});

	it('model cell loads both variants with a card holding measured metrics for bicubic and both twins', () => {
		for (const [v, m] of Object.entries(models)) {
			expect(m.name).toBe(v);
			expect(m.info.widths).toHaveLength(4);
			expect(m.card, m.cardProblem).not.toBeNull();
			const methods = new Set(m.card!.metrics.map((r) => r.method));
			expect(methods).toEqual(new Set(['bicubic', 'with attention loss', 'without attention loss']));
			expect(m.card!.metrics).toHaveLength(9);
			expect(m.card!.qualityNote).toMatch(/CPU-trained stand-in/);
			expect(m.card!.heatmapLoss).toMatch(/^Eq\. 5 on, l = 10/);
			// the paired interval is consistent with the two twins' means in the same card
			const psnrOf = (method: string) => m.card!.metrics.find((r) => r.method === method && r.metric === 'PSNR (dB)')!.value;
			const d = m.card!.paired.find((p) => p.metric === 'PSNR (dB)')!;
			expect(d.mean).toBeCloseTo(psnrOf('with attention loss') - psnrOf('without attention loss'), 2);
			expect(d.ci95).toBeGreaterThan(0);
		}
		expect(parsePsrCard({}).metrics).toEqual([]);
		expect(parsePsrCard({}).paired).toEqual([]);
		const one = { metric: 'PSNR (dB)' as const, mean: -0.0412, ci95: 0.05 };
		expect(pairedText(one)).toEqual({ text: 'PSNR −0.04 ± 0.05 dB', includesZero: true });
		expect(pairedText({ metric: 'SSIM', mean: 0.0081, ci95: 0.002 })).toEqual({ text: 'SSIM +0.0081 ± 0.0020', includesZero: false });
		expect(pairedSummary([one, { metric: 'SSIM', mean: 0.0081, ci95: 0.002 }])).toBe('PSNR −0.04 ± 0.05 dB · SSIM +0.0081 ± 0.0020 (intervals that include 0 mean no measurable difference; one seed each)');
		expect(() => parsePsrCard([])).toThrow(/not an object/);
	});

	it('steps cell: 32/64/128 px heads from a ProGAN 64 px face, PSNR only where an HR exists', async () => {
		const hr64 = synthetic(64);
		const growth = { levels: [{ size: 64, raw: new Float32Array(0), image: hr64 }] };
		const r = await runCell(psrSteps, { params: { source: 'progan' }, inputs: { model: models['progressive-sr'], growth } });
		expect(r.lr.width).toBe(16);
		expect(r.steps.map((s) => s.size)).toEqual([32, 64, 128]);
		expect(r.steps.map((s) => s.image.width)).toEqual([32, 64, 128]);
		expect(r.steps[0].psnr).toBeGreaterThan(10);
		expect(r.steps[1].psnr).toBeGreaterThan(10);
		expect(r.steps[2].psnr).toBeUndefined();
		expect(r.bicubic.psnr).toBeUndefined();
		const face = { hr128: synthetic(128), hr64, label: 'synthetic', synthetic: true };
		const u = await runCell(psrSteps, { params: { source: 'face' }, inputs: { model: models['progressive-sr-noatt'], face } });
		expect(u.variant).toBe('progressive-sr-noatt');
		expect(u.steps[2].psnr).toBeGreaterThan(10);
		expect(u.bicubic.psnr).toBeGreaterThan(10);
		const api = await superResolveImage(models['progressive-sr'].weights, r.lr, (t) => t());
		expect(api.images.map((i) => i.width)).toEqual([32, 64, 128]);
		expect(Array.from(api.raw[2])).toEqual(Array.from(r.steps[2].raw));
		await expect(superResolveImage(models['progressive-sr'].weights, hr64, (t) => t())).rejects.toThrow(/must be 16×16/);
	});

	it('fade cell equals the model’s own fade-in at both transitions', async () => {
		const hr64 = synthetic(64);
		const growth = { levels: [{ size: 64, raw: new Float32Array(0), image: hr64 }] };
		const model = models['progressive-sr'];
		const sr: PsrStepsResult = await runCell(psrSteps, { params: { source: 'progan' }, inputs: { model, growth } });
		const fade = await runCell(psrFade, { params: { alpha2: 0.3, alpha3: 0.7 }, inputs: { steps: sr } });
		for (const [step, alpha] of [[2, 0.3], [3, 0.7]] as const) {
			const ref = tf.tidy(() => {
				const x = tf.sub(tf.mul(tf.tensor4d(sr.lr.data, [1, 16, 16, 3]), 2), 1) as tf.Tensor4D;
				const res = superResolve(model.weights, x, { step, alpha });
				return res.output.dataSync() as Float32Array;
			});
			const got = fade.transitions[step - 2];
			expect(got.alpha).toBe(alpha);
			let d = 0;
			for (let i = 0; i < ref.length; i++) d = Math.max(d, Math.abs(ref[i] - got.raw[i]));
			expect(d).toBeLessThan(1e-5);
			expect(got.out.data).toEqual(toDisplay(got.raw, got.out.width).data);
		}
	});
});
