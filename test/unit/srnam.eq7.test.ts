// Eq. 7 (paper 000) in the Live SR-NAM notebook, on small inputs: the scorer against a known HR
// with a fake teacher (by hand: one landmark moved by 1 px), the teacher preferred over the
// student, the student path on random weights of the real architecture, and the search cell
// and landmarks cell wiring (no HR or no network → no Eq. 7; a failing loader never blocks).
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { rgbImage, type RGBImage } from '../../src/lib/image/rgb';
import { createEq7Scorer, eq7Heatmaps, eq7Source } from '../../src/lib/srnam/eq7';
import { renderHeatmaps } from '../../src/lib/heatmaps/render';
import { loadHeatmapModels } from '../../src/cells/heatmapModels';
import { srnamSearch } from '../../src/notebooks/srnam/search';
import { cellContext } from './cellContext';
import type { ComputeContext } from '../../src/lib/runtime/runtime';
import type { NamedWeights } from '../../src/models/weights';
import type { HeatmapModels } from '../../src/cells/heatmapModels';

const flat = (v: number): RGBImage => rgbImage(64, 64, new Float32Array(64 * 64 * 3).fill(v));
/** A grid of 68 points; the "face" brightness moves landmark 0 to the right by (v − 0.5)·10 px. */
const fakeTeacher = async (img: RGBImage) => {
	const p = new Float32Array(136);
	for (let n = 0; n < 68; n++) [p[2 * n], p[2 * n + 1]] = [8.5 + (n % 8) * 6, 8.5 + Math.floor(n / 8) * 6];
	p[0] += (img.data[0] - 0.5) * 10;
	return p;
};
const gpu = <R>(t: () => Promise<R>) => t();
const ctxOf = (inputs: Record<string, unknown>, params: Record<string, unknown> = {}): ComputeContext => ({
	params: params as ComputeContext['params'], inputs, signal: new AbortController().signal, gpu, progress: () => {}
});

/** Random weights with the shapes of the heatmap student (model card: widths 16/32/64/96, decoder 64/32/16). */
function randomStudent(): NamedWeights {
	const w: NamedWeights = {};
	const conv = (name: string, k: number, cin: number, cout: number) => {
		w[`${name}/w`] = tf.randomNormal([k, k, cin, cout], 0, 0.1, 'float32', 1);
		w[`${name}/b`] = tf.zeros([cout]);
	};
	conv('h/e1', 3, 3, 16);
	const widths = [16, 32, 64, 96];
	for (let i = 1; i <= 3; i++) {
		conv(`h/down${i}/a`, 3, widths[i - 1], widths[i]);
		conv(`h/down${i}/b`, 3, widths[i], widths[i]);
	}
	const dec = [64, 32, 16];
	let c = 96;
	for (let i = 1; i <= 3; i++) {
		conv(`h/up${i}`, 3, c + widths[3 - i], dec[i - 1]);
		c = dec[i - 1];
	}
	conv('h/head', 1, 16, 68);
	return w;
}

describe('Eq. 7 for SR-NAM candidates', () => {
	beforeAll(async () => {
		await tf.setBackend('cpu');
	});

	it('teacher: 0 for the HR itself, the hand value for one landmark moved 1 px, teacher preferred', async () => {
		expect(eq7Source({ teacher: fakeTeacher, student: { weights: {} } })).toBe('teacher');
		expect(eq7Source({ teacher: null, student: { weights: {} } })).toBe('student');
		expect(eq7Source({ teacher: null, student: null })).toBeNull();
		const hr = flat(0.5);
		const scorer = createEq7Scorer(hr, { teacher: fakeTeacher, student: null }, gpu)!;
		expect(scorer.source).toBe('teacher');
		const [same, moved] = await scorer.score([flat(0.5), flat(0.6)]);
		expect(same).toBe(0);
		// by hand: (1/68) Σ_ij (G(x−1) − G(x))² over the one moved Gaussian of σ = 1.5 px
		const a = renderHeatmaps(await fakeTeacher(hr), 64, 1.5).subarray(0, 4096);
		const b = renderHeatmaps(await fakeTeacher(flat(0.6)), 64, 1.5).subarray(0, 4096);
		let s = 0;
		for (let i = 0; i < 4096; i++) s += (a[i] - b[i]) ** 2;
		expect(moved).toBeCloseTo(s / 68, 6);
		expect(moved).toBeGreaterThan(0);
		await expect(scorer.score([rgbImage(32, 32)])).rejects.toThrow(/64×64/);
	});

	it('student: heatmaps of the real architecture, 0 for the HR, > 0 for another face', async () => {
		const weights = randomStudent();
		const before = tf.memory().numTensors;
		const m = await eq7Heatmaps(flat(0.3), 'student', { teacher: null, student: { weights } }, gpu);
		expect(m.length).toBe(68 * 64 * 64);
		const scorer = createEq7Scorer(flat(0.3), { teacher: null, student: { weights } }, gpu)!;
		expect(scorer.source).toBe('student');
		const [same, other] = await scorer.score([flat(0.3), flat(0.8)]);
		expect(same).toBe(0);
		expect(other).toBeGreaterThan(0);
		expect(tf.memory().numTensors).toBe(before);
		tf.dispose(Object.values(weights));
	});

	it('cells: the landmarks cell never blocks; the search cell scores only with an HR and a network', async () => {
		const failing = async () => {
			throw new Error('neither network');
		};
		const none = await loadHeatmapModels(ctxOf({}), { loadStudent: failing, loadTeacher: failing });
		expect([none.student, none.teacher, none.studentProblem]).toEqual([null, null, 'neither network']);
		expect(none.teacherProblem).toMatch(/neither network/);
		const landmarks: HeatmapModels = { student: null, teacher: fakeTeacher, backend: 'cpu' };
		// a search cell needs a generator/degrader only to build a search, not to make the session
		const model = { name: 'progan', weights: { 'g/x': tf.zeros([1]) }, card: null, rawCard: null, info: { latent: 512, widths: [] }, bytes: 0, backend: 'cpu' };
		const degrader = { name: 'degrader', weights: {}, card: null, rawCard: null, info: { noiseDim: 100, widths: [], blocksPerGroup: 0 }, bytes: 0, backend: 'cpu' };
		const lr = rgbImage(16, 16);
		const withHr = srnamSearch.compute(cellContext(srnamSearch, { params: { K: 1 }, inputs: { input: { lr, hr: flat(0.5), label: 'x' }, model, degrader, landmarks } }));
		expect(withHr.eq7?.source).toBe('teacher');
		expect(await withHr.eq7!.score([flat(0.5)])).toEqual([0]);
		expect(srnamSearch.compute(cellContext(srnamSearch, { params: { K: 1 }, inputs: { input: { lr, label: 'real LR' }, model, degrader, landmarks } })).eq7).toBeNull();
		expect(srnamSearch.compute(cellContext(srnamSearch, { params: { K: 1 }, inputs: { input: { lr, hr: flat(0.5), label: 'x' }, model, degrader, landmarks: none } })).eq7).toBeNull();
		tf.dispose(Object.values(model.weights));
	});
});
