// The joint SR + deblurring notebook's cells (src/notebooks/joint-sr/) on small random nets in the
// contract's layout (the shipped nets' numbers are the parity test's business): the kernel pad's
// geometry (drag and keys → length, angle), the input cell's degradation (the drawn kernel, GT only
// when known), the mask cell (landmarks once per face, none without a GT), the outputs (three
// images per model, Î_HRB only with the branch, PSNR only with a GT), the loss table (Eq. 1–6 per
// model, blanks where a model lacks a term, empty without a GT), the live sweep (lengths, cancel
// keeps what was measured, a finished sweep is not run again) and the offline sweep's reader and
// §4.5 verdicts.
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { motionBlurKernel } from '../../src/lib/image/kernels';
import { psnr } from '../../src/lib/heatmaps/losses';
import { DEFAULT_MODEL_DIR } from '../../src/lib/eval/faceFeatures';
import { disposeFaceNetWeights, loadFaceNetWeights, type FaceNetWeights } from '../../src/lib/eval/faceNet';
import { faceFromImage } from '../../src/cells/faceInput';
import { jointSrInfo } from '../../src/models/jointSr';
import { parseJointSrCard } from '../../src/models/jointSrCard';
import type { NamedWeights } from '../../src/models/weights';
import type { Model } from '../../src/models/catalog';
import { clampLength, dragToMotion, keyToMotion, segmentEnds, wrapAngle } from '../../src/notebooks/joint-sr/kernelPad';
import { jointInput, type JointInput } from '../../src/notebooks/joint-sr/input';
import { maskOf } from '../../src/notebooks/joint-sr/mask';
import { jointOutputs } from '../../src/notebooks/joint-sr/outputs';
import { discriminatorParts, generatorParts, lossRows, lossTable } from '../../src/notebooks/joint-sr/lossTable';
import { jointLiveSweep, sweepLengths } from '../../src/notebooks/joint-sr/liveSweep';
import { blurBranchEffect, parseSweepReport, SWEEP_SCHEMA, verdict } from '../../src/notebooks/joint-sr/sweepData';
import { fetchSweep, SWEEP_URL } from '../../src/notebooks/joint-sr/offlineSweep';
import type { JointNetId, JointNets } from '../../src/notebooks/joint-sr/nets';
import { runCell } from './cellContext';
import { folderFetch } from './shippedModels';
import { tinyJointSrWeights } from './jointSrWeights';

const CARD = { title: 'tiny', training: { lambda1: 100, lambda2: 10, perceptual: { layers: ['conv32', 'conv64'], scale: 0.5 } } };

function fakeModel(id: JointNetId, weights: NamedWeights, card: unknown = CARD): Model<JointNetId> {
	return { name: id, weights, card: parseJointSrCard(card), rawCard: card, manifestSha256: '', info: jointSrInfo(weights), bytes: 0, backend: 'cpu' };
}

let full: NamedWeights;
let noblur: NamedWeights;
let nets: JointNets;
let faceNet: FaceNetWeights;
const face = faceFromImage({ kind: 'synthetic', seed: 2 });
/** 68 landmarks of an upright oval face in 128 px coordinates: jaw 0..16 on the lower half-ellipse, brows 17..26 above. */
const POINTS = (() => {
	const p = new Float32Array(136);
	for (let k = 0; k <= 16; k++) {
		const t = Math.PI * (k / 16);
		p.set([64 - 40 * Math.cos(t), 60 + 50 * Math.sin(t)], 2 * k);
	}
	for (let k = 17; k <= 26; k++) p.set([34 + ((k - 17) / 9) * 60, 50], 2 * k);
	for (let k = 27; k < 68; k++) p.set([64, 70], 2 * k);
	return p;
})();

