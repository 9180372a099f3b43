// The live GAN's own-faces set (src/lib/gan/uploadedFaces.ts, src/lib/gan/uploadStore.ts):
// skips and refusals are counted and named, the cap holds, cancel keeps what was read, and the
// canonical JPEG storage round-trips through the session history to the same training data.
import { describe, expect, it } from 'vitest';
import { rgbImage, type RGBImage } from '../../src/lib/image/rgb';
import { createRng } from '../../src/lib/image/rng';
import { decodeJpeg } from '../../src/lib/image/jpeg';
import {
	addFaces,
	canonicalFaceJpeg,
	faceSetFromJpegs,
	MAX_UPLOADED_BYTES,
	MAX_UPLOADED_FACES,
	packUploaded,
	unpackUploaded,
	type ReadFace
} from '../../src/lib/gan/uploadedFaces';
import { publishUploaded, uploadedFor, forgetUploaded } from '../../src/lib/gan/uploadStore';
import { ganFaces } from '../../src/notebooks/live-gan/faces';
import { cellContext } from './cellContext';

const SIZE = 32;

/** A smooth square test image (not a dataset face): colour gradients seeded per file. */
function face(seed: number, side = 128): RGBImage {
	const r = createRng(seed);
	const [a, b, c] = [r.uniform(), r.uniform(), r.uniform()];
	const data = new Float32Array(side * side * 3);
	for (let y = 0; y < side; y++)
		for (let x = 0; x < side; x++) {
			const i = (y * side + x) * 3;
			data[i] = (a + x / side) / 2;
			data[i + 1] = (b + y / side) / 2;
			data[i + 2] = (c + (x + y) / (2 * side)) / 2;
		}
	return rgbImage(side, side, data);
}

type F = { name: string; kind: 'face' | 'none' | 'bad'; seed: number };
const read: ReadFace<F> = async (f) => {
	if (f.kind === 'bad') throw new Error(`“${f.name}” is not an image srlab can read.`);
	return f.kind === 'none' ? null : face(f.seed);
};

