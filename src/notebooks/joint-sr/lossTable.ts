// The losses cell: every term of Eq. 1–6 (src/lib/jointSr/losses.ts) on this face for each loaded
// model, with its own discriminators, the face-region mask and the face net (Eq. 5 at the layers
// and feature scale, and Eq. 6 with the λ1, λ2, its card states). Rows say which player minimises
// each number. Without a GT (a real LR face) or a mask there is nothing to compare with, and the
// cell says why. View: Losses.svelte.

import * as tf from '@tensorflow/tfjs';
import { defineCell } from '$lib/notebook/cellKind';
import { faceNetForBackend, type FaceNetWeights } from '$lib/eval/faceNet';
import { jointSrLosses, type JointSrLosses } from '$lib/jointSr/losses';
import { imageToSigned } from '$lib/jointSr/degrade';
import { jointSr } from '$models/jointSr';
import { isAbort } from '$lib/runtime/gpuQueue';
import { errorMessage } from '$lib/runtime/runtime';
import { jointInput, type JointInput } from './input';
import { jointMask, type JointMask } from './mask';
import { jointNets, loadedNets, type JointNetId, type JointNets } from './nets';

export interface ModelLosses {
	id: JointNetId;
	label: string;
	losses?: JointSrLosses;
	/** Why there are no losses for this model. */
	problem?: string;
}

export type JointLossTable = { state: 'none'; reason: string } | { state: 'done'; models: ModelLosses[] };

export type Player = 'D_g' | 'D_l' | 'D' | 'G' | 'score' | 'sum';

export interface LossRow {
	key: string;
	label: string;
	/** Who drives this number down (or 'score': a discriminator's mean output, 'sum': the paper's total). */
	player: Player;
	/** One value per model, in the models' order; null where the model has no such term. */
	values: (number | null)[];
}

/** The table: every number of Eq. 1–6, one row each, per model. */
export function lossRows(models: ModelLosses[]): LossRow[] {
	const ls = models.map((m) => m.losses);
	const row = (key: string, label: string, player: Player, get: (l: JointSrLosses) => number | null | undefined): LossRow => ({
		key,
		label,
		player,
		values: ls.map((l) => (l ? (get(l) ?? null) : null))
	});
	const layers = [...new Set(ls.flatMap((l) => l?.eq5.layers.map((x) => x.layer) ?? []))];
	return [
		row('dg-real', 'D_g(I_LRf, I_HR): score of the real face', 'score', (l) => l.eq1.real),
		row('dg-fake', 'D_g(I_LRf, Î_HR): score of the output', 'score', (l) => l.eq1.fake),
		row('eq1', 'Eq. 1: (D_g(real) − 1)² + D_g(fake)²', 'D_g', (l) => l.eq1.value),
		row('dl-real', 'D_l(I_m): score of the real face region', 'score', (l) => l.eq2?.real),
		row('dl-fake', 'D_l(Î_m): score of the output’s face region', 'score', (l) => l.eq2?.fake),
		row('eq2', 'Eq. 2: (D_l(real) − 1)² + D_l(fake)²', 'D_l', (l) => l.eq2?.value),
		row('eq3', 'Eq. 3 = Eq. 1 + Eq. 2', 'D', (l) => l.eq3),
		row('g-adv', 'G’s adversarial side: (D_g(fake) − 1)² + (D_l(fake) − 1)²', 'G', (l) => l.generatorAdversarial.total),
		row('eq4-masked', 'Eq. 4: |I_m − Î_m|₁ (face region)', 'G', (l) => l.eq4.masked),
		row('eq4-sharp', 'Eq. 4: |I_HR − Î_HR|₁ (sharp)', 'G', (l) => l.eq4.sharp),
		row('eq4-blurred', 'Eq. 4: |I_HRB − Î_HRB|₁ (blurred)', 'G', (l) => l.eq4.blurred),
		row('eq4', 'Eq. 4: L_pix', 'G', (l) => l.eq4.total),
		...layers.map((layer) => row(`eq5-${layer}`, `Eq. 5: face net ${layer}`, 'G', (l) => l.eq5.layers.find((x) => x.layer === layer)?.value)),
		row('eq5', 'Eq. 5: L_perc', 'G', (l) => l.eq5.total),
		row('eq6-g', 'Eq. 6, G’s objective: adversarial + λ1·L_pix + λ2·L_perc', 'G', (l) => l.eq6.generator),
		row('eq6', 'Eq. 6 as printed: Eq. 3 + λ1·L_pix + λ2·L_perc', 'sum', (l) => l.eq6.asWritten)
	];
}

