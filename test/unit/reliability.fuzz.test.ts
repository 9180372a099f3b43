// Issue 8 fuzz: 10,000+ seeded random and mutated inputs each for the share-link decoder and
// for session import. The contract under test: neither ever throws (a rejection is the
// documented { ok: false, error } result), whatever is accepted is schema-valid, and an import,
// accepted or not, never damages or replaces what is already stored (fake-indexeddb).
import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { deflateSync, inflateSync, strToU8 } from 'fflate';
import { beforeAll, describe, expect, it } from 'vitest';
import type { NotebookState } from '$lib/notebook/types';
import { FUZZ_NB as NB } from './fuzzNotebook';
import { decodeLink, encodeLink } from '$lib/links/codec';
import { base64UrlToBytes, bytesToBase64Url } from '$lib/links/base64';
import { parseNotebookState, parseSessionRecord } from '$lib/sessions/schema';
import { _resetStoresForTests, createSession, getSession, listSessions } from '$lib/sessions/store';
import { exportSessions, importSessions, parseImport } from '$lib/sessions/exportImport';
import { createRng } from '$lib/image/rng';
import { jpegHeader } from './jpegBytes';

const N = 10_000;

/** A seeded mutator over strings, bytes and JSON trees; every choice comes from one RNG. */
function fuzzer(seed: number) {
	const r = createRng(seed);
	const int = (n: number) => Math.floor(r.uniform() * n);
	const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
	const UNICODE = ['\u0000', '\u202e', '\ud800', '\udfff', '😀', 'é', '\u2028', '\ufeff', 'ß', '\u0085'];
	const junkValues: unknown[] = [
		1e309 /* JSON.stringify writes null */, 2 ** 53 + 1, -1, -0, 1e-320, Number.MAX_VALUE, 4294967296, 0.5,
		'', '<img src=x onerror=alert(1)>', '<script>alert(1)</script>', 'javascript:alert(1)', '__proto__', 'x'.repeat(5000),
		true, false, null, [], {}, { $typed: 'Uint8Array', base64: '***' }, { $typed: 'Float32Array', base64: 'AAA=' },
		{ $typed: 'BigInt64Array', base64: 'AAAAAAAAAAA=' }, { kind: 'jpeg', width: 1e9, height: -1, bytes: 'AA==' }
	];
	const nested = (d: number): unknown => (d === 0 ? pick(junkValues) : int(2) ? [nested(d - 1)] : { a: nested(d - 1) });
	const junkValue = (): unknown => (int(6) === 0 ? nested(1 + int(40)) : int(8) === 0 ? pick(UNICODE).repeat(1 + int(50)) : pick(junkValues));

	function mutateText(s: string): string {
		let out = s;
		for (let k = 1 + int(3); k > 0; k--) {
			const i = int(out.length + 1);
			switch (int(7)) {
				case 0: { // flip one bit of one character
					const c = out.charCodeAt(i) || 32;
					out = out.slice(0, i) + String.fromCharCode(c ^ (1 << int(7))) + out.slice(i + 1);
					break;
				}
				case 1: out = out.slice(0, i); break; // truncate
				case 2: out = out.slice(0, i) + out.slice(i + 1 + int(20)); break; // delete a run
				case 3: out = out.slice(0, i) + pick(UNICODE) + out.slice(i); break;
				case 4: { // splice in a copy of another part of itself
					const a = int(out.length), b = a + int(200);
					out = out.slice(0, i) + out.slice(a, b) + out.slice(i);
					break;
				}
				case 5: out = out.replace(/-?\d+(\.\d+)?/, pick(['1e400', '-1', '99999999999999999999', '1.5', '0x10', 'NaN'])); break;
				default: out = out.slice(0, i) + pick(['{', '}', '[', ']', '"', ',', ':', '\\', 'null']) + out.slice(i);
			}
		}
		return out;
	}

	function mutateBytes(b: Uint8Array): Uint8Array {
		const out = Uint8Array.from(b);
		for (let k = 1 + int(3); k > 0; k--) out[int(out.length)] ^= 1 << int(8);
		return int(4) === 0 ? out.subarray(0, int(out.length)) : out;
	}

	/** Replace, delete or add one node anywhere in a JSON tree (in place on a clone). */
	function mutateTree(root: unknown): unknown {
		const doc = structuredClone(root);
		const paths: { parent: Record<string, unknown> | unknown[]; key: string | number }[] = [];
		const walk = (x: unknown) => {
			if (x === null || typeof x !== 'object') return;
			for (const k of Object.keys(x)) {
				const key = Array.isArray(x) ? Number(k) : k;
				paths.push({ parent: x as Record<string, unknown>, key });
				walk((x as Record<string, unknown>)[k]);
			}
		};
		walk(doc);
		for (let k = 1 + int(3); k > 0 && paths.length; k--) {
			const { parent, key } = pick(paths);
			const op = int(4);
			const p = parent as Record<string | number, unknown>;
			if (op === 0) delete p[key];
			else if (op === 1) Object.defineProperty(p, pick(['__proto__', 'constructor', 'extra', '']), { value: junkValue(), enumerable: true, configurable: true, writable: true });
			else if (op === 2 && typeof p[key] === 'number') p[key] = pick([1e308, -1e308, 2 ** 32, -1, 0.1, 1e-9]);
			else p[key] = junkValue();
		}
		return doc;
	}

	return { int, pick, mutateText, mutateBytes, mutateTree, junkValue };
}

