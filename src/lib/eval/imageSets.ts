// Node-only readers for evaluation image sets (FID-proxy and friends): a directory of PNG/JPEG
// files, a ustar .tar shard or a .zip of JPEG/PNG members (the /shared/data/faces layout), or a
// raw uint8 NHWC array (.npy with header, or headerless .u8 with a given shape).
// Members are listed first and only the chosen ones are decoded, so `limit` and a seeded
// subset of a 20k-image shard cost what the subset costs.

import { readFileSync, readdirSync, statSync } from 'node:fs';
import { extname, join } from 'node:path';
import { inflateSync } from 'node:zlib';
import { unzipSync } from 'fflate';
import jpeg from 'jpeg-js';
import { createRng } from '../image/rng';

/** 8-bit RGB, row-major HWC. */
export interface U8Image {
	width: number;
	height: number;
	data: Uint8Array;
}

export interface ImageSet {
	source: string;
	/** Images available in the source before limit/subset. */
	total: number;
	/** Which of them were read (indices into the source's sorted member order). */
	indices: number[];
	images: U8Image[];
}

export interface ReadOptions {
	/** Read at most this many images. */
	limit?: number;
	/** With `limit`: a random subset drawn with this seed (project RNG) instead of the first N. */
	seed?: number;
	/** Shape [height, width] (3 channels) of a headerless .u8 file, which cannot be inferred. */
	shape?: [number, number];
}

const IMAGE_EXT = /\.(png|jpe?g)$/i;

/** Read an image set from a directory, .tar, .zip, .npy or .u8 path. */
export function readImageSet(path: string, opts: ReadOptions = {}): ImageSet {
	if (statSync(path).isDirectory()) {
		const names = readdirSync(path).filter((n) => IMAGE_EXT.test(n)).sort();
		return pick(path, names.length, opts, (i) => decodeImage(readFileSync(join(path, names[i])), names[i]));
	}
	const ext = extname(path).toLowerCase();
	const bytes = new Uint8Array(readFileSync(path));
	if (ext === '.tar') {
		const members = tarMembers(bytes).filter((m) => IMAGE_EXT.test(m.name));
		return pick(path, members.length, opts, (i) => {
			const m = members[i];
			return decodeImage(bytes.subarray(m.offset, m.offset + m.size), m.name);
		});
	}
	if (ext === '.zip') {
		const names: string[] = [];
		// First pass lists the members without inflating anything.
		unzipSync(bytes, { filter: (f) => (IMAGE_EXT.test(f.name) && names.push(f.name), false) });
		names.sort();
		const set = pick(path, names.length, opts, () => null);
		const wanted = new Set(set.indices.map((i) => names[i]));
		const files = unzipSync(bytes, { filter: (f) => wanted.has(f.name) });
		set.images = set.indices.map((i) => decodeImage(files[names[i]], names[i]));
		return set;
	}
	if (ext === '.npy' || ext === '.u8') {
		const { shape, offset } = ext === '.npy' ? npyHeader(bytes) : rawShape(bytes.length, opts.shape);
		const [n, h, w, c] = shape;
		const stride = h * w * c;
		return pick(path, n, opts, (i) => toRGB(w, h, c, bytes.subarray(offset + i * stride, offset + (i + 1) * stride)));
	}
	throw new Error(`${path}: not a directory, .tar, .zip, .npy or .u8 image set`);
}

/** Choose indices (first `limit`, or a seeded random subset kept in source order) and decode them. */
function pick(source: string, total: number, opts: ReadOptions, decode: (i: number) => U8Image | null): ImageSet {
	const n = Math.min(total, opts.limit ?? total);
	let indices: number[];
	if (opts.seed === undefined || n === total) indices = Array.from({ length: n }, (_, i) => i);
	else indices = seededSubset(total, n, opts.seed);
	const images: U8Image[] = [];
	for (const i of indices) {
		const img = decode(i);
		if (img) images.push(img);
	}
	return { source, total, indices, images };
}

