// The SRGAN notebook's cells (src/notebooks/srgan/) on small random nets built here (the shipped
// nets' numbers are the parity test's business): the comparison runs bicubic and every loaded net
// with PSNR/SSIM only when the HR is known; the loss maps average to the losses they show (pixel
// MSE, feature distance zero for the HR itself, D's image probability = sigmoid of the mean logit);
// the mean-face search explains the LR and averages its candidates; the plane reads the documented
// JSON and says "not measured yet" without it.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rgbImage, type RGBImage } from '../../src/lib/image/rgb';
import { createRng } from '../../src/lib/image/rng';
import { psnr } from '../../src/lib/heatmaps/losses';
import { mse } from '../../src/lib/srnam/metrics';
import { DEFAULT_MODEL_DIR } from '../../src/lib/eval/faceFeatures';
import { disposeFaceNetWeights, loadFaceNetWeights, type FaceNetWeights } from '../../src/lib/eval/faceNet';
import type { NamedWeights } from '../../src/models/weights';
import { discriminatorLogitMap } from '../../src/models/srresnet';
import { parseSrganCard } from '../../src/models/srganCard';
import { srganCompare } from '../../src/notebooks/srgan/compare';
import { to8bit } from '../../src/lib/image/levels';
import { bicubicDown4, type SrganInput } from '../../src/notebooks/srgan/input';
import { discriminatorMaps, FEATURE_PX, featureDistanceMaps, featureSpace, squaredErrorMaps, srganLossMaps } from '../../src/notebooks/srgan/lossMaps';
import type { SrganNets } from '../../src/notebooks/srgan/nets';
import { fetchPlane, PLANE_URL } from '../../src/notebooks/srgan/plane';
import { paperDirection, parsePlaneReport, PLANE_SCHEMA } from '../../src/notebooks/srgan/planeData';
import { searchPlausibleFaces, srganMeanFace } from '../../src/notebooks/srgan/meanFace';
import { runCell } from './cellContext';
import { folderFetch, haveModel, shippedModel } from './shippedModels';
import { LATENT, tinyNets, type TinyNets } from './tinyNets';

/** Random SRResNet (+ D) weights with the exported names and layouts (width w, B blocks). */
function tinySrgan(seed: number, w = 4, blocks = 1, withD = true): NamedWeights {
	const rng = createRng(seed);
	const out: NamedWeights = {};
	const conv = (name: string, k: number, cin: number, cout: number) => {
		out[`${name}/w`] = tf.tensor4d(rng.fillNormal(new Float32Array(k * k * cin * cout), 0, 1 / Math.sqrt(k * k * cin)), [k, k, cin, cout]);
		out[`${name}/b`] = tf.tensor1d(rng.fillNormal(new Float32Array(cout), 0, 0.05));
	};
	const alpha = (name: string, c: number) => (out[name] = tf.fill([c], 0.25));
	conv('g/head', 9, 3, w);
	alpha('g/head/alpha', w);
	for (let i = 1; i <= blocks; i++) {
		conv(`g/b${i}/conv1`, 3, w, w);
		alpha(`g/b${i}/alpha`, w);
		conv(`g/b${i}/conv2`, 3, w, w);
	}
	conv('g/body', 3, w, w);
	for (const i of [1, 2]) {
		conv(`g/up${i}`, 3, w, 4 * w);
		alpha(`g/up${i}/alpha`, w);
	}
	conv('g/tail', 9, w, 3);
	if (withD) {
		conv('d/first', 3, 3, w);
		const mult = [1, 2, 2, 4, 4, 8, 8];
		let c = w;
		mult.forEach((m, i) => {
			conv(`d/c${i + 1}`, 3, c, w * m);
			c = w * m;
		});
		conv('d/dense1', 1, c, 8);
		conv('d/dense2', 1, 8, 1);
	}
	return out;
}

function smoothFace(): RGBImage {
	const img = rgbImage(64, 64);
	for (let y = 0; y < 64; y++)
		for (let x = 0; x < 64; x++) {
			const r = Math.hypot(x / 64 - 0.5, y / 64 - 0.45);
			img.data.set([r < 0.35 ? 0.8 : 0.2, r < 0.35 ? 0.6 : 0.3, 0.4 + 0.2 * (x / 64)], (y * 64 + x) * 3);
		}
	return img;
}

function fakeNets(weights: Record<string, NamedWeights>): SrganNets {
	const model = (id: string, w: NamedWeights) => ({ name: id, weights: w, card: null, rawCard: null, manifestSha256: '', bytes: 0, backend: 'cpu', info: { width: 4, blocks: 1, hasDiscriminator: !!w['d/first/w'], parameters: 0 } });
	const nets = (['srresnet-mse', 'srresnet-content', 'srgan'] as const).map((id) => ({
		id,
		label: id,
		loss: '',
		model: weights[id] ? model(id, weights[id]) : undefined,
		error: weights[id] ? undefined : 'HTTP 404'
	}));
	const gan = nets.find((n) => n.id === 'srgan')?.model;
	return { nets, discriminator: gan?.info.hasDiscriminator ? gan : undefined } as unknown as SrganNets;
}

