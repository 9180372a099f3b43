// The three joint SR + deblurring models of paper 002 as srlab trained them (train/joint_sr/):
// joint-sr (both decoders, D_g and D_l) and its ablation twins without the blurred branch and
// without the local discriminator (§4.5), each with its card. Each loads through the one model
// loader; a model whose weights are missing or refused is listed with the reason and the others
// still run. View: Nets.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import type { Model } from '$models/catalog';
import { loadModelSet } from '$models/loadSet';

export const JOINT_NETS = [
	{ id: 'joint-sr', label: 'joint-sr', what: 'both decoders, D_g and D_l (the paper’s model)' },
	{ id: 'joint-sr-noblur', label: 'joint-sr-noblur', what: 'no blurred branch (no Î_HRB, Eq. 4 without its third term)' },
	{ id: 'joint-sr-nolocal', label: 'joint-sr-nolocal', what: 'no local discriminator D_l (Eq. 3 = Eq. 1)' }
] as const;

export type JointNetId = (typeof JOINT_NETS)[number]['id'];

export interface JointNet {
	id: JointNetId;
	label: string;
	what: string;
	/** Absent when it could not be loaded (see error). */
	model?: Model<JointNetId>;
	error?: string;
}

export interface JointNets {
	nets: JointNet[];
}

/** The nets that loaded, in JOINT_NETS order. */
export function loadedNets(n: JointNets): (JointNet & { model: Model<JointNetId> })[] {
	return n.nets.filter((x): x is JointNet & { model: Model<JointNetId> } => !!x.model);
}

export const jointNets = defineCell({
	kind: 'joint-nets',
	summary: 'Loads joint-sr and its two ablation twins (no blurred branch, no local D) with their model cards.',
	async compute(ctx): Promise<JointNets> {
		const nets: JointNet[] = await loadModelSet(JOINT_NETS, ctx, 'the three joint SR models');
		return { nets };
	}
});
