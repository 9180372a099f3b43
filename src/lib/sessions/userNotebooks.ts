// User notebooks are sessions: one record holds a notebook's structure (record.notebook) and its
// state, under notebookId USER_NOTEBOOK_ID, so the store's validation, quarantine, quota
// handling, two-tab check, autosave, the Sessions page and export/import all apply to them.
import type { NotebookState } from '$lib/notebook/types';
import { USER_NOTEBOOK_ID, type UserNotebook } from '$lib/notebook/userNotebook';
import { SCHEMA_VERSION, type History, type SessionRecord } from './schema';
import { cleanTitle, insertSession, newId, setLastSession, TAB_ID } from './store';

/** Stores a new user notebook (its title is the session's title) and makes it the last one opened. */
export async function createUserNotebook(notebook: UserNotebook, state: NotebookState, history?: History): Promise<SessionRecord> {
	const now = Date.now();
	const rec = await insertSession({
		schema: SCHEMA_VERSION,
		id: newId(),
		notebookId: USER_NOTEBOOK_ID,
		title: cleanTitle(notebook.title) || 'Untitled notebook',
		createdAt: now,
		updatedAt: now,
		writer: TAB_ID,
		state: { ...state, notebookId: USER_NOTEBOOK_ID },
		notebook,
		...(history ? { history } : {})
	});
	await setLastSession(USER_NOTEBOOK_ID, rec.id).catch(() => {});
	return rec;
}

/** The address of a stored user notebook, in edit mode or not; a forced ?backend= is kept. */
export function userNotebookHref(id: string, edit = false, backend: string | null = null): string {
	const q = new URLSearchParams({ session: id });
	if (edit) q.set('edit', '1');
	if (backend) q.set('backend', backend);
	return `/notebooks/${USER_NOTEBOOK_ID}?${q}`;
}
