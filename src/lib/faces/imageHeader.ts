// Reads an image's type and size from its first bytes, before anything is decoded, so a
// non-image is named as such and a 50-megapixel photo is downscaled while decoding instead
// of filling memory; and a stored or shared JPEG's true size is known before it is decoded.
// Pure: unit-tested on hand-made headers.

export type ImageType = 'png' | 'jpeg' | 'gif' | 'webp' | 'bmp';
export interface ImageHeader {
	type: ImageType;
	width?: number;
	height?: number;
}

export function sniffImage(b: Uint8Array): ImageHeader | null {
	const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
	const ascii = (o: number, n: number) => String.fromCharCode(...b.subarray(o, o + n));
	if (b.length >= 24 && b[0] === 0x89 && ascii(1, 3) === 'PNG') {
		return { type: 'png', width: dv.getUint32(16), height: dv.getUint32(20) };
	}
	if (b.length >= 4 && b[0] === 0xff && b[1] === 0xd8) return { type: 'jpeg', ...jpegSize(b) };
	if (b.length >= 10 && ascii(0, 3) === 'GIF') return { type: 'gif', width: dv.getUint16(6, true), height: dv.getUint16(8, true) };
	if (b.length >= 30 && ascii(0, 4) === 'RIFF' && ascii(8, 4) === 'WEBP') return { type: 'webp', ...webpSize(b, dv, ascii) };
	if (b.length >= 26 && ascii(0, 2) === 'BM') return { type: 'bmp', width: Math.abs(dv.getInt32(18, true)), height: Math.abs(dv.getInt32(22, true)) };
	return null;
}

// SOF0..SOF15 are frame headers, except DHT (C4), JPG (C8) and DAC (CC).
const isFrameMarker = (m: number) => m >= 0xc0 && m <= 0xcf && m !== 0xc4 && m !== 0xc8 && m !== 0xcc;
// TEM and the restart markers stand alone: no length follows them.
const isStandalone = (m: number) => m === 0x01 || (m >= 0xd0 && m <= 0xd7);

/** Offset of the first frame header a decoder reaches by walking the segments; -1 if none comes before the image data. */
function firstFrame(b: Uint8Array): number {
	let o = 2;
	while (o + 3 < b.length) {
		if (b[o] !== 0xff) return -1;
		const marker = b[o + 1];
		if (marker === 0xff) o++; // fill byte
		else if (isStandalone(marker)) o += 2;
		else if (marker === 0xd8 || marker === 0xd9 || marker === 0xda) return -1; // SOI again, EOI, or scan data first
		else if (isFrameMarker(marker)) return o;
		else {
			const len = (b[o + 2] << 8) | b[o + 3];
			if (len < 2) return -1;
			o += 2 + len;
		}
	}
	return -1;
}

function frameSize(b: Uint8Array, o: number): { width?: number; height?: number } {
	if (o < 0 || o + 9 > b.length) return {};
	return { height: (b[o + 5] << 8) | b[o + 6], width: (b[o + 7] << 8) | b[o + 8] };
}

const jpegSize = (b: Uint8Array) => frameSize(b, firstFrame(b));

/**
 * The size of a JPEG that srlab stores or shares, read from its frame header; null unless the
 * segments lead to a frame header and it is the only one anywhere in the bytes. A decoder (jpeg-js,
 * the browser's) can then find no other size however it walks the file: a header that says
 * 128×128 cannot hide a 4096×4096 frame in a comment.
 */
export function jpegFrameSize(b: Uint8Array): { width: number; height: number } | null {
	if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
	const at = firstFrame(b);
	const { width, height } = frameSize(b, at);
	if (!width || !height) return null;
	for (let i = 0; i + 1 < b.length; i++) if (b[i] === 0xff && isFrameMarker(b[i + 1]) && i !== at) return null;
	return { width, height };
}

function webpSize(b: Uint8Array, dv: DataView, ascii: (o: number, n: number) => string): { width?: number; height?: number } {
	const chunk = ascii(12, 4);
	if (chunk === 'VP8X') return { width: 1 + (b[24] | (b[25] << 8) | (b[26] << 16)), height: 1 + (b[27] | (b[28] << 8) | (b[29] << 16)) };
	if (chunk === 'VP8 ') return { width: dv.getUint16(26, true) & 0x3fff, height: dv.getUint16(28, true) & 0x3fff };
	if (chunk === 'VP8L') {
		const bits = dv.getUint32(21, true);
		return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
	}
	return {};
}

export const MAX_FILE_BYTES = 40 * 1024 * 1024;
export const MAX_PIXELS = 100_000_000;
/** Longest side an upload is decoded at: plenty for a 128×128 face crop. */
export const DECODE_LONG_SIDE = 1024;

export type UploadCheck = { ok: true; header: ImageHeader; decodeWidth?: number; decodeHeight?: number } | { ok: false; error: string };

/** Decide, from the file's size and first bytes alone, whether and how to decode it. */
export function checkUpload(name: string, size: number, head: Uint8Array): UploadCheck {
	const header = sniffImage(head);
	if (!header) return { ok: false, error: `“${name}” is not an image srlab can read (PNG, JPEG, GIF, WebP or BMP).` };
	if (size > MAX_FILE_BYTES) return { ok: false, error: `“${name}” is ${(size / 1048576).toFixed(0)} MB; srlab takes images up to ${MAX_FILE_BYTES / 1048576} MB.` };
	const { width, height } = header;
	if (!width || !height) return { ok: false, error: `“${name}” looks like a ${header.type.toUpperCase()} but its size cannot be read; the file may be truncated or corrupted.` };
	if (width * height > MAX_PIXELS) return { ok: false, error: `“${name}” is ${Math.round((width * height) / 1e6)} megapixels; srlab takes up to ${MAX_PIXELS / 1e6} megapixels.` };
	const long = Math.max(width, height);
	if (long <= DECODE_LONG_SIDE) return { ok: true, header };
	const s = DECODE_LONG_SIDE / long;
	return { ok: true, header, decodeWidth: Math.max(1, Math.round(width * s)), decodeHeight: Math.max(1, Math.round(height * s)) };
}