beforeAll(async () => {
	await tf.setBackend('cpu');
	full = tinyJointSrWeights({ width: 2, dWidth: 2, seed: 1 });
	noblur = tinyJointSrWeights({ width: 2, dWidth: 2, seed: 2, blurBranch: false, localD: false });
	nets = {
		nets: [
			{ id: 'joint-sr', label: 'joint-sr', what: '', model: fakeModel('joint-sr', full) },
			{ id: 'joint-sr-noblur', label: 'joint-sr-noblur', what: '', model: fakeModel('joint-sr-noblur', noblur) },
			{ id: 'joint-sr-nolocal', label: 'joint-sr-nolocal', what: '', error: 'no weights' }
		]
	};
	faceNet = await loadFaceNetWeights('', folderFetch(DEFAULT_MODEL_DIR));
});
afterAll(() => {
	tf.dispose([...Object.values(full), ...Object.values(noblur)]);
	disposeFaceNetWeights(faceNet);
});

const degraded = (length: number, angle: number, source = 'face') => runCell(jointInput, { params: { source, length, angle }, inputs: { face, model: null } });
const maskFor = (input: JointInput) => maskOf(input, async () => async () => POINTS, async (t) => t());

describe('kernel pad', () => {
	it('a drag sets the length in HR px and the on-screen direction, wrapped into [0°, 180°)', () => {
		expect(dragToMotion({ x: 10, y: 10 }, { x: 20, y: 10 }, 1)).toEqual({ length: 10, angle: 0 });
		expect(dragToMotion({ x: 10, y: 10 }, { x: 16, y: 4 }, 1)).toEqual({ length: 8.5, angle: 45 });
		// right to left is the same segment as left to right
		expect(dragToMotion({ x: 20, y: 10 }, { x: 10, y: 10 }, 1)).toEqual({ length: 10, angle: 0 });
		expect(dragToMotion({ x: 0, y: 0 }, { x: 0, y: 30 }, 0.5)).toEqual({ length: 15, angle: 90 });
		expect(dragToMotion({ x: 0, y: 0 }, { x: 100, y: 0 }, 1).length).toBe(24);
		expect(dragToMotion({ x: 5, y: 5 }, { x: 5, y: 5 }, 1)).toEqual({ length: 0, angle: 0 });
	});

	it('arrows turn and resize, Shift in bigger steps, wrapping the angle and clamping the length', () => {
		const m = { length: 8, angle: 179 };
		expect(keyToMotion('ArrowLeft', false, m)).toEqual({ length: 8, angle: 0 });
		expect(keyToMotion('ArrowRight', true, { length: 8, angle: 5 })).toEqual({ length: 8, angle: 170 });
		expect(keyToMotion('ArrowUp', false, m)).toEqual({ length: 8.5, angle: 179 });
		expect(keyToMotion('ArrowUp', true, { length: 23, angle: 0 })).toEqual({ length: 24, angle: 0 });
		expect(keyToMotion('ArrowDown', true, { length: 1, angle: 0 })).toEqual({ length: 0, angle: 0 });
		expect(keyToMotion('a', false, m)).toBeNull();
		expect(wrapAngle(-1)).toBe(179);
		expect(clampLength(3.3)).toBe(3.5);
	});

	it('the drawn segment has the kernel length and runs up-right at 45°', () => {
		const [a, b] = segmentEnds({ length: 10, angle: 45 });
		expect(Math.hypot(b.x - a.x, b.y - a.y)).toBeCloseTo(10, 6);
		expect(b.x).toBeGreaterThan(0);
		expect(b.y).toBeLessThan(0);
	});
});

