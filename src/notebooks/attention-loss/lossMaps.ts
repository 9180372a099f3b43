// Attention-loss explorer, judging side: every map and number for the HR face and the chosen SR
// image (pure math over the upstream landmarks: changing σ, the channels or the normalisation
// never re-runs a network), and the equal-energy experiment — the same perturbation energy in
// the eyes and in the background, and how much each loss reacts to each (paper 003's argument).

import type { ParamSpec, ParamValues } from '$lib/notebook/types';
import type { ComputeContext } from '$lib/runtime/runtime';
import { AbortedError } from '$lib/runtime/gpuQueue';
import type { RGBImage } from '$lib/image/rgb';
import { toSeed } from '$lib/image/rng';
import { GROUP_NAMES } from '$lib/heatmaps/landmarks';
import { analyseFace, pairMaps, referencePoints, FACE_PX, type ChannelPick, type MapOptions, type PairMaps } from '$lib/heatmaps/analysis';
import { energy, farthestPixels, groupMask, perturb, scaleToEnergy, type PerturbKind } from '$lib/heatmaps/perturb';
import type { LossReport } from '$lib/heatmaps/losses';
import { requireHeatmapNet, type HeatmapModels } from './heatmapModels';
const modelsInput = (inputs: Record<string, unknown>) => requireHeatmapNet(inputs.models as HeatmapModels);
import type { HrMaps, SrValue } from './attentionInputs';

export const lossParams: Record<string, ParamSpec> = {
	sigma: { type: 'number', label: 'Teacher heatmap σ', min: 0.5, max: 6, step: 0.25, default: 1.5, unit: 'px @64', help: 'Width of the Gaussians the teacher’s points are rendered with (the student was trained on σ = 3 px, see its card).' },
	normalise: { type: 'boolean', label: 'Min-max normalise M and M*', default: true, help: 'Paper 003 Eq. 1: each heatmap and M* scaled into [0, 1]. Off: raw values.' },
	channels: {
		type: 'select',
		label: 'Landmarks in M*',
		options: [{ value: 'all', label: 'All 68' }, ...GROUP_NAMES.map((g) => ({ value: g, label: `Group: ${g}` })), { value: 'one', label: 'One landmark' }],
		default: 'all'
	},
	landmark: { type: 'number', label: 'Landmark index', min: 0, max: 67, step: 1, default: 36, help: 'Used when “One landmark” is chosen (36 = outer corner of the left eye in the image).' }
};

export function readMapOptions(p: ParamValues): MapOptions {
	const sigma = Number(p.sigma);
	const channels = String(p.channels ?? 'all');
	const allowed = ['all', 'one', ...GROUP_NAMES];
	return {
		sigma: Number.isFinite(sigma) ? Math.min(6, Math.max(0.5, sigma)) : 1.5,
		normalise: p.normalise !== false,
		channels: (allowed.includes(channels) ? channels : 'all') as ChannelPick,
		landmark: Math.min(67, Math.max(0, Math.round(Number(p.landmark ?? 36)) || 0))
	};
}

export interface LossValue extends PairMaps {
	hr: RGBImage;
	sr: RGBImage;
	srLabel: string;
	options: MapOptions;
}

export function computeAttnLoss(ctx: ComputeContext): LossValue {
	const hrMaps = ctx.inputs.hrmaps as HrMaps | undefined;
	const sr = ctx.inputs.sr as SrValue | undefined;
	if (!hrMaps?.hr || !sr?.sr) throw new Error('No HR / SR pair: expected inputs.hrmaps and inputs.sr.');
	const options = readMapOptions(ctx.params);
	return { hr: hrMaps.hr, sr: sr.sr, srLabel: sr.label, options, ...pairMaps(hrMaps.hr, sr.sr, hrMaps.landmarks, sr.landmarks, options) };
}

export const experimentParams: Record<string, ParamSpec> = {
	kind: {
		type: 'select',
		label: 'Perturbation',
		options: [
			{ value: 'noise', label: 'Noise' },
			{ value: 'blur', label: 'Blur' },
			{ value: 'shift', label: 'Shift' },
			{ value: 'erase', label: 'Erase' }
		],
		default: 'noise'
	},
	strength: { type: 'number', label: 'Strength (in the eyes)', min: 0.05, max: 1, step: 0.05, default: 0.5 },
	seed: { type: 'seed', label: 'Noise seed', default: 7 }
};

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

/**
 * Eyes arm: the perturbation inside the eye discs. Background arm: the same kind inside an
 * equal-area set of the pixels farthest from every landmark, rescaled (HR + k·Δ) so its energy
 * Σ(SR − HR)² equals the eyes arm's. L_pixel and PSNR are then equal by construction; the
 * losses that look at landmarks need not be. M* and M use all 68 channels, normalised; the
 * teacher's points are rendered with σ 1.5 px (3 px at 128, render.ts's default).
 */
export async function computeAttnExperiment(ctx: ComputeContext): Promise<ExperimentValue> {
	const hrMaps = ctx.inputs.hrmaps as HrMaps | undefined;
	if (!hrMaps?.hr) throw new Error('No HR landmarks: expected inputs.hrmaps.');
	const m = modelsInput(ctx.inputs);
	const p = ctx.params;
	const kind = (['noise', 'blur', 'shift', 'erase'].includes(String(p.kind)) ? String(p.kind) : 'noise') as PerturbKind;
	const strength = Math.min(1, Math.max(0.05, Number(p.strength) || 0.5));
	const seed = toSeed(Number(p.seed ?? 7));
	const hr = hrMaps.hr;
	const points = referencePoints(hrMaps.landmarks);
	const eyes = groupMask(points, FACE_PX, 'eyes');
	const pixels = eyes.reduce((a, b) => a + b, 0);
	const bg = farthestPixels(points, FACE_PX, pixels);
	const srEyes = perturb(hr, eyes, kind, strength, seed);
	const target = energy(hr, srEyes);
	const srBg = scaleToEnergy(hr, perturb(hr, bg, kind, 1, seed), target);
	const opts: MapOptions = { sigma: 1.5, normalise: true, channels: 'all', landmark: 0 };
	const nets = { teacher: m.teacher, student: m.student?.weights ?? null };
	const arms: ExperimentArm[] = [];
	for (const [region, sr, mask] of [['eyes', srEyes, eyes], ['background', srBg, bg]] as const) {
		if (ctx.signal.aborted) throw new AbortedError();
		const f = await analyseFace(sr, nets, ctx.gpu);
		const maps = pairMaps(hr, sr, hrMaps.landmarks, f, opts);
		arms.push({ region, sr, mask, energy: energy(hr, sr), teacher: maps.teacher?.report ?? null, student: maps.student?.report ?? null });
		ctx.progress(arms.length / 2);
	}
	return { hr, kind, strength, pixels, arms: arms as [ExperimentArm, ExperimentArm] };
}
