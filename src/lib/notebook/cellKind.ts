// One typed definition per cell kind: its parameters (with defaults), the kinds of cell its
// inputs come from, whether it takes an image, and its compute. The compute receives a context
// typed from those declarations: parameter values of their spec's type (completed and coerced
// to the spec by the controller), and each input's value typed as its upstream kind's output.
// Notebooks place kinds with placeCell(); src/notebooks/cellKinds.ts collects every kind.

import type { ComputeContext } from '../runtime/runtime';
import type { ComputeCell, ImageInput, ParamSpec } from './types';

export type ParamSpecs = Readonly<Record<string, ParamSpec>>;

/** The value a parameter of this spec holds: a select's option values, else number or boolean. */
export type ParamValueOf<S> = S extends { type: 'select'; options: readonly { value: infer V }[] }
	? V
	: S extends { type: 'boolean' }
		? boolean
		: number;

export type ParamValuesOf<P> = { -readonly [N in keyof P]: ParamValueOf<P[N]> };

/** What an input accepts: one kind, or any of several kinds (the value is their outputs' union). */
export type InputSpec = AnyCellKind | readonly AnyCellKind[];
export type InputSpecs = Readonly<Record<string, InputSpec>>;

type OutputOfSpec<S> = S extends readonly (infer D)[] ? OutputOf<D> : OutputOf<S>;
export type InputValuesOf<I> = { -readonly [N in keyof I]: OutputOfSpec<I[N]> };

export interface CellContext<P = ParamSpecs, I = InputSpecs> extends Omit<ComputeContext, 'params' | 'inputs'> {
	params: ParamValuesOf<P>;
	inputs: InputValuesOf<I>;
	image?: ImageInput;
}

/** R is what compute returns (its output, or a promise of it). */
export interface CellKind<K extends string = string, P extends ParamSpecs = ParamSpecs, I extends InputSpecs = InputSpecs, R = unknown> {
	kind: K;
	/** One line saying what a cell of this kind does (the palette of cells shows it). */
	summary: string;
	params: P;
	inputs: I;
	/** Does a cell of this kind take an image from the person (upload, camera, synthetic)? */
	imageInput: boolean;
	compute(ctx: CellContext<P, I>): R;
}

// `any` here so that every concrete kind is assignable (compute's context is contravariant).
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AnyCellKind = CellKind<string, any, any, any>;
export type OutputOf<D> = D extends CellKind<string, ParamSpecs, InputSpecs, infer R> ? Awaited<R> : never;
export type ParamsOf<D> = D extends CellKind<string, infer P, InputSpecs, unknown> ? P : never;

export function defineCell<const K extends string, const P extends ParamSpecs = {}, const I extends InputSpecs = {}, R = unknown>(def: {
	kind: K;
	summary: string;
	params?: P;
	inputs?: I;
	imageInput?: boolean;
	compute(ctx: CellContext<P, I>): R;
}): CellKind<K, P, I, R> {
	return { kind: def.kind, summary: def.summary, params: def.params ?? ({} as P), inputs: def.inputs ?? ({} as I), imageInput: def.imageInput ?? false, compute: def.compute };
}

/** The kinds an input accepts, as a list. */
export function acceptedKinds(spec: InputSpec): readonly AnyCellKind[] {
	return Array.isArray(spec) ? spec : [spec as AnyCellKind];
}

type Placement<D extends AnyCellKind> = { id: string; title: string } & (keyof D['inputs'] extends never
	? { inputs?: undefined }
	: { inputs: { [N in keyof D['inputs']]: string } });

/**
 * A cell of kind `def` in a notebook: its id (what sessions and links key on), title, and the
 * ids of the cells feeding each declared input (all of them, checked by the compiler).
 */
export function placeCell<D extends AnyCellKind>(def: D, cell: Placement<D>): ComputeCell {
	return { kind: def.kind, id: cell.id, title: cell.title, params: def.params, inputs: cell.inputs, imageInput: def.imageInput || undefined };
}
