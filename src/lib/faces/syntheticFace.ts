// A face drawn by code: the default input, so no notebook starts empty and no dataset
// image ever ships in the app. It is a cartoon (ellipses and strokes, anti-aliased by
// supersampling), labelled as synthetic wherever it is shown. The seed varies skin tone,
// hair, eye spacing and mouth so links and tests can pick distinct faces.

import { rgbImage, type RGBImage } from '../image/rgb';
import { createRng } from '../image/rng';

type RGB = [number, number, number];
interface Shape {
	/** signed inside test in unit coordinates (0..1 across the image) */
	inside(x: number, y: number): boolean;
	color: RGB;
}

const ellipse = (cx: number, cy: number, rx: number, ry: number, color: RGB, angle = 0): Shape => {
	const c = Math.cos(angle);
	const s = Math.sin(angle);
	return {
		color,
		inside: (x, y) => {
			const dx = x - cx;
			const dy = y - cy;
			const u = (dx * c + dy * s) / rx;
			const v = (-dx * s + dy * c) / ry;
			return u * u + v * v <= 1;
		}
	};
};

const SKIN: RGB[] = [[0.96, 0.8, 0.69], [0.87, 0.67, 0.52], [0.72, 0.52, 0.38], [0.55, 0.38, 0.27], [0.98, 0.86, 0.76]];
const HAIR: RGB[] = [[0.15, 0.1, 0.07], [0.35, 0.22, 0.12], [0.6, 0.45, 0.25], [0.08, 0.08, 0.08], [0.55, 0.55, 0.55]];

function shapesFor(seed: number): { background: RGB; shapes: Shape[] } {
	const rng = createRng(seed);
	const pick = <T>(xs: T[]) => xs[Math.floor(rng.uniform() * xs.length) % xs.length];
	const skin = pick(SKIN);
	const hair = pick(HAIR);
	const shade: RGB = [skin[0] * 0.82, skin[1] * 0.78, skin[2] * 0.76];
	const eyeDx = 0.14 + 0.03 * rng.uniform();
	const eyeY = 0.45 + 0.03 * rng.uniform();
	const mouthW = 0.1 + 0.05 * rng.uniform();
	const iris: RGB = pick([[0.25, 0.15, 0.08], [0.2, 0.35, 0.55], [0.25, 0.4, 0.25]]);
	const background: RGB = [0.55 + 0.3 * rng.uniform(), 0.6 + 0.25 * rng.uniform(), 0.65 + 0.3 * rng.uniform()];
	const lips: RGB = [Math.min(1, skin[0] * 0.85 + 0.1), skin[1] * 0.55, skin[2] * 0.55];
	const shapes: Shape[] = [
		ellipse(0.5, 1.05, 0.42, 0.2, [0.2 + 0.5 * rng.uniform(), 0.25, 0.4]), // shoulders
		ellipse(0.5, 0.85, 0.12, 0.15, shade), // neck
		ellipse(0.5, 0.38, 0.4, 0.36, hair), // hair behind the head
		ellipse(0.14, 0.5, 0.05, 0.08, shade), // ears
		ellipse(0.86, 0.5, 0.05, 0.08, shade),
		ellipse(0.5, 0.52, 0.34, 0.42, skin), // face
		ellipse(0.5, 0.16, 0.34, 0.12, hair), // fringe
		ellipse(0.5 - eyeDx, eyeY - 0.075, 0.075, 0.018, hair, -0.1), // brows
		ellipse(0.5 + eyeDx, eyeY - 0.075, 0.075, 0.018, hair, 0.1),
		ellipse(0.5 - eyeDx, eyeY, 0.065, 0.035, [0.97, 0.97, 0.95]), // eye whites
		ellipse(0.5 + eyeDx, eyeY, 0.065, 0.035, [0.97, 0.97, 0.95]),
		ellipse(0.5 - eyeDx, eyeY, 0.03, 0.03, iris), // irises
		ellipse(0.5 + eyeDx, eyeY, 0.03, 0.03, iris),
		ellipse(0.5 - eyeDx, eyeY, 0.013, 0.013, [0.05, 0.05, 0.05]), // pupils
		ellipse(0.5 + eyeDx, eyeY, 0.013, 0.013, [0.05, 0.05, 0.05]),
		ellipse(0.5, 0.6, 0.045, 0.03, shade), // nose
		ellipse(0.5, 0.73, mouthW, 0.035, lips), // mouth
		ellipse(0.5, 0.715, mouthW * 0.9, 0.012, [lips[0] * 0.6, lips[1] * 0.5, lips[2] * 0.5])
	];
	return { background, shapes };
}

/** Render the synthetic face at size×size (4×4 supersampling per pixel). */
export function syntheticFace(size: number, seed = 1): RGBImage {
	const { background, shapes } = shapesFor(seed >>> 0);
	const img = rgbImage(size, size);
	const S = 4;
	for (let py = 0; py < size; py++) {
		for (let px = 0; px < size; px++) {
			const acc = [0, 0, 0];
			for (let sy = 0; sy < S; sy++) {
				for (let sx = 0; sx < S; sx++) {
					const x = (px + (sx + 0.5) / S) / size;
					const y = (py + (sy + 0.5) / S) / size;
					let c = background;
					for (const sh of shapes) if (sh.inside(x, y)) c = sh.color;
					acc[0] += c[0];
					acc[1] += c[1];
					acc[2] += c[2];
				}
			}
			const o = (py * size + px) * 3;
			img.data[o] = acc[0] / (S * S);
			img.data[o + 1] = acc[1] / (S * S);
			img.data[o + 2] = acc[2] / (S * S);
		}
	}
	return img;
}
