// Turns untrusted JSON (from a share link, or an imported session file) into a NotebookState that fits a notebook's
// definition: unknown cells/params are dropped, values are clamped or reset to defaults, each
// with a warning the person can read. Only keys that exist in the (trusted) definition are
// ever written, so hostile keys such as "__proto__" go nowhere.
// The values are data only: nothing here or downstream treats a string as HTML or code.
import type { ComputeCell, ImageInput, NotebookDef, NotebookState, ParamValues } from '$lib/notebook/types';
import { coerceParam, coerceSeed, quoteUntrusted, typeName } from '$lib/notebook/params';
import { isComputeCell } from '$lib/notebook/types';
import { MAX_IMAGE_DIM, MAX_JPEG_BYTES, MAX_TITLE_CHARS as MAX_NAME_CHARS } from '$lib/sessions/schema';
import { jpegFrameSize } from '$lib/faces/imageHeader';
import { base64ToBytes } from './base64';

const MAX_WARNINGS = 20;

export type ReconcileResult = { ok: true; state: NotebookState; warnings: string[] } | { ok: false; error: string };

export { quoteUntrusted, toUint32 } from '$lib/notebook/params';

function isPlainObject(x: unknown): x is Record<string, unknown> {
	return typeof x === 'object' && x !== null && !Array.isArray(x);
}

function coerceImage(raw: unknown, label: string, warn: (m: string) => void): ImageInput | undefined {
	if (!isPlainObject(raw)) return void warn(`${label}: ignored an image that is ${typeName(raw)}.`);
	if (raw.kind === 'synthetic') return { kind: 'synthetic', seed: coerceSeed(raw.seed, 1, label, warn) };
	if (raw.kind !== 'jpeg') return void warn(`${label}: ignored an image of unknown kind ${quoteUntrusted(raw.kind)}.`);
	const { width, height, bytes } = raw;
	const dimOk = (d: unknown) => typeof d === 'number' && Number.isInteger(d) && d >= 1 && d <= MAX_IMAGE_DIM;
	if (!dimOk(width) || !dimOk(height)) return void warn(`${label}: ignored an image with invalid size.`);
	let data: Uint8Array;
	try {
		// base64 in a link; a Uint8Array in an imported session file
		data = bytes instanceof Uint8Array ? bytes : base64ToBytes(typeof bytes === 'string' ? bytes : '!');
	} catch {
		return void warn(`${label}: ignored an image whose data is damaged.`);
	}
	// The frame header, read before anything decodes the image: a small file can hold a huge
	// image (66 KB for 4096×4096), which would block the page and fill memory.
	const size = data.length <= MAX_JPEG_BYTES ? jpegFrameSize(data) : null;
	if (!size) return void warn(`${label}: ignored an image that is not a valid JPEG.`);
	if (size.width !== width || size.height !== height) {
		return void warn(`${label}: ignored a JPEG that is really ${size.width}×${size.height} pixels, not the ${width}×${height} it claims.`);
	}
	let name = typeof raw.name === 'string' ? raw.name : 'image.jpg';
	if (typeof raw.name !== 'string') warn(`${label}: image name missing; using "image.jpg".`);
	if (name.length > MAX_NAME_CHARS) name = name.slice(0, MAX_NAME_CHARS);
	return { kind: 'jpeg', name, width: width as number, height: height as number, bytes: data };
}

function reconcileCellParams(cell: ComputeCell, raw: unknown, warn: (m: string) => void): ParamValues | undefined {
	if (!isPlainObject(raw)) return void warn(`${cell.title}: ignored settings that are ${typeName(raw)}.`);
	const specs = cell.params ?? {};
	const out: ParamValues = {};
	for (const [name, val] of Object.entries(raw)) {
		if (!Object.hasOwn(specs, name)) {
			warn(`${cell.title}: ignored unknown setting ${quoteUntrusted(name)}.`);
			continue;
		}
		const spec = specs[name];
		out[name] = coerceParam(spec, val, `${cell.title} › ${spec.label}`, warn);
	}
	return out;
}

/**
 * Fits untrusted `raw` to the notebook it names. Keeps exactly the cells/params present in
 * `raw` (missing ones fall back to defaults later, as for any NotebookState), so a valid
 * state comes back unchanged.
 */
export function reconcileState(raw: unknown, notebooks: readonly NotebookDef[]): ReconcileResult {
	if (!isPlainObject(raw)) return { ok: false, error: 'The link does not describe a notebook.' };
	const nb = notebooks.find((n) => n.id === raw.notebookId);
	if (!nb) {
		return typeof raw.notebookId === 'string'
			? { ok: false, error: `The link is for a notebook this version does not have: ${quoteUntrusted(raw.notebookId)}.` }
			: { ok: false, error: 'The link does not name a notebook.' };
	}
	const all: string[] = [];
	const warn = (m: string) => void all.push(m);
	const cells = new Map<string, ComputeCell>();
	for (const c of nb.cells) if (isComputeCell(c)) cells.set(c.id, c);

	const state: NotebookState = { notebookId: nb.id, params: {}, images: {} };
	const section = (x: unknown, what: string): Record<string, unknown> => {
		if (x === undefined) return {};
		if (isPlainObject(x)) return x;
		warn(`Ignored ${what} that are ${typeName(x)}.`);
		return {};
	};
	for (const [cellId, vals] of Object.entries(section(raw.params, 'settings'))) {
		const cell = cells.get(cellId);
		if (!cell) {
			warn(`Ignored settings for unknown cell ${quoteUntrusted(cellId)}.`);
			continue;
		}
		const p = reconcileCellParams(cell, vals, warn);
		if (p) state.params[cell.id] = p;
	}
	for (const [cellId, img] of Object.entries(section(raw.images, 'images'))) {
		const cell = cells.get(cellId);
		if (!cell?.imageInput) {
			warn(`Ignored an image for ${cell ? 'cell' : 'unknown cell'} ${quoteUntrusted(cellId)}${cell ? ', which takes none' : ''}.`);
			continue;
		}
		const im = coerceImage(img, cell.title, warn);
		if (im) state.images[cell.id] = im;
	}
	const warnings = all.length > MAX_WARNINGS ? [...all.slice(0, MAX_WARNINGS), `(${all.length - MAX_WARNINGS} more problems)`] : all;
	return { ok: true, state, warnings };
}
