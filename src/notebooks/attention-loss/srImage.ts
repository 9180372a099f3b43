// The "attn-sr" cell: the image that plays G(I_LR), the super-resolved face the losses judge —
// bicubic 4× down/up, the progressive-SR network's output at one of its steps (psrSource.ts),
// or the HR face with a perturbation the person chose (blur / noise / shift / erase inside a
// landmark group, the background, a painted brush mask or the whole face) — with that image's
// own landmarks. Everything is on the 64×64 grid of the HR face. View: SrImage.svelte.

import { defineCell, type ParamValuesOf } from '$lib/notebook/cellKind';
import type { RGBImage } from '$lib/image/rgb';
import { toSeed } from '$lib/image/rng';
import { analyseFace, referencePoints, FACE_PX, type FaceLandmarks } from '$lib/heatmaps/analysis';
import { bicubicRoundTrip, BRUSH_WORDS, perturb, regionMask, type PerturbKind, type RegionKind } from '$lib/heatmaps/perturb';
import { heatmapModels } from '$cells/heatmapModels';
import { hrLandmarks, networksOf, throwIfAborted } from './landmarks';
import type { PsrVariant } from '$models/progressiveSr';
import { progressiveSr, type PsrStepChoice } from './psrSource';

const REGIONS = [
	{ value: 'eyes', label: 'Eyes (landmarks 36–47)' },
	{ value: 'brows', label: 'Brows (17–26)' },
	{ value: 'nose', label: 'Nose (27–35)' },
	{ value: 'mouth', label: 'Mouth (48–67)' },
	{ value: 'jaw', label: 'Jaw line (0–16)' },
	{ value: 'background', label: 'Background (outside the face outline, ≥ 4 px from landmarks)' },
	{ value: 'brush', label: 'Painted brush mask' },
	{ value: 'whole', label: 'Whole image' }
] as const satisfies readonly { value: RegionKind; label: string }[];

/** The perturbations (also the equal-energy experiment's). */
export const PERTURB_KINDS = [
	{ value: 'blur', label: 'Blur (Gaussian)' },
	{ value: 'noise', label: 'Noise (Gaussian)' },
	{ value: 'shift', label: 'Shift (move content)' },
	{ value: 'erase', label: 'Erase (fill with mean colour)' }
] as const satisfies readonly { value: PerturbKind; label: string }[];

/** One 32-cell word of the 16×16 brush grid, stored as a seed (an unsigned 32-bit integer). */
const brushWord = (i: number) => ({ type: 'seed', label: `Brush bits ${i * 32}–${i * 32 + 31}`, default: 0 }) as const;

export const srParams = {
	method: {
		type: 'select',
		label: 'SR image',
		options: [
			{ value: 'perturb', label: 'HR with a perturbation' },
			{ value: 'bicubic', label: 'Bicubic 4× down, 4× up' },
			{ value: 'psr1', label: 'Progressive SR, step 1 (32 px)' },
			{ value: 'psr2', label: 'Progressive SR, step 2 (64 px)' },
			{ value: 'psr3', label: 'Progressive SR, step 3 (128 px)' }
		],
		default: 'perturb',
		help: 'What plays the role of G(I_LR), the super-resolved image the losses judge.'
	},
	kind: { type: 'select', label: 'Perturbation', options: PERTURB_KINDS, default: 'blur' },
	region: { type: 'select', label: 'Region', options: REGIONS, default: 'eyes', help: 'Where the perturbation applies. Groups are discs of 3 px around the teacher’s landmarks.' },
	strength: { type: 'number', label: 'Strength', min: 0, max: 1, step: 0.05, default: 0.6 },
	seed: { type: 'seed', label: 'Noise seed', default: 1 },
	psrVariant: {
		type: 'select',
		label: 'Progressive SR weights',
		options: [
			{ value: 'progressive-sr', label: 'trained with the attention loss (Eq. 1)' },
			{ value: 'progressive-sr-noatt', label: 'trained without it' }
		],
		default: 'progressive-sr'
	},
	brush0: brushWord(0),
	brush1: brushWord(1),
	brush2: brushWord(2),
	brush3: brushWord(3),
	brush4: brushWord(4),
	brush5: brushWord(5),
	brush6: brushWord(6),
	brush7: brushWord(7)
} as const;

