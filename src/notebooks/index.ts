// All notebooks, in the order the index page shows them.
import type { NotebookDef } from '$lib/notebook/types';
import { classicalDegradations } from './classical-degradations/notebook';
import { progressiveGrowth } from './progressive-growth/notebook';
import { srnam } from './srnam/notebook';
import { degradationSampler } from './degradation-sampler/notebook';
import { attentionLoss } from './attention-loss/notebook';
import { liveGan } from './live-gan/notebook';
import { srgan } from './srgan/notebook';
import { jointSrNotebook } from './joint-sr/notebook';

export const NOTEBOOKS: NotebookDef[] = [classicalDegradations, degradationSampler, progressiveGrowth, srnam, attentionLoss, srgan, jointSrNotebook, liveGan];

export function getNotebook(id: string): NotebookDef | undefined {
	return NOTEBOOKS.find((n) => n.id === id);
}

export function notebookTitle(id: string): string {
	return getNotebook(id)?.title ?? `Unknown notebook “${id}”`;
}
