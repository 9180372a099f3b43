// The motion-blur kernel a person draws (paper 002 §1: camera or subject motion during the
// exposure): a drag on the kernel pad from one point to another sets the segment's length (HR px)
// and its direction; the arrow keys nudge them. A segment through the centre at θ and at θ + 180°
// is the same kernel (motionBlurKernel is symmetric), so angles live in [0°, 180°).
// The pad is plain geometry here; KernelPad.svelte draws it and handles the pointer and keys.

/** The kernel parameters' ranges (the input cell's params use them too). */
export const LENGTH_MAX = 24;
export const LENGTH_STEP = 0.5;
export const ANGLE_STEP = 1;

export interface MotionParams {
	/** HR px, 0..LENGTH_MAX, multiple of LENGTH_STEP */
	length: number;
	/** degrees counter-clockwise from +x as seen on screen, 0 ≤ angle < 180, whole degrees */
	angle: number;
}

/** An angle in whole degrees, wrapped into [0, 180). */
export function wrapAngle(deg: number): number {
	const a = Math.round(deg / ANGLE_STEP) * ANGLE_STEP;
	return ((a % 180) + 180) % 180;
}

/** A length rounded to the slider's step and held in [0, LENGTH_MAX]. */
export function clampLength(px: number): number {
	const l = Math.round(px / LENGTH_STEP) * LENGTH_STEP;
	return Math.min(LENGTH_MAX, Math.max(0, l));
}

/**
 * A drag from `start` to `end` (screen px, y down) on a pad showing `hrPxPerScreenPx` HR pixels
 * per screen pixel: the segment's length in HR px and its on-screen direction (y up, so a drag
 * up and to the right is 45°).
 */
export function dragToMotion(start: { x: number; y: number }, end: { x: number; y: number }, hrPxPerScreenPx: number): MotionParams {
	const dx = (end.x - start.x) * hrPxPerScreenPx;
	const dy = (end.y - start.y) * hrPxPerScreenPx;
	const length = clampLength(Math.hypot(dx, dy));
	// a zero-length drag keeps no direction; 0° is as good as any
	const angle = length === 0 ? 0 : wrapAngle((Math.atan2(-dy, dx) * 180) / Math.PI);
	return { length, angle };
}

/**
 * The pad's keys: ←/→ turn the segment by 1° (Shift: 15°) counter-/clockwise, ↑/↓ lengthen or
 * shorten it by 0.5 px (Shift: 2 px). Null for any other key (the page keeps it).
 */
export function keyToMotion(key: string, shift: boolean, m: MotionParams): MotionParams | null {
	const turn = shift ? 15 : ANGLE_STEP;
	const grow = shift ? 2 : LENGTH_STEP;
	switch (key) {
		case 'ArrowLeft':
			return { length: m.length, angle: wrapAngle(m.angle + turn) };
		case 'ArrowRight':
			return { length: m.length, angle: wrapAngle(m.angle - turn) };
		case 'ArrowUp':
			return { length: clampLength(m.length + grow), angle: m.angle };
		case 'ArrowDown':
			return { length: clampLength(m.length - grow), angle: m.angle };
		default:
			return null;
	}
}

/** The segment's two ends in pad coordinates (HR px from the pad's centre, y down), for drawing. */
export function segmentEnds(m: MotionParams): [{ x: number; y: number }, { x: number; y: number }] {
	const th = (m.angle * Math.PI) / 180;
	const hx = (Math.cos(th) * m.length) / 2;
	const hy = (-Math.sin(th) * m.length) / 2;
	return [
		{ x: -hx, y: -hy },
		{ x: hx, y: hy }
	];
}
