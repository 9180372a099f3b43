// Issue 19 #5: an imported session file gets the checks a share link gets (reconcileState):
// values clamped with a warning, non-images dropped, and a JPEG's real size read from its
// frame header before anything decodes it (a 66 KB 4096×4096 JPEG blocked the page 2 s).
import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { ImageInput, NotebookDef, NotebookState } from '$lib/notebook/types';
import { decodeLink } from '$lib/links/codec';
import { bytesToBase64, bytesToBase64Url } from '$lib/links/base64';
import { exportSessions, parseImport } from '$lib/sessions/exportImport';
import { SCHEMA_VERSION, type SessionRecord } from '$lib/sessions/schema';
import { encodeJpeg } from '$lib/image/jpeg';
import { syntheticFace } from '$lib/faces/syntheticFace';
import { comment, jpegHeader, sof } from './jpegBytes';

const NB: NotebookDef = {
	id: 'nb1',
	title: 'Import checks',
	papers: [],
	idea: '',
	youCan: '',
	cells: [
		{ kind: 'face-input', id: 'input', title: 'Input', imageInput: true },
		{
			kind: 'search',
			id: 'search',
			title: 'Search',
			params: {
				sigma: { type: 'number', label: 'σ', min: 0, max: 4, step: 0.1, default: 1 },
				K: { type: 'number', label: 'K', min: 1, max: 32, step: 1, default: 8 },
				lr: { type: 'number', label: 'lr', min: 0.001, max: 1, step: 0.001, default: 0.05 }
			}
		}
	]
};

function file(state: Omit<NotebookState, 'notebookId'> & { notebookId?: string }): string {
	const rec: SessionRecord = { schema: SCHEMA_VERSION, id: 'x', notebookId: state.notebookId ?? 'nb1', title: 'T', createdAt: 1, updatedAt: 1, state: { notebookId: 'nb1', ...state } };
	return exportSessions([rec]);
}
const withImage = (image: ImageInput) => file({ params: {}, images: { input: image } });
const jpeg = (bytes: Uint8Array, width = 128, height = 128): ImageInput => ({ kind: 'jpeg', name: 'me.jpg', width, height, bytes });
const link = (image: ImageInput & { kind: 'jpeg' }) =>
	decodeLink('s1.' + bytesToBase64Url(deflateSync(strToU8(JSON.stringify({ notebookId: 'nb1', images: { input: { ...image, bytes: bytesToBase64(image.bytes) } } })))), [NB]);

function imported(text: string) {
	const r = parseImport(text, [NB]);
	if (!r.ok) throw new Error(`expected an import, got: ${r.error}`);
	return { state: r.sessions[0].state, warnings: r.warnings };
}

describe('imported sessions get the checks links get', () => {
	it('clamps out-of-range values (σ = 1e308, K = 1e6, lr = 1e9) with warnings', () => {
		const { state, warnings } = imported(file({ params: { search: { sigma: 1e308, K: 1e6, lr: 1e9 } }, images: {} }));
		expect(state.params.search).toEqual({ sigma: 4, K: 32, lr: 1 });
		expect(warnings.join('\n')).toMatch(/Session 1 of 1.*σ: 1e\+308 is outside 0…4; using 4/);
		expect(warnings).toHaveLength(3);
	});

	it('drops unknown cells and settings, and refuses a notebook this version lacks', () => {
		const { state, warnings } = imported(file({ params: { search: { sigma: 2, evil: 1 }, ghost: { a: 1 } }, images: {} }));
		expect(state.params).toEqual({ search: { sigma: 2 } });
		expect(warnings).toHaveLength(2);
		const other = JSON.parse(file({ params: {}, images: {} }));
		other.sessions[0].notebookId = other.sessions[0].state.notebookId = 'gone';
		expect(parseImport(JSON.stringify(other), [NB])).toMatchObject({ ok: false, error: expect.stringMatching(/notebook this version does not have: "gone"/) });
	});

	it('drops non-image bytes with a warning, in an import and in a link', () => {
		for (const bytes of [new TextEncoder().encode('hello, not an image'), Uint8Array.from([0xff, 0xd8, 1, 2, 3, 4, 5, 6])]) {
			const { state, warnings } = imported(withImage(jpeg(bytes)));
			expect(state.images).toEqual({});
			expect(warnings.join()).toMatch(/not a valid JPEG/);
			const l = link(jpeg(bytes) as ImageInput & { kind: 'jpeg' });
			expect(l.ok && l.state.images).toEqual({});
		}
	});

	it('refuses a JPEG whose frame header says 4096×4096, before decoding it (import and link)', () => {
		const big = jpeg(jpegHeader(4096, 4096)) as ImageInput & { kind: 'jpeg' };
		const { state, warnings } = imported(withImage(big));
		expect(state.images).toEqual({});
		expect(warnings.join()).toMatch(/4096×4096/);
		const l = link(big);
		expect(l.ok && l.state.images).toEqual({});
		expect(l.ok && l.warnings.join()).toMatch(/4096×4096/);
	});

	it('refuses a JPEG whose real size differs from the stored width and height', () => {
		const { state, warnings } = imported(withImage(jpeg(jpegHeader(64, 64))));
		expect(state.images).toEqual({});
		expect(warnings.join()).toMatch(/64×64.*128×128/);
	});

	it('refuses a JPEG with a second frame header hidden where a decoder might find it', () => {
		const hidden = jpegHeader(128, 128, comment(sof(4096, 4096)));
		expect(imported(withImage(jpeg(hidden))).state.images).toEqual({});
		const two = jpegHeader(128, 128, [], [...sof(128, 128), ...sof(4096, 4096)]);
		expect(imported(withImage(jpeg(two))).state.images).toEqual({});
		const noFrame = jpegHeader(128, 128, [], []);
		expect(imported(withImage(jpeg(noFrame))).state.images).toEqual({});
	});

	it('keeps a face as srlab stores it (128×128 JPEG from the pure-JS encoder), bytes unchanged', () => {
		const bytes = encodeJpeg(syntheticFace(128, 3), 90);
		const { state, warnings } = imported(withImage(jpeg(bytes)));
		expect(warnings).toEqual([]);
		expect(state.images.input).toEqual(jpeg(bytes));
		const small = jpeg(jpegHeader(16, 16), 16, 16) as ImageInput & { kind: 'jpeg' };
		const l = link(small);
		expect(l.ok && l.state.images.input).toEqual(small);
	});
});
