// Attention-loss explorer, input side: the HR face's landmarks (teacher points, student
// heatmaps) and the "SR" image to judge — bicubic 4× down/up, or the HR face with a perturbation
// the person chose (blur / noise / shift / erase inside a landmark group, the background, a
// painted brush mask or the whole face) — with that image's own landmarks.
// Everything runs on the 64×64 face (paper 003 applies Eq. 1 at 64×64 in its step 2).

import type { ParamSpec, ParamValues } from '$lib/notebook/types';
import type { ComputeContext } from '$lib/runtime/runtime';
import { AbortedError } from '$lib/runtime/gpuQueue';
import type { RGBImage } from '$lib/image/rgb';
import { toSeed } from '$lib/image/rng';
import { analyseFace, referencePoints, FACE_PX, type FaceLandmarks } from '$lib/heatmaps/analysis';
import { bicubicRoundTrip, BRUSH_WORDS, perturb, regionMask, type PerturbKind, type RegionKind } from '$lib/heatmaps/perturb';
import { requireHeatmapNet, type HeatmapModels } from './heatmapModels';
const modelsInput = (inputs: Record<string, unknown>) => requireHeatmapNet(inputs.models as HeatmapModels);
import { progressiveSr, type PsrStepChoice } from '$notebooks/attention-loss/psrSource';
const PSR_IN_NOTEBOOK = true;

export interface HrMaps {
	hr: RGBImage;
	label: string;
	landmarks: FaceLandmarks;
}

function hrImage(inputs: Record<string, unknown>): { hr: RGBImage; label: string } {
	const v = inputs.hr as { hr64?: RGBImage; label?: string } | undefined;
	if (!v?.hr64 || v.hr64.width !== FACE_PX || v.hr64.height !== FACE_PX) throw new Error('No 64×64 HR face: expected inputs.hr from the HR face cell.');
	return { hr: v.hr64, label: v.label ?? 'HR face' };
}

const check = (signal: AbortSignal) => {
	if (signal.aborted) throw new AbortedError();
};

export async function computeAttnHrMaps(ctx: ComputeContext): Promise<HrMaps> {
	const { hr, label } = hrImage(ctx.inputs);
	const m = modelsInput(ctx.inputs);
	const landmarks = await analyseFace(hr, { teacher: m.teacher, student: m.student?.weights ?? null }, ctx.gpu);
	check(ctx.signal);
	return { hr, label, landmarks };
}

const REGIONS: { value: RegionKind; label: string }[] = [
	{ value: 'eyes', label: 'Eyes (landmarks 36–47)' },
	{ value: 'brows', label: 'Brows (17–26)' },
	{ value: 'nose', label: 'Nose (27–35)' },
	{ value: 'mouth', label: 'Mouth (48–67)' },
	{ value: 'jaw', label: 'Jaw line (0–16)' },
	{ value: 'background', label: 'Background (outside the face outline, ≥ 4 px from landmarks)' },
	{ value: 'brush', label: 'Painted brush mask' },
	{ value: 'whole', label: 'Whole image' }
];

export const brushParamNames = Array.from({ length: BRUSH_WORDS }, (_, i) => `brush${i}`);

export const srParams: Record<string, ParamSpec> = {
	method: {
		type: 'select',
		label: 'SR image',
		options: [
			{ value: 'perturb', label: 'HR with a perturbation' },
			{ value: 'bicubic', label: 'Bicubic 4× down, 4× up' },
			...(PSR_IN_NOTEBOOK
				? [
						{ value: 'psr1', label: 'Progressive SR, step 1 (32 px)' },
						{ value: 'psr2', label: 'Progressive SR, step 2 (64 px)' },
						{ value: 'psr3', label: 'Progressive SR, step 3 (128 px)' }
					]
				: [])
		],
		default: 'perturb',
		help: 'What plays the role of G(I_LR), the super-resolved image the losses judge.'
	},
	kind: {
		type: 'select',
		label: 'Perturbation',
		options: [
			{ value: 'blur', label: 'Blur (Gaussian)' },
			{ value: 'noise', label: 'Noise (Gaussian)' },
			{ value: 'shift', label: 'Shift (move content)' },
			{ value: 'erase', label: 'Erase (fill with mean colour)' }
		],
		default: 'blur'
	},
	region: { type: 'select', label: 'Region', options: REGIONS, default: 'eyes', help: 'Where the perturbation applies. Groups are discs of 3 px around the teacher’s landmarks.' },
	strength: { type: 'number', label: 'Strength', min: 0, max: 1, step: 0.05, default: 0.6 },
	seed: { type: 'seed', label: 'Noise seed', default: 1 },
	...(PSR_IN_NOTEBOOK
		? {
				psrVariant: {
					type: 'select',
					label: 'Progressive SR weights',
					options: [
						{ value: 'progressive-sr', label: 'trained with the attention loss (Eq. 1)' },
						{ value: 'progressive-sr-noatt', label: 'trained without it' }
					],
					default: 'progressive-sr'
				} satisfies ParamSpec
			}
		: {}),
	...Object.fromEntries(brushParamNames.map((n, i) => [n, { type: 'seed', label: `Brush bits ${i * 32}–${i * 32 + 31}`, default: 0 } satisfies ParamSpec]))
};

