import 'fake-indexeddb/auto';
import { IDBFactory } from 'fake-indexeddb';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { NotebookDef, NotebookState } from '$lib/notebook/types';
import { _resetStoresForTests, createSession, getSession, listSessions } from '$lib/sessions/store';
import {
	exportFileName,
	exportRaw,
	exportSessions,
	importSessions,
	MAX_IMPORT_CHARS,
	parseImport
} from '$lib/sessions/exportImport';
import { fromTagged, toTagged } from '$lib/sessions/jsonTags';
import { jpegHeader } from './jpegBytes';

// The notebook the files are checked against (an import is fitted to it, as a link is).
const NBS: NotebookDef[] = [
	{
		id: 'nb1',
		title: 'Export test',
		papers: [],
		idea: '',
		youCan: '',
		cells: [
			{ kind: 'face-input', id: 'a', title: 'A', imageInput: true },
			{ kind: 'face-input', id: 'b', title: 'B', imageInput: true },
			{
				kind: 'degrade',
				id: 'deg',
				title: 'Degrade',
				params: {
					sigma: { type: 'number', label: 'Blur', min: 0, max: 4, step: 0.1, default: 1 },
					mode: { type: 'select', label: 'Mode', options: [{ value: 'x', label: 'X' }], default: 'x' },
					on: { type: 'boolean', label: 'On', default: true }
				}
			}
		]
	}
];

const state = (): NotebookState => ({
	notebookId: 'nb1',
	params: { deg: { sigma: 2.25, mode: 'x', on: false } },
	images: {
		a: { kind: 'jpeg', name: 'ä <b>.jpg', width: 3, height: 2, bytes: jpegHeader(3, 2, Array.from({ length: 300 }, (_, i) => (i * 37) & 127)) },
		b: { kind: 'synthetic', seed: 4294967295 }
	}
});
const history = () => ({
	loss: new Float32Array([1.5, -0, Infinity, NaN, 3.4028234663852886e38, 1e-45]),
	bits: new Uint8Array([0, 255, 7])
});

beforeEach(() => {
	globalThis.indexedDB = new IDBFactory();
	_resetStoresForTests();
});
afterEach(() => vi.restoreAllMocks());

describe('export → import', () => {
	it('round-trips sessions with fresh ids and typed arrays intact', async () => {
		const a = await createSession('nb1', state(), 'A', history());
		const b = await createSession('nb1', state(), 'B');
		const text = exportSessions([a, b]);
		const doc = JSON.parse(text);
		expect(doc).toMatchObject({ format: 'srlab-sessions', version: 1 });
		expect(doc.sessions[0].state.images.a.bytes).toEqual({ $typed: 'Uint8Array', base64: expect.any(String) });
		expect(doc.sessions[0].history.loss.$typed).toBe('Float32Array');
		expect(doc.sessions[0].writer).toBeUndefined();

		const res = await importSessions(text, NBS);
		expect(res).toEqual({ ok: true, count: 2, warnings: [] });
		const list = await listSessions();
		expect(list.ok).toHaveLength(4);
		const imported = list.ok.filter((s) => s.id !== a.id && s.id !== b.id);
		expect(imported.map((s) => s.title).sort()).toEqual(['A', 'B']);

		const copyA = await getSession(imported.find((s) => s.title === 'A')!.id);
		expect(copyA!.state).toEqual(a.state);
		expect(copyA!.createdAt).toBe(a.createdAt);
		const loss = copyA!.history!.loss;
		expect(loss).toBeInstanceOf(Float32Array);
		expect(Object.is(loss[1], -0)).toBe(true);
		expect(Array.from(loss)).toEqual(Array.from(history().loss));
		expect(copyA!.history!.bits).toEqual(new Uint8Array([0, 255, 7]));
		// Originals untouched.
		expect((await getSession(a.id))!.title).toBe('A');
	});

	it('importing the same file twice makes two independent copies', async () => {
		const a = await createSession('nb1', state(), 'A');
		const text = exportSessions([a]);
		const p1 = parseImport(text, NBS);
		const p2 = parseImport(text, NBS);
		expect(p1.ok && p2.ok).toBe(true);
		if (p1.ok && p2.ok) expect(p1.sessions[0].id).not.toBe(p2.sessions[0].id);
	});

	it('names files safely', () => {
		expect(exportFileName('My <run>/2', new Date('2024-05-06T10:00:00Z'))).toBe('srlab-My-run-2-2024-05-06.json');
		expect(exportFileName('///')).toMatch(/^srlab-sessions-\d{4}-\d\d-\d\d\.json$/);
	});

	it('exports damaged raw records best-effort', () => {
		const raw = { a: new Int16Array([1, 2]), d: new Date(0), n: NaN, f: () => 1 };
		const out = JSON.parse(exportRaw('x', 'bad', raw));
		expect(out).toMatchObject({ format: 'srlab-raw-record', id: 'x', reason: 'bad' });
		expect(out.raw).toEqual({ a: { $typed: 'Int16Array', base64: 'AQACAA==' }, d: '1970-01-01T00:00:00.000Z', n: 'NaN', f: '[function]' });
	});
});

