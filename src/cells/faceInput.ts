// The face-input cell (every notebook): turn the stored ImageInput (synthetic or a canonical
// JPEG) into the HR face at 128×128 and 64×64 for downstream cells. View: FaceInput.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import { downsampleArea, type RGBImage } from '$lib/image/rgb';
import { decodeJpeg } from '$lib/image/jpeg';
import { syntheticFace } from '$lib/faces/syntheticFace';
import type { ImageInput } from '$lib/notebook/types';

export interface FaceValue {
	hr128: RGBImage;
	hr64: RGBImage;
	/** What the person should be told this face is. */
	label: string;
	synthetic: boolean;
}

export function faceFromImage(image: ImageInput = { kind: 'synthetic', seed: 1 }): FaceValue {
	let hr128: RGBImage;
	let label: string;
	if (image.kind === 'synthetic') {
		hr128 = syntheticFace(128, image.seed);
		label = `Synthetic face #${image.seed} (drawn by code, not a photo)`;
	} else {
		hr128 = decodeJpeg(image.bytes);
		if (hr128.width !== 128 || hr128.height !== 128) {
			throw new Error(`The stored face is ${hr128.width}×${hr128.height}; expected 128×128. Upload it again.`);
		}
		label = image.name || 'Uploaded face';
	}
	return { hr128, hr64: downsampleArea(hr128, 2), label, synthetic: image.kind === 'synthetic' };
}

export const faceInput = defineCell({
	kind: 'face-input',
	summary: 'A face from you: upload, drop, camera or the synthetic face, cropped square to 128×128.',
	imageInput: true,
	compute: (ctx) => faceFromImage(ctx.image)
});
