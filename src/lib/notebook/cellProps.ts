// The props every cell view receives from the notebook page, typed by its kind's definition:
// `value` is the kind's compute output (undefined until the first run finishes) and `params`
// hold values of the kind's parameter types.
import type { CellRunState } from '$lib/runtime/runtime';
import type { ComputeCell, ImageInput, ParamValue, ParamValues } from './types';
import type { AnyCellKind, OutputOf, ParamValuesOf, ParamsOf } from './cellKind';

/** Typed arrays a cell keeps in its session (keys `<cellId>-<name>`, see sessions/schema.ts caps). */
export type CellHistory = Record<string, Uint8Array | Float32Array>;

export interface CellProps<D extends AnyCellKind = AnyCellKind> {
	cell: ComputeCell;
	run: CellRunState;
	/** The last completed run's output (kept while a re-run is pending or running). */
	value: OutputOf<D> | undefined;
	params: ParamValuesOf<ParamsOf<D>> & ParamValues;
	image?: ImageInput;
	onParam: (name: string, value: ParamValue) => void;
	onImage?: (image: ImageInput) => void;
	/** The session's stored history (all cells' keys), as opened or last saved. */
	history?: CellHistory;
	/** Replace this cell's keys of the session history (autosaved like everything else). */
	onHistory?: (mine: CellHistory) => void;
}
