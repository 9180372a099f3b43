// Strict base64 / base64url for byte arrays. atob alone is lenient (skips whitespace, accepts
// odd padding), so the alphabet and length are checked first: a damaged link or file must fail
// loudly rather than decode to different bytes.

const STD_RE = /^[A-Za-z0-9+/]*={0,2}$/;
const URL_RE = /^[A-Za-z0-9_-]*$/;
const CHUNK = 0x8000; // String.fromCharCode(...) argument-count limit stays far away

export function bytesToBase64(bytes: Uint8Array): string {
	let bin = '';
	for (let i = 0; i < bytes.length; i += CHUNK) {
		bin += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
	}
	return btoa(bin);
}

/** Throws Error('invalid base64') on anything that is not canonical padded base64. */
export function base64ToBytes(s: string): Uint8Array {
	if (s.length % 4 !== 0 || !STD_RE.test(s)) throw new Error('invalid base64');
	const bin = atob(s);
	const out = new Uint8Array(bin.length);
	for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
	return out;
}

export function bytesToBase64Url(bytes: Uint8Array): string {
	return bytesToBase64(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

/** Unpadded base64url. Throws Error('invalid base64url') on bad characters or length. */
export function base64UrlToBytes(s: string): Uint8Array {
	if (!URL_RE.test(s) || s.length % 4 === 1) throw new Error('invalid base64url');
	const std = s.replace(/-/g, '+').replace(/_/g, '/');
	return base64ToBytes(std + '='.repeat((4 - (std.length % 4)) % 4));
}
