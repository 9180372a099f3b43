// Sessions and links made before a change of notebook layout keep opening: each fixture in
// test/fixtures/compat is a state saved (and linked) with every parameter off its default, written
// by the tree of the time. Cell ids are what sessions and links key on; if one changes, a
// migration must carry the old key over and these tests say so. A parameter added since takes its
// default; every saved value stays.
import { describe, expect, it } from 'vitest';
import { readFileSync, readdirSync } from 'node:fs';
import { NOTEBOOKS, getNotebook } from '../../src/notebooks/index';
import { completeState } from '../../src/lib/notebook/state';
import { decodeLink } from '../../src/lib/links/codec';
import type { NotebookState } from '../../src/lib/notebook/types';

const dir = 'test/fixtures/compat';
/** The fixture's state, plus the default of each parameter added since it was written. */
function withNewDefaults(state: NotebookState): NotebookState {
	const defaults = completeState(getNotebook(state.notebookId)!, { notebookId: state.notebookId, params: {}, images: {} });
	const params = Object.fromEntries(Object.entries(defaults.params).map(([id, p]) => [id, { ...p, ...state.params[id] }]));
	return { ...state, params: { ...state.params, ...params }, images: { ...defaults.images, ...state.images } };
}

const fixtures = readdirSync(dir).map((f) => JSON.parse(readFileSync(`${dir}/${f}`, 'utf8')) as { state: NotebookState; link: string });

describe('saved sessions and links from earlier versions', () => {
	it('cover every notebook', () => {
		expect(fixtures.map((f) => f.state.notebookId).sort()).toEqual(NOTEBOOKS.map((n) => n.id).sort());
	});

	for (const { state, link } of fixtures) {
		it(`${state.notebookId}: a stored session reopens with every saved value`, () => {
			const nb = getNotebook(state.notebookId)!;
			expect(completeState(nb, state)).toEqual(withNewDefaults(state));
		});

		it(`${state.notebookId}: a link opens without warnings into the same state`, () => {
			const decoded = decodeLink(link, NOTEBOOKS);
			if (!decoded.ok) throw new Error(decoded.error);
			expect(decoded.warnings).toEqual([]);
			expect(completeState(getNotebook(state.notebookId)!, decoded.state)).toEqual(withNewDefaults(state));
		});
	}
});