export type SrMethod = 'perturb' | 'bicubic' | 'psr1' | 'psr2' | 'psr3';

export interface SrChoice {
	method: SrMethod;
	psrVariant: 'progressive-sr' | 'progressive-sr-noatt';
	kind: PerturbKind;
	region: RegionKind;
	strength: number;
	seed: number;
	brush: number[];
}

export function readSrParams(p: ParamValues): SrChoice {
	const pick = <T extends string>(name: string, allowed: readonly T[]): T => {
		const v = String(p[name] ?? (srParams[name] as { default: string }).default);
		return (allowed.includes(v as T) ? v : (srParams[name] as { default: string }).default) as T;
	};
	const strength = Number(p.strength);
	return {
		method: pick('method', (PSR_IN_NOTEBOOK ? ['perturb', 'bicubic', 'psr1', 'psr2', 'psr3'] : ['perturb', 'bicubic']) as SrMethod[]),
		psrVariant: String(p.psrVariant) === 'progressive-sr-noatt' ? 'progressive-sr-noatt' : 'progressive-sr',
		kind: pick('kind', ['blur', 'noise', 'shift', 'erase'] as const),
		region: pick('region', REGIONS.map((r) => r.value)),
		strength: Number.isFinite(strength) ? Math.min(1, Math.max(0, strength)) : 0.6,
		seed: toSeed(Number(p.seed ?? 1)),
		brush: brushParamNames.map((n) => toSeed(Number(p[n] ?? 0)))
	};
}

export interface SrValue {
	hr: RGBImage;
	sr: RGBImage;
	/** The region the perturbation applied to (null for bicubic). */
	mask: Float32Array | null;
	label: string;
	landmarks: FaceLandmarks;
	choice: SrChoice;
}

export function makeSrImage(hr: RGBImage, points: Float32Array, c: SrChoice): { sr: RGBImage; mask: Float32Array | null; label: string } {
	if (c.method === 'bicubic') return { sr: bicubicRoundTrip(hr, 4), mask: null, label: 'Bicubic: 64 → 16 → 64' };
	const mask = regionMask(c.region, points, FACE_PX, c.brush);
	const region = REGIONS.find((r) => r.value === c.region)?.label ?? c.region;
	return { sr: perturb(hr, mask, c.kind, c.strength, c.seed), mask, label: `${c.kind} at strength ${c.strength} in: ${region}` };
}

export async function computeAttnSr(ctx: ComputeContext): Promise<SrValue> {
	const hrMaps = ctx.inputs.hrmaps as HrMaps | undefined;
	if (!hrMaps?.hr) throw new Error('No HR landmarks: expected inputs.hrmaps.');
	const m = modelsInput(ctx.inputs);
	const choice = readSrParams(ctx.params);
	const { sr, mask, label } = choice.method.startsWith('psr')
		? { ...(await progressiveSr(ctx, hrMaps.hr, Number(choice.method.slice(3)) as PsrStepChoice, choice.psrVariant)), mask: null }
		: makeSrImage(hrMaps.hr, referencePoints(hrMaps.landmarks), choice);
	check(ctx.signal);
	const landmarks = await analyseFace(sr, { teacher: m.teacher, student: m.student?.weights ?? null }, ctx.gpu);
	check(ctx.signal);
	return { hr: hrMaps.hr, sr, mask, label, landmarks, choice };
}
