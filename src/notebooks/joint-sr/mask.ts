// The face-region mask M_face (paper 002 §3.3) for this face: face-api's 68-point landmark net
// (the same teacher the landmark cache used for training) finds the landmarks on the SHARP HR
// face, and src/lib/jointSr/faceMask.ts draws the polygon rule the models were trained with.
// Landmarks depend on the face only, not on the kernel, so the last face's points are kept and a
// kernel change re-draws nothing. No GT (a real LR face): no mask, and the reason. View: Mask.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import type { RGBImage } from '$lib/image/rgb';
import { loadBrowserTeacher, type LandmarkDetector } from '$lib/heatmaps/teacher';
import { faceRegionMask, faceRegionPolygon, JOINT_MASK_PX, type Point } from '$lib/jointSr/faceMask';
import { jointInput, type JointInput } from './input';

export type JointMask =
	| { state: 'none'; reason: string }
	| {
			state: 'mask';
			hr: RGBImage;
			/** 68 landmarks, x, y interleaved, 128 px coordinates. */
			points: Float32Array;
			polygon: Point[];
			/** 128·128 row-major 0/1 */
			mask: Float32Array;
			/** Share of the 128×128 image inside the mask. */
			coverage: number;
	  };

let last: { faceId: string; points: Float32Array } | undefined;

/** M_face of the input's sharp HR, landmarks from `detect` (kept for the last face). */
export async function maskOf(input: JointInput, detect: () => Promise<LandmarkDetector>, gpu: <R>(task: () => Promise<R>) => Promise<R>): Promise<JointMask> {
	const hr = input.hr;
	if (!hr) return { state: 'none', reason: 'There is no sharp HR face for a real LR input, so no landmarks to draw the mask from.' };
	if (hr.width !== JOINT_MASK_PX || hr.height !== JOINT_MASK_PX) throw new Error(`face mask: the HR is ${hr.width}×${hr.height}, expected ${JOINT_MASK_PX}×${JOINT_MASK_PX}`);
	let points = last?.faceId === input.faceId ? last.points : undefined;
	if (!points) {
		const detector = await detect();
		points = await gpu(() => detector(hr));
		last = { faceId: input.faceId, points };
	}
	const mask = faceRegionMask(points);
	const coverage = mask.reduce((s, v) => s + v, 0) / mask.length;
	return { state: 'mask', hr, points, polygon: faceRegionPolygon(points), mask, coverage };
}

export const jointMask = defineCell({
	kind: 'joint-mask',
	summary: 'The face-region mask M_face: a polygon through face-api’s 68 landmarks of the sharp HR face.',
	inputs: { input: jointInput },
	compute: (ctx) => maskOf(ctx.inputs.input, () => loadBrowserTeacher(), ctx.gpu)
});