let hr: RGBImage;
let input: SrganInput;
const W = { mse: tinySrgan(1, 4, 1, false), gan: tinySrgan(2) };

beforeAll(async () => {
	await tf.setBackend('cpu');
	hr = to8bit(smoothFace());
	input = { lr: await bicubicDown4(hr), hr, label: 'synthetic', faceId: 'synthetic-1' };
});
afterAll(() => tf.dispose([...Object.values(W.mse), ...Object.values(W.gan)]));

describe('srgan-compare', () => {
	it('runs bicubic and each loaded net, skipping a missing one, with PSNR/SSIM against the HR', async () => {
		const nets = fakeNets({ 'srresnet-mse': W.mse, srgan: W.gan });
		const out = await runCell(srganCompare, { inputs: { input, nets } });
		expect(out.outputs.map((o) => o.id)).toEqual(['bicubic', 'srresnet-mse', 'srgan']);
		for (const o of out.outputs) {
			expect([o.image.width, o.image.height]).toEqual([64, 64]);
			expect(o.psnr).toBeCloseTo(psnr(hr, o.image), 9);
			expect(o.ssim).toBeGreaterThan(-1);
			expect(o.ssim).toBeLessThanOrEqual(1);
		}
		// a smooth face: bicubic ×4 of its bicubic ↓4 is close; random nets are not
		expect(out.outputs[0].psnr!).toBeGreaterThan(out.outputs[1].psnr! + 3);
	});

	it('gives no PSNR/SSIM for a real LR face (no HR)', async () => {
		const nets = fakeNets({ 'srresnet-mse': W.mse });
		const out = await runCell(srganCompare, { inputs: { input: { ...input, hr: undefined }, nets } });
		expect(out.outputs.every((o) => o.psnr === undefined && o.ssim === undefined)).toBe(true);
	});
});

describe('loss maps', () => {
	it('pixel MSE: the map is the per-pixel error and its mean is the MSE', async () => {
		const shifted = rgbImage(64, 64, hr.data.map((v, i) => (i % 3 === 0 ? Math.min(1, v + 0.1) : v)));
		const [m] = await squaredErrorMaps(hr, [shifted]);
		expect(m.length).toBe(64 * 64);
		expect(m.reduce((a, b) => a + b, 0) / m.length).toBeCloseTo(mse(hr, shifted), 6);
	});

	it("D's score: sigmoid of each logit, and sigmoid of the mean logit for the image", async () => {
		const [d] = await discriminatorMaps(W.gan, [hr]);
		const t = tf.tidy(() => discriminatorLogitMap(W.gan, tf.sub(tf.mul(tf.tensor4d(hr.data, [1, 64, 64, 3]), 2), 1) as tf.Tensor4D));
		const logits = Array.from(t.dataSync());
		t.dispose();
		expect(d.map.length).toBe(16);
		d.map.forEach((p, i) => expect(p).toBeCloseTo(1 / (1 + Math.exp(-logits[i])), 6));
		const mean = logits.reduce((a, b) => a + b, 0) / 16;
		expect(d.value).toBeCloseTo(1 / (1 + Math.exp(-mean)), 6);
	});

	it('the cell shows D over every output and the HR, and explains when there is no D', async () => {
		const compare = await runCell(srganCompare, { inputs: { input, nets: fakeNets({ 'srresnet-mse': W.mse, srgan: W.gan }) } });
		const withD = await runCell(srganLossMaps, { params: { loss: 'adversarial' }, inputs: { compare, nets: fakeNets({ 'srresnet-mse': W.mse, srgan: W.gan }) } });
		expect(withD.maps.map((m) => m.id)).toEqual(['bicubic', 'srresnet-mse', 'srgan', 'hr']);
		const noD = await runCell(srganLossMaps, { params: { loss: 'adversarial' }, inputs: { compare, nets: fakeNets({ 'srresnet-mse': W.mse }) } });
		expect(noD.maps).toEqual([]);
		expect(noD.unavailable).toMatch(/discriminator/);
		const noHr = await runCell(srganLossMaps, { params: { loss: 'mse' }, inputs: { compare: { ...compare, hr: undefined }, nets: fakeNets({}) } });
		expect(noHr.unavailable).toMatch(/no known HR/);
	});

	describe('feature distance (face-api recognition net)', () => {
		let net: FaceNetWeights;
		beforeAll(async () => {
			net = await loadFaceNetWeights('', folderFetch(DEFAULT_MODEL_DIR));
		});
		afterAll(() => disposeFaceNetWeights(net));

		it('is zero for the HR itself, positive for a blurred copy; faces resized to px, features scaled', async () => {
			// the face averaged with itself moved one pixel down-right: a slight blur
			const blurred = to8bit(rgbImage(64, 64, hr.data.map((v, i) => (v + hr.data[Math.max(0, i - 3 * 65)]) / 2)));
			const [same, other] = await featureDistanceMaps(net, { layer: 'conv128', px: 128, scale: 1 }, hr, [hr, blurred]);
			expect(same.length).toBe(7 * 7);
			expect(Math.max(...same)).toBe(0);
			const sum = other.reduce((a, b) => a + b, 0);
			expect(sum).toBeGreaterThan(0);
			const [scaled] = await featureDistanceMaps(net, { layer: 'conv128', px: 128, scale: 0.2 }, hr, [blurred]);
			expect(scaled.reduce((a, b) => a + b, 0)).toBeCloseTo(0.04 * sum, 4);
			const [at64] = await featureDistanceMaps(net, { layer: 'conv64', px: 64, scale: 1 }, hr, [blurred]);
			expect(at64.length).toBe(7 * 7);
		});
	});

	it('measures where the content nets were trained when their card says, else at a chosen layer at 128 px', () => {
		expect(featureSpace('trained', { layer: 'conv64', px: 96, scale: 0.5, from: 'SRResNet-content' })).toMatchObject({ layer: 'conv64', px: 96, scale: 0.5 });
		expect(featureSpace('trained', undefined)).toMatchObject({ layer: 'conv128', px: FEATURE_PX, scale: 1 });
		expect(featureSpace('conv32', { layer: 'conv64', px: 96, scale: 0.5, from: 'x' })).toMatchObject({ layer: 'conv32', px: FEATURE_PX, scale: 1 });
	});
});

