// Which session a notebook page opens: a shared link (#s=…) becomes a new session; else
// ?session=ID; else the last session of this notebook; else a fresh one with defaults.
// Whatever goes wrong, the person gets a working notebook and a sentence saying what happened.

import type { NotebookDef } from './types';
import { completeState, defaultState } from './state';
import { decodeLink } from '../links/codec';
import { createSession, getLastSession, getSession, setLastSession, type SessionRecord } from '../sessions/store';

export interface OpenedSession {
	record: SessionRecord;
	/** Things the person should know (link values clamped, a session that could not open…). */
	notices: string[];
	/** Was the session stored? false when IndexedDB refused: the notebook still works in memory. */
	persisted: boolean;
}

export const LINK_HASH_KEY = 's';

export async function openSession(nb: NotebookDef, notebooks: NotebookDef[], url: URL): Promise<OpenedSession> {
	const notices: string[] = [];
	const linkPayload = new URLSearchParams(url.hash.slice(1)).get(LINK_HASH_KEY);
	if (linkPayload) {
		const decoded = decodeLink(linkPayload, notebooks);
		if (decoded.ok && decoded.state.notebookId === nb.id) {
			notices.push(...decoded.warnings);
			return fresh(nb, completeState(nb, decoded.state), 'From a shared link', notices);
		}
		notices.push(decoded.ok ? `The link is for another notebook (“${decoded.state.notebookId}”); showing this notebook’s last session instead.` : `The link could not be opened: ${decoded.error}`);
	}
	const wanted = url.searchParams.get('session');
	try {
		const id = wanted ?? (await getLastSession(nb.id));
		if (id) {
			const rec = await getSession(id);
			if (rec && rec.notebookId === nb.id) {
				await setLastSession(nb.id, rec.id).catch(() => {});
				return { record: { ...rec, state: completeState(nb, rec.state) }, notices, persisted: true };
			}
			if (wanted) notices.push(rec ? `Session “${rec.title}” belongs to another notebook.` : 'That session no longer exists; a new one was started.');
		}
	} catch (e) {
		notices.push(`${e instanceof Error ? e.message : String(e)} A new session was started; the others are untouched.`);
	}
	return fresh(nb, defaultState(nb), undefined, notices);
}

async function fresh(nb: NotebookDef, state: ReturnType<typeof defaultState>, title: string | undefined, notices: string[]): Promise<OpenedSession> {
	try {
		const record = await createSession(nb.id, state, title);
		await setLastSession(nb.id, record.id).catch(() => {});
		return { record, notices, persisted: true };
	} catch (e) {
		notices.push(`This browser would not store a session (${e instanceof Error ? e.message : String(e)}); your work stays in this tab only until that is fixed.`);
		const now = Date.now();
		const record = { schema: 1, id: 'unsaved', notebookId: nb.id, title: title ?? 'Unsaved session', createdAt: now, updatedAt: now, writer: 'memory', state } as SessionRecord;
		return { record, notices, persisted: false };
	}
}
