// One of the person's image files → their face, square, through srlab's own upload path:
// the checked decode (size limits, refusals with messages), the face detector and the square
// crop of src/lib/faces, and the canonical 128 px crop. Null when no face is found.

import { cropToInput, decodeUpload, findFace } from '$lib/faces/upload';
import { decodeJpeg } from '$lib/image/jpeg';
import type { RGBImage } from '$lib/image/rgb';

export async function readFace(file: File, signal?: AbortSignal): Promise<RGBImage | null> {
	const name = file.webkitRelativePath || file.name;
	const bitmap = await decodeUpload(file, name);
	try {
		const crop = await findFace(bitmap, signal);
		if (!crop) return null;
		const input = cropToInput(bitmap, crop, name);
		if (input.kind !== 'jpeg') return null;
		return decodeJpeg(input.bytes);
	} finally {
		bitmap.close();
	}
}