describe('mean of plausible faces', () => {
	const run = (nets: TinyNets, lr: RGBImage, steps: number, signal = new AbortController().signal, progress = (_: number) => {}) =>
		searchPlausibleFaces({ generator: nets.generator, latentDim: LATENT, lr, K: 3, steps, seed: 4, gpu: async (t) => t(), signal, progress });

	it('finds faces whose bicubic ↓4 nears the LR (tiny G), with progress, and frees its tensors', async () => {
		const nets = tinyNets(7);
		const target = tf.tidy(() => tf.clipByValue(tf.add(tf.mul(nets.generator(tf.randomNormal([1, LATENT], 0, 1, 'float32', 3)), 0.5), 0.5), 0, 1));
		const hr8 = rgbImage(8, 8, (await target.data()) as Float32Array);
		target.dispose();
		const lr = await bicubicDown4(hr8);
		const before = tf.memory().numTensors;
		const progress: number[] = [];
		const short = await run(nets, lr, 5);
		const long = await run(nets, lr, 60, undefined, (f) => progress.push(f));
		expect(tf.memory().numTensors).toBe(before);
		expect(long.candidates).toHaveLength(3);
		expect(progress.at(-1)).toBe(1);
		const avg = (a: number[]) => a.reduce((x, y) => x + y, 0) / a.length;
		expect(avg(long.lrL1)).toBeLessThan(avg(short.lrL1));
		nets.dispose();
	});

	it('stops when cancelled', async () => {
		const nets = tinyNets(7);
		const ac = new AbortController();
		const before = tf.memory().numTensors;
		await expect(run(nets, rgbImage(2, 2), 300, ac.signal, (f) => f > 0.05 && ac.abort())).rejects.toThrow();
		expect(tf.memory().numTensors).toBe(before);
		nets.dispose();
	});

	it('the cell is off when not active and still shows the MSE net with its PSNR', async () => {
		const compare = await runCell(srganCompare, { inputs: { input, nets: fakeNets({ 'srresnet-mse': W.mse }) } });
		const off = await runCell(srganMeanFace, { params: { active: false }, inputs: { compare, model: {} } });
		expect(off.state).toBe('idle');
		expect(off.mse?.psnr).toBe(compare.outputs[1].psnr);
	});
});

