// The 68-point landmark layout (iBUG 300-W / dlib order, the one face-api's landmark net and the
// FAN of paper 003 use) and its standard groups.

export const LANDMARK_COUNT = 68;

export type LandmarkGroup = 'jaw' | 'brows' | 'nose' | 'eyes' | 'mouth';

/** Half-open index ranges [start, end) of each group in the 68-point order. */
export const LANDMARK_GROUPS: Record<LandmarkGroup, readonly [number, number]> = {
	jaw: [0, 17],
	brows: [17, 27],
	nose: [27, 36],
	eyes: [36, 48],
	mouth: [48, 68]
};

export const GROUP_NAMES = Object.keys(LANDMARK_GROUPS) as LandmarkGroup[];

/** Landmark indices of a group, in order. */
export function groupIndices(group: LandmarkGroup): number[] {
	const [a, b] = LANDMARK_GROUPS[group];
	return Array.from({ length: b - a }, (_, i) => a + i);
}

/** The group a landmark index belongs to. */
export function groupOf(index: number): LandmarkGroup {
	for (const g of GROUP_NAMES) {
		const [a, b] = LANDMARK_GROUPS[g];
		if (index >= a && index < b) return g;
	}
	throw new RangeError(`landmark index ${index} is outside 0..67`);
}

/**
 * Points (x,y interleaved, continuous pixel coordinates of a `from`-sized square: pixel i spans
 * [i, i+1), its centre is i + 0.5 — face-api's convention) rescaled to a `to`-sized square.
 */
export function rescalePoints(points: ArrayLike<number>, from: number, to: number): Float32Array {
	const s = to / from;
	const out = new Float32Array(points.length);
	for (let i = 0; i < points.length; i++) out[i] = points[i] * s;
	return out;
}
