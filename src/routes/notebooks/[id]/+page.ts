import { error } from '@sveltejs/kit';
import { NOTEBOOKS, getNotebook } from '$notebooks/index';
import type { EntryGenerator, PageLoad } from './$types';

export const entries: EntryGenerator = () => NOTEBOOKS.map((n) => ({ id: n.id }));

export const load: PageLoad = ({ params }) => {
	const notebook = getNotebook(params.id);
	if (!notebook) error(404, `There is no notebook “${params.id}”.`);
	return { notebook };
};
