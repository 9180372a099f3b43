// JSON has no byte arrays. Typed arrays travel as tagged objects
//   { "$typed": "Uint8Array" | "Float32Array", "base64": "…" }
// (Float32 as little-endian bytes, whatever the machine). Decoding is strict: unknown tags,
// bad base64 or too deep nesting are errors naming the JSON path.
import { base64ToBytes, bytesToBase64 } from '$lib/links/base64';

const MAX_DEPTH = 24;
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

function f32ToBytes(a: Float32Array): Uint8Array {
	const out = new Uint8Array(a.length * 4);
	const dv = new DataView(out.buffer);
	for (let i = 0; i < a.length; i++) dv.setFloat32(i * 4, a[i], true);
	return out;
}

function bytesToF32(b: Uint8Array): Float32Array {
	const out = new Float32Array(b.length / 4);
	const dv = new DataView(b.buffer, b.byteOffset, b.byteLength);
	for (let i = 0; i < out.length; i++) out[i] = dv.getFloat32(i * 4, true);
	return out;
}

/**
 * Session data → JSON-safe value. `lenient` (for exporting damaged records as-is) turns anything
 * unexpected into a descriptive string instead of throwing.
 */
export function toTagged(value: unknown, lenient = false, seen = new Set<object>()): Json {
	if (value === null || typeof value === 'boolean' || typeof value === 'string') return value;
	if (typeof value === 'number') {
		if (Number.isFinite(value)) return value;
		if (lenient) return String(value);
		throw new Error(`cannot export the number ${value}`);
	}
	if (value instanceof Uint8Array) return { $typed: 'Uint8Array', base64: bytesToBase64(value) };
	if (value instanceof Float32Array) return { $typed: 'Float32Array', base64: bytesToBase64(f32ToBytes(value)) };
	if (typeof value === 'object') {
		if (seen.has(value)) {
			if (lenient) return '[cycle]';
			throw new Error('cannot export a cyclic value');
		}
		seen.add(value);
		try {
			if (Array.isArray(value)) return value.map((x) => toTagged(x, lenient, seen));
			if (lenient && ArrayBuffer.isView(value)) {
				return { $typed: value.constructor.name, base64: bytesToBase64(new Uint8Array(value.buffer, value.byteOffset, value.byteLength)) };
			}
			if (lenient && value instanceof Date) return value.toISOString();
			const out: Record<string, Json> = {};
			for (const [k, v] of Object.entries(value)) {
				if (v !== undefined) Object.defineProperty(out, k, { value: toTagged(v, lenient, seen), enumerable: true, writable: true, configurable: true });
			}
			return out;
		} finally {
			seen.delete(value);
		}
	}
	if (value === undefined) return null;
	if (lenient) return `[${typeof value}]`;
	throw new Error(`cannot export a value of type ${typeof value}`);
}

/** JSON value → session data with typed arrays restored. Throws Error naming the path. */
export function fromTagged(value: unknown, path = '', depth = 0): unknown {
	if (depth > MAX_DEPTH) throw new Error(`${path || 'value'}: nested too deeply`);
	if (value === null || typeof value !== 'object') return value;
	if (Array.isArray(value)) return value.map((x, i) => fromTagged(x, `${path}[${i}]`, depth + 1));
	const obj = value as Record<string, unknown>;
	if (Object.hasOwn(obj, '$typed')) {
		const { $typed: tag, base64 } = obj;
		if (typeof base64 !== 'string') throw new Error(`${path}: typed array without base64 data`);
		let bytes: Uint8Array;
		try {
			bytes = base64ToBytes(base64);
		} catch {
			throw new Error(`${path}: damaged base64 data`);
		}
		if (tag === 'Uint8Array') return bytes;
		if (tag === 'Float32Array') {
			if (bytes.length % 4) throw new Error(`${path}: Float32Array data is not a multiple of 4 bytes`);
			return bytesToF32(bytes);
		}
		throw new Error(`${path}: unknown typed array "${String(tag).slice(0, 40)}"`);
	}
	// Object.fromEntries defines own properties, so a "__proto__" key cannot reach the prototype.
	return Object.fromEntries(
		Object.entries(obj).map(([k, v]) => [k, fromTagged(v, path ? `${path}.${k}` : k, depth + 1)])
	);
}
