import { describe, expect, it } from 'vitest';
import { render } from 'svelte/server';
import SessionsList from '$lib/sessions/SessionsList.svelte';
import { relativeTime } from '$lib/sessions/time';

const noop = async () => true;

describe('SessionsList (server render)', () => {
	it('renders one row per session with actions, escaping titles', () => {
		const now = Date.UTC(2024, 0, 10, 12);
		const { body } = render(SessionsList, {
			props: {
				sessions: [
					{ id: 'a1', notebookId: 'nb1', title: '<img src=x onerror=alert(1)>', updatedAt: now - 3 * 3600_000 },
					{ id: 'b2', notebookId: 'nb2', title: 'Plain', updatedAt: now - 20_000 }
				],
				now,
				busy: false,
				notebookTitle: (id: string) => `NB ${id}`,
				openHref: (s: { id: string; notebookId: string }) => `/notebooks/${s.notebookId}?session=${s.id}`,
				onrename: noop,
				onduplicate: () => {},
				onexport: () => {},
				ondelete: () => {}
			}
		});
		expect(body.match(/data-testid="session-row"/g)).toHaveLength(2);
		for (const id of ['session-rename', 'session-duplicate', 'session-export', 'session-delete', 'session-open']) {
			expect(body.match(new RegExp(`data-testid="${id}"`, 'g'))).toHaveLength(2);
		}
		expect(body).toContain('href="/notebooks/nb1?session=a1"');
		expect(body).not.toContain('<img src=x');
		expect(body).toContain('&lt;img src=x onerror=alert(1)>');
		expect(body).toContain('NB nb2');
		expect(body).toContain(relativeTime(now - 3 * 3600_000, now)); // locale-dependent text
		expect(body).toContain('just now');
	});

	it('relative times', () => {
		const now = 1e12;
		expect(relativeTime(now - 10_000, now)).toBe('just now');
		expect(relativeTime(now - 50_000, now, 'en')).toBe('1 minute ago');
		expect(relativeTime(now - 2 * 86400_000, now, 'en')).toBe('2 days ago');
		expect(relativeTime(now - 400 * 86400_000, now, 'en')).toBe('last year');
	});
});