describe('share-link decoder fuzz', () => {
	it(`${N.toLocaleString('en')} seeded inputs: never throws; accepted states are schema-valid`, () => {
		const f = fuzzer(0x5eed1);
		const valid: NotebookState[] = [
			{ notebookId: 'nb1', params: { deg: { sigma: 2, mode: 'b', noise: true, seed: 7 } }, images: { input: { kind: 'synthetic', seed: 3 } } },
			{ notebookId: 'nb1', params: { deg: { sigma: 0.5 } }, images: { input: { kind: 'jpeg', name: 'a.jpg', width: 8, height: 8, bytes: jpegHeader(8, 8) } } }
		];
		const hashes = valid.map((s) => {
			const e = encodeLink(s);
			if (!e.ok) throw new Error(e.error);
			return e.hash;
		});
		const jsons = hashes.map((h) => JSON.parse(new TextDecoder().decode(inflateSync(base64UrlToBytes(h.slice(3))))));
		const pack = (text: string) => 's1.' + bytesToBase64Url(deflateSync(strToU8(text)));
		const makers: (() => string)[] = [
			() => f.mutateText(f.pick(hashes)), // damaged link text
			() => 's1.' + bytesToBase64Url(f.mutateBytes(base64UrlToBytes(f.pick(hashes).slice(3)))), // flipped deflate bits
			() => pack(f.mutateText(JSON.stringify(f.pick(jsons)))), // damaged JSON, valid deflate
			() => pack(JSON.stringify(f.mutateTree(f.pick(jsons)))), // well-formed but hostile values
			() => f.pick(hashes).slice(0, f.int(40)) + f.pick(hashes).slice(f.int(200)), // spliced
			() => 's' + f.pick(['1', '2', '0', '999999', '-1', '']) + '.' + f.pick(hashes).slice(3), // versions
			() => pack(JSON.stringify(f.junkValue())) // not a notebook at all
		];
		let accepted = 0;
		let rejected = 0;
		for (let n = 0; n < N; n++) {
			const payload = makers[n % makers.length]();
			let res: ReturnType<typeof decodeLink>;
			try {
				res = decodeLink(payload, [NB]);
			} catch (e) {
				throw new Error(`decodeLink threw on input ${n} (${JSON.stringify(payload.slice(0, 200))}): ${e}`);
			}
			if (!res.ok) {
				rejected++;
				if (typeof res.error !== 'string' || !res.error) throw new Error(`input ${n}: rejection without a message`);
				continue;
			}
			accepted++;
			const check = parseNotebookState(res.state);
			if (!check.ok) throw new Error(`input ${n}: accepted an invalid state: ${check.reason}`);
			for (const [cell, vals] of Object.entries(res.state.params)) {
				if (cell !== 'deg') throw new Error(`input ${n}: kept settings for unknown cell ${cell}`);
				const { sigma } = vals;
				if (sigma !== undefined && !(typeof sigma === 'number' && sigma >= 0 && sigma <= 4)) throw new Error(`input ${n}: sigma ${sigma} kept`);
			}
		}
		// Both paths must be exercised, or the loop proves little.
		expect(accepted).toBeGreaterThan(1000);
		expect(rejected).toBeGreaterThan(3000);
		expect(Object.prototype).not.toHaveProperty('extra');
	});
});

