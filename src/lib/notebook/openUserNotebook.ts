// Which user notebook /notebooks/own opens: a shared link (#s=…, structure and state) becomes a
// new stored notebook; else ?session=ID; else the last one opened; else a new empty one. A
// stored notebook is validated against this version's cell kinds before it runs: one that
// cannot be (a kind this version lacks, a bad wire) is refused with the reason.

import { completeState, defaultState } from './state';
import { emptyNotebook, toNotebookDef, USER_NOTEBOOK_ID, type Kinds, type UserNotebook } from './userNotebook';
import { validateUserNotebook } from './validateUserNotebook';
import type { NotebookState } from './types';
import { decodeUserLink } from '../links/userLink';
import { getLastSession, getSession, setLastSession, type SessionRecord } from '../sessions/store';
import { createUserNotebook } from '../sessions/userNotebooks';
import { SCHEMA_VERSION } from '../sessions/schema';
import { LINK_HASH_KEY } from './openSession';

export type OpenedUserNotebook =
	| { ok: true; record: SessionRecord; notebook: UserNotebook; notices: string[]; persisted: boolean }
	| { ok: false; error: string; notices: string[] };

export async function openUserNotebook(url: URL, kinds: Kinds): Promise<OpenedUserNotebook> {
	const notices: string[] = [];
	const linkPayload = new URLSearchParams(url.hash.slice(1)).get(LINK_HASH_KEY);
	if (linkPayload) {
		const decoded = decodeUserLink(linkPayload, kinds);
		if (decoded.ok) {
			notices.push(...decoded.warnings);
			return store(decoded.notebook, decoded.state, notices);
		}
		notices.push(`The link could not be opened: ${decoded.error}`);
	}
	const wanted = url.searchParams.get('session');
	try {
		const id = wanted ?? (await getLastSession(USER_NOTEBOOK_ID));
		const rec = id ? await getSession(id) : undefined;
		if (rec?.notebook) {
			const valid = validateUserNotebook(rec.notebook, kinds);
			if (!valid.ok) return { ok: false, error: `“${rec.title}” cannot be opened by this version of srlab. ${valid.error}`, notices };
			await setLastSession(USER_NOTEBOOK_ID, rec.id).catch(() => {});
			const state = completeState(toNotebookDef(valid.notebook, kinds), rec.state);
			return { ok: true, record: { ...rec, state }, notebook: valid.notebook, notices, persisted: true };
		}
		if (wanted) notices.push(rec ? `Session “${rec.title}” is of a built-in notebook; a new notebook was started.` : 'That notebook no longer exists; a new one was started.');
	} catch (e) {
		notices.push(`${e instanceof Error ? e.message : String(e)} A new notebook was started; the others are untouched.`);
	}
	const nb = emptyNotebook();
	return store(nb, defaultState(toNotebookDef(nb, kinds)), notices);
}

async function store(notebook: UserNotebook, state: NotebookState, notices: string[]): Promise<OpenedUserNotebook> {
	try {
		return { ok: true, record: await createUserNotebook(notebook, state), notebook, notices, persisted: true };
	} catch (e) {
		notices.push(`This browser would not store the notebook (${e instanceof Error ? e.message : String(e)}); your work stays in this tab only until that is fixed.`);
		const now = Date.now();
		const record: SessionRecord = { schema: SCHEMA_VERSION, id: 'unsaved', notebookId: USER_NOTEBOOK_ID, title: notebook.title, createdAt: now, updatedAt: now, writer: 'memory', state, notebook };
		return { ok: true, record, notebook, notices, persisted: false };
	}
}
