// The "attn-loss" cell: every map and number for the HR face and the chosen SR image, for the
// teacher's and the student's heatmaps — M and M̃, the attention map M* and L_attention (paper
// 003 Eq. 1), L_pixel (Eq. 2), L_heatmap (Eq. 5), SR-NAM's heatmap metric (paper 000 Eq. 7),
// L1, PSNR and SSIM. Pure math over the upstream landmarks: changing σ, the channels or the
// normalisation never re-runs a network. Also the table rows and chart bars the view draws.
// View: LossMaps.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import type { RGBImage } from '$lib/image/rgb';
import { GROUP_NAMES } from '$lib/heatmaps/landmarks';
import { pairMaps, type MapOptions, type PairMaps, type SourceMaps } from '$lib/heatmaps/analysis';
import type { LossReport } from '$lib/heatmaps/losses';
import { hrLandmarks } from './landmarks';
import { srImage } from './srImage';

export const lossParams = {
	sigma: { type: 'number', label: 'Teacher heatmap σ', min: 0.5, max: 6, step: 0.25, default: 1.5, unit: 'px @64', help: 'Width of the Gaussians the teacher’s points are rendered with (the student was trained on σ = 3 px, see its card).' },
	normalise: { type: 'boolean', label: 'Min-max normalise M and M*', default: true, help: 'Paper 003 Eq. 1: each heatmap and M* scaled into [0, 1]. Off: raw values.' },
	channels: {
		type: 'select',
		label: 'Landmarks in M*',
		options: [{ value: 'all', label: 'All 68' }, ...GROUP_NAMES.map((g) => ({ value: g, label: `Group: ${g}` })), { value: 'one', label: 'One landmark' }],
		default: 'all'
	},
	landmark: { type: 'number', label: 'Landmark index', min: 0, max: 67, step: 1, default: 36, help: 'Used when “One landmark” is chosen (36 = outer corner of the left eye in the image).' }
} as const;

export interface LossValue extends PairMaps {
	hr: RGBImage;
	sr: RGBImage;
	srLabel: string;
	options: MapOptions;
}

export const lossMaps = defineCell({
	kind: 'attn-loss',
	summary: 'Heatmaps, M*, error maps and the numbers of every loss for one SR image (paper 003 Eq. 1–5).',
	params: lossParams,
	inputs: { hrmaps: hrLandmarks, sr: srImage },
	compute(ctx): LossValue {
		const { hrmaps, sr } = ctx.inputs;
		const options: MapOptions = { ...ctx.params, landmark: Math.round(ctx.params.landmark) };
		return { hr: hrmaps.hr, sr: sr.sr, srLabel: sr.label, options, ...pairMaps(hrmaps.hr, sr.sr, hrmaps.landmarks, sr.landmarks, options) };
	}
});

/** The measures of the table, in order; `shared` ones depend on the images only, not on the heatmaps. */
export const METRICS: readonly { key: keyof LossReport; label: string; eq: string; shared: boolean }[] = [
	{ key: 'pixel', label: 'L_pixel (MSE)', eq: 'paper 003 Eq. 2', shared: true },
	{ key: 'l1', label: 'L1', eq: '|I_HR − SR| mean', shared: true },
	{ key: 'attention', label: 'L_attention', eq: 'paper 003 Eq. 1', shared: false },
	{ key: 'heatmap', label: 'L_heatmap', eq: 'paper 003 Eq. 5', shared: false },
	{ key: 'srnamHeatmap', label: 'heatmap metric', eq: 'paper 000 Eq. 7', shared: false },
	{ key: 'psnr', label: 'PSNR (dB)', eq: '10 log10(1/MSE)', shared: true },
	{ key: 'ssim', label: 'SSIM', eq: 'Wang et al. 2004', shared: true }
];

export type HeatmapSource = 'teacher' | 'student';

/** The heatmap sources that ran (a network that did not load has none). */
export function sourcesOf(v: PairMaps): [HeatmapSource, SourceMaps][] {
	return ([['teacher', v.teacher], ['student', v.student]] as const).filter((s): s is [HeatmapSource, SourceMaps] => s[1] !== null);
}

export interface LossBar {
	metric: string;
	series: string;
	value: number;
}

/** One bar per measure and series: an image-only measure once ("image only"), the others per heatmap source. */
export function lossBars(sources: [HeatmapSource, SourceMaps][]): LossBar[] {
	const bars = sources.flatMap(([name, s]) => METRICS.map((m) => ({ metric: m.label, series: m.shared ? 'image only' : `${name} M`, value: s.report[m.key] })));
	return bars.filter((r, i) => bars.findIndex((o) => o.metric === r.metric && o.series === r.series) === i);
}

/** A loss for the tables: 4 decimals in [0.01, 1000), else exponent notation; ∞ for an infinite PSNR. */
export const formatLoss = (x: number) => (Number.isFinite(x) ? (Math.abs(x) >= 0.01 && Math.abs(x) < 1000 ? x.toFixed(4) : x.toExponential(3)) : '∞');
