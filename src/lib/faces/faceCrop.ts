// From a detector's face box to the square crop our training faces use. UTKFace's aligned
// and cropped chips (the `faces` data) run from the forehead to just below the chin with a
// little margin; the tiny face detector's box runs roughly from the brows to the chin. So
// the square is 1.4× the box's larger side, centred slightly above the box centre.

export interface Box {
	x: number;
	y: number;
	width: number;
	height: number;
}
export interface SquareCrop {
	x: number;
	y: number;
	size: number;
}

export const CROP_SCALE = 1.4;
export const CROP_LIFT = 0.12;

export function squareCropForFace(box: Box, imageWidth: number, imageHeight: number): SquareCrop {
	const side = CROP_SCALE * Math.max(box.width, box.height);
	const cx = box.x + box.width / 2;
	const cy = box.y + box.height / 2 - CROP_LIFT * box.height;
	return fitSquare({ x: cx - side / 2, y: cy - side / 2, size: side }, imageWidth, imageHeight);
}

/** Shrink a square to the image and slide it inside, so the crop never samples outside. */
export function fitSquare(c: SquareCrop, imageWidth: number, imageHeight: number): SquareCrop {
	const size = Math.max(1, Math.min(c.size, imageWidth, imageHeight));
	const cx = c.x + c.size / 2;
	const cy = c.y + c.size / 2;
	const x = Math.min(Math.max(cx - size / 2, 0), imageWidth - size);
	const y = Math.min(Math.max(cy - size / 2, 0), imageHeight - size);
	return { x: Math.round(x), y: Math.round(y), size: Math.round(size) };
}

/** The default manual crop when no face is found: the largest centred square. */
export function centredSquare(imageWidth: number, imageHeight: number): SquareCrop {
	const size = Math.min(imageWidth, imageHeight);
	return { x: Math.round((imageWidth - size) / 2), y: Math.round((imageHeight - size) / 2), size };
}
