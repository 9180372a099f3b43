// Issue 19 #6: a malformed %-escape in the address's hash must not reach SvelteKit's router,
// whose decodeURIComponent threw an uncaught URIError (test/e2e/security.test.js checks the page).
import { describe, expect, it } from 'vitest';
import { repairHash } from '$lib/links/hash';
import { decodeLink } from '$lib/links/codec';
import { FUZZ_NB } from './fuzzNotebook';

describe('repairHash', () => {
	it('leaves hashes that decode alone', () => {
		for (const h of ['', '#', '#s=s1.abc-_', '#top', '#a%20b', '#%E2%82%AC']) expect(repairHash(h)).toBeNull();
	});

	it('makes malformed escapes decodable, as the literal text typed', () => {
		for (const h of ['#s=%E0%A4%A', '#x%', '#%zz', '#s=%E0%A4', '#%C0%80']) {
			const fixed = repairHash(h)!;
			expect(fixed).not.toBeNull();
			expect(decodeURIComponent(fixed)).toBe(h);
		}
	});

	it('gives the link decoder the damaged text, which it refuses with a message', () => {
		const hash = repairHash('#s=%E0%A4%A')!;
		const payload = new URLSearchParams(hash.slice(1)).get('s')!;
		expect(payload).toBe('%E0%A4%A');
		expect(decodeLink(payload, [FUZZ_NB])).toMatchObject({ ok: false, error: expect.stringMatching(/not an srlab notebook link/) });
	});
});
