// Notebook: Live SR-NAM (paper 000 §3.4 Eq. 6, §4.1, §4.4): search the ProGAN latent space
// for faces whose degradation matches a 16×16 input, with K random restarts at once.

import type { NotebookDef } from '$lib/notebook/types';
import intro from './intro.md?raw';
import settings from './settings.md?raw';
import { placeCell } from '$lib/notebook/cellKind';
import { heatmapModels } from '$cells/heatmapModels';
import { degraderModel } from '$cells/degraderModel';
import { proganModel } from '$cells/proganModel';
import { faceInput } from '$cells/faceInput';
import { srnamInput } from './input';
import { srnamSearch } from './search';

export const srnam: NotebookDef = {
	id: 'srnam',
	title: 'Live SR-NAM',
	papers: [{ authors: 'Lioutas', year: 2020, title: 'Mapping low-resolution images to multiple high-resolution images using non-adversarial mapping (SR-NAM)', file: '000' }],
	idea: 'Super-resolve a 16×16 face by searching a face generator’s latent space for faces that, once degraded, match it; different random starts find different faces.',
	youCan: 'Pick the LR input, run, pause, step and scrub back through the search with K restarts; watch the per-restart losses, the candidates best first by how well they degrade back to the input, how different they are (restarts that collapsed onto one face are marked and counted), their mean and the paths of the latents; pin candidates, export PNG/GIF, reload or share the run.',
	cells: [
		{ kind: 'prose', id: 'intro', markdown: intro },
		{ kind: 'prose', id: 'settings', markdown: settings },
		placeCell(proganModel, { id: 'model', title: 'Generator G (ProGAN)' }),
		placeCell(degraderModel, { id: 'degrader', title: 'Degrader D' }),
		placeCell(faceInput, { id: 'face', title: 'Optional: your own face' }),
		placeCell(srnamInput, { id: 'input', title: 'LR input', inputs: { model: 'model', degrader: 'degrader', face: 'face' } }),
		placeCell(heatmapModels, { id: 'landmarks', title: 'Landmark networks for Eq. 7' }),
		placeCell(srnamSearch, { id: 'search', title: 'Latent search', inputs: { model: 'model', degrader: 'degrader', input: 'input', landmarks: 'landmarks' } })
	]
};
