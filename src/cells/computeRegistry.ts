// Cell kind → compute function. Kept apart from the Svelte components so the whole
// notebook graph can run in Node tests.

import type { ComputeFn } from '$lib/runtime/runtime';
import { computeFaceInput } from './faceInput';
import { computeGallery } from './degradationGallery';
import { computeL2Rows } from './l2Chart';

export const COMPUTE: Record<string, ComputeFn> = {
	'face-input': computeFaceInput,
	'degradation-gallery': computeGallery,
	'l2-chart': computeL2Rows
};
