// Exports and closeness numbers of the SR-NAM notebook: the animated-GIF encoder (decoded back
// here by a separate reader written from the GIF89a spec) and SSIM against hand-computed values.
import { describe, expect, it } from 'vitest';
import { rgbImage } from '../../src/lib/image/rgb';
import { encodeGif, medianCutPalette } from '../../src/lib/srnam/gif';
import { ssim } from '../../src/lib/srnam/metrics';

/** Minimal GIF reader: global palette + every frame's indices (spec appendix F decoder). */
function readGif(b: Uint8Array) {
	const u16 = (o: number) => b[o] | (b[o + 1] << 8);
	expect(String.fromCharCode(...b.subarray(0, 6))).toBe('GIF89a');
	const width = u16(6);
	const height = u16(8);
	const palSize = 2 << (b[10] & 7);
	const pal = b.subarray(13, 13 + palSize * 3);
	let o = 13 + palSize * 3;
	const frames: Uint8Array[] = [];
	let loops = false;
	const delays: number[] = [];
	while (b[o] !== 0x3b) {
		if (b[o] === 0x21) {
			if (b[o + 1] === 0xff) loops = String.fromCharCode(...b.subarray(o + 3, o + 14)) === 'NETSCAPE2.0';
			if (b[o + 1] === 0xf9) delays.push(u16(o + 4));
			o += 2;
			while (b[o]) o += b[o] + 1;
			o++;
			continue;
		}
		expect(b[o]).toBe(0x2c);
		o += 10;
		const min = b[o++];
		const data: number[] = [];
		while (b[o]) {
			data.push(...b.subarray(o + 1, o + 1 + b[o]));
			o += b[o] + 1;
		}
		o++;
		const clear = 1 << min;
		let size = min + 1;
		let dict: number[][] = [];
		const reset = () => {
			dict = Array.from({ length: clear + 2 }, (_, i) => [i]);
			size = min + 1;
		};
		reset();
		const out: number[] = [];
		let prev: number[] | undefined;
		let bit = 0;
		for (;;) {
			let code = 0;
			for (let i = 0; i < size; i++, bit++) code |= ((data[bit >> 3] >> (bit & 7)) & 1) << i;
			if (code === clear) {
				reset();
				prev = undefined;
				continue;
			}
			if (code === clear + 1) break;
			const entry = code < dict.length ? dict[code] : [...prev!, prev![0]];
			out.push(...entry);
			if (prev && dict.length < 4096) dict.push([...prev, entry[0]]);
			if (dict.length === 1 << size && size < 12) size++;
			prev = entry;
		}
		frames.push(Uint8Array.from(out));
	}
	return { width, height, pal, frames, loops, delays };
}

describe('srnam exports', () => {
	it('GIF: frames round-trip through a spec decoder (few colours exact, many close)', () => {
		const few = [0, 1].map((f) =>
			rgbImage(5, 3, Float32Array.from({ length: 45 }, (_, i) => ((Math.floor(i / 3) + f) % 3 === 0 ? 1 : 0.2 * (i % 3))))
		);
		const g = readGif(encodeGif(few, 150));
		expect([g.width, g.height, g.frames.length, g.loops]).toEqual([5, 3, 2, true]);
		expect(g.delays).toEqual([15, 15]);
		few.forEach((img, f) => {
			const px = g.frames[f];
			expect(px.length).toBe(15);
			for (let i = 0; i < 15; i++)
				for (let c = 0; c < 3; c++) expect(g.pal[px[i] * 3 + c]).toBe(Math.round(img.data[i * 3 + c] * 255));
		});
		// a 64×64 gradient of ~4k colours, long enough to fill and reset the LZW table
		const big = rgbImage(64, 64, Float32Array.from({ length: 64 * 64 * 3 }, (_, i) => ((i * 37) % 251) / 250));
		const gb = readGif(encodeGif([big, big, big]));
		expect(gb.frames.map((f) => f.length)).toEqual([4096, 4096, 4096]);
		let err = 0;
		for (let i = 0; i < 4096; i++) for (let c = 0; c < 3; c++) err += Math.abs(gb.pal[gb.frames[2][i] * 3 + c] - big.data[i * 3 + c] * 255);
		expect(err / (4096 * 3)).toBeLessThan(20); // 256 colours for ~4k: mean error well under 8% of the range
		expect(() => encodeGif([])).toThrow();
	});

	it('median cut: as many colours as asked, exact for few colours', () => {
		const px = Uint8Array.from([0, 0, 0, 255, 0, 0, 0, 255, 0, 255, 0, 0]);
		const pal = medianCutPalette(px, 4);
		const set = new Set(Array.from({ length: pal.length / 3 }, (_, j) => pal.slice(j * 3, j * 3 + 3).join(',')));
		expect(set).toEqual(new Set(['0,0,0', '255,0,0', '0,255,0']));
	});

	it('SSIM: 1 for identical images, the constant-image formula, lower under noise', () => {
		const a = rgbImage(16, 16, Float32Array.from({ length: 768 }, (_, i) => ((i * 7) % 13) / 13));
		expect(ssim(a, a)).toBeCloseTo(1, 10);
		// constant images: σ = 0, so SSIM = (2 μx μy + C1) / (μx² + μy² + C1) (Wang et al. Eq. 13)
		const c = (v: number) => rgbImage(16, 16, new Float32Array(768).fill(v));
		const C1 = 1e-4;
		expect(ssim(c(0.2), c(0.6))).toBeCloseTo((2 * 0.2 * 0.6 + C1) / (0.04 + 0.36 + C1), 6);
		const noisy = rgbImage(16, 16, a.data.map((v, i) => v + (Math.floor(i / 3) % 2 ? 0.25 : -0.25)));
		const s = ssim(a, noisy);
		expect(s).toBeLessThan(0.9);
		expect(s).toBeGreaterThan(0);
	});
});
