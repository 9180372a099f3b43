// The live PSNR/SSIM (src/lib/heatmaps/losses.ts; the joint-SR sweep and other notebooks show them next
// to the cards' numbers) equal train/common/metrics.py's on the same 8-bit images (fixture from
// train/common/metrics_fixture.py), so a live number and a card's number mean the same thing.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { psnr, ssim } from '../../src/lib/heatmaps/losses';
import { rgbImage, type RGBImage } from '../../src/lib/image/rgb';

interface Fixture {
	shape: [number, number, number];
	reference_u8_base64: string;
	cases: { name: string; u8_base64: string; psnr_db: number; ssim: number }[];
}
const fx: Fixture = JSON.parse(readFileSync('test/fixtures/metrics-psnr-ssim.json', 'utf8'));
const image = (b64: string): RGBImage => {
	const [h, w] = fx.shape;
	return rgbImage(w, h, Float32Array.from(Buffer.from(b64, 'base64'), (v) => v / 255));
};
const ref = image(fx.reference_u8_base64);

describe('PSNR / SSIM: TypeScript = train/common/metrics.py', () => {
	for (const c of fx.cases)
		it(c.name, () => {
			const img = image(c.u8_base64);
			expect(psnr(ref, img)).toBeCloseTo(c.psnr_db, 4);
			expect(ssim(ref, img)).toBeCloseTo(c.ssim, 5);
		});
});
