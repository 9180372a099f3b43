// The "training filmstrip" cell: snapshots that train/progan/filmstrip.py took while the
// shipped weights were trained — the same 16 fixed latents rendered by the EMA generator every
// N images, one sprite row per snapshot (lower levels nearest-upsampled to 64 px), and a JSON
// line per row with its step, level, α, losses and images seen, both next to the weights.
// Parsing and validation are plain functions (unit-tested in Node); decoding the PNG needs the
// browser. View: Filmstrip.svelte (with LossChart.svelte).

import { defineCell } from '$lib/notebook/cellKind';
import { AbortedError } from '$lib/runtime/gpuQueue';
import { PROGAN_LEVELS } from '$models/progan';
import { modelDir } from '$models/catalog';

export interface FilmstripEntry {
	step: number;
	/** Resolution being trained, px. */
	level: number;
	alpha: number;
	gLoss: number | null;
	dLoss: number | null;
	imagesSeen: number;
	row: number;
}

export interface FilmstripResult {
	entries: FilmstripEntry[];
	sprite: ImageBitmap;
	facePx: number;
	faces: number;
}

export class FilmstripError extends Error {
	constructor(message: string) {
		super(`filmstrip: ${message}`);
		this.name = 'FilmstripError';
	}
}

const isInt = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;
const lossOf = (v: unknown, where: string, name: string): number | null => {
	if (v === null || v === undefined) return null; // the first snapshot precedes any step
	if (typeof v !== 'number' || !Number.isFinite(v)) throw new FilmstripError(`${where}: ${name} must be a finite number or null`);
	return v;
};

/** filmstrip.json → entries; throws FilmstripError saying what is wrong where. */
export function parseFilmstrip(raw: unknown): FilmstripEntry[] {
	if (!Array.isArray(raw)) throw new FilmstripError('filmstrip.json must be an array of snapshots');
	if (raw.length === 0) throw new FilmstripError('filmstrip.json has no snapshots');
	return raw.map((e: unknown, i: number): FilmstripEntry => {
		const where = `snapshot ${i}`;
		if (!e || typeof e !== 'object' || Array.isArray(e)) throw new FilmstripError(`${where} is not an object`);
		const o = e as Record<string, unknown>;
		if (!isInt(o.step)) throw new FilmstripError(`${where}: step must be a non-negative integer`);
		if (!isInt(o.images_seen)) throw new FilmstripError(`${where}: images_seen must be a non-negative integer`);
		if (!(PROGAN_LEVELS as readonly number[]).includes(o.level as number))
			throw new FilmstripError(`${where}: level must be one of ${PROGAN_LEVELS.join(', ')} (got ${JSON.stringify(o.level)})`);
		if (typeof o.alpha !== 'number' || !(o.alpha >= 0 && o.alpha <= 1)) throw new FilmstripError(`${where}: alpha must be in [0, 1]`);
		if (o.row !== i) throw new FilmstripError(`${where}: row must be ${i} (rows are in order), got ${JSON.stringify(o.row)}`);
		const prev = raw[i - 1] as Record<string, unknown> | undefined;
		if (prev && (o.images_seen as number) < (prev.images_seen as number))
			throw new FilmstripError(`${where}: images_seen goes backwards`);
		return {
			step: o.step,
			level: o.level as number,
			alpha: o.alpha,
			gLoss: lossOf(o.g_loss, where, 'g_loss'),
			dLoss: lossOf(o.d_loss, where, 'd_loss'),
			imagesSeen: o.images_seen,
			row: i
		};
	});
}

/** Face size and count per row from the sprite's size; throws if it does not fit the JSON. */
export function spriteLayout(width: number, height: number, rows: number): { facePx: number; faces: number } {
	if (!(rows > 0) || height % rows !== 0)
		throw new FilmstripError(`filmstrip.png is ${height} px tall, not a multiple of its ${rows} snapshots`);
	const facePx = height / rows;
	if (facePx < 1 || width % facePx !== 0 || width === 0)
		throw new FilmstripError(`filmstrip.png is ${width} px wide, not a whole number of ${facePx} px faces`);
	return { facePx, faces: width / facePx };
}

async function get(url: string, signal: AbortSignal): Promise<Response> {
	let res: Response;
	try {
		res = await fetch(url, { signal });
	} catch (e) {
		if ((e as Error).name === 'AbortError') throw new AbortedError();
		throw new FilmstripError(`could not fetch ${url}: ${(e as Error).message}`);
	}
	if (!res.ok) throw new FilmstripError(`fetching ${url} failed: HTTP ${res.status}`);
	return res;
}

let cached: { key: string; value: FilmstripResult } | undefined;

/** filmstrip.json + filmstrip.png from `dir`, validated against each other; kept once loaded. */
async function loadFilmstrip(ctx: { signal: AbortSignal; progress(fraction: number): void }, dir: string): Promise<FilmstripResult> {
	if (cached?.key === dir) return cached.value;
	let json: unknown;
	try {
		json = await (await get(dir + 'filmstrip.json', ctx.signal)).json();
	} catch (e) {
		if (e instanceof FilmstripError || e instanceof AbortedError) throw e;
		throw new FilmstripError(`filmstrip.json is not valid JSON (${(e as Error).message})`);
	}
	const entries = parseFilmstrip(json);
	ctx.progress(0.3);
	const blob = await (await get(dir + 'filmstrip.png', ctx.signal)).blob();
	let sprite: ImageBitmap;
	try {
		sprite = await createImageBitmap(blob);
	} catch (e) {
		throw new FilmstripError(`filmstrip.png could not be decoded (${(e as Error).message})`);
	}
	let layout;
	try {
		layout = spriteLayout(sprite.width, sprite.height, entries.length);
	} catch (e) {
		sprite.close();
		throw e;
	}
	const { facePx, faces } = layout;
	const value = { entries, sprite, facePx, faces };
	cached = { key: dir, value };
	if (ctx.signal.aborted) throw new AbortedError();
	return value;
}

export const proganFilmstrip = defineCell({
	kind: 'progan-filmstrip',
	summary: 'The generator\'s training filmstrip with its G/D loss curves, scrubbable.',
	compute: (ctx) => loadFilmstrip(ctx, modelDir('progan'))
});
