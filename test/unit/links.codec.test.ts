import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { NotebookDef, NotebookState } from '$lib/notebook/types';
import { defaultState } from '$lib/notebook/state';
import { decodeLink, encodeLink, MAX_INFLATED_BYTES, MAX_LINK_CHARS } from '$lib/links/codec';
import { base64UrlToBytes, bytesToBase64Url } from '$lib/links/base64';
import { jpegHeader } from './jpegBytes';

const NB: NotebookDef = {
	id: 'nb1',
	title: 'Test notebook',
	papers: [],
	idea: '',
	youCan: '',
	cells: [
		{ kind: 'prose', id: 'intro', markdown: '# hi' },
		{ kind: 'face-input', id: 'input', title: 'Input', imageInput: true, params: { size: { type: 'number', label: 'Size', min: 16, max: 128, step: 16, default: 64 } } },
		{
			kind: 'degrade',
			id: 'deg',
			title: 'Degrade',
			params: {
				sigma: { type: 'number', label: 'Blur', min: 0, max: 4, step: 0.1, default: 1 },
				mode: { type: 'select', label: 'Mode', options: [{ value: 'bicubic', label: 'Bicubic' }, { value: 'area', label: 'Area' }], default: 'bicubic' },
				noise: { type: 'boolean', label: 'Noise', default: false },
				seed: { type: 'seed', label: 'Seed', default: 42 }
			}
		}
	]
};
const NBS = [NB];
/** A JPEG header saying w×h, padded with filler (no 0xFF) to about n bytes. */
const jpeg = (n: number, w = 4, h = 4) => jpegHeader(w, h, Array.from({ length: Math.max(0, n - 45) }, (_, i) => (i * 131) & 127));

/** A payload from arbitrary JSON, as an attacker would build it. */
const craft = (obj: unknown, prefix = 's1.') => prefix + bytesToBase64Url(deflateSync(strToU8(JSON.stringify(obj)), { level: 9 }));

function ok(payload: string) {
	const r = decodeLink(payload, NBS);
	if (!r.ok) throw new Error(`expected ok, got: ${r.error}`);
	return r;
}
function err(payload: string) {
	const r = decodeLink(payload, NBS);
	if (r.ok) throw new Error('expected an error');
	return r.error;
}

describe('encode/decode round trip', () => {
	const states: NotebookState[] = [
		defaultState(NB),
		{ notebookId: 'nb1', params: {}, images: {} },
		{
			notebookId: 'nb1',
			params: { deg: { sigma: 3.7, mode: 'area', noise: true, seed: 4294967295 }, input: { size: 16 } },
			images: { input: { kind: 'jpeg', name: 'fäce <img src=x onerror=alert(1)>.jpg', width: 512, height: 1, bytes: jpeg(2000, 512, 1) } }
		},
		{ notebookId: 'nb1', params: { deg: { seed: 0 } }, images: { input: { kind: 'synthetic', seed: 123456789 } } }
	];
	it.each(states.map((s, i) => [i, s]))('state %i', (_i, s) => {
		const e = encodeLink(s);
		if (!e.ok) throw new Error(e.error);
		expect(e.hash.startsWith('s1.')).toBe(true);
		expect(e.hash).toMatch(/^s1\.[A-Za-z0-9_-]+$/); // URL-safe, nothing to escape
		const d = ok(e.hash);
		expect(d.state).toEqual(s);
		expect(d.warnings).toEqual([]);
		expect(ok('#' + e.hash).state).toEqual(s); // a leading "#" is fine
	});

	it('refuses to encode a state that does not fit, saying to use Export', () => {
		// Random bytes do not compress: ~12 KB of base64url.
		const bytes = jpeg(9000).map((x, i) => (i < 2 ? x : (Math.sin(i) * 1e4) & 255));
		const r = encodeLink({ notebookId: 'nb1', params: {}, images: { input: { kind: 'jpeg', name: 'a', width: 8, height: 8, bytes } } });
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.size).toBeGreaterThan(MAX_LINK_CHARS);
			expect(r.error).toMatch(/too big for a link.*Export/);
		}
	});
});

