// A user notebook from anywhere untrusted (a stored session, an imported file, a link) is
// checked before anything runs it: its shape and bounds (UserNotebookSchema: ids, duplicate ids,
// prose length, cell count), then against the registry: every kind exists, every wire names an
// input the kind declares and reads a cell above it of an accepted kind. The first problem is
// refused with a sentence naming the cell and what is wrong. Unwired inputs are allowed: the
// cell asks to be wired.
import * as v from 'valibot';
import { UserNotebookSchema, describeIssues } from '$lib/sessions/schema';
import { quoteUntrusted } from './params';
import { isUserCompute, type Kinds, type UserNotebook } from './userNotebook';
import { acceptedKindNames, describeKinds } from './wiring';

export type ValidateResult = { ok: true; notebook: UserNotebook } | { ok: false; error: string };

export function validateUserNotebook(raw: unknown, kinds: Kinds): ValidateResult {
	const parsed = v.safeParse(UserNotebookSchema, raw);
	if (!parsed.success) return { ok: false, error: `The notebook is not valid: ${describeIssues(parsed.issues)}.` };
	const nb: UserNotebook = parsed.output;
	const index = new Map(nb.cells.map((c, i) => [c.id, i]));
	for (const [i, c] of nb.cells.entries()) {
		if (!isUserCompute(c)) continue;
		const where = `Cell ${i + 1} (${quoteUntrusted(c.title)})`;
		const def = Object.hasOwn(kinds, c.kind) ? kinds[c.kind] : undefined;
		if (!def) return { ok: false, error: `${where} is of unknown kind ${quoteUntrusted(c.kind)}; this version of srlab does not have it.` };
		for (const [name, up] of Object.entries(c.inputs)) {
			if (!Object.hasOwn(def.inputs, name)) return { ok: false, error: `${where} wires input ${quoteUntrusted(name)}, which a “${c.kind}” cell does not have.` };
			const j = index.get(up);
			if (j === undefined) return { ok: false, error: `${where} reads ${quoteUntrusted(up)} (input “${name}”), which is not in the notebook.` };
			const src = nb.cells[j];
			if (j >= i) return { ok: false, error: `${where} reads ${quoteUntrusted(up)} (input “${name}”), which is not above it.` };
			if (!isUserCompute(src) || !acceptedKindNames(def.inputs[name]).includes(src.kind)) {
				return { ok: false, error: `${where}: input “${name}” takes ${describeKinds(def.inputs[name])}, but ${quoteUntrusted(up)} is ${isUserCompute(src) ? `a ${quoteUntrusted(src.kind)} cell` : 'prose'}.` };
			}
		}
	}
	return { ok: true, notebook: nb };
}
