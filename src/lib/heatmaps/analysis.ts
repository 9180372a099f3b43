// One face through both heatmap networks, and the explorer's maps and numbers for an HR / SR
// pair. The teacher gives points (rendered here with any σ); the student gives heatmaps
// directly (its σ was fixed by training: modelConfig.sigmaPx in its model.json, 3 px at 64×64).

import type { RGBImage } from '../image/rgb';
import type { NamedWeights } from '../../models/weights';
import { studentHeatmaps } from '../../models/heatmaps';
import type { LandmarkDetector } from './teacher';
import { groupIndices, LANDMARK_COUNT, type LandmarkGroup } from './landmarks';
import { attentionMap, heatmapsToPoints, normaliseChannels, renderHeatmaps } from './render';
import { absErrorMap, heatmapDifferenceMap, lossReport, multiplyMaps, squaredErrorMap, type LossReport } from './losses';

export const FACE_PX = 64;

export interface FaceLandmarks {
	/** Teacher points (68×2, pixels of the 64×64 face) or null without a teacher. */
	teacherPoints: Float32Array | null;
	/** Student heatmaps [68, 64, 64] (raw network output) or null without a student. */
	student: Float32Array | null;
	/** Points decoded from the student's heatmaps. */
	studentPoints: Float32Array | null;
}

export interface Networks {
	teacher: LandmarkDetector | null;
	student: NamedWeights | null;
}

/** Run the available networks on a 64×64 face; `gpu` serialises the tfjs work. */
export async function analyseFace(img: RGBImage, nets: Networks, gpu: <R>(task: () => Promise<R>) => Promise<R>): Promise<FaceLandmarks> {
	if (img.width !== FACE_PX || img.height !== FACE_PX) throw new Error(`heatmaps need a 64×64 face, got ${img.width}×${img.height}`);
	const teacherPoints = nets.teacher ? await gpu(() => nets.teacher!(img)) : null;
	const student = nets.student ? await gpu(() => studentHeatmaps(nets.student!, img.data)) : null;
	return { teacherPoints, student, studentPoints: student ? heatmapsToPoints(student, LANDMARK_COUNT, FACE_PX) : null };
}

/** The points a region mask is drawn from: the teacher's, else the student's. */
export function referencePoints(f: FaceLandmarks): Float32Array {
	const p = f.teacherPoints ?? f.studentPoints;
	if (!p) throw new Error('No landmarks: neither the teacher nor the student is loaded.');
	return p;
}

export type ChannelPick = 'all' | LandmarkGroup | 'one';

export interface MapOptions {
	/** Teacher rendering σ in pixels of the 64×64 face. */
	sigma: number;
	/** Min-max normalise each channel and M* (paper 003 Eq. 1's definition). */
	normalise: boolean;
	channels: ChannelPick;
	/** Landmark index when channels = 'one'. */
	landmark: number;
}

export function pickChannels(pick: ChannelPick, landmark: number): number[] {
	if (pick === 'all') return Array.from({ length: LANDMARK_COUNT }, (_, i) => i);
	if (pick === 'one') return [Math.min(LANDMARK_COUNT - 1, Math.max(0, Math.round(landmark)))];
	return groupIndices(pick);
}

export interface SourceMaps {
	/** M of the HR face and M̃ of the SR image, [68, 64, 64] (normalised per channel if asked). */
	mHR: Float32Array;
	mSR: Float32Array;
	/** M* of the HR face over the picked channels, [64, 64]. */
	mStar: Float32Array;
	/** M*·|I_HR − SR| (Eq. 1's summand). */
	attention: Float32Array;
	/** Σ over the picked channels of (M − M̃)² (Eq. 5's summand). */
	heatmapDiff: Float32Array;
	report: LossReport;
}

export interface PairMaps {
	absError: Float32Array;
	sqError: Float32Array;
	teacher: SourceMaps | null;
	student: SourceMaps | null;
}

function sourceMaps(hr: RGBImage, sr: RGBImage, mHRraw: Float32Array, mSRraw: Float32Array, o: MapOptions, absError: Float32Array): SourceMaps {
	const mHR = o.normalise ? normaliseChannels(mHRraw, LANDMARK_COUNT) : mHRraw;
	const mSR = o.normalise ? normaliseChannels(mSRraw, LANDMARK_COUNT) : mSRraw;
	const channels = pickChannels(o.channels, o.landmark);
	const mStar = attentionMap(mHR, LANDMARK_COUNT, { channels, normalise: o.normalise });
	return {
		mHR,
		mSR,
		mStar,
		attention: multiplyMaps(mStar, absError),
		heatmapDiff: heatmapDifferenceMap(mHR, mSR, LANDMARK_COUNT, channels),
		// The numbers use all 68 channels for Eq. 5 / Eq. 7 and the picked M* for Eq. 1.
		report: lossReport(hr, sr, mHR, mSR, LANDMARK_COUNT, mStar)
	};
}

/** Every map and number of the explorer for one HR / SR pair. */
export function pairMaps(hr: RGBImage, sr: RGBImage, fHR: FaceLandmarks, fSR: FaceLandmarks, o: MapOptions): PairMaps {
	const absError = absErrorMap(hr, sr);
	const teacher =
		fHR.teacherPoints && fSR.teacherPoints
			? sourceMaps(hr, sr, renderHeatmaps(fHR.teacherPoints, FACE_PX, o.sigma), renderHeatmaps(fSR.teacherPoints, FACE_PX, o.sigma), o, absError)
			: null;
	const student = fHR.student && fSR.student ? sourceMaps(hr, sr, fHR.student, fSR.student, o, absError) : null;
	return { absError, sqError: squaredErrorMap(hr, sr), teacher, student };
}
