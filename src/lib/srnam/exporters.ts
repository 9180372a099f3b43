// What the SR-NAM notebook exports: a contact sheet of one step (input, candidates G(z_k)
// and their degradations D(G(z_k)) scaled up ×4 under them) and the film of the search (one
// sheet per stored step, re-rendered from the history) for the GIF encoder.

import { rgbImage, type RGBImage } from '../image/rgb';
import type { LatentSearch, Render } from './types';

/** Copy `src` into `dst` at (x, y), scaled up by an integer factor (nearest). */
function blit(dst: RGBImage, src: RGBImage, x: number, y: number, scale = 1): void {
	for (let r = 0; r < src.height * scale; r++)
		for (let c = 0; c < src.width * scale; c++) {
			const s = (Math.floor(r / scale) * src.width + Math.floor(c / scale)) * 3;
			const d = ((y + r) * dst.width + x + c) * 3;
			dst.data[d] = src.data[s];
			dst.data[d + 1] = src.data[s + 1];
			dst.data[d + 2] = src.data[s + 2];
		}
}

const GAP = 2;

/**
 * Column 0: the LR input (scaled to the HR size) over the known HR (or grey); column k+1:
 * G(z_k) over D(G(z_k)) scaled to the HR size. White gaps between tiles.
 */
export function contactSheet(view: Pick<Render, 'candidates' | 'degraded'>, lr: RGBImage, hr?: RGBImage): RGBImage {
	const H = view.candidates[0]?.height ?? hr?.height ?? 64;
	const W = view.candidates[0]?.width ?? hr?.width ?? 64;
	const up = Math.max(1, Math.round(W / lr.width));
	const cols = view.candidates.length + 1;
	const sheet = rgbImage(cols * W + (cols - 1) * GAP, 2 * H + GAP, new Float32Array((cols * W + (cols - 1) * GAP) * (2 * H + GAP) * 3).fill(1));
	blit(sheet, lr, 0, 0, up);
	if (hr) blit(sheet, hr, 0, H + GAP);
	else blit(sheet, rgbImage(W, H, new Float32Array(W * H * 3).fill(0.8)), 0, H + GAP);
	view.candidates.forEach((c, k) => {
		blit(sheet, c, (k + 1) * (W + GAP), 0);
		blit(sheet, view.degraded[k], (k + 1) * (W + GAP), H + GAP, Math.max(1, Math.round(W / view.degraded[k].width)));
	});
	return sheet;
}

/**
 * One contact sheet per stored step of the search's history (oldest first) plus the live
 * state; `onFrame` reports progress, the signal stops between frames.
 */
export async function searchFilm(
	search: LatentSearch,
	lr: RGBImage,
	hr: RGBImage | undefined,
	opts: { signal?: AbortSignal; onFrame?: (done: number, total: number) => void; maxFrames?: number } = {}
): Promise<RGBImage[]> {
	let steps = search.history.latentSteps();
	if (steps.at(-1) !== search.stepCount) steps = [...steps, search.stepCount];
	const max = opts.maxFrames ?? 60;
	if (steps.length > max) steps = steps.filter((_, i) => i % Math.ceil(steps.length / max) === 0 || i === steps.length - 1);
	const frames: RGBImage[] = [];
	for (const s of steps) {
		if (opts.signal?.aborted) throw Object.assign(new Error('export cancelled'), { name: 'AbortError' });
		const view = await search.restore(s);
		frames.push(contactSheet(view, lr, hr));
		opts.onFrame?.(frames.length, steps.length);
	}
	return frames;
}
