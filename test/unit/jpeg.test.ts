import { describe, expect, it } from 'vitest';
import { decodeJpeg, encodeJpeg, MAX_JPEG_SIDE } from '../../src/lib/image/jpeg';
import { sniffImage } from '../../src/lib/faces/imageHeader';
import { rgbImage, type RGBImage } from '../../src/lib/image/rgb';

/** A face-like smooth test image with some detail: gradients, a disc and stripes. */
function testImage(w = 64, h = 48): RGBImage {
	const img = rgbImage(w, h);
	for (let y = 0; y < h; y++)
		for (let x = 0; x < w; x++) {
			const i = (y * w + x) * 3;
			const disc = (x - w / 2) ** 2 + (y - h / 2) ** 2 < (h / 3) ** 2 ? 0.3 : 0;
			img.data[i] = 0.2 + 0.5 * (x / w) + disc;
			img.data[i + 1] = 0.3 + 0.3 * (y / h) + 0.1 * Math.sin(x / 3);
			img.data[i + 2] = 0.4 + disc * 0.5;
		}
	return img;
}

function mse(a: RGBImage, b: RGBImage): number {
	let s = 0;
	for (let i = 0; i < a.data.length; i++) s += (a.data[i] - b.data[i]) ** 2;
	return s / a.data.length;
}
const psnr = (a: RGBImage, b: RGBImage) => 10 * Math.log10(1 / mse(a, b));

/** Rewrite the frame size in the SOF0 header of a jpeg-js file. */
function withFrameSize(bytes: Uint8Array, w: number, h: number): Uint8Array {
	const out = Uint8Array.from(bytes);
	for (let i = 2; i < out.length - 8; i++)
		if (out[i] === 0xff && out[i + 1] === 0xc0) {
			out[i + 5] = h >> 8;
			out[i + 6] = h & 255;
			out[i + 7] = w >> 8;
			out[i + 8] = w & 255;
			return out;
		}
	throw new Error('no SOF0');
}

describe('jpeg', () => {
	const img = testImage();

	it('round-trips at q=90 with PSNR > 30 dB and the right size', () => {
		const bytes = encodeJpeg(img, 90);
		expect(bytes).toBeInstanceOf(Uint8Array);
		expect(Buffer.isBuffer(bytes)).toBe(false);
		expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
		const back = decodeJpeg(bytes);
		expect([back.width, back.height]).toEqual([64, 48]);
		expect(psnr(img, back)).toBeGreaterThan(30);
		expect(sniffImage(bytes)).toEqual({ type: 'jpeg', width: 64, height: 48 });
	});

	it('lower quality means smaller files and larger error', () => {
		const q10 = encodeJpeg(img, 10);
		const q90 = encodeJpeg(img, 90);
		expect(q10.length).toBeLessThan(q90.length);
		expect(mse(img, decodeJpeg(q10))).toBeGreaterThan(2 * mse(img, decodeJpeg(q90)));
	});

	it('is deterministic and clamps quality and pixel values', () => {
		expect(Array.from(encodeJpeg(img, 50))).toEqual(Array.from(encodeJpeg(img, 50)));
		expect(Array.from(encodeJpeg(img, 1000))).toEqual(Array.from(encodeJpeg(img, 100)));
		const wild = rgbImage(8, 8, Float32Array.from({ length: 192 }, (_, i) => (i % 2 ? 5 : -5)));
		const back = decodeJpeg(encodeJpeg(wild, 90));
		for (const v of back.data) expect(v >= 0 && v <= 1).toBe(true);
	});

	it('encodes without a global Buffer (as in the browser)', () => {
		const g = globalThis as { Buffer?: unknown };
		const saved = g.Buffer;
		delete g.Buffer;
		try {
			const bytes = encodeJpeg(img, 80);
			expect(g.Buffer).toBeUndefined(); // the shim is removed again
			expect(psnr(img, decodeJpeg(bytes))).toBeGreaterThan(28);
		} finally {
			g.Buffer = saved;
		}
	});

	it('throws a clear Error on corrupt or truncated bytes', () => {
		const bytes = encodeJpeg(img, 90);
		expect(() => decodeJpeg(new Uint8Array())).toThrow(/Not a JPEG/);
		expect(() => decodeJpeg(Uint8Array.of(1, 2, 3, 4, 5))).toThrow(/Not a JPEG/);
		expect(() => decodeJpeg(bytes.subarray(0, bytes.length >> 1))).toThrow(/Could not decode/);
		expect(() => decodeJpeg(bytes.subarray(0, 40))).toThrow(/Could not decode/);
		const flipped = Uint8Array.from(bytes);
		for (let i = 150; i < 260; i++) flipped[i] ^= 0x5a; // inside the quantisation/Huffman tables
		expect(() => decodeJpeg(flipped)).toThrow(Error);
	});

	it(`refuses images over ${MAX_JPEG_SIDE} px per side before decoding`, () => {
		const small = encodeJpeg(rgbImage(16, 16, new Float32Array(768).fill(0.5)), 90);
		expect(() => decodeJpeg(withFrameSize(small, 5000, 5000))).toThrow(/too large/);
		expect(() => decodeJpeg(withFrameSize(small, 4097, 16))).toThrow(/too large/);
		expect(() => decodeJpeg(withFrameSize(small, 16, 60000))).toThrow(/too large/);
	});

	it('decodes from an ArrayBuffer too', () => {
		const bytes = encodeJpeg(img, 90);
		const back = decodeJpeg(bytes.buffer.slice(0));
		expect(back.width).toBe(64);
	});
});
