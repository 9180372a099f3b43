// The "attn-hr" cell: the HR face's landmarks as both networks see them — the teacher's 68
// points (face-api) and the student's 68 heatmaps with the points decoded from them — computed
// once, so every map and loss downstream is pure math over them. The 64×64 face is the size at
// which paper 003 first applies its attention loss (Eq. 1, step 2). View: Landmarks.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import { AbortedError } from '$lib/runtime/gpuQueue';
import type { RGBImage } from '$lib/image/rgb';
import { analyseFace, type FaceLandmarks, type Networks } from '$lib/heatmaps/analysis';
import { hrFace } from '$cells/hrFace';
import { heatmapModels, requireHeatmapNet, type HeatmapModels } from '$cells/heatmapModels';

export interface HrMaps {
	hr: RGBImage;
	label: string;
	landmarks: FaceLandmarks;
}

/** The networks analyseFace runs: those that loaded (at least one, or a clear error). */
export function networksOf(models: HeatmapModels): Networks {
	const m = requireHeatmapNet(models);
	return { teacher: m.teacher, student: m.student?.weights ?? null };
}

export function throwIfAborted(signal: AbortSignal): void {
	if (signal.aborted) throw new AbortedError();
}

export const hrLandmarks = defineCell({
	kind: 'attn-hr',
	summary: 'The HR face\'s 68 landmarks and heatmaps from the teacher and the student.',
	inputs: { hr: hrFace, models: heatmapModels },
	async compute(ctx): Promise<HrMaps> {
		const { hr64, label } = ctx.inputs.hr;
		const landmarks = await analyseFace(hr64, networksOf(ctx.inputs.models), ctx.gpu);
		throwIfAborted(ctx.signal);
		return { hr: hr64, label, landmarks };
	}
});
