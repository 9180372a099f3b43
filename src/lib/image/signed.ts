// Images in a generator's trained range [-1, 1] (ProGAN, the progressive SR network: linear
// toRGB heads, not clamped) → RGBImages in [0, 1] for display and for 8-bit metrics.

import { rgbImage, type RGBImage } from './rgb';

/** Raw HWC output in [-1, 1] → (raw + 1) / 2 clamped to [0, 1] (NaN → 0), size × size. */
export function toDisplay(raw: Float32Array, size: number): RGBImage {
	const out = new Float32Array(raw.length);
	for (let i = 0; i < raw.length; i++) {
		const v = (raw[i] + 1) / 2;
		out[i] = v > 0 ? (v < 1 ? v : 1) : 0;
	}
	return rgbImage(size, size, out);
}
