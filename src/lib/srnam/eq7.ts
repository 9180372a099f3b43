// SR-NAM's own quality measure, paper 000 Eq. 7, for the candidates of a search whose HR is
// known: heatmap_metric = (1/N) Σ_n Σ_{i,j} (M̂ⁿ_{ij} − Mⁿ_{ij})², with M̂ the landmark heatmaps
// of a candidate G(z_k) and M those of the original HR face (src/lib/heatmaps/losses.ts).
//
// The heatmaps come from one of the networks src/lib/heatmaps offers for a 64×64 face:
// - 'teacher': face-api's 68-point landmark net; its points are rendered as Gaussians of
//   σ = 1.5 px at 64×64 (render.ts sigmaAt, the σ the student was trained to reproduce);
// - 'student': the distilled heatmap network (static/weights/heatmaps), heatmaps directly.
// The teacher is preferred: it is the trained landmark localiser the student only imitates.

import type { RGBImage } from '../image/rgb';
import type { NamedWeights } from '../../models/weights';
import { studentHeatmaps } from '../../models/heatmaps';
import type { LandmarkDetector } from '../heatmaps/teacher';
import { LANDMARK_COUNT } from '../heatmaps/landmarks';
import { renderHeatmaps, sigmaAt } from '../heatmaps/render';
import { srnamHeatmapMetric } from '../heatmaps/losses';
import { FACE_PX } from '../heatmaps/analysis';

export type Eq7Source = 'teacher' | 'student';

export interface Eq7Nets {
	teacher: LandmarkDetector | null;
	student: { weights: NamedWeights } | null;
}

type Gpu = <R>(task: () => Promise<R>) => Promise<R>;

/** Which network Eq. 7 uses with these nets (null: neither is loaded). */
export function eq7Source(nets: Eq7Nets | null | undefined): Eq7Source | null {
	return nets?.teacher ? 'teacher' : nets?.student ? 'student' : null;
}

/** Landmark heatmaps [68, 64, 64] (channel-major) of a 64×64 face from the chosen network. */
export async function eq7Heatmaps(img: RGBImage, source: Eq7Source, nets: Eq7Nets, gpu: Gpu): Promise<Float32Array> {
	if (img.width !== FACE_PX || img.height !== FACE_PX) throw new Error(`Eq. 7 needs 64×64 faces, got ${img.width}×${img.height}`);
	if (source === 'teacher') {
		const points = await gpu(() => nets.teacher!(img));
		return renderHeatmaps(points, FACE_PX, sigmaAt(FACE_PX));
	}
	return gpu(() => studentHeatmaps(nets.student!.weights, img.data));
}

export interface Eq7Scorer {
	source: Eq7Source;
	/** Eq. 7 of each image against the HR face (the HR's heatmaps are computed once). */
	score(images: RGBImage[], signal?: AbortSignal): Promise<number[]>;
}

/** A scorer against one HR face, or null when no landmark network is loaded. */
export function createEq7Scorer(hr: RGBImage, nets: Eq7Nets | null | undefined, gpu: Gpu): Eq7Scorer | null {
	const source = eq7Source(nets);
	if (!source || !nets) return null;
	let reference: Promise<Float32Array> | undefined;
	return {
		source,
		async score(images, signal) {
			reference ??= eq7Heatmaps(hr, source, nets, gpu).catch((e) => {
				reference = undefined; // a failed (e.g. cancelled) HR pass is retried next time
				throw e;
			});
			const m = await reference;
			const out: number[] = [];
			for (const img of images) {
				if (signal?.aborted) throw new DOMException('Eq. 7 cancelled', 'AbortError');
				out.push(srnamHeatmapMetric(await eq7Heatmaps(img, source, nets, gpu), m, LANDMARK_COUNT));
			}
			return out;
		}
	};
}