/** `k` distinct indices from [0, total), seeded partial Fisher–Yates, returned sorted. */
export function seededSubset(total: number, k: number, seed: number): number[] {
	const rng = createRng(seed);
	const perm = Array.from({ length: total }, (_, i) => i);
	for (let i = 0; i < k; i++) {
		const j = i + Math.floor(rng.uniform() * (total - i));
		[perm[i], perm[j]] = [perm[j], perm[i]];
	}
	return perm.slice(0, k).sort((a, b) => a - b);
}

export interface TarMember {
	name: string;
	offset: number;
	size: number;
}

/** Regular-file members of a ustar archive (512-byte headers, data padded to 512). */
export function tarMembers(b: Uint8Array): TarMember[] {
	const out: TarMember[] = [];
	const text = (o: number, len: number) => {
		let end = o;
		while (end < o + len && b[end] !== 0) end++;
		return new TextDecoder().decode(b.subarray(o, end));
	};
	for (let o = 0; o + 512 <= b.length; ) {
		if (b[o] === 0) break; // end-of-archive zero block
		const name = text(o, 100);
		const size = parseInt(text(o + 124, 12).trim() || '0', 8);
		const type = String.fromCharCode(b[o + 156] || 48); // '\0' counts as a regular file
		const prefix = text(o + 345, 155);
		if (!Number.isFinite(size) || o + 512 + size > b.length) throw new Error(`tar: bad member header at byte ${o}`);
		if (type === '0') out.push({ name: prefix ? `${prefix}/${name}` : name, offset: o + 512, size });
		o += 512 + Math.ceil(size / 512) * 512;
	}
	return out;
}

/** Shape [N, H, W, C] and data offset of a uint8, C-order .npy file. */
export function npyHeader(b: Uint8Array): { shape: number[]; offset: number } {
	if (b[0] !== 0x93 || String.fromCharCode(...b.subarray(1, 6)) !== 'NUMPY') throw new Error('npy: bad magic');
	const major = b[6];
	const len = major === 1 ? b[8] | (b[9] << 8) : b[8] | (b[9] << 8) | (b[10] << 16) | (b[11] << 24);
	const start = major === 1 ? 10 : 12;
	const header = new TextDecoder().decode(b.subarray(start, start + len));
	const descr = /'descr':\s*'([^']*)'/.exec(header)?.[1];
	if (descr !== '|u1' && descr !== '<u1' && descr !== 'u1') throw new Error(`npy: dtype ${descr}, expected uint8`);
	if (/'fortran_order':\s*True/.test(header)) throw new Error('npy: Fortran order is not supported');
	const dims = (/'shape':\s*\(([^)]*)\)/.exec(header)?.[1] ?? '').split(',').map((s) => s.trim()).filter(Boolean).map(Number);
	if (dims.length === 3) dims.push(1); // N×H×W grey
	if (dims.length !== 4 || ![1, 3, 4].includes(dims[3])) throw new Error(`npy: shape (${dims}) is not N×H×W[×1|3|4]`);
	const offset = start + len;
	if (b.length < offset + dims.reduce((a, d) => a * d, 1)) throw new Error('npy: file is truncated');
	return { shape: dims, offset };
}

function rawShape(bytes: number, shape?: [number, number]): { shape: number[]; offset: number } {
	if (!shape) throw new Error('.u8 has no header: give its image shape (CLI: --shape HxW)');
	const per = shape[0] * shape[1] * 3;
	if (bytes % per) throw new Error(`.u8 of ${bytes} bytes is not a whole number of ${shape[0]}×${shape[1]}×3 images`);
	return { shape: [bytes / per, shape[0], shape[1], 3], offset: 0 };
}

/** Grey / RGB / RGBA interleaved bytes → RGB (copies). */
function toRGB(width: number, height: number, channels: number, src: Uint8Array): U8Image {
	const data = new Uint8Array(width * height * 3);
	for (let i = 0; i < width * height; i++)
		for (let c = 0; c < 3; c++) data[i * 3 + c] = src[i * channels + (channels < 3 ? 0 : c)];
	return { width, height, data };
}

