// The attention-loss explorer's perturbations and cells in Node: region masks, equal-energy
// rescaling, the bicubic baseline, and the cells wired as in the notebook (fake teacher that
// "detects" a fixed 68-point face; the shipped student on tfjs-cpu).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { rgbImage, type RGBImage } from '../../src/lib/image/rgb';
import {
	backgroundMask, bicubicRoundTrip, convexHull, faceMask, brushBit, brushMask, energy, farthestPixels, groupMask, perturb, scaleToEnergy, setBrushBit
} from '../../src/lib/heatmaps/perturb';
import { pixelLoss, psnr } from '../../src/lib/heatmaps/losses';
import { heatmapModels, loadHeatmapModels, type HeatmapModels } from '../../src/cells/heatmapModels';
import { haveModel, shippedModel } from './shippedModels';
import { hrLandmarks, type HrMaps } from '../../src/notebooks/attention-loss/landmarks';
import { srChoice, srImage, visibleSrParams } from '../../src/notebooks/attention-loss/srImage';
import { lossBars, lossMaps, sourcesOf } from '../../src/notebooks/attention-loss/lossMaps';
import { experiment, experimentRows, experimentTable } from '../../src/notebooks/attention-loss/experiment';
import { makeProgressiveSr } from '../../src/notebooks/attention-loss/psrSource';
import { cellContext, runCell } from './cellContext';

/** A plausible 68-point layout on a 64×64 face (jaw arc, brows, nose, eyes, mouth). */
function templatePoints(): Float32Array {
	const p: number[] = [];
	for (let i = 0; i < 17; i++) { const a = Math.PI * (i / 16); p.push(32 - 26 * Math.cos(a), 22 + 36 * Math.sin(a)); }
	for (let i = 0; i < 10; i++) p.push(12 + i * 4.5 + (i >= 5 ? 4 : 0), 18);
	for (let i = 0; i < 9; i++) p.push(i < 4 ? 32 : 26 + (i - 4) * 3, i < 4 ? 24 + i * 4 : 40);
	for (let e = 0; e < 2; e++) for (let i = 0; i < 6; i++) { const a = (2 * Math.PI * i) / 6; p.push(20 + 24 * e + 5 * Math.cos(a), 26 + 2 * Math.sin(a)); }
	for (let i = 0; i < 20; i++) { const a = (2 * Math.PI * i) / 20; p.push(32 + (i < 12 ? 10 : 6) * Math.cos(a), 50 + (i < 12 ? 4 : 2) * Math.sin(a)); }
	return Float32Array.from(p);
}

function texture(): RGBImage {
	const img = rgbImage(64, 64);
	for (let y = 0; y < 64; y++) for (let x = 0; x < 64; x++) for (let c = 0; c < 3; c++)
		img.data[(y * 64 + x) * 3 + c] = 0.5 + 0.3 * Math.sin(x * 0.7 + c) * Math.cos(y * 0.5);
	return img;
}

