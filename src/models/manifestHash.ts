// The manifest hash (issue 19 #2): model.json's "integrity" checks each shard's bytes, but
// nothing there says which tensor name reads which bytes, so renaming, reordering or swapping
// entries of weightsManifest loads without a murmur and draws other faces. A card's
// weights_manifest_sha256 is the sha256 of the canonical text below, written by
// train/common/export.py (manifest_text there writes the same text; test/unit/
// reliability.weights.test.ts and train/tests/test_manifest_hash.py hash the same manifests),
// and checked by loadWeightsFrom (weights.ts) before any shard is read.
//
// Canonical text, UTF-8, one line per item, each ending in '\n'; no JSON formatting involved:
//   srlab-weights-manifest 1
//   group                                     per weightsManifest group, in order
//   shard <bytes> <sha256> <path>             per path of the group, in order (integrity record,
//                                             sha256 in lower case)
//   weight <dtype> <shape> <quant> <name>     per weight of the group, in order
// shape: the dims in decimal joined by 'x' ("3x3x128x128"), '-' for a scalar; quant: '-' without
// quantization, else its dtype, then ",scale=<hex>" and ",min=<hex>" when present, <hex> being
// the 16 hex digits of the number's IEEE-754 float64 bits, big-endian (-0 as 0). Names and paths
// come last on their line, so they may hold spaces; they must not be empty or hold control
// characters or lone surrogates. Anything else malformed is an error, never a guess.

import { sha256Hex } from './sha256';
import type { ModelJson } from './weights';

export const MANIFEST_TEXT_HEADER = 'srlab-weights-manifest 1';

const TOKEN = /^[A-Za-z0-9_]+$/;
const SHA256 = /^[0-9a-fA-F]{64}$/;
const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

function fail(what: string, value: unknown): never {
	throw new Error(`weightsManifest: ${what} ${JSON.stringify(value) ?? String(value)} cannot be hashed`);
}

function text(v: unknown, what: string): string {
	if (typeof v !== 'string' || v === '' || /[\x00-\x1f\x7f]/.test(v) || LONE_SURROGATE.test(v)) fail(what, v);
	return v;
}

function token(v: unknown, what: string): string {
	if (typeof v !== 'string' || !TOKEN.test(v)) fail(what, v);
	return v;
}

function count(v: unknown, what: string): string {
	if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < 0) fail(what, v);
	return String(v);
}

function float64Hex(v: unknown, what: string): string {
	if (typeof v !== 'number' || !Number.isFinite(v)) fail(what, v);
	const view = new DataView(new ArrayBuffer(8));
	view.setFloat64(0, v === 0 ? 0 : v);
	return Array.from(new Uint8Array(view.buffer), (b) => b.toString(16).padStart(2, '0')).join('');
}

function quant(q: unknown, name: string): string {
	if (q === undefined || q === null) return '-';
	if (typeof q !== 'object') fail(`quantization of ${name}`, q);
	const { dtype, scale, min } = q as { dtype?: unknown; scale?: unknown; min?: unknown };
	let out = token(dtype, `quantization dtype of ${name}`);
	if (scale !== undefined) out += `,scale=${float64Hex(scale, `quantization scale of ${name}`)}`;
	if (min !== undefined) out += `,min=${float64Hex(min, `quantization min of ${name}`)}`;
	return out;
}

/** The canonical text of model.json's weightsManifest and its shards' integrity records. */
export function manifestText(modelJson: Pick<ModelJson, 'weightsManifest' | 'integrity'>): string {
	const lines = [MANIFEST_TEXT_HEADER];
	if (!Array.isArray(modelJson.weightsManifest)) fail('weightsManifest', modelJson.weightsManifest);
	for (const group of modelJson.weightsManifest as unknown[]) {
		const g = group as { paths?: unknown; weights?: unknown };
		if (!g || !Array.isArray(g.paths) || !Array.isArray(g.weights)) fail('group', group);
		lines.push('group');
		for (const p of g.paths as unknown[]) {
			const path = text(p, 'shard path');
			const rec = modelJson.integrity?.[path] as { bytes?: unknown; sha256?: unknown } | undefined;
			if (!rec || typeof rec.sha256 !== 'string' || !SHA256.test(rec.sha256)) fail(`integrity record of ${path}`, rec);
			lines.push(`shard ${count(rec.bytes, `byte count of ${path}`)} ${rec.sha256.toLowerCase()} ${path}`);
		}
		for (const w of g.weights as unknown[]) {
			const spec = w as { name?: unknown; dtype?: unknown; shape?: unknown; quantization?: unknown };
			if (!spec || typeof spec !== 'object') fail('weight', w);
			const name = text(spec.name, 'tensor name');
			if (!Array.isArray(spec.shape)) fail(`shape of ${name}`, spec.shape);
			const shape = (spec.shape as unknown[]).map((d) => count(d, `shape of ${name}`)).join('x') || '-';
			lines.push(`weight ${token(spec.dtype, `dtype of ${name}`)} ${shape} ${quant(spec.quantization, name)} ${name}`);
		}
	}
	return lines.map((l) => l + '\n').join('');
}

/** sha256 (lower-case hex) of manifestText: a card's weights_manifest_sha256. */
export async function manifestSha256(modelJson: Pick<ModelJson, 'weightsManifest' | 'integrity'>): Promise<string> {
	const bytes = new TextEncoder().encode(manifestText(modelJson));
	return sha256Hex(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
}
