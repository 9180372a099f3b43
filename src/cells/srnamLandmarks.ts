// The landmark networks of the Live SR-NAM notebook, for its Eq. 7 heatmap metric (paper 000):
// the same loader as the attention-loss explorer's networks cell (student + face-api teacher,
// each on its own), but it never fails: without either network the search still runs, it
// just shows no Eq. 7 — so the search cell, which takes this as an input, is never blocked.

import * as tf from '@tensorflow/tfjs';
import type { ComputeContext } from '$lib/runtime/runtime';
import { AbortedError, isAbort } from '$lib/runtime/gpuQueue';
import { computeHeatmapModels, type HeatmapModels } from './attentionModels';

export async function computeSrnamLandmarks(ctx: ComputeContext, load = computeHeatmapModels): Promise<HeatmapModels> {
	try {
		return await load(ctx);
	} catch (e) {
		if (isAbort(e) || ctx.signal.aborted) throw new AbortedError();
		const why = e instanceof Error ? e.message : String(e);
		return { student: null, teacher: null, studentProblem: why, backend: tf.getBackend() };
	}
}
