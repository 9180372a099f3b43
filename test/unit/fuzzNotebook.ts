// The notebook both fuzz suites (links.fuzz, reliability.fuzz) decode links and sessions
// against: one image input and one cell with a parameter of every type.
import type { NotebookDef } from '$lib/notebook/types';

export const FUZZ_NB: NotebookDef = {
	id: 'nb1',
	title: 'Fuzz',
	papers: [],
	idea: '',
	youCan: '',
	cells: [
		{ kind: 'face-input', id: 'input', title: 'Input', imageInput: true },
		{
			kind: 'degrade',
			id: 'deg',
			title: 'Degrade',
			params: {
				sigma: { type: 'number', label: 'Blur', min: 0, max: 4, step: 0.1, default: 1 },
				mode: { type: 'select', label: 'Mode', options: [{ value: 'a', label: 'A' }, { value: 'b', label: 'B' }], default: 'a' },
				noise: { type: 'boolean', label: 'Noise', default: false },
				seed: { type: 'seed', label: 'Seed', default: 42 }
			}
		}
	]
};