describe('perturbations', () => {
	const pts = templatePoints();
	const hr = texture();
	it('group, background and brush masks', () => {
		const eyes = groupMask(pts, 64, 'eyes');
		expect(eyes[26 * 64 + 20]).toBe(1); // centre of the left eye ring
		expect(eyes[60 * 64 + 2]).toBe(0);
		const face = faceMask(pts, 64);
		expect(face[32 * 64 + 32]).toBe(1);
		expect(face[0]).toBe(0);
		expect(convexHull([0, 0, 4, 0, 4, 4, 0, 4, 2, 2]).length).toBe(4); // the centre point is not on the hull
		const bg = backgroundMask(pts, 64);
		expect(bg[32 * 64 + 32]).toBe(0);
		expect(bg[0]).toBe(1);
		expect(bg[26 * 64 + 20]).toBe(0);
		const n = eyes.reduce((a, b) => a + b, 0);
		expect(farthestPixels(pts, 64, n).reduce((a, b) => a + b, 0)).toBe(n);
		const words = setBrushBit(new Array(8).fill(0), 17, true);
		expect(brushBit(words, 17)).toBe(true);
		expect(brushBit(setBrushBit(words, 17, false), 17)).toBe(false);
		const m = brushMask(words, 64); // cell 17 = row 1, col 1 → pixels 4..7
		expect(m[5 * 64 + 5]).toBe(1);
		expect(m[0]).toBe(0);
		expect(words.every((w) => w >= 0 && w <= 0xffffffff)).toBe(true);
	});
	it('perturbs only inside the mask; zero strength blur/erase/noise is (near) identity', () => {
		const mask = groupMask(pts, 64, 'mouth');
		for (const kind of ['blur', 'noise', 'shift', 'erase'] as const) {
			const out = perturb(hr, mask, kind, 0.8, 3);
			for (let p = 0; p < 64 * 64; p++) if (!mask[p]) expect(out.data[p * 3]).toBe(hr.data[p * 3]);
			expect(energy(hr, out)).toBeGreaterThan(0);
		}
		expect(energy(hr, perturb(hr, mask, 'noise', 0, 3))).toBe(0);
		expect(energy(hr, perturb(hr, mask, 'erase', 0, 3))).toBe(0);
	});
	it('rescales a perturbation to a target energy exactly (same L_pixel and PSNR)', () => {
		const a = perturb(hr, groupMask(pts, 64, 'eyes'), 'noise', 0.5, 1);
		const b = scaleToEnergy(hr, perturb(hr, backgroundMask(pts, 64), 'noise', 1, 2), energy(hr, a));
		expect(energy(hr, b)).toBeCloseTo(energy(hr, a), 4);
		expect(pixelLoss(hr, b)).toBeCloseTo(pixelLoss(hr, a), 8);
		expect(psnr(hr, b)).toBeCloseTo(psnr(hr, a), 4);
	});
	it('bicubic round trip keeps a constant image and blurs a texture', () => {
		const flat = rgbImage(64, 64, new Float32Array(64 * 64 * 3).fill(0.4));
		bicubicRoundTrip(flat, 4).data.forEach((v) => expect(v).toBeCloseTo(0.4, 5));
		expect(energy(hr, bicubicRoundTrip(hr, 4))).toBeGreaterThan(1);
	});
	it('reads SR params as the controller fits them to their specs', () => {
		const c = srChoice(cellContext(srImage, { params: { method: 'nope', strength: 7, region: 'mouth', brush3: 5 } }).params);
		expect(c.method).toBe('perturb');
		expect(c.strength).toBe(1);
		expect(c.region).toBe('mouth');
		expect(c.brush[3]).toBe(5);
		expect(c.brush.length).toBe(8);
	});
	it('shows the perturbation controls or the progressive SR weights, never the brush words', () => {
		expect(visibleSrParams('perturb')).toEqual(['method', 'kind', 'region', 'strength', 'seed']);
		expect(visibleSrParams('bicubic')).toEqual(['method']);
		expect(visibleSrParams('psr2')).toEqual(['method', 'psrVariant']);
	});
});

