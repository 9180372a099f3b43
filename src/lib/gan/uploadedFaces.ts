// The person's own training faces for the live GAN: each image is read (decoded, face found,
// cropped square: the browser side passes `readFace`), box-downsampled to the training size
// and stored canonically as a small JPEG from our pure-JS encoder, so a reload decodes the
// very same pixels (and a saved run's fingerprint still matches). The set lives in the
// session's history under `<cellId>-faces-*`, never in a share link, within a stated cap.

import { decodeJpeg, encodeJpeg } from '$lib/image/jpeg';
import { rgbImage, type RGBImage } from '$lib/image/rgb';
import { AbortedError } from '$lib/runtime/gpuQueue';
import { facesFromImages, type FaceSet } from './faces';
import type { CellHistory } from './persist';

/** At most this many faces, and this many bytes of JPEG, are kept (stated in the UI). */
export const MAX_UPLOADED_FACES = 256;
export const MAX_UPLOADED_BYTES = 512 * 1024;
export const UPLOAD_JPEG_QUALITY = 90;

export interface Refusal {
	name: string;
	message: string;
}

/** What one batch of files did to the set. */
export interface BatchTally {
	added: number;
	/** Images in which no face was found (skipped). */
	noFace: string[];
	/** Files refused (not an image, too large, undecodable), with the reason. */
	refused: Refusal[];
	/** Faces found but not kept because the set was full. */
	overCap: number;
	/** Files not looked at because the batch was cancelled. */
	notRead: number;
}

/**
 * Reads one file: a square face image (any side that `size` divides), or null when the
 * image holds no detectable face; throws an Error with a message for the person to refuse it.
 */
export type ReadFace<F> = (file: F, signal?: AbortSignal) => Promise<RGBImage | null>;

/** Box-downsample a square face to `size` px and encode it canonically. */
export function canonicalFaceJpeg(face: RGBImage, size: number): Uint8Array {
	const set = facesFromImages([face], size);
	const data = Float32Array.from(set.data, (v) => (v + 1) / 2);
	return encodeJpeg(rgbImage(size, size, data), UPLOAD_JPEG_QUALITY);
}

const totalBytes = (jpegs: readonly Uint8Array[]) => jpegs.reduce((s, j) => s + j.length, 0);

/**
 * Add the faces of `files` to `jpegs` (not mutated) one file at a time. Refusals and images
 * without a face are counted and named, not dropped silently; faces past the cap are counted.
 * On cancel (signal) the faces read so far are kept and the rest are counted as not read.
 */
export async function addFaces<F extends { name: string }>(
	jpegs: readonly Uint8Array[],
	files: readonly F[],
	readFace: ReadFace<F>,
	size: number,
	work: { signal?: AbortSignal; progress?: (done: number, total: number) => void } = {}
): Promise<{ jpegs: Uint8Array[]; tally: BatchTally }> {
	const out = [...jpegs];
	let bytes = totalBytes(out);
	const tally: BatchTally = { added: 0, noFace: [], refused: [], overCap: 0, notRead: 0 };
	for (let i = 0; i < files.length; i++) {
		if (work.signal?.aborted) {
			tally.notRead = files.length - i;
			break;
		}
		const file = files[i];
		try {
			const face = await readFace(file, work.signal);
			if (!face) tally.noFace.push(file.name);
			else {
				const jpeg = canonicalFaceJpeg(face, size);
				if (out.length >= MAX_UPLOADED_FACES || bytes + jpeg.length > MAX_UPLOADED_BYTES) tally.overCap++;
				else {
					out.push(jpeg);
					bytes += jpeg.length;
					tally.added++;
				}
			}
		} catch (e) {
			if (e instanceof AbortedError || work.signal?.aborted) {
				tally.notRead = files.length - i;
				break;
			}
			tally.refused.push({ name: file.name, message: e instanceof Error ? e.message : String(e) });
		}
		work.progress?.(i + 1, files.length);
	}
	return { jpegs: out, tally };
}

/** The set's training data: every stored JPEG decoded, in [−1, 1]. */
export function faceSetFromJpegs(jpegs: readonly Uint8Array[], size: number): FaceSet {
	return facesFromImages(jpegs.map((j) => decodeJpeg(j)), size);
}

const key = (cellId: string, name: string) => `${cellId}-faces-${name}`;

/** The set as two history arrays: all JPEGs end to end, and each one's length. */
export function packUploaded(cellId: string, jpegs: readonly Uint8Array[]): CellHistory {
	const all = new Uint8Array(totalBytes(jpegs));
	let o = 0;
	for (const j of jpegs) {
		all.set(j, o);
		o += j.length;
	}
	return { [key(cellId, 'jpeg')]: all, [key(cellId, 'lengths')]: Float32Array.from(jpegs, (j) => j.length) };
}

/**
 * The stored set back from a session's history ([] when there is none). Damaged records are
 * cut to the faces that still decode at `size` px, and the cap holds for stored records too.
 */
export function unpackUploaded(cellId: string, history: CellHistory | undefined, size: number): Uint8Array[] {
	const all = history?.[key(cellId, 'jpeg')];
	const lengths = history?.[key(cellId, 'lengths')];
	if (!(all instanceof Uint8Array) || !(lengths instanceof Float32Array)) return [];
	const out: Uint8Array[] = [];
	let o = 0;
	for (const n of lengths) {
		if (!Number.isInteger(n) || n <= 0 || o + n > all.length || out.length >= MAX_UPLOADED_FACES) break;
		const j = all.slice(o, o + n);
		o += n;
		try {
			const img = decodeJpeg(j);
			if (img.width === size && img.height === size) out.push(j);
		} catch {
			// a damaged face is left out; the others stay
		}
	}
	return out;
}
