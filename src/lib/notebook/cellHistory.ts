// A session's history holds every cell's typed arrays under keys `<cellId>-<name>`
// (sessions/schema.ts caps them); a cell reads and replaces only its own keys.

import type { CellHistory } from './cellProps';

/** This cell's keys of a session history (empty object when none). */
export function cellKeys(history: CellHistory | undefined, cellId: string): CellHistory {
	const out: CellHistory = {};
	for (const [k, v] of Object.entries(history ?? {})) if (k.startsWith(cellId + '-')) out[k] = v;
	return out;
}

/** The session history with this cell's keys replaced by `mine`. */
export function mergeCellHistory(history: CellHistory | undefined, cellId: string, mine: CellHistory): CellHistory {
	const out: CellHistory = {};
	for (const [k, v] of Object.entries(history ?? {})) if (!k.startsWith(cellId + '-')) out[k] = v;
	return { ...out, ...mine };
}
