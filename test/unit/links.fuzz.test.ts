// Fuzz: decodeLink never throws, always answers ok or error, and anything it accepts is a valid,
// stable NotebookState (re-encoding it decodes to the same state with no warnings).
import { deflateSync, strToU8 } from 'fflate';
import { describe, expect, it } from 'vitest';
import type { NotebookState } from '$lib/notebook/types';
import { FUZZ_NB as NB } from './fuzzNotebook';
import { decodeLink, encodeLink } from '$lib/links/codec';
import { bytesToBase64, bytesToBase64Url } from '$lib/links/base64';
import { parseNotebookState } from '$lib/sessions/schema';
import { jpegHeader } from './jpegBytes';

// Small deterministic PRNG (mulberry32) so a failure reproduces.
function rng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

describe('decodeLink fuzz', () => {
	it('2,000 random and mutated payloads: never throws; accepted states are valid and stable', () => {
		const rand = rng(20240601);
		const int = (n: number) => Math.floor(rand() * n);
		const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)];
		const ALPHA = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.#%=+/ \n<>"\'';
		const junk = (n: number) => Array.from({ length: n }, () => ALPHA[int(ALPHA.length)]).join('');
		// A JPEG header whose size mostly matches the claimed one (accepted when that is ≤ 512).
		const jpegImage = () => {
			const [width, height] = [int(600), int(600)];
			const bytes = int(5) ? jpegHeader(width, height) : new Uint8Array([0xff, 0xd8, 0, 0, int(256)]);
			return { kind: 'jpeg', name: junk(5), width, height, bytes: bytesToBase64(bytes) };
		};
		const values = () =>
			pick<unknown>([
				int(1000) - 500,
				rand() * 10 - 3,
				1e308,
				-0,
				2 ** 40,
				'a',
				'b',
				'<b>x</b>',
				true,
				false,
				null,
				[],
				{},
				{ kind: 'synthetic', seed: rand() * 2 ** 34 },
				jpegImage(),
				{ kind: 'jpeg', name: 'x', width: 8, height: 8, bytes: junk(8) }
			]);
		const keys = ['input', 'deg', 'sigma', 'mode', 'noise', 'seed', '__proto__', 'constructor', 'toString', junk(3)];
		const randomObj = (depth: number): unknown => {
			if (depth > 2 || rand() < 0.3) return values();
			const o: Record<string, unknown> = {};
			for (let i = int(5); i > 0; i--) Object.defineProperty(o, pick(keys), { value: randomObj(depth + 1), enumerable: true, configurable: true, writable: true });
			return o;
		};
		const image = () =>
			pick<unknown>([
				{ kind: 'synthetic', seed: rand() * 2 ** 34 },
				jpegImage(),
				{ kind: 'jpeg', name: 'x', width: 8, height: 8, bytes: junk(8) },
				values()
			]);
		const randomState = () => ({
			notebookId: rand() < 0.9 ? 'nb1' : pick(['nb2', 7, null]),
			params: randomObj(0),
			images: rand() < 0.6 ? { input: image() } : randomObj(0)
		});
		const pack = (obj: unknown) => 's1.' + bytesToBase64Url(deflateSync(strToU8(JSON.stringify(obj))));

		const valid = encodeLink({
			notebookId: 'nb1',
			params: { deg: { sigma: 2, mode: 'b', noise: true, seed: 7 } },
			images: { input: { kind: 'synthetic', seed: 3 } }
		});
		if (!valid.ok) throw new Error(valid.error);

		const mutate = (s: string) => {
			const chars = s.split('');
			for (let k = 1 + int(4); k > 0; k--) {
				const i = int(chars.length);
				const op = int(4);
				if (op === 0) chars[i] = ALPHA[int(ALPHA.length)];
				else if (op === 1) chars.splice(i, 1);
				else if (op === 2) chars.splice(i, 0, ALPHA[int(64)]);
				else chars.length = Math.max(0, i);
			}
			return chars.join('');
		};

		let accepted = 0;
		let rejected = 0;
		let jpegs = 0;
		for (let n = 0; n < 2000; n++) {
			const kind = n % 4;
			const payload =
				kind === 0 ? junk(int(200)) : kind === 1 ? mutate(valid.hash) : kind === 2 ? pack(randomState()) : 's1.' + bytesToBase64Url(deflateSync(strToU8(junk(int(100)))));
			let r: ReturnType<typeof decodeLink>;
			try {
				r = decodeLink(payload, [NB]);
			} catch (e) {
				throw new Error(`decodeLink threw on ${JSON.stringify(payload)}: ${e}`);
			}
			expect(typeof r.ok).toBe('boolean');
			if (!r.ok) {
				rejected++;
				expect(typeof r.error === 'string' && r.error.length > 0).toBe(true);
				continue;
			}
			accepted++;
			if (Object.values(r.state.images).some((im) => im.kind === 'jpeg')) jpegs++;
			const check = parseNotebookState(r.state);
			if (!check.ok) throw new Error(`accepted an invalid state from ${payload}: ${check.reason}`);
			expect(r.state.notebookId).toBe('nb1');
			expect(r.warnings.every((w) => typeof w === 'string')).toBe(true);
			// Stable: what was accepted survives a second trip untouched.
			const again = encodeLink(r.state as NotebookState);
			if (!again.ok) throw new Error(again.error);
			const r2 = decodeLink(again.hash, [NB]);
			expect(r2).toEqual({ ok: true, state: r.state, warnings: [] });
		}
		// The generator must exercise both paths, or the loop proves little.
		expect(accepted).toBeGreaterThan(300);
		expect(rejected).toBeGreaterThan(300);
		expect(jpegs).toBeGreaterThan(10);
		// Hostile "__proto__" keys went nowhere.
		for (const k of ['input', 'deg', 'sigma', 'kind']) expect(k in {}).toBe(false);
	});
});
