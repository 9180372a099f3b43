// The heatmap networks cell (attention-loss and SR-NAM notebooks): the distilled student
// (static/weights/heatmaps, through the one model loader) with its card, and face-api's
// 68-point landmark net, the teacher. Each loads on its own and the cell never fails: a
// missing network is reported with its reason, the attention cells that need one say so
// (requireHeatmapNet), and the SR-NAM search just scores no Eq. 7. View: HeatmapModels.svelte.

import * as tf from '@tensorflow/tfjs';
import { defineCell, type CellContext } from '$lib/notebook/cellKind';
import { AbortedError, isAbort } from '$lib/runtime/gpuQueue';
import { errorMessage } from '$lib/runtime/runtime';
import { loadBrowserTeacher, type LandmarkDetector } from '$lib/heatmaps/teacher';
import { loadModel, type Model } from '$models/catalog';
import type { NamedWeights } from '$models/weights';
import type { StudentCard } from '$models/cards';

export interface HeatmapModels {
	student: { weights: NamedWeights; parameters: number; card: StudentCard | null } | null;
	studentProblem?: string;
	teacher: LandmarkDetector | null;
	teacherProblem?: string;
	backend: string;
}

type LoadCtx = Pick<CellContext, 'signal' | 'gpu' | 'progress'>;

export interface HeatmapDeps {
	loadStudent?: (ctx: LoadCtx) => Promise<Model<'heatmaps'>>;
	loadTeacher?: () => Promise<LandmarkDetector>;
}

const why = (r: PromiseRejectedResult) => errorMessage(r.reason);

/** Both networks, each on its own (tests pass their own loaders). */
export async function loadHeatmapModels(ctx: LoadCtx, deps: HeatmapDeps = {}): Promise<HeatmapModels> {
	const loadStudent = deps.loadStudent ?? ((c: LoadCtx) => loadModel('heatmaps', { signal: c.signal, progress: (f) => c.progress(0.9 * f) }));
	const loadTeacher = deps.loadTeacher ?? (() => loadBrowserTeacher());
	const [s, t] = await Promise.allSettled([loadStudent(ctx), ctx.gpu(loadTeacher)]);
	if ((s.status === 'rejected' && isAbort(s.reason)) || ctx.signal.aborted) throw new AbortedError();
	ctx.progress(1);
	return {
		student: s.status === 'fulfilled' ? { weights: s.value.weights, parameters: s.value.info.parameters, card: s.value.card } : null,
		studentProblem: s.status === 'rejected' ? why(s) : undefined,
		teacher: t.status === 'fulfilled' ? t.value : null,
		teacherProblem: t.status === 'rejected' ? `face-api's landmark net could not be loaded: ${why(t)}` : undefined,
		backend: tf.getBackend()
	};
}

/** For cells that need at least one landmark network: the models, or a clear error. */
export function requireHeatmapNet(m: HeatmapModels): HeatmapModels {
	if (!m.student && !m.teacher) throw new Error(`No heatmap network could be loaded. ${m.studentProblem ?? ''} ${m.teacherProblem ?? ''}`.trim());
	return m;
}

export const heatmapModels = defineCell({
	kind: 'heatmap-models',
	summary: 'Loads the 68-landmark heatmap networks: face-api\'s teacher and our distilled student.',
	compute: (ctx) => loadHeatmapModels(ctx)
});
