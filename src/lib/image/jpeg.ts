// JPEG through the pure-JS jpeg-js codec: the same bytes and pixels in every browser and in
// Node (canvas.toBlob differs between browsers). Used for the JPEG degradation and to store
// uploaded faces canonically.

import jpeg from 'jpeg-js';
import { fromRGBA, type RGBImage } from './rgb';
import { sniffImage } from '../faces/imageHeader';

/** Largest image decodeJpeg accepts, per side. */
export const MAX_JPEG_SIDE = 4096;
const MAX_MP = (MAX_JPEG_SIDE * MAX_JPEG_SIDE) / 1e6; // jpeg-js counts 1 MP = 10⁶ px
// jpeg-js's own accounting for a 4096² colour image is about 12 B/px of DCT blocks plus
// line buffers and the RGBA output: ~330 MB. Refuse anything needing more.
const MAX_MEMORY_MB = 400;

/**
 * Encode at quality 1..100 (clamped, rounded; jpeg-js's IJG-style quantisation scaling,
 * 4:4:4 chroma). Pixel values are clamped to [0, 1] and rounded to 8 bits.
 */
export function encodeJpeg(img: RGBImage, quality: number): Uint8Array<ArrayBuffer> {
	const { width, height } = img;
	if (!(width > 0 && height > 0) || img.data.length !== width * height * 3)
		throw new Error(`encodeJpeg: bad image ${width}×${height} with ${img.data.length} values`);
	const q = Math.min(100, Math.max(1, Math.round(Number.isFinite(quality) ? quality : 75)));
	const rgba = new Uint8Array(width * height * 4);
	for (let i = 0; i < width * height; i++) {
		for (let c = 0; c < 3; c++) {
			const v = img.data[i * 3 + c];
			rgba[i * 4 + c] = Math.round((v > 0 ? (v < 1 ? v : 1) : 0) * 255);
		}
		rgba[i * 4 + 3] = 255;
	}
	const out = withBufferShim(() => jpeg.encode({ width, height, data: rgba }, q).data);
	// A plain Uint8Array everywhere (Node returns a Buffer, which compares differently).
	const bytes = new Uint8Array(out.length);
	bytes.set(out);
	return bytes;
}

/**
 * Decode JPEG bytes to an RGBImage (greyscale JPEGs become grey RGB). Throws an Error with a
 * readable message on anything that is not a complete, decodable JPEG, and refuses images
 * larger than MAX_JPEG_SIDE per side or 4096² pixels before allocating them.
 */
export function decodeJpeg(bytes: Uint8Array | ArrayBuffer): RGBImage {
	const data = bytes instanceof ArrayBuffer ? new Uint8Array(bytes) : bytes;
	if (!(data instanceof Uint8Array) || data.length < 4 || data[0] !== 0xff || data[1] !== 0xd8)
		throw new Error('Not a JPEG file (missing the JPEG start marker).');
	const size = sniffImage(data); // the frame header a decoder reaches, read before decoding
	if (size?.width && size.height && (size.width > MAX_JPEG_SIDE || size.height > MAX_JPEG_SIDE))
		throw new Error(`JPEG image is too large: ${size.width}×${size.height} (at most ${MAX_JPEG_SIDE} pixels per side).`);
	let raw: { width: number; height: number; data: Uint8Array };
	try {
		raw = jpeg.decode(data, {
			useTArray: true, // no Node Buffer in the browser
			formatAsRGBA: true,
			tolerantDecoding: true, // accept common encoder quirks; truncation still throws
			maxResolutionInMP: MAX_MP,
			maxMemoryUsageInMB: MAX_MEMORY_MB
		});
	} catch (e) {
		const msg = e instanceof Error ? e.message : String(e);
		if (/maxResolutionInMP|maxMemoryUsageInMB|allocate/.test(msg))
			throw new Error(`JPEG image is too large (at most ${MAX_JPEG_SIDE}×${MAX_JPEG_SIDE} pixels): ${msg}`);
		throw new Error(`Could not decode the JPEG (corrupt or truncated?): ${msg}`);
	}
	const { width, height } = raw;
	if (!(width > 0 && height > 0)) throw new Error('Could not decode the JPEG: it has no pixels.');
	if (width > MAX_JPEG_SIDE || height > MAX_JPEG_SIDE)
		throw new Error(`JPEG image is too large: ${width}×${height} (at most ${MAX_JPEG_SIDE} pixels per side).`);
	if (raw.data.length !== width * height * 4) throw new Error('Could not decode the JPEG: incomplete pixel data.');
	return fromRGBA(width, height, raw.data);
}

/**
 * jpeg-js's encoder ends with `Buffer.from(bytes)` whenever `module` exists, which is true in
 * bundled builds too, and browsers have no Buffer (image-js/image-js#612). Lend it a minimal
 * Buffer for the synchronous encode call only, then remove it again.
 */
function withBufferShim<R>(fn: () => R): R {
	const g = globalThis as { Buffer?: unknown };
	if (g.Buffer !== undefined) return fn();
	g.Buffer = { from: (a: ArrayLike<number>) => Uint8Array.from(a) };
	try {
		return fn();
	} finally {
		delete g.Buffer;
	}
}