export type SrParams = ParamValuesOf<typeof srParams>;
export type SrMethod = SrParams['method'];

type SrParamName = keyof typeof srParams;
type BrushParamName = Extract<SrParamName, `brush${number}`>;
const isBrush = (n: SrParamName): n is BrushParamName => n.startsWith('brush');
const SR_PARAM_NAMES = Object.keys(srParams) as SrParamName[];
export const brushParamNames = SR_PARAM_NAMES.filter(isBrush);
if (brushParamNames.length !== BRUSH_WORDS) throw new Error(`attn-sr: ${brushParamNames.length} brush parameters for ${BRUSH_WORDS} brush words`);

export interface SrChoice {
	method: SrMethod;
	psrVariant: PsrVariant;
	kind: PerturbKind;
	region: RegionKind;
	strength: number;
	seed: number;
	brush: number[];
}

/** The choice the parameters (completed and fitted to srParams) describe, with the brush words as one list. */
export function srChoice(p: SrParams): SrChoice {
	return {
		method: p.method,
		psrVariant: p.psrVariant,
		kind: p.kind,
		region: p.region,
		strength: p.strength,
		seed: toSeed(p.seed),
		brush: brushParamNames.map((n) => toSeed(p[n]))
	};
}

/** The parameters the SR cell shows for a method: a perturbation's controls, or the weights of the progressive SR. */
export function visibleSrParams(method: SrMethod): SrParamName[] {
	const shown = (n: SrParamName) => n === 'method' || (method === 'perturb' ? n !== 'psrVariant' : method !== 'bicubic' && n === 'psrVariant');
	return SR_PARAM_NAMES.filter((n) => !isBrush(n) && shown(n));
}

export interface SrValue {
	hr: RGBImage;
	sr: RGBImage;
	/** The region the perturbation applied to (null for bicubic and the progressive SR). */
	mask: Float32Array | null;
	label: string;
	landmarks: FaceLandmarks;
	choice: SrChoice;
}

/** Bicubic 64 → 16 → 64, or the HR face with the chosen perturbation inside the chosen region. */
export function makeSrImage(hr: RGBImage, points: Float32Array, c: SrChoice): { sr: RGBImage; mask: Float32Array | null; label: string } {
	if (c.method === 'bicubic') return { sr: bicubicRoundTrip(hr, 4), mask: null, label: 'Bicubic: 64 → 16 → 64' };
	const mask = regionMask(c.region, points, FACE_PX, c.brush);
	const region = REGIONS.find((r) => r.value === c.region)?.label ?? c.region;
	return { sr: perturb(hr, mask, c.kind, c.strength, c.seed), mask, label: `${c.kind} at strength ${c.strength} in: ${region}` };
}

const PSR_STEPS = { psr1: 1, psr2: 2, psr3: 3 } as const satisfies Record<string, PsrStepChoice>;
const isPsr = (m: SrMethod): m is keyof typeof PSR_STEPS => m in PSR_STEPS;

export const srImage = defineCell({
	kind: 'attn-sr',
	summary: 'The SR image to judge: a perturbation in a region, bicubic, or the progressive-SR network.',
	params: srParams,
	inputs: { hrmaps: hrLandmarks, models: heatmapModels },
	async compute(ctx): Promise<SrValue> {
		const { hr, landmarks: hrLandmarksOf } = ctx.inputs.hrmaps;
		const nets = networksOf(ctx.inputs.models);
		const choice = srChoice(ctx.params);
		const { sr, mask, label } = isPsr(choice.method)
			? { ...(await progressiveSr(ctx, hr, PSR_STEPS[choice.method], choice.psrVariant)), mask: null }
			: makeSrImage(hr, referencePoints(hrLandmarksOf), choice);
		throwIfAborted(ctx.signal);
		const landmarks = await analyseFace(sr, nets, ctx.gpu);
		throwIfAborted(ctx.signal);
		return { hr, sr, mask, label, landmarks, choice };
	}
});
