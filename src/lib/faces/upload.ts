// Browser side of "own images": decode an upload safely, find the face, crop it square and
// store it canonically as a small JPEG made by our own pure-JS encoder (so sessions and
// links reproduce the same pixels in every browser).

import { checkUpload } from './imageHeader';
import { squareCropForFace, type SquareCrop } from './faceCrop';
import { fromRGBA } from '../image/rgb';
import { encodeJpeg } from '../image/jpeg';
import type { ImageInput } from '../notebook/types';
import { pageGpuQueue } from '../runtime/pageQueue';
import { loadFaceApiWeights } from '../../models/vendorWeights';

/** An error whose message is written for the person, not the developer. */
export class UserError extends Error {
	constructor(message: string) {
		super(message);
		this.name = 'UserError';
	}
}

export const FACE_SIZE = 128;
export const FACE_JPEG_QUALITY = 90;

export async function decodeUpload(file: Blob, name: string): Promise<ImageBitmap> {
	const head = new Uint8Array(await file.slice(0, 256 * 1024).arrayBuffer());
	const check = checkUpload(name, file.size, head);
	if (!check.ok) throw new UserError(check.error);
	try {
		return check.decodeWidth
			? await createImageBitmap(file, { resizeWidth: check.decodeWidth, resizeHeight: check.decodeHeight, resizeQuality: 'high' })
			: await createImageBitmap(file);
	} catch {
		throw new UserError(`“${name}” could not be decoded; the file may be truncated or corrupted.`);
	}
}

type FaceApi = typeof import('@vladmandic/face-api');
let faceApi: Promise<FaceApi> | undefined;

async function loadDetector(): Promise<FaceApi> {
	faceApi ??= (async () => {
		// The no-bundle build uses our tfjs instance and backend.
		const api = (await import('@vladmandic/face-api/dist/face-api.esm-nobundle.js')) as unknown as FaceApi;
		// size + sha256 checked like srlab's own weights (not face-api's unchecked loadFromUri)
		const net = api.nets.tinyFaceDetector;
		// face-api's typings carry their own copy of tfjs's Tensor type: same objects at runtime
		net.loadFromWeightMap((await loadFaceApiWeights('tiny_face_detector_model')) as unknown as Parameters<typeof net.loadFromWeightMap>[0]);
		return api;
	})().catch((e) => {
		faceApi = undefined; // a later upload tries again
		throw e;
	});
	return faceApi;
}

/** The face's square crop in the bitmap, or null when the detector finds no face. */
export async function findFace(bitmap: ImageBitmap, signal?: AbortSignal): Promise<SquareCrop | null> {
	const api = await loadDetector();
	const canvas = toCanvas(bitmap);
	const det = await pageGpuQueue.run(
		() => api.detectSingleFace(canvas, new api.TinyFaceDetectorOptions({ inputSize: 416, scoreThreshold: 0.4 })),
		signal
	);
	if (!det) return null;
	return squareCropForFace(det.box, bitmap.width, bitmap.height);
}

/** Crop + resize to 128×128 and encode canonically. */
export function cropToInput(source: CanvasImageSource, crop: SquareCrop, name: string): ImageInput {
	const c = new OffscreenCanvas(FACE_SIZE, FACE_SIZE);
	const g = c.getContext('2d')!;
	g.imageSmoothingEnabled = true;
	g.imageSmoothingQuality = 'high';
	g.drawImage(source, crop.x, crop.y, crop.size, crop.size, 0, 0, FACE_SIZE, FACE_SIZE);
	const rgba = g.getImageData(0, 0, FACE_SIZE, FACE_SIZE).data;
	const bytes = encodeJpeg(fromRGBA(FACE_SIZE, FACE_SIZE, rgba), FACE_JPEG_QUALITY);
	return { kind: 'jpeg', name: name.slice(0, 100), width: FACE_SIZE, height: FACE_SIZE, bytes };
}

/** A DOM canvas (face-api accepts those, not OffscreenCanvas) holding the image. */
export function toCanvas(source: ImageBitmap | HTMLVideoElement): HTMLCanvasElement {
	const c = document.createElement('canvas');
	c.width = 'videoWidth' in source ? source.videoWidth : source.width;
	c.height = 'videoHeight' in source ? source.videoHeight : source.height;
	c.getContext('2d')!.drawImage(source, 0, 0);
	return c;
}
