// Compute side of the L2 chart: one row per degradation, the per-pixel squared distance of
// its 16×16 LR to the average-pooled HR (High-to-Low paper Eq. 4, F = average pooling).

import type { ComputeContext } from '$lib/runtime/runtime';
import type { GalleryResult } from './degradationGallery';

export interface L2Row {
	id: string;
	label: string;
	l2: number;
}

export function computeL2Rows(ctx: ComputeContext): L2Row[] {
	const gallery = ctx.inputs.gallery as GalleryResult | undefined;
	if (!gallery) throw new Error('no degradations to chart yet');
	return gallery.items.map((it) => ({ id: it.id, label: it.label, l2: it.l2 })).sort((a, b) => a.l2 - b.l2);
}