describe('input cell', () => {
	it('blurs the sharp face with the drawn kernel and shrinks it ×8; no blur leaves I_HRB = I_HR', async () => {
		const a = await degraded(10, 30);
		expect([a.hr!.width, a.blurredHr!.width, a.lr.width, a.lr.height]).toEqual([128, 128, 16, 16]);
		expect(Array.from(a.kernel.data)).toEqual(Array.from(motionBlurKernel(10, 30).data));
		expect(psnr(a.hr!, a.blurredHr!)).toBeLessThan(40);
		const sharp = await degraded(0, 30);
		expect(psnr(sharp.hr!, sharp.blurredHr!)).toBeGreaterThan(60);
		const turned = await degraded(10, 120);
		expect(psnr(a.lr, turned.lr)).toBeLessThan(60);
		// the same params give the same LR (what a link relies on)
		expect(Array.from((await degraded(10, 30)).lr.data)).toEqual(Array.from(a.lr.data));
		expect(a.faceId).toBe(turned.faceId);
	});

	it('a real LR face has no GT and no kernel', async () => {
		const r = await degraded(10, 30, 'face-lr');
		expect(r.hr).toBeUndefined();
		expect(r.blurredHr).toBeUndefined();
		expect([r.lr.width, r.kernel.width]).toEqual([16, 1]);
	});
});

describe('mask cell', () => {
	it('draws M_face from the landmarks of the sharp HR, detecting once per face', async () => {
		let calls = 0;
		const detect = async () => async () => (calls++, POINTS);
		const a = await degraded(4, 0);
		const b = await degraded(12, 90);
		const ma = await maskOf(a, detect, async (t) => t());
		const mb = await maskOf(b, detect, async (t) => t());
		expect(calls).toBe(1);
		if (ma.state !== 'mask' || mb.state !== 'mask') throw new Error('expected masks');
		expect(ma.mask.length).toBe(128 * 128);
		expect(ma.mask[100 * 128 + 64]).toBe(1); // on the chin side of the oval
		expect(ma.mask[5 * 128 + 5]).toBe(0); // a corner
		expect(ma.coverage).toBeGreaterThan(0.2);
		expect(ma.coverage).toBeLessThan(0.6);
		const none = await maskOf(await degraded(0, 0, 'face-lr'), detect, async (t) => t());
		expect(none.state).toBe('none');
	});
});

describe('outputs cell', () => {
	it('gives each loaded model I_LRf, Î_HRB (only with the branch) and Î_HR, with PSNR/SSIM only against a GT', async () => {
		const input = await degraded(8, 30);
		const mask = await maskFor(input);
		const before = tf.memory().numTensors;
		const out = await runCell(jointOutputs, { params: { model: 'joint-sr-nolocal' }, inputs: { input, nets, mask } });
		expect(tf.memory().numTensors).toBe(before);
		expect(out.models.map((m) => m.id)).toEqual(['joint-sr', 'joint-sr-noblur']);
		expect(out.selected).toBe('joint-sr'); // the chosen one did not load
		const [a, b] = out.models;
		expect([a.feature.width, a.sharp.image.width, a.blurred?.image.width]).toEqual([128, 128, 128]);
		expect(b.blurred).toBeNull();
		expect(a.sharp.psnr).toBeGreaterThan(0);
		expect(a.blurred?.psnr).toBeGreaterThan(0);
		expect(out.bicubic.psnr).toBeGreaterThan(a.sharp.psnr!); // random nets lose to bicubic
		const lr = await runCell(jointOutputs, { inputs: { input: await degraded(8, 30, 'face-lr'), nets, mask } });
		expect(lr.models[0].sharp.psnr).toBeUndefined();
		expect(lr.bicubic.psnr).toBeUndefined();
	}, 60_000);
});

