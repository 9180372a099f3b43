// A user notebook's share link carries its structure and state as data: it round-trips,
// is refused with a message when its structure is bad, keeps the 8 KB cap (export instead), and
// survives fuzzing: never throws, and whatever it accepts is valid and stable.
import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import { encodeLink, MAX_LINK_CHARS } from '$lib/links/codec';
import { bytesToBase64Url } from '$lib/links/base64';
import { decodeUserLink } from '$lib/links/userLink';
import { USER_NOTEBOOK_ID, toNotebookDef, type UserNotebook } from '$lib/notebook/userNotebook';
import { defaultState } from '$lib/notebook/state';
import { validateUserNotebook } from '$lib/notebook/validateUserNotebook';
import { parseNotebookState } from '$lib/sessions/schema';
import type { NotebookState } from '$lib/notebook/types';
import { CHAIN, KINDS } from './userNotebookKinds';

const craft = (obj: unknown) => 's1.' + bytesToBase64Url(deflateSync(strToU8(JSON.stringify(obj)), { level: 9 }));
const STATE: NotebookState = { notebookId: USER_NOTEBOOK_ID, params: { hr: { seed: 9, gain: 3 } }, images: { face: { kind: 'synthetic', seed: 4 } } };

function link(nb: UserNotebook, state: NotebookState = STATE): string {
	const r = encodeLink(state, nb);
	if (!r.ok) throw new Error(r.error);
	return r.hash;
}

