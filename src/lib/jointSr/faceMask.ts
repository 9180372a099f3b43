// The face-region mask M_face of paper 002 §3.3 (the local discriminator's input and Eq. 4's masked
// term). The paper takes it from CelebA-HQ parsing masks; we have none, so it is built from the 68
// landmarks of face-api's landmark net on the sharp HR face (issue-15 contract, same rule as
// train/joint_sr/mask.py): the jaw line p0..p16 closed over the eyebrows p26..p17 lifted by 0.2 of the
// face height h = p8.y − mean(p17..26.y), so the forehead is inside. A pixel is in the mask when its
// centre is inside that polygon (even–odd rule).

export const JOINT_MASK_PX = 128;
/** How far above the eyebrows the polygon runs, as a fraction of the brow-to-chin height. */
export const BROW_LIFT = 0.2;

export type Point = readonly [number, number];

function checkLandmarks(points: ArrayLike<number>) {
	if (points.length !== 136) throw new Error(`face mask: expected 68 landmarks as 136 interleaved x, y values, got ${points.length} values`);
	for (let i = 0; i < 136; i++) if (!Number.isFinite(points[i])) throw new Error(`face mask: landmark ${i >> 1} is not a finite point`);
}

/**
 * The mask polygon from 68 landmarks (x, y interleaved, in the mask's pixel coordinates: pixel
 * (row i, col j) is the square [j, j+1) × [i, i+1)): [p0 … p16, q26 … q17], q_k = p_k lifted by 0.2·h.
 */
export function faceRegionPolygon(points: ArrayLike<number>): Point[] {
	checkLandmarks(points);
	const p = (k: number): Point => [points[2 * k], points[2 * k + 1]];
	let browY = 0;
	for (let k = 17; k <= 26; k++) browY += p(k)[1];
	browY /= 10;
	const lift = BROW_LIFT * (p(8)[1] - browY);
	const poly: Point[] = [];
	for (let k = 0; k <= 16; k++) poly.push(p(k));
	for (let k = 26; k >= 17; k--) poly.push([p(k)[0], p(k)[1] - lift]);
	return poly;
}

/**
 * Even–odd rule (pnpoly crossing test) for the closed polygon (last vertex joins the first). Each edge
 * a → b (vertex k to k + 1) is evaluated in exactly train/joint_sr/mask.py's order, so pixel centres
 * on the float boundary fall the same way in both.
 */
export function insidePolygon(x: number, y: number, poly: readonly Point[]): boolean {
	let inside = false;
	for (let k = 0; k < poly.length; k++) {
		const [ax, ay] = poly[k];
		const [bx, by] = poly[(k + 1) % poly.length];
		if (ay > y !== by > y && x < ((bx - ax) * (y - ay)) / (by - ay) + ax) inside = !inside;
	}
	return inside;
}

/** Rasterise a polygon: size×size row-major, 1 where the pixel centre (j + ½, i + ½) is inside, else 0. */
export function polygonMask(poly: readonly Point[], size = JOINT_MASK_PX): Float32Array {
	const m = new Float32Array(size * size);
	for (let i = 0; i < size; i++) for (let j = 0; j < size; j++) if (insidePolygon(j + 0.5, i + 0.5, poly)) m[i * size + j] = 1;
	return m;
}

/** M_face from 68 landmarks (136 interleaved values, pixel coordinates of a size×size face). */
export function faceRegionMask(points: ArrayLike<number>, size = JOINT_MASK_PX): Float32Array {
	return polygonMask(faceRegionPolygon(points), size);
}