describe('import rejects bad files with clear messages', () => {
	const good = async () => exportSessions([await createSession('nb1', state(), 'Good one')]);

	it('refuses files that are too big before parsing', () => {
		const r = parseImport(' '.repeat(MAX_IMPORT_CHARS + 1), NBS);
		expect(r).toEqual({ ok: false, error: expect.stringMatching(/too big.*limit is 20 MB/) });
	});

	it('refuses non-JSON, other formats, newer versions, empty lists', () => {
		expect(parseImport('{"format":', NBS)).toMatchObject({ ok: false, error: expect.stringMatching(/not valid JSON/) });
		expect(parseImport('[1,2]', NBS)).toMatchObject({ error: expect.stringMatching(/not an srlab sessions file/) });
		expect(parseImport('{"format":"srlab-sessions","version":2,"sessions":[]}', NBS)).toMatchObject({
			error: expect.stringMatching(/newer version of srlab \(file version 2/)
		});
		expect(parseImport('{"format":"srlab-sessions","version":"1","sessions":[]}', NBS)).toMatchObject({ error: expect.stringMatching(/version/) });
		expect(parseImport('{"format":"srlab-sessions","version":1,"sessions":{}}', NBS)).toMatchObject({ error: expect.stringMatching(/no "sessions" list/) });
		expect(parseImport('{"format":"srlab-sessions","version":1,"sessions":[]}', NBS)).toMatchObject({ error: expect.stringMatching(/no sessions/) });
	});

	it('names the damaged session and what is wrong with it', async () => {
		const doc = JSON.parse(await good());
		doc.sessions.push(structuredClone(doc.sessions[0]));
		doc.sessions[1].title = 'Second';
		doc.sessions[1].state.images.a.width = 9999;
		const r = parseImport(JSON.stringify(doc), NBS);
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.error).toMatch(/^Session 2 of 2 \("Second"\) is damaged: state\.images\.a\.width/);
		}
		// Nothing from the file was stored (all or nothing).
		expect((await importSessions(JSON.stringify(doc), NBS)).count).toBe(0);
		expect((await listSessions()).ok).toHaveLength(1);
	});

	it('rejects damaged typed-array tags and newer session schemas', async () => {
		const doc = JSON.parse(await good());
		const bad1 = structuredClone(doc);
		bad1.sessions[0].state.images.a.bytes.base64 = '***';
		expect(parseImport(JSON.stringify(bad1), NBS)).toMatchObject({ error: expect.stringMatching(/state\.images\.a\.bytes: damaged base64/) });
		const bad2 = structuredClone(doc);
		bad2.sessions[0].state.images.a.bytes.$typed = 'BigInt64Array';
		expect(parseImport(JSON.stringify(bad2), NBS)).toMatchObject({ error: expect.stringMatching(/unknown typed array "BigInt64Array"/) });
		const bad3 = structuredClone(doc);
		bad3.sessions[0].schema = 3;
		expect(parseImport(JSON.stringify(bad3), NBS)).toMatchObject({ error: expect.stringMatching(/cannot be read: written by a newer version/) });
		const bad4 = structuredClone(doc);
		bad4.sessions[0].state.images.a.bytes = { $typed: 'Float32Array', base64: 'AAA=' };
		expect(parseImport(JSON.stringify(bad4), NBS)).toMatchObject({ error: expect.stringMatching(/multiple of 4|Uint8Array/) });
	});

	it('rejects absurdly deep nesting without a stack overflow', () => {
		const deep = '['.repeat(5000) + ']'.repeat(5000);
		const r = parseImport(`{"format":"srlab-sessions","version":1,"sessions":[{"state":${deep}}]}`, NBS);
		expect(r).toMatchObject({ ok: false, error: expect.stringMatching(/nested too deeply/) });
	});

	it('reports a full disk during import with how far it got', async () => {
		const text = await good();
		vi.spyOn(IDBObjectStore.prototype, 'put').mockImplementation(() => {
			throw new DOMException('q', 'QuotaExceededError');
		});
		const r = await importSessions(text, NBS);
		expect(r).toMatchObject({ ok: false, count: 0, error: expect.stringMatching(/full.*0 of 1 imported/s) });
	});
});

describe('json tags', () => {
	it('refuses non-finite numbers and cycles when strict', () => {
		expect(() => toTagged({ a: NaN })).toThrow(/NaN/);
		const c: Record<string, unknown> = {};
		c.self = c;
		expect(() => toTagged(c)).toThrow(/cyclic/);
		expect(toTagged(c, true)).toEqual({ self: '[cycle]' });
	});

	it('keeps "__proto__" keys as plain data', () => {
		const out = fromTagged(JSON.parse('{"__proto__":{"polluted":true},"x":1}')) as Record<string, unknown>;
		expect(({} as Record<string, unknown>).polluted).toBeUndefined();
		expect(Object.getPrototypeOf(out)).toBe(Object.prototype);
		expect(Object.hasOwn(out, '__proto__')).toBe(true);
	});
});