describe('user notebook links', () => {
	it('round-trip structure and state without warnings', () => {
		const r = decodeUserLink(link(CHAIN), KINDS);
		expect(r).toEqual({ ok: true, notebook: CHAIN, state: STATE, warnings: [] });
	});

	it('fit values to the kinds’ own parameter specs, never the link’s', () => {
		const r = decodeUserLink(craft({ notebookId: 'own', notebook: CHAIN, params: { hr: { gain: 99, seed: 'x', evil: 1 } }, images: {} }), KINDS);
		if (!r.ok) throw new Error(r.error);
		expect(r.state.params.hr).toEqual({ gain: 4, seed: 5 });
		expect(r.warnings.join(' ')).toMatch(/99 is outside 0…4.*expected a seed number.*unknown setting "evil"/);
	});

	it('refuse bad structures with a message naming the problem', () => {
		const bad = { ...CHAIN, cells: [...CHAIN.cells, { kind: 'rm-rf', id: 'x', title: 'X', inputs: {} }] };
		expect(decodeUserLink(craft({ notebookId: 'own', notebook: bad, params: {}, images: {} }), KINDS)).toEqual({
			ok: false,
			error: 'Cell 6 ("X") is of unknown kind "rm-rf"; this version of srlab does not have it.'
		});
		expect(decodeUserLink(craft({ notebookId: 'own', params: {}, images: {} }), KINDS)).toMatchObject({ ok: false, error: /does not carry its notebook/ });
		expect(decodeUserLink(craft({ notebookId: 'srnam', notebook: CHAIN }), KINDS)).toMatchObject({ ok: false, error: /built-in notebook/ });
		expect(decodeUserLink('s1.AAAA', KINDS)).toMatchObject({ ok: false });
	});

	it('keep the 8 KB cap: a notebook too big for a link is refused with export offered', () => {
		// Random-looking prose does not deflate: several cells of it pass the cap.
		let x = 1;
		const noise = () => Array.from({ length: 7000 }, () => String.fromCharCode(33 + ((x = (x * 1103515245 + 12345) >>> 0) % 90))).join('');
		const big: UserNotebook = { ...CHAIN, cells: [...CHAIN.cells, { kind: 'prose', id: 'p2', markdown: noise() }, { kind: 'prose', id: 'p3', markdown: noise() }] };
		expect(validateUserNotebook(big, KINDS).ok).toBe(true);
		const r = encodeLink(STATE, big);
		expect(r.ok).toBe(false);
		if (!r.ok) {
			expect(r.size).toBeGreaterThan(MAX_LINK_CHARS);
			expect(r.error).toMatch(/Export/);
		}
	});

	it('fuzz: 1,500 random and mutated links never throw; accepted ones are valid and stable', () => {
		let seed = 77;
		const rand = () => ((seed = (seed * 1664525 + 1013904223) >>> 0) / 2 ** 32);
		const int = (n: number) => Math.floor(rand() * n);
		const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
		const kinds = ['face', 'model', 'hr', 'lr', 'prose', 'nope', '__proto__', 7];
		const idsPool = ['face', 'model', 'hr', 'lr', 'intro', 'x', '__proto__', 'constructor', '', 'a'.repeat(70)];
		const randomCell = () => {
			const kind = pick(kinds);
			const cell: Record<string, unknown> = { kind, id: pick(idsPool) };
			if (rand() < 0.8) cell[kind === 'prose' ? 'markdown' : 'title'] = pick(['T', '$x$', '<img src=x onerror=alert(1)>', 9, 'x'.repeat(int(9000))]);
			if (rand() < 0.6) cell.inputs = pick([{ face: pick(idsPool) }, { model: pick(idsPool), face: pick(idsPool) }, { src: pick(idsPool) }, [], 'x']);
			return cell;
		};
		const mutateNotebook = (): unknown => {
			const cells: unknown[] = structuredClone(CHAIN.cells);
			for (let k = int(4); k > 0; k--) {
				const op = int(4);
				if (op === 0) cells.splice(int(cells.length + 1), 0, randomCell());
				else if (op === 1) cells.splice(int(cells.length), 1);
				else if (op === 2) cells.reverse();
				else cells[int(cells.length)] = randomCell();
			}
			return pick([{ title: pick(['T', 5, 'x'.repeat(300)]), cells }, { title: 'T', cells }, { title: 'T', cells }, cells, null]);
		};
		const good = link(CHAIN);
		const mutateText = (s: string) => {
			const c = s.split('');
			for (let k = 1 + int(3); k > 0; k--) c[int(c.length)] = pick([...'ABCxyz019-_.%#']);
			return c.join('');
		};
		let accepted = 0;
		let rejected = 0;
		for (let n = 0; n < 1500; n++) {
			const payload =
				n % 3 === 0
					? mutateText(good)
					: craft({ notebookId: rand() < 0.9 ? 'own' : 'srnam', notebook: mutateNotebook(), params: pick([{}, { hr: { gain: int(9) - 2, seed: rand() * 2 ** 34 } }, { x: 1 }, 3]), images: pick([{}, { face: { kind: 'synthetic', seed: int(9) } }, { hr: { kind: 'synthetic', seed: 1 } }]) });
			let r: ReturnType<typeof decodeUserLink>;
			try {
				r = decodeUserLink(payload, KINDS);
			} catch (e) {
				throw new Error(`decodeUserLink threw on ${payload}: ${e}`);
			}
			if (!r.ok) {
				rejected++;
				expect(r.error.length).toBeGreaterThan(0);
				continue;
			}
			accepted++;
			expect(validateUserNotebook(r.notebook, KINDS)).toEqual({ ok: true, notebook: r.notebook });
			const check = parseNotebookState(r.state);
			if (!check.ok) throw new Error(`accepted an invalid state: ${check.reason}`);
			// it runs: every cell id it sets exists in the notebook
			const def = toNotebookDef(r.notebook, KINDS);
			for (const id of Object.keys(r.state.params)) expect(def.cells.some((c) => c.id === id)).toBe(true);
			expect(defaultState(def).notebookId).toBe(USER_NOTEBOOK_ID);
			const again = encodeLink(r.state, r.notebook);
			if (!again.ok) continue; // mutated prose may be too big for a link: refused, as it should be
			expect(decodeUserLink(again.hash, KINDS)).toEqual({ ok: true, notebook: r.notebook, state: r.state, warnings: [] });
		}
		expect(accepted).toBeGreaterThan(100);
		expect(rejected).toBeGreaterThan(300);
		for (const k of ['face', 'hr', 'kind', 'cells']) expect(k in {}).toBe(false);
	});
});
