// Fitting a parameter value to its spec: a number into its range, a seed into an unsigned 32-bit
// integer, a select to one of its options, a boolean to a boolean; anything else falls back to
// the default, each change with a sentence for `warn`. Links and imported files use it with the
// warnings shown; the notebook controller uses it silently on every value it runs with.
import type { ComputeCell, ParamSpec, ParamValue, ParamValues } from './types';

/** Untrusted text for a warning: quoted, shortened, control characters removed. */
export function quoteUntrusted(s: unknown): string {
	const str = typeof s === 'string' ? s : String(s);
	const clean = str.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
	return JSON.stringify(clean.length > 40 ? clean.slice(0, 40) + '…' : clean);
}

export function typeName(x: unknown): string {
	return x === null ? 'null' : Array.isArray(x) ? 'a list' : typeof x;
}

/** A number forced into an unsigned 32-bit integer (truncate, then wrap like `>>> 0`). */
export function toUint32(x: number): number {
	return Math.trunc(x) >>> 0;
}

export function coerceSeed(val: unknown, fallback: number, label: string, warn: (m: string) => void): number {
	if (typeof val !== 'number' || !Number.isFinite(val)) {
		warn(`${label}: expected a seed number, got ${typeName(val)}; using ${fallback}.`);
		return fallback;
	}
	const s = toUint32(val);
	if (s !== val) warn(`${label}: seed ${val} is not a 32-bit unsigned integer; using ${s}.`);
	return s;
}

export function coerceParam(spec: ParamSpec, val: unknown, label: string, warn: (m: string) => void): ParamValue {
	switch (spec.type) {
		case 'number': {
			if (typeof val !== 'number' || !Number.isFinite(val)) {
				warn(`${label}: expected a number, got ${typeName(val)}; using the default ${spec.default}.`);
				return spec.default;
			}
			const c = Math.min(spec.max, Math.max(spec.min, val));
			if (c !== val) warn(`${label}: ${val} is outside ${spec.min}…${spec.max}; using ${c}.`);
			return c;
		}
		case 'select':
			if (typeof val === 'string' && spec.options.some((o) => o.value === val)) return val;
			warn(`${label}: ${quoteUntrusted(val)} is not one of the choices; using the default.`);
			return spec.default;
		case 'boolean':
			if (typeof val === 'boolean') return val;
			warn(`${label}: expected true/false, got ${typeName(val)}; using the default.`);
			return spec.default;
		case 'seed':
			return coerceSeed(val, spec.default, label, warn);
	}
}

/** Every parameter of `cell` at its default. */
export function defaultParams(cell: ComputeCell): ParamValues {
	return completeParams(cell);
}

/**
 * Every parameter of `cell` from `stored`, fitted to its spec: a missing one (a parameter added
 * later) takes its default, a value of the wrong type or out of range is coerced as a link's
 * would be, and names the cell does not have are dropped.
 */
export function completeParams(cell: ComputeCell, stored: ParamValues = {}): ParamValues {
	const out: ParamValues = {};
	for (const [name, spec] of Object.entries(cell.params ?? {})) {
		out[name] = Object.hasOwn(stored, name) ? coerceParam(spec, stored[name], name, () => {}) : spec.default;
	}
	return out;
}