/** Decode a PNG or JPEG (by signature; `name` only for messages). Alpha is dropped, not composited. */
export function decodeImage(bytes: Uint8Array, name = 'image'): U8Image {
	if (bytes[0] === 0x89 && bytes[1] === 0x50) return decodePng(bytes, name);
	if (bytes[0] === 0xff && bytes[1] === 0xd8) {
		const r = jpeg.decode(bytes, { useTArray: true, formatAsRGBA: true, tolerantDecoding: true });
		return toRGB(r.width, r.height, 4, r.data);
	}
	throw new Error(`${name}: not a PNG or JPEG`);
}

/**
 * Minimal PNG decoder: non-interlaced, bit depth 8 (or 16, keeping the high byte), colour types
 * grey, RGB, palette (8-bit), grey+alpha and RGBA; all five scanline filters.
 */
export function decodePng(b: Uint8Array, name = 'png'): U8Image {
	const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
	let width = 0, height = 0, depth = 0, type = 0;
	let palette: Uint8Array | undefined;
	const idat: Uint8Array[] = [];
	for (let o = 8; o + 8 <= b.length; ) {
		const len = dv.getUint32(o);
		const kind = String.fromCharCode(...b.subarray(o + 4, o + 8));
		const body = b.subarray(o + 8, o + 8 + len);
		if (kind === 'IHDR') {
			[width, height, depth, type] = [dv.getUint32(o + 8), dv.getUint32(o + 12), body[8], body[9]];
			if (body[12] !== 0) throw new Error(`${name}: interlaced PNG is not supported`);
		} else if (kind === 'PLTE') palette = body;
		else if (kind === 'IDAT') idat.push(body);
		else if (kind === 'IEND') break;
		o += 12 + len;
	}
	const channels = ({ 0: 1, 2: 3, 3: 1, 4: 2, 6: 4 } as Record<number, number>)[type];
	if (!channels || !(depth === 8 || (depth === 16 && type !== 3)))
		throw new Error(`${name}: PNG colour type ${type} at ${depth} bits is not supported`);
	const bpp = channels * (depth / 8); // bytes per pixel, the filter's left-neighbour distance
	const rowBytes = width * bpp;
	const raw = inflateSync(Buffer.concat(idat));
	if (raw.length < height * (rowBytes + 1)) throw new Error(`${name}: PNG data is truncated`);
	const px = new Uint8Array(height * rowBytes);
	for (let y = 0; y < height; y++) {
		const f = raw[y * (rowBytes + 1)];
		const src = y * (rowBytes + 1) + 1;
		const cur = y * rowBytes;
		const prev = cur - rowBytes;
		for (let x = 0; x < rowBytes; x++) {
			const a = x >= bpp ? px[cur + x - bpp] : 0;
			const up = y > 0 ? px[prev + x] : 0;
			const c = x >= bpp && y > 0 ? px[prev + x - bpp] : 0;
			let p: number;
			if (f === 0) p = 0;
			else if (f === 1) p = a;
			else if (f === 2) p = up;
			else if (f === 3) p = (a + up) >> 1;
			else if (f === 4) {
				const pa = Math.abs(up - c), pb = Math.abs(a - c), pc = Math.abs(a + up - 2 * c);
				p = pa <= pb && pa <= pc ? a : pb <= pc ? up : c;
			} else throw new Error(`${name}: bad PNG filter ${f} on row ${y}`);
			px[cur + x] = (raw[src + x] + p) & 255;
		}
	}
	let samples = px;
	if (depth === 16) {
		samples = new Uint8Array(px.length / 2);
		for (let i = 0; i < samples.length; i++) samples[i] = px[2 * i];
	}
	if (type === 3) {
		if (!palette) throw new Error(`${name}: palette PNG without PLTE`);
		const data = new Uint8Array(width * height * 3);
		for (let i = 0; i < width * height; i++) data.set(palette.subarray(samples[i] * 3, samples[i] * 3 + 3), i * 3);
		return { width, height, data };
	}
	// grey+alpha has 2 channels: take the grey sample, skip alpha
	if (channels === 2) {
		const g = new Uint8Array(width * height);
		for (let i = 0; i < g.length; i++) g[i] = samples[2 * i];
		return toRGB(width, height, 1, g);
	}
	return toRGB(width, height, channels, samples);
}