describe('decode rejects bad payloads', () => {
	const good = (() => {
		const e = encodeLink({ notebookId: 'nb1', params: { deg: { sigma: 2 } }, images: {} });
		if (!e.ok) throw new Error();
		return e.hash;
	})();

	it('wrong prefix or version', () => {
		expect(err('hello')).toMatch(/not an srlab notebook link/);
		expect(err('x1.' + good.slice(3))).toMatch(/not an srlab/);
		expect(err('s2.' + good.slice(3))).toMatch(/newer version of srlab \(link version 2/);
		expect(err('s0.' + good.slice(3))).toMatch(/Unknown link version 0/);
	});

	it('malformed base64, truncation, garbage', () => {
		expect(err('s1.abc$def')).toMatch(/damaged/);
		expect(err('s1.')).toMatch(/damaged/);
		expect(err('s1.A')).toMatch(/damaged/); // impossible base64 length
		expect(err(good.slice(0, good.length - 6))).toMatch(/damaged or incomplete/);
		expect(err('s1.' + bytesToBase64Url(new Uint8Array([1, 2, 3, 4, 5])))).toMatch(/damaged/);
	});

	it('invalid JSON or UTF-8 inside valid deflate', () => {
		expect(err('s1.' + bytesToBase64Url(deflateSync(strToU8('{"notebookId":'))))).toMatch(/damaged/);
		expect(err('s1.' + bytesToBase64Url(deflateSync(new Uint8Array([0x7b, 0xff, 0xfe, 0x7d]))))).toMatch(/damaged/);
	});

	it('too long', () => {
		expect(err('s1.' + 'A'.repeat(MAX_LINK_CHARS))).toMatch(/too long \(8195 characters; the limit is 8192\)/);
	});

	it('decompression bomb: small link, huge output', () => {
		const bomb = craft({ notebookId: 'nb1', params: {}, images: {}, pad: 'A'.repeat(5_000_000) });
		expect(bomb.length).toBeLessThan(MAX_LINK_CHARS); // it gets past the length check…
		const t0 = performance.now();
		expect(err(bomb)).toMatch(/expands to more than 64 KB/); // …but not past the inflate cap
		expect(performance.now() - t0).toBeLessThan(1000);
		// Exactly at the cap is still fine (the spare byte is only a sentinel).
		const json = JSON.stringify({ notebookId: 'nb1', params: {}, images: {}, pad: '' });
		const exact = JSON.stringify({ notebookId: 'nb1', params: {}, images: {}, pad: 'B'.repeat(MAX_INFLATED_BYTES - json.length) });
		expect(exact.length).toBe(MAX_INFLATED_BYTES);
		expect(ok(craft(JSON.parse(exact))).state.notebookId).toBe('nb1');
	});

	it('unknown notebook, non-object, missing id', () => {
		expect(err(craft({ notebookId: 'nope', params: {} }))).toMatch(/notebook this version does not have: "nope"/);
		expect(err(craft([1, 2]))).toMatch(/does not describe a notebook/);
		expect(err(craft({ params: {} }))).toMatch(/does not name a notebook/);
		expect(err(craft('nb1'))).toMatch(/does not describe/);
	});
});

describe('decode fits values to the notebook, with warnings', () => {
	it('drops unknown cells, params and misplaced images', () => {
		// Written as JSON text: a "__proto__" key in a JS literal would set the prototype instead.
		const json =
			'{"notebookId":"nb1","params":{"ghost":{"a":1},"deg":{"sigma":2,"bogus":5,"constructor":1,"__proto__":{"x":1}},"intro":{"a":1}},' +
			'"images":{"deg":{"kind":"synthetic","seed":1},"nowhere":{"kind":"synthetic","seed":1}}}';
		const r = ok('s1.' + bytesToBase64Url(deflateSync(strToU8(json))));
		expect(r.state).toEqual({ notebookId: 'nb1', params: { deg: { sigma: 2 } }, images: {} });
		expect(r.warnings).toEqual(
			expect.arrayContaining([
				expect.stringMatching(/unknown cell "ghost"/),
				expect.stringMatching(/unknown cell "intro"/),
				expect.stringMatching(/unknown setting "bogus"/),
				expect.stringMatching(/unknown setting "constructor"/),
				expect.stringMatching(/unknown setting "__proto__"/),
				expect.stringMatching(/"deg", which takes none/),
				expect.stringMatching(/unknown cell "nowhere"/)
			])
		);
		expect(({} as Record<string, unknown>).x).toBeUndefined();
	});

	it('clamps numbers, resets wrong types and unknown choices, forces seeds to uint32', () => {
		const r = ok(
			craft({
				notebookId: 'nb1',
				params: { deg: { sigma: 99, mode: 'nearest', noise: 'yes', seed: -1 }, input: { size: '64' } },
				images: { input: { kind: 'synthetic', seed: 2 ** 32 + 5.7 } }
			})
		);
		expect(r.state.params).toEqual({ deg: { sigma: 4, mode: 'bicubic', noise: false, seed: 4294967295 }, input: { size: 64 } });
		expect(r.state.images.input).toEqual({ kind: 'synthetic', seed: 5 });
		expect(r.warnings).toHaveLength(6);
		expect(r.warnings.join('\n')).toMatch(/Degrade › Blur: 99 is outside 0…4; using 4/);
		expect(r.warnings.join('\n')).toMatch(/Seed: seed -1 is not a 32-bit unsigned integer; using 4294967295/);
		const low = ok(craft({ notebookId: 'nb1', params: { deg: { sigma: -3, seed: 1.5 } } }));
		expect(low.state.params.deg).toEqual({ sigma: 0, seed: 1 });
		expect(ok(craft({ notebookId: 'nb1', params: { deg: { seed: 'x' } } })).state.params.deg.seed).toBe(42);
	});

	it('validates JPEG images: size, data, magic bytes', () => {
		const b64 = (b: Uint8Array) => Buffer.from(b).toString('base64');
		const img = (o: object) => ok(craft({ notebookId: 'nb1', images: { input: { kind: 'jpeg', name: 'a.jpg', width: 4, height: 4, bytes: b64(jpeg(10)), ...o } } }));
		expect(img({}).state.images.input).toMatchObject({ kind: 'jpeg', width: 4 });
		for (const bad of [{ width: 513 }, { height: 0 }, { width: 2.5 }, { bytes: 'not base64!' }, { bytes: b64(new Uint8Array([1, 2, 3, 4])) }, { bytes: 5 }, { kind: 'png' }]) {
			const r = img(bad);
			expect(r.state.images).toEqual({});
			expect(r.warnings).toHaveLength(1);
		}
		const noName = img({ name: 7 });
		expect(noName.state.images.input).toMatchObject({ name: 'image.jpg' });
	});

	it('keeps HTML and script-like strings as inert data, quoted in warnings', () => {
		const evil = '<img src=x onerror="alert(1)">';
		const r = ok(craft({ notebookId: 'nb1', params: { deg: { mode: evil }, [evil]: {} } }));
		expect(r.state.params.deg.mode).toBe('bicubic'); // not an option: never stored
		for (const w of r.warnings) expect(typeof w).toBe('string');
		expect(r.warnings.join(' ')).toContain(JSON.stringify(evil));
		const long = '<script>' + 'x'.repeat(100) + '</script>';
		expect(ok(craft({ notebookId: 'nb1', params: { [long]: {} } })).warnings[0]).toContain(JSON.stringify(long.slice(0, 40) + '…'));
		// Control characters (e.g. newlines) are stripped from echoed text.
		const r2 = ok(craft({ notebookId: 'nb1', params: { 'a\nb\u0000': {} } }));
		expect(r2.warnings[0]).toContain('"ab"');
	});

	it('caps the number of warnings', () => {
		const params: Record<string, object> = {};
		for (let i = 0; i < 100; i++) params['c' + i] = {};
		const r = ok(craft({ notebookId: 'nb1', params }));
		expect(r.warnings).toHaveLength(21);
		expect(r.warnings[20]).toBe('(80 more problems)');
	});

	it('base64url helpers are strict', () => {
		expect(() => base64UrlToBytes('ab+c')).toThrow();
		expect(() => base64UrlToBytes('abcde')).toThrow();
		expect(Array.from(base64UrlToBytes(bytesToBase64Url(new Uint8Array([251, 255]))))).toEqual([251, 255]);
	});
});