describe('own training faces', () => {
	it('adds faces, skips and counts images without a face, names refusals', async () => {
		const files: F[] = [
			{ name: 'a.png', kind: 'face', seed: 1 },
			{ name: 'wall.jpg', kind: 'none', seed: 0 },
			{ name: 'notes.txt', kind: 'bad', seed: 0 },
			{ name: 'b.png', kind: 'face', seed: 2 }
		];
		const seen: number[] = [];
		const { jpegs, tally } = await addFaces([], files, read, SIZE, { progress: (d) => seen.push(d) });
		expect(jpegs.length).toBe(2);
		expect(tally.added).toBe(2);
		expect(tally.noFace).toEqual(['wall.jpg']);
		expect(tally.refused).toEqual([{ name: 'notes.txt', message: '“notes.txt” is not an image srlab can read.' }]);
		expect(tally.overCap).toBe(0);
		expect(seen).toEqual([1, 2, 3, 4]);
		for (const j of jpegs) expect([decodeJpeg(j).width, decodeJpeg(j).height]).toEqual([SIZE, SIZE]);
		// a second batch adds to the first, which it does not change
		const more = await addFaces(jpegs, [{ name: 'c.png', kind: 'face', seed: 3 }], read, SIZE);
		expect(more.jpegs.length).toBe(3);
		expect(more.jpegs.slice(0, 2)).toEqual(jpegs);
	});

	it('stops at the cap and counts the faces it could not keep', async () => {
		const one = canonicalFaceJpeg(face(1), SIZE);
		const full = Array.from({ length: MAX_UPLOADED_FACES - 1 }, () => one);
		expect(full.length * one.length).toBeLessThan(MAX_UPLOADED_BYTES);
		const files: F[] = [1, 2, 3].map((s) => ({ name: `${s}.png`, kind: 'face', seed: s }));
		const { jpegs, tally } = await addFaces(full, files, read, SIZE);
		expect(jpegs.length).toBe(MAX_UPLOADED_FACES);
		expect([tally.added, tally.overCap]).toEqual([1, 2]);
		// the byte cap too: a set just under it takes nothing more
		const big = new Uint8Array(MAX_UPLOADED_BYTES - 10);
		const byBytes = await addFaces([big], files.slice(0, 1), read, SIZE);
		expect([byBytes.jpegs.length, byBytes.tally.overCap]).toEqual([1, 1]);
	});

	it('cancel keeps the faces read before it and counts the rest as not read', async () => {
		const ctl = new AbortController();
		const files: F[] = [1, 2, 3, 4].map((s) => ({ name: `${s}.png`, kind: 'face', seed: s }));
		const { jpegs, tally } = await addFaces([], files, read, SIZE, { signal: ctl.signal, progress: (d) => d === 2 && ctl.abort() });
		expect(jpegs.length).toBe(2);
		expect([tally.added, tally.notRead]).toEqual([2, 2]);
	});

	it('round-trips through the session history to the same training data', async () => {
		const { jpegs } = await addFaces([], [1, 2, 3].map((s): F => ({ name: `${s}`, kind: 'face', seed: s })), read, SIZE);
		const history = packUploaded('faces', jpegs);
		expect(Object.keys(history).sort()).toEqual(['faces-faces-jpeg', 'faces-faces-lengths']);
		const back = unpackUploaded('faces', history, SIZE);
		expect(back).toEqual(jpegs);
		const a = faceSetFromJpegs(jpegs, SIZE);
		const b = faceSetFromJpegs(back, SIZE);
		expect(a.count).toBe(3);
		expect(a.source).toBe('upload');
		expect(b.data).toEqual(a.data);
		// the stored faces are the canonical downsample of the originals, within JPEG error
		const direct = Float32Array.from(faceSetFromJpegs([canonicalFaceJpeg(face(1), SIZE)], SIZE).data);
		expect(Array.from(a.data.subarray(0, SIZE * SIZE * 3))).toEqual(Array.from(direct));
		const mean = face(1).data.reduce((s, v) => s + v, 0) / face(1).data.length;
		const stored = a.data.subarray(0, SIZE * SIZE * 3).reduce((s, v) => s + (v + 1) / 2, 0) / (SIZE * SIZE * 3);
		expect(Math.abs(stored - mean)).toBeLessThan(0.01);
		// other cells' keys and a missing record give nothing; a damaged face is left out
		expect(unpackUploaded('other', history, SIZE)).toEqual([]);
		expect(unpackUploaded('faces', undefined, SIZE)).toEqual([]);
		const damaged = packUploaded('faces', [jpegs[0], Uint8Array.from([0xff, 0xd8, 1, 2, 3]), jpegs[2]]);
		expect(unpackUploaded('faces', damaged, SIZE)).toEqual([jpegs[0], jpegs[2]]);
		// a face stored at another size is not taken
		expect(unpackUploaded('faces', packUploaded('faces', [canonicalFaceJpeg(face(1), 16)]), SIZE)).toEqual([]);
	});

	it('the page store hands a waiting compute the set its view publishes', async () => {
		forgetUploaded('cellA');
		const waiting = uploadedFor('cellA');
		publishUploaded('cellA', [Uint8Array.of(1)]);
		expect(await waiting).toEqual([Uint8Array.of(1)]);
		const ctl = new AbortController();
		forgetUploaded('cellA');
		const cancelled = uploadedFor('cellA', ctl.signal);
		ctl.abort();
		await expect(cancelled).rejects.toThrow('aborted');
	});

	it('the faces cell trains on the published set with source “your own faces”, and says when there is none', async () => {
		const { jpegs } = await addFaces([], [1, 2].map((s): F => ({ name: `${s}`, kind: 'face', seed: s })), read, SIZE);
		const ctx = { ...cellContext(ganFaces, { params: { source: 'upload' } }), cellId: 'facesX' };
		publishUploaded('facesX', []);
		await expect(ganFaces.compute(ctx)).rejects.toThrow(/No faces of your own yet/);
		publishUploaded('facesX', jpegs);
		const set = await ganFaces.compute(ctx);
		expect([set.count, set.size, set.source]).toEqual([2, SIZE, 'upload']);
		expect(set.data).toEqual(faceSetFromJpegs(jpegs, SIZE).data);
		forgetUploaded('facesX');
	});
});
