// Hand-made JPEG headers for the tests of what a stored or shared JPEG must look like: the
// size checks read only the markers, so these need no image data.

const segment = (marker: number, body: number[]) => [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 255, ...body];

/** A baseline frame header (SOF0) for w×h, three components. */
export const sof = (w: number, h: number) => segment(0xc0, [8, h >> 8, h & 255, w >> 8, w & 255, 3, 1, 0x11, 0, 2, 0x11, 1, 3, 0x11, 1]);

/** A comment segment (COM) holding `bytes`: a decoder skips it, a naive scan does not. */
export const comment = (bytes: number[]) => segment(0xfe, bytes);

/** SOI, APP0 (JFIF), the `frames` (default: one SOF0 of w×h), `tail`, EOI. */
export function jpegHeader(w: number, h: number, tail: number[] = [], frames = sof(w, h)): Uint8Array {
	const app0 = segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
	return Uint8Array.from([0xff, 0xd8, ...app0, ...frames, ...tail, 0xff, 0xd9]);
}
