// The props every cell component receives from the notebook page.
import type { CellRunState } from '$lib/runtime/runtime';
import type { ComputeCell, ImageInput, ParamValue, ParamValues } from '$lib/notebook/types';

/** Typed arrays a cell keeps in its session (keys `<cellId>-<name>`, see sessions/schema.ts caps). */
export type CellHistory = Record<string, Uint8Array | Float32Array>;

export interface CellProps {
	cell: ComputeCell;
	run: CellRunState;
	params: ParamValues;
	image?: ImageInput;
	onParam: (name: string, value: ParamValue) => void;
	onImage?: (image: ImageInput) => void;
	/** The session's stored history (all cells' keys), as opened or last saved. */
	history?: CellHistory;
	/** Replace this cell's keys of the session history (autosaved like everything else). */
	onHistory?: (mine: CellHistory) => void;
}