describe('session import fuzz', () => {
	let file = '';
	let originals: Awaited<ReturnType<typeof createSession>>[] = [];

	beforeAll(async () => {
		globalThis.indexedDB = new IDBFactory();
		_resetStoresForTests();
		const state = (seed: number): NotebookState => ({
			notebookId: 'nb1',
			params: { deg: { sigma: 1.5, mode: 'a', noise: true, seed } },
			images: { input: { kind: 'jpeg', name: 'me <b>.jpg', width: 4, height: 4, bytes: jpegHeader(4, 4, [9, 8, 7, 6]) } }
		});
		originals = [
			await createSession('nb1', state(1), 'First', { loss: new Float32Array([1, 0.5, 0.25]), z: new Uint8Array([1, 2]) }),
			await createSession('nb1', state(2), 'Second <img src=x onerror=alert(1)>')
		];
		file = exportSessions(originals);
	});

	it(`${N.toLocaleString('en')} seeded files: never throws, accepted sessions valid, stored sessions untouched`, async () => {
		const f = fuzzer(0x5eed2);
		const doc = JSON.parse(file);
		const makers: (() => string)[] = [
			() => f.mutateText(file),
			() => JSON.stringify(f.mutateTree(doc)),
			() => JSON.stringify({ ...doc, sessions: doc.sessions.map((s: unknown) => f.mutateTree(s)) }),
			() => file.slice(0, f.int(file.length)), // truncated download
			() => file.slice(0, f.int(file.length)) + file.slice(f.int(file.length)), // spliced
			() => JSON.stringify({ ...doc, version: f.pick([2, 0, -1, 1.5, '1', 1e308, null]) }),
			() => JSON.stringify({ ...doc, sessions: Array.from({ length: f.pick([0, 1, 2001]) }, () => doc.sessions[0]) }),
			() => JSON.stringify(f.junkValue())
		];
		const toStore: string[] = [];
		let accepted = 0;
		for (let n = 0; n < N; n++) {
			const text = makers[n % makers.length]();
			let res: ReturnType<typeof parseImport>;
			try {
				res = parseImport(text, [NB]);
			} catch (e) {
				throw new Error(`parseImport threw on input ${n} (${JSON.stringify(text.slice(0, 200))}): ${e}`);
			}
			if (!res.ok) {
				if (typeof res.error !== 'string' || !res.error) throw new Error(`input ${n}: rejection without a message`);
				if (n % 100 === 0) toStore.push(text); // some rejected files go through the storing path too
				continue;
			}
			accepted++;
			for (const s of res.sessions) {
				const check = parseSessionRecord(s);
				if (!check.ok) throw new Error(`input ${n}: accepted an invalid session: ${check.reason}`);
				if (originals.some((o) => o.id === s.id)) throw new Error(`input ${n}: an import reuses a stored id`);
				// fitted like a link (issue 19 #5): no unknown cell, no value out of range
				for (const [cell, vals] of Object.entries(s.state.params)) {
					const { sigma } = vals;
					if (cell !== 'deg' || (sigma !== undefined && !(typeof sigma === 'number' && sigma >= 0 && sigma <= 4))) {
						throw new Error(`input ${n}: kept ${cell}.sigma = ${sigma}`);
					}
				}
			}
			if (toStore.length < 200 && n % 5 === 0) toStore.push(text);
		}
		expect(accepted).toBeGreaterThan(500);

		// Through IndexedDB: what is stored grows only by what was accepted, never changes.
		let stored = 0;
		for (const text of toStore) {
			const r = await importSessions(text, [NB]);
			if (r.ok) stored += r.count;
			else expect(r.count).toBe(0);
		}
		expect(stored).toBeGreaterThan(50);
		const list = await listSessions();
		expect(list.broken).toEqual([]);
		expect(list.ok).toHaveLength(originals.length + stored);
		for (const o of originals) expect(await getSession(o.id)).toEqual(o);
	});
});