describe('loss table', () => {
	it('computes Eq. 1–6 for each model, blank where a model lacks D_l or the blurred branch', async () => {
		const input = await degraded(8, 30);
		const mask = await maskFor(input);
		const fractions: number[] = [];
		const t = await lossTable(input, nets, mask, { faceNet: async () => faceNet, gpu: async (f) => f(), signal: new AbortController().signal, progress: (f) => fractions.push(f) });
		if (t.state !== 'done') throw new Error(t.state);
		expect(fractions).toEqual([0.5, 1]);
		const rows = Object.fromEntries(lossRows(t.models).map((r) => [r.key, r]));
		expect(rows['eq2'].values[0]).toBeGreaterThanOrEqual(0);
		expect(rows['eq2'].values[1]).toBeNull();
		expect(rows['eq4-blurred'].values[1]).toBeNull();
		expect(rows['eq5-conv32'].values[0]).toBeGreaterThan(0);
		expect(rows['eq1'].player).toBe('D_g');
		expect(rows['eq6-g'].player).toBe('G');
		// the chart's parts add up to G's Eq. 6
		const parts = generatorParts(t.models).filter((p) => p.model === 'joint-sr');
		expect(parts.reduce((s, p) => s + p.value, 0)).toBeCloseTo(rows['eq6-g'].values[0]!, 4);
		expect(discriminatorParts(t.models).map((p) => `${p.model} ${p.part}`)).toEqual(['joint-sr Eq. 1 (D_g)', 'joint-sr Eq. 2 (D_l)', 'joint-sr-noblur Eq. 1 (D_g)']);
	}, 60_000);

	it('is empty, with the reason, without a GT; a card without λ1, λ2 or layers gives that model no losses', async () => {
		const lrOnly = await degraded(8, 30, 'face-lr');
		const none = await lossTable(lrOnly, nets, await maskFor(lrOnly), { faceNet: async () => faceNet, gpu: async (f) => f(), signal: new AbortController().signal, progress: () => {} });
		expect(none.state).toBe('none');
		const input = await degraded(8, 30);
		const bare = { nets: [{ id: 'joint-sr' as const, label: 'joint-sr', what: '', model: fakeModel('joint-sr', full, { title: 'no training facts' }) }] };
		const t = await lossTable(input, bare, await maskFor(input), { faceNet: async () => faceNet, gpu: async (f) => f(), signal: new AbortController().signal, progress: () => {} });
		if (t.state !== 'done') throw new Error(t.state);
		expect(t.models[0].losses).toBeUndefined();
		expect(t.models[0].problem).toMatch(/λ1/);
	}, 60_000);
});

describe('live sweep cell', () => {
	it('runs 0..upTo every step for bicubic and each model; a cancel keeps the finished lengths; a finished sweep is not run again', async () => {
		expect(sweepLengths(24, 4)).toEqual([0, 4, 8, 12, 16, 20, 24]);
		expect(sweepLengths(6, 4)).toEqual([0, 4]);
		const input = await degraded(8, 45);
		const params = { active: true, upTo: 4, every: 4 };
		// cancel as soon as the second length starts
		const ac = new AbortController();
		let tasks = 0;
		const gpu = async <R>(task: () => Promise<R> | R) => {
			if (++tasks === 2) ac.abort();
			return task();
		};
		await expect(runCell(jointLiveSweep, { params, inputs: { input, nets }, signal: ac.signal, gpu })).rejects.toThrow();
		const stopped = await runCell(jointLiveSweep, { params: { ...params, active: false }, inputs: { input, nets } });
		expect(stopped.state).toBe('stopped');
		expect(stopped.finished).toBe(1);
		expect(stopped.rows.map((r) => `${r.length} ${r.method}`)).toEqual(['0 bicubic', '0 joint-sr', '0 joint-sr-noblur']);
		// running again goes on from the second length
		const done = await runCell(jointLiveSweep, { params, inputs: { input, nets } });
		expect(done.state).toBe('done');
		expect(done.rows.map((r) => r.length)).toEqual([0, 0, 0, 4, 4, 4]);
		// another kernel length, same face and angle: the finished sweep comes back without GPU work
		let again = 0;
		const same = await runCell(jointLiveSweep, { params, inputs: { input: { ...input, length: 3 }, nets }, gpu: async (t) => (again++, t()) });
		expect(again).toBe(0);
		expect(same.rows).toEqual(done.rows);
		const idle = await runCell(jointLiveSweep, { params: { ...params, active: false }, inputs: { input: { ...input, angle: 10 }, nets } });
		expect(idle.state).toBe('idle');
	}, 60_000);
});

