// The "attn-experiment" cell: paper 003's argument made measurable. The same perturbation
// energy Σ(SR − HR)² in the eyes and in the background, and how much each loss reacts to each:
// L_pixel (Eq. 2) and PSNR cannot tell the arms apart by construction, L_attention (Eq. 1),
// L_heatmap (Eq. 5) and SR-NAM's metric (paper 000 Eq. 7) can. Also the chart/table rows the
// view draws. View: Experiment.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import type { RGBImage } from '$lib/image/rgb';
import { toSeed } from '$lib/image/rng';
import { analyseFace, pairMaps, referencePoints, FACE_PX, type MapOptions } from '$lib/heatmaps/analysis';
import { energy, farthestPixels, groupMask, perturb, scaleToEnergy, type PerturbKind } from '$lib/heatmaps/perturb';
import type { LossReport } from '$lib/heatmaps/losses';
import { heatmapModels } from '$cells/heatmapModels';
import { hrLandmarks, networksOf, throwIfAborted } from './landmarks';
import { PERTURB_KINDS } from './srImage';

export const experimentParams = {
	kind: { type: 'select', label: 'Perturbation', options: PERTURB_KINDS, default: 'noise' },
	strength: { type: 'number', label: 'Strength (in the eyes)', min: 0.05, max: 1, step: 0.05, default: 0.5 },
	seed: { type: 'seed', label: 'Noise seed', default: 7 }
} as const;

export interface ExperimentArm {
	region: 'eyes' | 'background';
	sr: RGBImage;
	mask: Float32Array;
	/** Σ (SR − HR)²: equal in both arms by construction. */
	energy: number;
	teacher: LossReport | null;
	student: LossReport | null;
}

export interface ExperimentValue {
	hr: RGBImage;
	kind: PerturbKind;
	strength: number;
	pixels: number;
	arms: [ExperimentArm, ExperimentArm];
}

/** M* and M over all 68 channels, normalised; the teacher's points as Gaussians of σ 1.5 px (3 px at 128, render.ts's default). */
const OPTIONS: MapOptions = { sigma: 1.5, normalise: true, channels: 'all', landmark: 0 };

/**
 * Eyes arm: the perturbation inside the eye discs. Background arm: the same kind inside an
 * equal-area set of the pixels farthest from every landmark, rescaled (HR + k·Δ) so its energy
 * Σ(SR − HR)² equals the eyes arm's. L_pixel and PSNR are then equal by construction; the
 * losses that look at landmarks need not be.
 */
export const experiment = defineCell({
	kind: 'attn-experiment',
	summary: 'Equal-energy damage to the eyes or the background: which losses notice where it is.',
	params: experimentParams,
	inputs: { hrmaps: hrLandmarks, models: heatmapModels },
	async compute(ctx): Promise<ExperimentValue> {
		const { hr, landmarks } = ctx.inputs.hrmaps;
		const nets = networksOf(ctx.inputs.models);
		const { kind, strength } = ctx.params;
		const seed = toSeed(ctx.params.seed);
		const points = referencePoints(landmarks);
		const eyes = groupMask(points, FACE_PX, 'eyes');
		const pixels = eyes.reduce((a, b) => a + b, 0);
		const bg = farthestPixels(points, FACE_PX, pixels);
		const srEyes = perturb(hr, eyes, kind, strength, seed);
		const srBg = scaleToEnergy(hr, perturb(hr, bg, kind, 1, seed), energy(hr, srEyes));
		const arms: ExperimentArm[] = [];
		for (const [region, sr, mask] of [['eyes', srEyes, eyes], ['background', srBg, bg]] as const) {
			throwIfAborted(ctx.signal);
			const maps = pairMaps(hr, sr, landmarks, await analyseFace(sr, nets, ctx.gpu), OPTIONS);
			arms.push({ region, sr, mask, energy: energy(hr, sr), teacher: maps.teacher?.report ?? null, student: maps.student?.report ?? null });
			ctx.progress(arms.length / 2);
		}
		return { hr, kind, strength, pixels, arms: [arms[0], arms[1]] };
	}
});

// Every measure means "more damage": 1 − SSIM instead of SSIM, and no PSNR (a log of L_pixel,
// equal in both arms by construction). Image-only measures appear once, the others per source.
const MEASURES: readonly { label: string; imageOnly: boolean; get: (r: LossReport) => number }[] = [
	{ label: 'L_pixel (Eq. 2)', imageOnly: true, get: (r) => r.pixel },
	{ label: 'L1', imageOnly: true, get: (r) => r.l1 },
	{ label: '1 − SSIM', imageOnly: true, get: (r) => 1 - r.ssim },
	{ label: 'L_attention (Eq. 1)', imageOnly: false, get: (r) => r.attention },
	{ label: 'L_heatmap (Eq. 5)', imageOnly: false, get: (r) => r.heatmap },
	{ label: 'heatmap metric (000 Eq. 7)', imageOnly: false, get: (r) => r.srnamHeatmap }
];

export interface ExperimentRow {
	/** The measure, with its heatmap source unless it is image-only ("L_attention (Eq. 1) · teacher"). */
	measure: string;
	heatmaps: string;
	region: ExperimentArm['region'];
	value: number;
	/** value ÷ the larger |value| of the two arms (bars on one scale per measure). */
	relative: number;
}

/** Two rows (eyes, background) per measure and heatmap source that both arms have (image-only measures once). */
export function experimentRows(v: ExperimentValue): ExperimentRow[] {
	const out: ExperimentRow[] = [];
	let imageOnlyDone = false;
	for (const src of ['teacher', 'student'] as const) {
		const reports = v.arms.map((a) => a[src]);
		if (!reports[0] || !reports[1]) continue;
		for (const m of MEASURES) {
			if (m.imageOnly && imageOnlyDone) continue; // the same for both sources: given once
			const vals = [m.get(reports[0]), m.get(reports[1])];
			const top = Math.max(...vals.map(Math.abs)) || 1;
			const heatmaps = m.imageOnly ? 'image only' : `${src} M`;
			v.arms.forEach((a, i) => out.push({ measure: m.imageOnly ? m.label : `${m.label} · ${src}`, heatmaps, region: a.region, value: vals[i], relative: vals[i] / top }));
		}
		imageOnlyDone = true;
	}
	return out;
}

/** The table: each measure's eyes and background values and their ratio. */
export function experimentTable(rows: ExperimentRow[]): { measure: string; eyes: number; background: number; ratio: number }[] {
	return [...new Set(rows.map((r) => r.measure))].map((measure) => {
		const at = (region: ExperimentArm['region']) => rows.find((r) => r.measure === measure && r.region === region)!.value;
		const eyes = at('eyes'), background = at('background');
		return { measure, eyes, background, ratio: eyes / background };
	});
}
