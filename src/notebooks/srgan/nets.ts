// The three SR nets of paper 004 as srlab trained them (train/srgan/): SRResNet-MSE (Eq. 4),
// SRResNet-content (Eq. 5, face-net features) and SRGAN (Eq. 3: content + 10⁻³ adversarial), the
// last with its discriminator. Each loads through the one model loader; a net whose weights are
// missing or refused is listed with the reason and the other two still run. View: Nets.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import type { Model } from '$models/catalog';
import { loadModelSet } from '$models/loadSet';

export const SR_NETS = [
	{ id: 'srresnet-mse', label: 'SRResNet-MSE', loss: 'pixel MSE (Eq. 4)' },
	{ id: 'srresnet-content', label: 'SRResNet-content', loss: 'feature-space content loss (Eq. 5)' },
	{ id: 'srgan', label: 'SRGAN', loss: 'content + 10⁻³ adversarial (Eq. 3)' }
] as const;

export type SrNetId = (typeof SR_NETS)[number]['id'];

export interface SrNet {
	id: SrNetId;
	label: string;
	loss: string;
	/** Absent when it could not be loaded (see error). */
	model?: Model<SrNetId>;
	error?: string;
}

/** The feature space the content nets were trained in (Eq. 5), as their card states it. */
export interface ContentSpace {
	layer: string;
	px: number;
	scale: number;
	/** Which net's card said so. */
	from: string;
}

export interface SrganNets {
	nets: SrNet[];
	content?: ContentSpace;
	/** The srgan weights' discriminator, when they hold one. */
	discriminator?: Model<'srgan'>;
}

export const srganNets = defineCell({
	kind: 'srgan-nets',
	summary: 'Loads SRResNet-MSE, SRResNet-content and SRGAN (with its discriminator) and their model cards.',
	async compute(ctx): Promise<SrganNets> {
		const nets: SrNet[] = await loadModelSet(SR_NETS, ctx, 'the three SR nets');
		const gan = nets.find((n) => n.id === 'srgan')?.model as Model<'srgan'> | undefined;
		const withContent = nets.find((n) => n.model?.card?.content);
		const content = withContent && { ...withContent.model!.card!.content!, from: withContent.label };
		return { nets, content, discriminator: gan?.info.hasDiscriminator ? gan : undefined };
	}
});
