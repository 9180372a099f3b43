// A small animated-GIF (GIF89a) encoder for exporting a latent search as a film: one global
// 256-colour palette by median cut over all frames, nearest-colour mapping (no dithering, so
// flat areas stay flat), LZW with variable code width, and the NETSCAPE2.0 loop block.
// Pure TypeScript on RGBImage ([0, 1] floats), so it is unit-tested in Node.

import type { RGBImage } from '../image/rgb';

/** Up to `max` colours (RGB bytes, flat) that split the sampled pixels by median cut. */
export function medianCutPalette(pixels: Uint8Array, max = 256): Uint8Array {
	const n = pixels.length / 3;
	let boxes: number[][] = [Array.from({ length: n }, (_, i) => i)];
	const range = (box: number[], c: number) => {
		let lo = 255;
		let hi = 0;
		for (const i of box) {
			const v = pixels[i * 3 + c];
			if (v < lo) lo = v;
			if (v > hi) hi = v;
		}
		return hi - lo;
	};
	while (boxes.length < max) {
		// split the box with the widest channel range
		let best = -1;
		let bestC = 0;
		let bestR = 0;
		boxes.forEach((b, j) => {
			if (b.length < 2) return;
			for (let c = 0; c < 3; c++) {
				const r = range(b, c);
				if (r > bestR) [best, bestC, bestR] = [j, c, r];
			}
		});
		if (best < 0) break;
		const box = boxes[best].sort((a, b) => pixels[a * 3 + bestC] - pixels[b * 3 + bestC]);
		const mid = box.length >> 1;
		boxes = [...boxes.slice(0, best), box.slice(0, mid), box.slice(mid), ...boxes.slice(best + 1)];
	}
	const pal = new Uint8Array(boxes.length * 3);
	boxes.forEach((b, j) => {
		for (let c = 0; c < 3; c++) {
			let s = 0;
			for (const i of b) s += pixels[i * 3 + c];
			pal[j * 3 + c] = b.length ? Math.round(s / b.length) : 0;
		}
	});
	return pal;
}

const toBytes = (img: RGBImage) => Uint8Array.from(img.data, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));

/** LZW-compress palette indices into GIF sub-blocks (GIF89a spec, appendix F). */
export function lzw(indices: Uint8Array, minCodeSize: number): Uint8Array {
	const clear = 1 << minCodeSize;
	const eoi = clear + 1;
	const out: number[] = [];
	let cur = 0;
	let bits = 0;
	let width = minCodeSize + 1;
	const emit = (code: number) => {
		cur |= code << bits;
		bits += width;
		while (bits >= 8) {
			out.push(cur & 0xff);
			cur >>>= 8;
			bits -= 8;
		}
	};
	let dict = new Map<number, number>();
	let next = eoi + 1;
	emit(clear);
	let prefix = indices[0];
	for (let i = 1; i < indices.length; i++) {
		const k = indices[i];
		const key = (prefix << 8) | k;
		const hit = dict.get(key);
		if (hit !== undefined) {
			prefix = hit;
			continue;
		}
		emit(prefix);
		if (next < 4096) {
			dict.set(key, next++);
			if (next > 1 << width && width < 12) width++;
		} else {
			emit(clear);
			dict = new Map();
			next = eoi + 1;
			width = minCodeSize + 1;
		}
		prefix = k;
	}
	emit(prefix);
	emit(eoi);
	if (bits > 0) out.push(cur & 0xff);
	// sub-blocks of at most 255 bytes, then the terminator
	const blocks: number[] = [];
	for (let o = 0; o < out.length; o += 255) {
		const chunk = out.slice(o, o + 255);
		blocks.push(chunk.length, ...chunk);
	}
	blocks.push(0);
	return Uint8Array.from(blocks);
}

/** Encode same-sized frames as a looping animated GIF; `delayMs` per frame (10 ms units). */
export function encodeGif(frames: RGBImage[], delayMs = 200): Uint8Array {
	if (!frames.length) throw new Error('gif: no frames');
	const { width, height } = frames[0];
	if (frames.some((f) => f.width !== width || f.height !== height)) throw new Error('gif: frames differ in size');
	if (width > 0xffff || height > 0xffff) throw new Error('gif: frame too large');
	const bytes = frames.map(toBytes);
	// palette from a sample of at most ~40k pixels of all frames
	const total = bytes.length * width * height;
	const stride = Math.max(1, Math.floor(total / 40000));
	const sample = new Uint8Array(Math.ceil(total / stride) * 3);
	let s = 0;
	for (let p = 0; p < total; p += stride) {
		const f = bytes[Math.floor(p / (width * height))];
		const q = (p % (width * height)) * 3;
		sample.set(f.subarray(q, q + 3), (s++) * 3);
	}
	const pal = new Uint8Array(768);
	pal.set(medianCutPalette(sample.subarray(0, s * 3), 256));
	const cache = new Map<number, number>();
	const nearest = (r: number, g: number, b: number) => {
		const key = (r << 16) | (g << 8) | b;
		let best = cache.get(key);
		if (best !== undefined) return best;
		let bd = Infinity;
		best = 0;
		for (let j = 0; j < 256; j++) {
			const d = (pal[j * 3] - r) ** 2 + (pal[j * 3 + 1] - g) ** 2 + (pal[j * 3 + 2] - b) ** 2;
			if (d < bd) [bd, best] = [d, j];
		}
		cache.set(key, best);
		return best;
	};
	const parts: Uint8Array[] = [];
	const u16 = (v: number) => [v & 0xff, v >> 8];
	const ascii = (t: string) => Array.from(t, (c) => c.charCodeAt(0));
	parts.push(Uint8Array.from([...ascii('GIF89a'), ...u16(width), ...u16(height), 0xf7, 0, 0]), pal);
	parts.push(Uint8Array.from([0x21, 0xff, 11, ...ascii('NETSCAPE2.0'), 3, 1, 0, 0, 0]));
	const delay = Math.max(2, Math.round(delayMs / 10));
	for (const f of bytes) {
		const idx = new Uint8Array(width * height);
		for (let i = 0; i < idx.length; i++) idx[i] = nearest(f[i * 3], f[i * 3 + 1], f[i * 3 + 2]);
		parts.push(Uint8Array.from([0x21, 0xf9, 4, 0, ...u16(delay), 0, 0]));
		parts.push(Uint8Array.from([0x2c, 0, 0, 0, 0, ...u16(width), ...u16(height), 0, 8]), lzw(idx, 8));
	}
	parts.push(Uint8Array.from([0x3b]));
	const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
	parts.reduce((o, p) => (out.set(p, o), o + p.length), 0);
	return out;
}
