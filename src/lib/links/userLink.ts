// A user notebook from untrusted JSON (a share link, an imported session): its structure is
// validated against the registry (validateUserNotebook: unknown kinds, bad wires, duplicate ids,
// over-long prose are refused), turned into a definition whose parameters come from the kinds
// themselves, and the state is fitted to that definition exactly as a built-in notebook's link
// is (reconcileState: values clamped with warnings). Nothing in it is code.
import type { NotebookState } from '$lib/notebook/types';
import { USER_NOTEBOOK_ID, toNotebookDef, type Kinds, type UserNotebook } from '$lib/notebook/userNotebook';
import { validateUserNotebook } from '$lib/notebook/validateUserNotebook';
import { decodePayload } from './codec';
import { reconcileState } from './reconcile';

export type UserNotebookResult = { ok: true; notebook: UserNotebook; state: NotebookState; warnings: string[] } | { ok: false; error: string };

/** `raw`: { notebookId: USER_NOTEBOOK_ID, notebook, params, images }. */
export function readUserNotebook(raw: unknown, kinds: Kinds): UserNotebookResult {
	if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return { ok: false, error: 'The link does not describe a notebook.' };
	const r = raw as Record<string, unknown>;
	if (r.notebookId !== USER_NOTEBOOK_ID) return { ok: false, error: 'This is a link to a built-in notebook, not to a notebook someone built.' };
	if (r.notebook === undefined) return { ok: false, error: 'The link does not carry its notebook.' };
	const valid = validateUserNotebook(r.notebook, kinds);
	if (!valid.ok) return valid;
	const fit = reconcileState(raw, [toNotebookDef(valid.notebook, kinds)]);
	return fit.ok ? { ok: true, notebook: valid.notebook, state: fit.state, warnings: fit.warnings } : fit;
}

/** A `#s=` payload of a user notebook; never throws. */
export function decodeUserLink(payload: string, kinds: Kinds): UserNotebookResult {
	const p = decodePayload(payload);
	if (!p.ok) return p;
	try {
		return readUserNotebook(p.raw, kinds);
	} catch {
		return { ok: false, error: 'This link is damaged or incomplete (it may have been cut off when copied).' };
	}
}