describe('cells wired as in the notebook', () => {
	let models: HeatmapModels;
	let hrmaps: HrMaps;
	const pts = templatePoints();
	beforeAll(async () => {
		await tf.setBackend('cpu');
		// The fake teacher sees the template layout on the HR face, and the same layout moved
		// 2 px right on anything else — what a detector does with a shifted eye region.
		const hrRef: { img?: RGBImage } = {};
		const teacher = async (img: RGBImage) => (img === hrRef.img ? pts : pts.map((v, i) => (i % 2 === 0 ? v + 2 : v)));
		models = await loadHeatmapModels(cellContext(heatmapModels), { loadStudent: () => shippedModel('heatmaps'), loadTeacher: async () => teacher });
		const hr = texture();
		hrRef.img = hr;
		hrmaps = await runCell(hrLandmarks, { inputs: { hr: { hr64: hr, label: 'texture' }, models } });
	});

	it('loads the shipped student with its card, and the injected teacher', () => {
		expect(models.teacher).not.toBeNull();
		expect(models.student?.parameters).toBe(models.student?.card?.parameters);
		expect(hrmaps.landmarks.student?.length).toBe(68 * 64 * 64);
	});

	it('SR → loss: maps, and a report for teacher and student heatmaps', async () => {
		const sr = await runCell(srImage, { inputs: { hrmaps, models }, params: { method: 'perturb', kind: 'blur', region: 'eyes', strength: 1 } });
		expect(sr.mask?.reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
		const loss = await runCell(lossMaps, { inputs: { hrmaps, sr } });
		expect(loss.teacher!.mStar.length).toBe(64 * 64);
		expect(Math.max(...loss.teacher!.mStar)).toBeCloseTo(1, 5);
		expect(loss.teacher!.report.heatmap).toBeGreaterThan(0); // the fake teacher moved every point
		expect(loss.student!.report.pixel).toBeCloseTo(loss.teacher!.report.pixel, 10);
		// Eq. 1 with M* ≤ 1 never exceeds L1
		expect(loss.teacher!.report.attention).toBeLessThanOrEqual(loss.teacher!.report.l1 + 1e-9);
		const one = await runCell(lossMaps, { inputs: { hrmaps, sr }, params: { channels: 'one', landmark: 40, normalise: false } });
		expect(one.options.channels).toBe('one');
		expect(one.options.landmark).toBe(40);
		// the chart: image-only measures once, the heatmap measures per source
		const bars = lossBars(sourcesOf(loss));
		expect(bars.filter((b) => b.series === 'image only').length).toBe(4);
		expect(bars.filter((b) => b.series === 'teacher M').length).toBe(3);
		expect(bars.filter((b) => b.series === 'student M').length).toBe(3);
	});

	it('equal-energy experiment: same L_pixel in both arms, more attention loss in the eyes', async () => {
		const ex = await runCell(experiment, { inputs: { hrmaps, models }, params: { kind: 'noise', strength: 0.5, seed: 7 } });
		const [eyes, bg] = ex.arms;
		expect(eyes.energy).toBeCloseTo(bg.energy, 3);
		expect(eyes.teacher!.pixel).toBeCloseTo(bg.teacher!.pixel, 7);
		expect(eyes.teacher!.attention).toBeGreaterThan(5 * bg.teacher!.attention);
		// the view's table: image-only measures once, the rest per heatmap source; L_pixel's ratio is 1
		const table = experimentTable(experimentRows(ex));
		expect(table.map((t) => t.measure)).toEqual([
			'L_pixel (Eq. 2)', 'L1', '1 − SSIM', 'L_attention (Eq. 1) · teacher', 'L_heatmap (Eq. 5) · teacher', 'heatmap metric (000 Eq. 7) · teacher',
			'L_attention (Eq. 1) · student', 'L_heatmap (Eq. 5) · student', 'heatmap metric (000 Eq. 7) · student'
		]);
		expect(table[0].ratio).toBeCloseTo(1, 5);
		expect(table[3].ratio).toBeGreaterThan(5);
		// without a teacher the image-only measures still appear (with the student's)
		const studentOnly = experimentTable(experimentRows({ ...ex, arms: [{ ...eyes, teacher: null }, { ...bg, teacher: null }] }));
		expect(studentOnly.map((t) => t.measure).slice(0, 4)).toEqual(['L_pixel (Eq. 2)', 'L1', '1 − SSIM', 'L_attention (Eq. 1) · student']);
	});

	it.skipIf(!haveModel('progressive-sr'))('progressive SR: every step judged as a 64×64 image in [0, 1]', async () => {
		const run = makeProgressiveSr((variant) => shippedModel(variant));
		for (const step of [1, 2, 3] as const) {
			const { sr, label } = await run(cellContext(srImage), hrmaps.hr, step, 'progressive-sr');
			expect([sr.width, sr.height]).toEqual([64, 64]);
			expect(sr.data.every((v) => v >= 0 && v <= 1)).toBe(true);
			expect(label).toMatch(new RegExp(`step ${step}`));
		}
	});
});
