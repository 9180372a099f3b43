import { describe, expect, it } from 'vitest';
import { checkUpload, jpegFrameSize, sniffImage } from '../../src/lib/faces/imageHeader';
import { comment, jpegHeader as jpegWith, sof } from './jpegBytes';
import { centredSquare, fitSquare, squareCropForFace } from '../../src/lib/faces/faceCrop';
import { syntheticFace } from '../../src/lib/faces/syntheticFace';

function pngHeader(w: number, h: number): Uint8Array {
	const b = new Uint8Array(33);
	b.set([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52]);
	new DataView(b.buffer).setUint32(16, w);
	new DataView(b.buffer).setUint32(20, h);
	return b;
}
function jpegHeader(w: number, h: number): Uint8Array {
	// SOI, APP0 (length 16), SOF0 (length 17) with height then width
	const b = new Uint8Array(2 + 18 + 19);
	b.set([0xff, 0xd8, 0xff, 0xe0, 0, 16]);
	const o = 2 + 18;
	b.set([0xff, 0xc0, 0, 17, 8], o);
	new DataView(b.buffer).setUint16(o + 5, h);
	new DataView(b.buffer).setUint16(o + 7, w);
	return b;
}

describe('image header sniffing', () => {
	it('reads PNG and JPEG sizes from the first bytes', () => {
		expect(sniffImage(pngHeader(640, 480))).toEqual({ type: 'png', width: 640, height: 480 });
		expect(sniffImage(jpegHeader(300, 200))).toEqual({ type: 'jpeg', width: 300, height: 200 });
	});
	it('walks JPEG segments as a decoder does: standalone markers, no size after the scan starts, one frame header only', () => {
		// TEM (FF 01) has no length: skipping one would land past the real frame header.
		const tem = Uint8Array.from([0xff, 0xd8, 0xff, 0x01, ...sof(300, 200), 0xff, 0xd9]);
		expect(sniffImage(tem)).toEqual({ type: 'jpeg', width: 300, height: 200 });
		const scanFirst = Uint8Array.from([0xff, 0xd8, 0xff, 0xda, 0, 2, ...sof(300, 200)]);
		expect(sniffImage(scanFirst)).toEqual({ type: 'jpeg' });
		expect(jpegFrameSize(jpegWith(128, 96))).toEqual({ width: 128, height: 96 });
		expect(jpegFrameSize(jpegWith(128, 96, comment(sof(4096, 4096))))).toBeNull();
		expect(jpegFrameSize(jpegWith(0, 96))).toBeNull();
		expect(jpegFrameSize(Uint8Array.from([0xff, 0xd8, 0xff]))).toBeNull();
	});
	it('names non-images, oversized and enormous images, and plans a downscaled decode', () => {
		const text = new TextEncoder().encode('hello, I am not an image');
		expect(checkUpload('a.txt', 24, text)).toMatchObject({ ok: false, error: expect.stringContaining('not an image') });
		expect(checkUpload('big.png', 60 * 1048576, pngHeader(100, 100))).toMatchObject({ ok: false, error: expect.stringContaining('MB') });
		expect(checkUpload('huge.png', 1000, pngHeader(20000, 20000))).toMatchObject({ ok: false, error: expect.stringContaining('megapixels') });
		const fifty = checkUpload('50mp.jpg', 20 * 1048576, jpegHeader(8660, 5774));
		expect(fifty).toMatchObject({ ok: true, decodeWidth: 1024, decodeHeight: 683 });
		expect(checkUpload('small.png', 100, pngHeader(200, 150))).toEqual({ ok: true, header: { type: 'png', width: 200, height: 150 } });
		expect(checkUpload('trunc.jpg', 4, new Uint8Array([0xff, 0xd8, 0xff, 0xe0]))).toMatchObject({ ok: false, error: expect.stringContaining('truncated') });
	});
});

describe('face crop framing', () => {
	it('makes a 1.4× square lifted above the box centre', () => {
		const c = squareCropForFace({ x: 100, y: 100, width: 100, height: 100 }, 1000, 1000);
		expect(c.size).toBe(140);
		expect(c.x).toBe(80); // centre 150 − 70
		expect(c.y).toBe(68); // centre 150 − 12 − 70
	});
	it('never leaves the image', () => {
		const c = squareCropForFace({ x: 0, y: 0, width: 100, height: 100 }, 120, 90);
		expect(c.size).toBe(90);
		expect(c.x).toBeGreaterThanOrEqual(0);
		expect(c.y).toBe(0);
		expect(c.x + c.size).toBeLessThanOrEqual(120);
		expect(fitSquare({ x: 500, y: 500, size: 50 }, 100, 100)).toEqual({ x: 50, y: 50, size: 50 });
		expect(centredSquare(300, 200)).toEqual({ x: 50, y: 0, size: 200 });
	});
});

describe('synthetic face', () => {
	it('is deterministic per seed, different across seeds, in range', () => {
		const a = syntheticFace(32, 3);
		const b = syntheticFace(32, 3);
		const c = syntheticFace(32, 4);
		expect(Array.from(a.data)).toEqual(Array.from(b.data));
		expect(Array.from(a.data)).not.toEqual(Array.from(c.data));
		expect(Math.min(...a.data)).toBeGreaterThanOrEqual(0);
		expect(Math.max(...a.data)).toBeLessThanOrEqual(1);
		// the face is not flat: eyes are darker than cheeks, so there is contrast
		const lum = (i: number) => a.data[i * 3] + a.data[i * 3 + 1] + a.data[i * 3 + 2];
		let lo = 3, hi = 0;
		for (let i = 0; i < 32 * 32; i++) { lo = Math.min(lo, lum(i)); hi = Math.max(hi, lum(i)); }
		expect(hi - lo).toBeGreaterThan(1);
	});
});