export interface ObjectivePart {
	model: string;
	part: string;
	value: number;
}

/** G's Eq. 6 split into what it is made of, per model: the stacked bars of the chart. */
export function generatorParts(models: ModelLosses[]): ObjectivePart[] {
	return models.flatMap((m) =>
		m.losses
			? [
					{ model: m.label, part: 'adversarial (weight 1)', value: m.losses.generatorAdversarial.total },
					{ model: m.label, part: `λ1·L_pix (λ1 = ${m.losses.lambda1})`, value: m.losses.lambda1 * m.losses.eq4.total },
					{ model: m.label, part: `λ2·L_perc (λ2 = ${m.losses.lambda2})`, value: m.losses.lambda2 * m.losses.eq5.total }
				]
			: []
	);
}

/** The discriminators' losses per model (Eq. 1, Eq. 2): the grouped bars of the chart. */
export function discriminatorParts(models: ModelLosses[]): ObjectivePart[] {
	return models.flatMap((m) =>
		m.losses ? [{ model: m.label, part: 'Eq. 1 (D_g)', value: m.losses.eq1.value }, ...(m.losses.eq2 ? [{ model: m.label, part: 'Eq. 2 (D_l)', value: m.losses.eq2.value }] : [])] : []
	);
}


export interface LossTableContext {
	/** The face net of Eq. 5, fetched only when there is something to compare. */
	faceNet: () => Promise<FaceNetWeights>;
	gpu: <R>(task: () => Promise<R>) => Promise<R>;
	signal: AbortSignal;
	progress(fraction: number): void;
}

/** Eq. 1–6 of every loaded model on this face (or why none can be computed). */
export async function lossTable(input: JointInput, nets: JointNets, mask: JointMask, ctx: LossTableContext): Promise<JointLossTable> {
	if (!input.hr || !input.blurredHr) return { state: 'none', reason: 'A real LR face has no sharp or blurred GT, so Eq. 1–6 (which compare with it) cannot be computed: the table stays empty.' };
	if (mask.state !== 'mask') return { state: 'none', reason: `No face-region mask: ${mask.reason}` };
	const { hr, blurredHr, lr } = input;
	const loaded = loadedNets(nets);
	const net = await ctx.faceNet();
	const models: ModelLosses[] = [];
	for (const n of loaded) {
		ctx.signal.throwIfAborted();
		const card = n.model.card;
		if (!card?.perceptual || card.lambda1 === undefined || card.lambda2 === undefined) {
			models.push({ id: n.id, label: n.label, problem: 'its card does not give λ1, λ2 and the perceptual layers it was trained with' });
			continue;
		}
		const perceptual = card.perceptual;
		const [lambda1, lambda2] = [card.lambda1, card.lambda2];
		try {
			const losses = await ctx.gpu(async () => {
				const t = tf.tidy(() => ({ x: imageToSigned(lr), hr: imageToSigned(hr), hrb: imageToSigned(blurredHr) }));
				const outputs = jointSr(n.model.weights, t.x);
				try {
					return await jointSrLosses({ weights: n.model.weights, outputs, hr: t.hr, blurredHr: t.hrb, mask: mask.mask, faceNet: net, perceptual, lambda1, lambda2 });
				} finally {
					tf.dispose([t.x, t.hr, t.hrb, outputs.feature, outputs.sharp, ...(outputs.blurred ? [outputs.blurred] : [])]);
				}
			});
			models.push({ id: n.id, label: n.label, losses });
		} catch (e) {
			if (isAbort(e)) throw e;
			models.push({ id: n.id, label: n.label, problem: errorMessage(e) });
		}
		ctx.progress(models.length / loaded.length);
	}
	return { state: 'done', models };
}

export const jointLosses = defineCell({
	kind: 'joint-losses',
	summary: 'Eq. 1–6 of joint SR + deblurring on this face for each model, with which player minimises each term.',
	inputs: { input: jointInput, nets: jointNets, mask: jointMask },
	async compute(ctx): Promise<JointLossTable> {
		const { input, nets, mask } = ctx.inputs;
		return lossTable(input, nets, mask, { faceNet: faceNetForBackend, gpu: ctx.gpu, signal: ctx.signal, progress: ctx.progress });
	}
});
