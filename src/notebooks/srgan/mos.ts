// The blind mini-MOS cell (paper 004 §3.3): takes the comparison cell's pictures of the current
// face — the HR (when known) and nearest neighbour ×4 as the paper's anchors, bicubic ×4 and
// every net that loaded — as the versions a person rates 1–5 without their names. The session
// logic is in mosSession.ts, storage in mosPersist.ts, statistics in mosStats.ts; view: Mos.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import { rgbImage, type RGBImage } from '$lib/image/rgb';
import { srganCompare, type SrganComparison } from './compare';
import type { MosFaceInput } from './mosSession';

/** Nearest-neighbour upsampling by an integer factor (pixel repetition). */
export function nearestUp(img: RGBImage, factor: number): RGBImage {
	const out = rgbImage(img.width * factor, img.height * factor);
	for (let y = 0; y < out.height; y++)
		for (let x = 0; x < out.width; x++) {
			const s = (Math.floor(y / factor) * img.width + Math.floor(x / factor)) * 3;
			out.data.set(img.data.subarray(s, s + 3), (y * out.width + x) * 3);
		}
	return out;
}

/** The versions of this face to rate: HR (if known), nearest neighbour, then the comparison's outputs. */
export function mosFace(c: SrganComparison): MosFaceInput {
	const size = c.outputs[0]?.image.width ?? (c.hr?.width ?? c.lr.width * 4);
	return {
		faceId: c.faceId,
		faceLabel: c.faceLabel,
		methods: [
			...(c.hr ? [{ id: 'hr', label: 'HR (the original face)', image: c.hr }] : []),
			{ id: 'nn', label: 'Nearest neighbour ×4', image: nearestUp(c.lr, Math.round(size / c.lr.width)) },
			...c.outputs.map((o) => ({ id: o.id, label: o.label, image: o.image }))
		]
	};
}

export const srganMos = defineCell({
	kind: 'srgan-mos',
	summary: 'Blind mini-MOS: rate each version of the face 1–5 unnamed; per-method means with 95% intervals.',
	params: {
		seed: { type: 'seed', label: 'Shuffle seed', default: 1, help: 'Seeds the order in which each new face’s versions are shown (faces already queued keep their order).' }
	},
	inputs: { compare: srganCompare },
	compute: (ctx): MosFaceInput => mosFace(ctx.inputs.compare)
});
