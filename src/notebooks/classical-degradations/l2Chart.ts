// The L2 chart cell (classical degradations): one row per recipe of the degradation gallery,
// its 16×16 LR's mean squared distance to the average-pooled HR (paper 001 Eq. 4, F = average
// pooling), sorted from closest to farthest. View: L2Chart.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import { degradationGallery, type GalleryResult } from '$cells/degradationGallery';

/** A type, not an interface, so that rows pass as the chart's plain records. */
export type L2Row = { id: string; label: string; l2: number };

/** The gallery's recipes as chart rows, smallest Eq. 4 distance first. */
export function l2Rows(gallery: GalleryResult): L2Row[] {
	return gallery.items.map((it) => ({ id: it.id, label: it.label, l2: it.l2 })).sort((a, b) => a.l2 - b.l2);
}

export const l2Chart = defineCell({
	kind: 'l2-chart',
	summary: 'A bar chart of each degradation\'s L2 to the average-pooled HR (High-to-Low Eq. 4).',
	inputs: { gallery: degradationGallery },
	compute: (ctx) => l2Rows(ctx.inputs.gallery)
});
