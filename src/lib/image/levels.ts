// [0, 1] images as a PNG would hold them (8-bit levels), and a short stable name of an image's
// levels (to key per-face results across runs and browsers).

import { rgbImage, type RGBImage } from './rgb';

/** Round [0, 1] values to 8-bit levels (what a PNG of the image holds). */
export function to8bit(img: RGBImage): RGBImage {
	const out = new Float32Array(img.data.length);
	for (let i = 0; i < out.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, img.data[i])) * 255) / 255;
	return rgbImage(img.width, img.height, out);
}

/** A short stable id of an image's 8-bit levels (FNV-1a). */
export function levelsId(img: RGBImage): string {
	let h = 0x811c9dc5;
	for (let i = 0; i < img.data.length; i++) {
		h ^= Math.round(Math.min(1, Math.max(0, img.data[i])) * 255);
		h = Math.imul(h, 0x01000193);
	}
	return (h >>> 0).toString(16).padStart(8, '0');
}
