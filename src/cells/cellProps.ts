// The props every cell component receives from the notebook page.
import type { CellRunState } from '$lib/runtime/runtime';
import type { ComputeCell, ImageInput, ParamValue, ParamValues } from '$lib/notebook/types';

export interface CellProps {
	cell: ComputeCell;
	run: CellRunState;
	params: ParamValues;
	image?: ImageInput;
	onParam: (name: string, value: ParamValue) => void;
	onImage?: (image: ImageInput) => void;
}
