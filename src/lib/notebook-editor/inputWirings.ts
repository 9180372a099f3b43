// What the wiring controls of one cell show: each declared input of its kind, what it accepts,
// what it is wired to, and the compatible cells (wiring.ts decides which).
import { isUserCompute, type Kinds, type UserNotebook } from '$lib/notebook/userNotebook';
import { describeKinds, wireOptions, type WireOption } from '$lib/notebook/wiring';

export interface InputWiring {
	name: string;
	/** What the input accepts, for people: a “face-input” cell. */
	accepts: string;
	wired: string | undefined;
	options: WireOption[];
}

export function inputWirings(nb: UserNotebook, cellId: string, kinds: Kinds): InputWiring[] {
	const cell = nb.cells.find((c) => c.id === cellId);
	if (!cell || !isUserCompute(cell)) return [];
	const def = kinds[cell.kind];
	if (!def) return [];
	return Object.keys(def.inputs).map((name) => ({
		name,
		accepts: describeKinds(def.inputs[name]),
		wired: cell.inputs[name],
		options: wireOptions(nb, cellId, name, kinds)
	}));
}