describe('SRResNet / SRGAN card reader', () => {
	it('reads the loss and the measured test PSNR/SSIM, and leaves out an incomplete test block', () => {
		const card = { title: 'SRGAN', training: { loss: 'l = l_X + 1e-3 l_Gen', adv_weight: 0.001, device: 'cpu' }, quality_note: 'a low-quality stand-in', test: { faces: 500, psnr_db: 21.5, ssim: 0.61 } };
		const c = parseSrganCard(card);
		expect(c.test).toEqual({ faces: 500, psnrDb: 21.5, ssim: 0.61, note: undefined });
		expect([c.loss, c.advWeight, c.standIn]).toEqual(['l = l_X + 1e-3 l_Gen', 0.001, true]);
		expect(c.content).toBeUndefined();
		expect(parseSrganCard({ ...card, training: { ...card.training, content: { content_layer: 'conv128', content_px: 128, feature_scale: 0.2 } } }).content).toEqual({ layer: 'conv128', px: 128, scale: 0.2 });
		expect(parseSrganCard({ ...card, test: { faces: 500, psnr_db: 21.5 } }).test).toBeUndefined();
		expect(c.fid).toBeUndefined(); // null until train/srgan/plane.py measures it
		expect(parseSrganCard({ ...card, fid_proxy: { value: 0.0396, sd: 0.0005, faces: 500 } }).fid).toEqual({ value: 0.0396, sd: 0.0005, faces: 500 });
	});

	it.skipIf(!haveModel('srresnet-mse'))('the shipped SRResNet-MSE loads through the app loader with its card, a stand-in with test numbers', async () => {
		const m = await shippedModel('srresnet-mse');
		expect(m.cardProblem).toBeUndefined();
		expect(m.info.hasDiscriminator).toBe(false);
		expect(m.info.blocks).toBeGreaterThan(0);
		expect(m.card?.standIn).toBe(true);
		expect(m.card?.test?.faces).toBeGreaterThan(0);
		expect(m.card?.test?.psnrDb).toBeGreaterThan(10);
		tf.dispose(Object.values(m.weights));
	});
});

describe('perception-distortion plane', () => {
	const report = {
		schema: PLANE_SCHEMA,
		measured_at: '2026-12-03T10:00:00Z',
		hardware: { cpu: 'AMD EPYC', threads: 1 },
		metric_notes: { fid_proxy: 'face-api descriptors, not Inception FID' },
		skipped: { srgan: 'no weights' },
		planes: {
			all: {
				n_faces: 500,
				methods: {
					bicubic: { label: 'Bicubic ×4', psnr_db: { mean: 24.1, sd: 2 }, ssim: { mean: 0.7, sd: 0.1 }, fid_proxy: { mean: 30.5, sd: 0.4 } },
					'srresnet-mse': { label: 'SRResNet-MSE', psnr_db: { mean: 25.3, sd: 2 }, fid_proxy: { mean: 28.0 } },
					broken: { label: 'no FID', psnr_db: { mean: 20 } }
				}
			}
		}
	};

	it('reads the rows of each plane and drops rows without both numbers, saying which', () => {
		const r = parsePlaneReport(report);
		expect(r.planes[0].name).toBe('all');
		expect(r.planes[0].rows.map((x) => [x.method, x.psnr.mean, x.fid.mean])).toEqual([
			['bicubic', 24.1, 30.5],
			['srresnet-mse', 25.3, 28.0]
		]);
		expect(r.dropped).toEqual(['all/broken']);
		expect(r.skipped).toEqual([{ method: 'srgan', why: 'no weights' }]);
		expect(() => parsePlaneReport({ ...report, schema: 'something/2' })).toThrow(/schema/);
	});

	it("reads the paper's direction off the rows, whichever way it goes", () => {
		const plane = parsePlaneReport(report).planes[0];
		expect(paperDirection(plane)).toBeUndefined(); // no srgan row
		const gan = { method: 'srgan', label: 'SRGAN', psnr: { mean: 26 }, fid: { mean: 29, sd: 0.3 } };
		const d = paperDirection({ ...plane, rows: [...plane.rows, gan] })!;
		expect([d.bestPsnr.method, d.mseBestPsnr, d.bestFid.method, d.srganBestFid]).toEqual(['srgan', false, 'srresnet-mse', false]);
		expect(d.fidSrganMinusMse).toBeCloseTo(1, 9);
		expect(d.fidDiffSd).toBeUndefined(); // the MSE row has no sd
		const sharp = { ...gan, psnr: { mean: 22 }, fid: { mean: 20, sd: 0.3 } };
		const e = paperDirection({ ...plane, rows: [...plane.rows, sharp] })!;
		expect([e.mseBestPsnr, e.srganBestFid]).toEqual([true, true]);
	});

	it('says "not measured yet" for a 404 and parses the file otherwise', async () => {
		const signal = new AbortController().signal;
		const missing = await fetchPlane(signal, (async () => new Response('', { status: 404 })) as typeof fetch);
		expect(missing.state).toBe('missing');
		let asked = '';
		const measured = await fetchPlane(signal, (async (u: string) => ((asked = u), new Response(JSON.stringify(report)))) as unknown as typeof fetch);
		expect(asked).toBe(PLANE_URL);
		expect(measured.state).toBe('measured');
	});
});
