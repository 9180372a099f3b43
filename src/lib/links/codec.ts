// Share links: the whole NotebookState in the URL hash.
//   "s1." + base64url(deflate(utf8(JSON)))   — JPEG bytes inside the JSON as base64.
// Anyone can craft a link, so decoding treats it as hostile: bounded length, bounded inflated
// size (no decompression bombs), strict base64/UTF-8/JSON, then reconcileState() fits it to
// the notebook definition. A link carries data only: no string from it is ever interpreted
// as HTML, markdown or code.
import { deflateSync, inflateSync } from 'fflate';
import type { NotebookDef, NotebookState } from '$lib/notebook/types';
import type { UserNotebook } from '$lib/notebook/userNotebook';
import { base64UrlToBytes, bytesToBase64, bytesToBase64Url } from './base64';
import { reconcileState } from './reconcile';

export const LINK_VERSION = 1;
const PREFIX = `s${LINK_VERSION}.`;
/** Longest payload (prefix included) we create or accept. */
export const MAX_LINK_CHARS = 8192;
/** Largest JSON a link may expand to. */
export const MAX_INFLATED_BYTES = 64 * 1024;

export type EncodeResult = { ok: true; hash: string } | { ok: false; error: string; size: number };
export type DecodeResult = { ok: true; state: NotebookState; warnings: string[] } | { ok: false; error: string };

function toJson(state: NotebookState, notebook?: UserNotebook): string {
	const images: Record<string, unknown> = {};
	for (const [id, img] of Object.entries(state.images)) {
		images[id] = img.kind === 'jpeg' ? { ...img, bytes: bytesToBase64(img.bytes) } : img;
	}
	return JSON.stringify({ notebookId: state.notebookId, ...(notebook ? { notebook } : {}), params: state.params, images });
}

/**
 * `hash` has no leading "#"; put it after one: `${url}#${hash}`. A user notebook's link also
 * carries its structure (`notebook`, data only: see userLink.ts).
 */
export function encodeLink(state: NotebookState, notebook?: UserNotebook): EncodeResult {
	const json = new TextEncoder().encode(toJson(state, notebook));
	const tooBig = (size: number): EncodeResult => ({
		ok: false,
		size,
		error: `This state is too big for a link (${size} characters; the limit is ${MAX_LINK_CHARS}), usually because of an uploaded image. Use Export on the Sessions page to share it as a file.`
	});
	if (json.length > MAX_INFLATED_BYTES) return tooBig(PREFIX.length + Math.ceil((json.length * 4) / 3));
	const hash = PREFIX + bytesToBase64Url(deflateSync(json, { level: 9 }));
	return hash.length > MAX_LINK_CHARS ? tooBig(hash.length) : { ok: true, hash };
}

const DAMAGED = 'This link is damaged or incomplete (it may have been cut off when copied).';

/** Inflates at most MAX_INFLATED_BYTES; an error when the data is bigger (a bomb) or invalid. */
function boundedInflate(bytes: Uint8Array): { data: Uint8Array } | { error: string } {
	// With a preallocated `out`, fflate never grows the buffer: writes past its end are dropped
	// and the result is clamped to its length. One spare byte tells "exactly full" from "more".
	// The input itself is ≤ ~6 KB (MAX_LINK_CHARS), so the work is bounded too (deflate ≤ 1032:1).
	const out = new Uint8Array(MAX_INFLATED_BYTES + 1);
	let data: Uint8Array;
	try {
		data = inflateSync(bytes, { out });
	} catch {
		return { error: DAMAGED };
	}
	if (data.length > MAX_INFLATED_BYTES) {
		return { error: `This link expands to more than ${MAX_INFLATED_BYTES / 1024} KB of data and was refused.` };
	}
	return { data };
}

export function decodeLink(payload: string, notebooks: readonly NotebookDef[]): DecodeResult {
	try {
		const p = decodePayload(payload);
		return p.ok ? reconcileState(p.raw, notebooks) : p;
	} catch {
		// Nothing above should throw; this keeps the promise "never throws" even so.
		return { ok: false, error: DAMAGED };
	}
}

/** The link's JSON, still untrusted (bounded, strictly decoded); never throws. */
export function decodePayload(payload: string): { ok: true; raw: unknown } | { ok: false; error: string } {
	try {
		return decode(payload);
	} catch {
		return { ok: false, error: DAMAGED };
	}
}

function decode(payload: string): { ok: true; raw: unknown } | { ok: false; error: string } {
	if (typeof payload !== 'string') return { ok: false, error: 'No link data.' };
	const p = payload.startsWith('#') ? payload.slice(1) : payload;
	if (p.length > MAX_LINK_CHARS) {
		return { ok: false, error: `This link is too long (${p.length} characters; the limit is ${MAX_LINK_CHARS}).` };
	}
	const m = /^s(\d{1,6})\./.exec(p);
	if (!m) return { ok: false, error: 'This is not an srlab notebook link.' };
	const version = Number(m[1]);
	if (version !== LINK_VERSION) {
		return {
			ok: false,
			error:
				version > LINK_VERSION
					? `This link was made by a newer version of srlab (link version ${version}; this version reads ${LINK_VERSION}). Update the app to open it.`
					: `Unknown link version ${version}.`
		};
	}
	let bytes: Uint8Array;
	try {
		bytes = base64UrlToBytes(p.slice(m[0].length));
	} catch {
		return { ok: false, error: DAMAGED };
	}
	if (bytes.length === 0) return { ok: false, error: DAMAGED };
	const inflated = boundedInflate(bytes);
	if ('error' in inflated) return { ok: false, error: inflated.error };
	let raw: unknown;
	try {
		raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(inflated.data));
	} catch {
		return { ok: false, error: DAMAGED };
	}
	return { ok: true, raw };
}