describe('offline sweep', () => {
	const report = (rows: Record<string, [number, number, number?][]>, nFaces = 100) => ({
		schema: SWEEP_SCHEMA,
		n_faces: nFaces,
		methods: Object.fromEntries(
			Object.entries(rows).map(([m, pts]) => [m, { label: m, rows: pts.map(([length, psnr, fid]) => ({ length, psnr_db: { mean: psnr, sd: 2 }, ...(fid !== undefined ? { fid_proxy: { mean: fid, sd: 0.001 } } : {}) })) }])
		)
	});

	it('reads the documented shape and refuses another schema; rows without PSNR are dropped with a note', () => {
		const r = parseSweepReport({ ...report({ bicubic: [[8, 20], [0, 22]] }), methods: { ...report({ bicubic: [[8, 20], [0, 22]] }).methods, broken: { rows: [{ length: 4 }] } } });
		expect(r.series.map((s) => s.method)).toEqual(['bicubic']);
		expect(r.series[0].points.map((p) => p.length)).toEqual([0, 8]);
		expect(r.dropped).toEqual(['broken at 4 px (no PSNR)', 'broken (no rows)']);
		expect(r.trainedUpTo).toBeUndefined();
		expect(parseSweepReport({ ...report({ bicubic: [[0, 22]] }), training_range: { lengthMax: 16 } }).trainedUpTo).toBe(16);
		expect(() => parseSweepReport({ schema: 'other' })).toThrow(/schema/);
	});

	it('says at each length whether the blurred branch helps, hurts or is unclear, beyond two standard errors', () => {
		// sd 2 over 100 faces: two standard errors of a difference = 2·hypot(0.2, 0.2) ≈ 0.566 dB
		const r = parseSweepReport(report({ 'joint-sr': [[0, 25, 0.05], [8, 24, 0.05], [16, 22, 0.06]], 'joint-sr-noblur': [[0, 24, 0.06], [8, 23.8, 0.05], [16, 23, 0.05]] }));
		const e = blurBranchEffect(r);
		expect(e.map((x) => [x.length, x.psnr, x.fid])).toEqual([
			[0, 'helps', 'helps'],
			[8, 'unclear', 'unclear'],
			[16, 'hurts', 'hurts']
		]);
		expect(e[0].psnrMargin).toBeCloseTo(2 * Math.hypot(0.2, 0.2), 6);
		expect(e.every((x) => !x.paired)).toBe(true);
		// with per-face paired differences the margin is theirs: sd 0.5 over 100 faces → ±0.1 dB
		const paired = parseSweepReport({
			...report({ 'joint-sr': [[0, 25], [8, 24]], 'joint-sr-noblur': [[0, 24.9], [8, 23.8]] }),
			paired_differences: { 'joint-sr - joint-sr-noblur': { rows: [{ length: 0, psnr_db: { mean: 0.08, sd: 0.5 } }, { length: 8, psnr_db: { mean: 0.15, sd: 0.5 } }] } }
		});
		expect(blurBranchEffect(paired).map((x) => [x.length, x.psnr, x.paired, x.psnrDiff])).toEqual([
			[0, 'unclear', true, 0.08],
			[8, 'helps', true, 0.15]
		]);
		expect(verdict(0.1, undefined, true)).toBe('helps');
		expect(blurBranchEffect(parseSweepReport(report({ 'joint-sr': [[0, 25]] })))).toEqual([]);
	});

	it('fetches the file, or says it is not measured yet', async () => {
		const missing = await fetchSweep(new AbortController().signal, (async () => new Response('', { status: 404 })) as typeof fetch);
		expect(missing.state).toBe('missing');
		let asked = '';
		const ok = await fetchSweep(new AbortController().signal, (async (u: RequestInfo | URL) => ((asked = String(u)), new Response(JSON.stringify(report({ 'joint-sr': [[0, 25]], 'joint-sr-noblur': [[0, 24]] }))))) as typeof fetch);
		expect(asked).toBe(SWEEP_URL);
		if (ok.state !== 'measured') throw new Error(ok.state);
		expect(ok.effect.map((x) => x.psnr)).toEqual(['helps']);
	});
});

