// A notebook is data: an ordered list of prose and interactive cells. Interactive cells name
// a cell kind (defined with defineCell, collected in src/notebooks/cellKinds.ts), carry its
// parameters and map its inputs to other cells' ids (placeCell). The runtime turns this into
// a data-flow graph.

/** A parameter a person can change. Every spec has a default so a notebook opens complete. */
export type ParamSpec =
	| { type: 'number'; label: string; min: number; max: number; step: number; default: number; unit?: string; help?: string }
	| { type: 'select'; label: string; options: readonly { value: string; label: string }[]; default: string; help?: string }
	| { type: 'boolean'; label: string; default: boolean; help?: string }
	/** A seed for the project's RNG: an unsigned 32-bit integer. */
	| { type: 'seed'; label: string; default: number; help?: string };

export type ParamValue = number | string | boolean;
export type ParamValues = Record<string, ParamValue>;

/**
 * An image a person supplied. Only the small canonical form is stored (sessions, links):
 * a JPEG the app encoded itself with a pure-JS codec, so every browser decodes it to the same
 * pixels; or the built-in synthetic face, which needs no bytes at all.
 */
export type ImageInput =
	| { kind: 'synthetic'; seed: number }
	| { kind: 'jpeg'; name: string; width: number; height: number; bytes: Uint8Array };

export interface ProseCell {
	kind: 'prose';
	id: string;
	/** Markdown with $inline$ and $$display$$ KaTeX math. Sanitised before display. */
	markdown: string;
}

export interface ComputeCell {
	/** Registered cell kind, e.g. 'face-input', 'degradation-gallery'. */
	kind: string;
	id: string;
	title: string;
	/** The kind's parameters (placeCell copies them from its definition). */
	params?: Readonly<Record<string, ParamSpec>>;
	/** Ids of upstream cells whose outputs this cell reads, by local name. */
	inputs?: Record<string, string>;
	/** Does this cell accept an image from the person (upload, camera, synthetic)? */
	imageInput?: boolean;
}

export type CellDef = ProseCell | ComputeCell;

export interface PaperRef {
	authors: string;
	year: number;
	title: string;
	/** File name in ../shared/papers, for the developers. */
	file?: string;
}

export interface NotebookDef {
	id: string;
	title: string;
	papers: PaperRef[];
	/** The idea in one sentence (index card). */
	idea: string;
	/** What a person can do there (index card). */
	youCan: string;
	cells: CellDef[];
}

/** Everything about a notebook that a person changed: what sessions and links store. */
export interface NotebookState {
	notebookId: string;
	/** cellId → param name → value. Missing values fall back to the spec's default. */
	params: Record<string, ParamValues>;
	/** cellId → image input. */
	images: Record<string, ImageInput>;
}

export function isComputeCell(c: CellDef): c is ComputeCell {
	// ComputeCell.kind is any string, so narrowing on 'prose' needs this guard.
	return c.kind !== 'prose';
}
