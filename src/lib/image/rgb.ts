// The one in-memory image type shared by cells and models: RGB, HWC, float32 in [0, 1].
// Plain data so it crosses the runtime, sessions and workers without tfjs.

export interface RGBImage {
	width: number;
	height: number;
	/** length = width * height * 3, row-major HWC, values in [0, 1] */
	data: Float32Array;
}

export function rgbImage(width: number, height: number, data?: Float32Array): RGBImage {
	const n = width * height * 3;
	if (data && data.length !== n) throw new Error(`image data has ${data.length} values, expected ${n}`);
	return { width, height, data: data ?? new Float32Array(n) };
}

/** RGBA bytes (canvas ImageData) → RGBImage. */
export function fromRGBA(width: number, height: number, rgba: Uint8ClampedArray | Uint8Array): RGBImage {
	const out = rgbImage(width, height);
	for (let i = 0, j = 0; i < width * height; i++, j += 4) {
		out.data[i * 3] = rgba[j] / 255;
		out.data[i * 3 + 1] = rgba[j + 1] / 255;
		out.data[i * 3 + 2] = rgba[j + 2] / 255;
	}
	return out;
}

/** RGBImage → RGBA bytes for a canvas (values clamped to [0, 1], rounded). */
export function toRGBA(img: RGBImage): Uint8ClampedArray<ArrayBuffer> {
	const out = new Uint8ClampedArray(img.width * img.height * 4);
	for (let i = 0; i < img.width * img.height; i++) {
		out[i * 4] = Math.round(img.data[i * 3] * 255);
		out[i * 4 + 1] = Math.round(img.data[i * 3 + 1] * 255);
		out[i * 4 + 2] = Math.round(img.data[i * 3 + 2] * 255);
		out[i * 4 + 3] = 255;
	}
	return out;
}

/** Average-pool by an integer factor (box filter): the "F" of High-to-Low Eq. 4. */
export function downsampleArea(img: RGBImage, factor: number): RGBImage {
	if (!Number.isInteger(factor) || factor < 1 || img.width % factor || img.height % factor) {
		throw new Error(`cannot area-downsample ${img.width}×${img.height} by ${factor}`);
	}
	const w = img.width / factor;
	const h = img.height / factor;
	const out = rgbImage(w, h);
	const norm = 1 / (factor * factor);
	for (let y = 0; y < img.height; y++) {
		for (let x = 0; x < img.width; x++) {
			const i = (y * img.width + x) * 3;
			const o = (Math.floor(y / factor) * w + Math.floor(x / factor)) * 3;
			out.data[o] += img.data[i] * norm;
			out.data[o + 1] += img.data[i + 1] * norm;
			out.data[o + 2] += img.data[i + 2] * norm;
		}
	}
	return out;
}
