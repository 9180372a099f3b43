// Cell kind → the Svelte component that draws it.
import type { Component } from 'svelte';
import type { CellProps } from './cellProps';
import FaceInput from './FaceInput.svelte';
import DegradationGallery from './DegradationGallery.svelte';
import L2Chart from './L2Chart.svelte';

export const COMPONENTS: Record<string, Component<CellProps>> = {
	'face-input': FaceInput,
	'degradation-gallery': DegradationGallery,
	'l2-chart': L2Chart
};
