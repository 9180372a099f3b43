// The "heatmap networks" cell of the attention-loss explorer: the distilled student
// (static/weights/heatmaps, train/export_heatmaps.py) with its card, and the face-api teacher.
// Each loads on its own: a failing teacher (e.g. blocked vendor files) still leaves the student,
// and the reverse; the cell fails only when neither is there. Kept per tfjs backend instance.

import * as tf from '@tensorflow/tfjs';
import type { ComputeContext } from '$lib/runtime/runtime';
import { AbortedError } from '$lib/runtime/gpuQueue';
import { fetchSource, loadWeightsFrom, type NamedWeights } from '$models/weights';
import { heatmapParamCount } from '$models/heatmaps';
import { loadBrowserTeacher, type LandmarkDetector } from '$lib/heatmaps/teacher';

export const HEATMAPS_DIR = '/weights/heatmaps/';

export interface StudentCard {
	title?: string;
	qualityNote?: string;
	nme?: number;
	testFaces?: number;
	parameters?: number;
	steps?: number;
	minutes?: number;
	hardware?: string;
	device?: string;
	license?: string;
	teacher?: string;
}

export interface HeatmapModels {
	student: { weights: NamedWeights; parameters: number; card: StudentCard | null } | null;
	studentProblem?: string;
	teacher: LandmarkDetector | null;
	teacherProblem?: string;
	backend: string;
}

type Obj = Record<string, unknown>;
const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

export function parseStudentCard(raw: unknown): StudentCard {
	const c = obj(raw);
	const t = obj(c.training);
	const ev = obj(c.evaluation);
	return {
		title: str(c.title),
		qualityNote: str(c.quality_note),
		nme: num(ev.nme_vs_teacher_test),
		testFaces: num(ev.test_faces),
		parameters: num(obj(c.architecture).parameters),
		steps: num(t.steps),
		minutes: num(t.wall_minutes),
		hardware: str(t.hardware),
		device: str(t.device),
		license: str(c.license),
		teacher: str(c.teacher)
	};
}

export interface ModelsDeps {
	dir?: string;
	fetch?: typeof fetch;
	loadTeacher?: () => Promise<LandmarkDetector>;
}

export function makeHeatmapModelsCompute(deps: ModelsDeps = {}) {
	const dir = deps.dir ?? HEATMAPS_DIR;
	const doFetch = deps.fetch ?? ((u: RequestInfo | URL, init?: RequestInit) => globalThis.fetch(u, init));
	const loadTeacher = deps.loadTeacher ?? (() => loadBrowserTeacher());
	const cache = new WeakMap<object, HeatmapModels>();
	return async function computeHeatmapModels(ctx: ComputeContext): Promise<HeatmapModels> {
		const backend = tf.backend();
		const hit = cache.get(backend);
		if (hit) return hit;
		const studentP = (async () => {
			const [{ weights }, card] = await Promise.all([
				loadWeightsFrom(fetchSource(dir + 'model.json', 'heatmaps', doFetch), {
					signal: ctx.signal,
					onProgress: ({ loaded, total }) => ctx.progress(total ? (0.9 * loaded) / total : 0)
				}),
				doFetch(dir + 'card.json', { signal: ctx.signal })
					.then((r) => (r.ok ? r.json() : null))
					.then((j) => (j ? parseStudentCard(j) : null))
					.catch(() => null)
			]);
			return { weights, parameters: heatmapParamCount(weights), card };
		})();
		const [s, t] = await Promise.allSettled([studentP, ctx.gpu(loadTeacher)]);
		const why = (r: PromiseRejectedResult) => (r.reason instanceof Error ? r.reason.message : String(r.reason));
		if (s.status === 'rejected' && s.reason?.name === 'AbortError') throw new AbortedError();
		const models: HeatmapModels = {
			student: s.status === 'fulfilled' ? s.value : null,
			studentProblem: s.status === 'rejected' ? `The heatmap student could not be loaded from ${dir}: ${why(s)}` : undefined,
			teacher: t.status === 'fulfilled' ? t.value : null,
			teacherProblem: t.status === 'rejected' ? `face-api's landmark net could not be loaded: ${why(t)}` : undefined,
			backend: tf.getBackend()
		};
		if (!models.student && !models.teacher) throw new Error(`${models.studentProblem} ${models.teacherProblem}`);
		const raced = cache.get(backend);
		if (raced) {
			if (models.student) tf.dispose(Object.values(models.student.weights));
			return raced;
		}
		cache.set(backend, models);
		if (ctx.signal.aborted) throw new AbortedError();
		ctx.progress(1);
		return models;
	};
}

export const computeHeatmapModels = makeHeatmapModelsCompute();

export function modelsInput(inputs: Record<string, unknown>): HeatmapModels {
	const m = inputs.models as HeatmapModels | undefined;
	if (!m || (!m.student && !m.teacher)) throw new Error('No heatmap networks: expected inputs.models from the networks cell.');
	return m;
}
