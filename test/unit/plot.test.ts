// @vitest-environment jsdom
// plotInto (src/lib/ui/plot.ts): the attachment that mounts Plot charts into a host. Svelte runs an
// attachment in an effect: on a re-run it calls the cleanup, then the attachment again; on unmount
// only the cleanup. Those calls are made here by hand.
import { describe, expect, it } from 'vitest';
import * as Plot from '@observablehq/plot';
import { plotInto } from '../../src/lib/ui/plot';

const box = (text: string) => {
	const el = document.createElement('figure');
	el.textContent = text;
	return el;
};

describe('plotInto', () => {
	it('mounts what make returns in place of the host children, and passes make the host', () => {
		const host = document.createElement('div');
		host.append(box('placeholder'));
		let seen: HTMLElement | null = null;
		const chart = box('chart');
		plotInto((h) => {
			seen = h;
			return chart;
		})(host);
		expect(seen).toBe(host);
		expect([...host.children]).toEqual([chart]);
	});

	it('mounts an array of elements in order', () => {
		const host = document.createElement('div');
		const els = [box('a'), box('b'), box('c')];
		plotInto(() => els)(host);
		expect([...host.children]).toEqual(els);
	});

	it('replaces the elements on a re-run and removes them on cleanup', () => {
		const host = document.createElement('div');
		let rows = ['a', 'b'];
		const attach = plotInto(() => rows.map(box));
		const cleanup1 = attach(host);
		const drawn1 = [...host.children];
		expect(drawn1.map((e) => e.textContent)).toEqual(['a', 'b']);

		rows = ['x', 'y', 'z']; // a value make reads changed: Svelte cleans up and runs it again
		cleanup1?.();
		expect(host.children).toHaveLength(0);
		const cleanup2 = attach(host);
		expect([...host.children].map((e) => e.textContent)).toEqual(['x', 'y', 'z']);
		expect(drawn1.every((e) => e.parentNode === null)).toBe(true);

		cleanup2?.(); // unmount
		expect(host.children).toHaveLength(0);
	});

	it('leaves the host empty when make returns null', () => {
		const host = document.createElement('div');
		host.append(box('old'));
		const cleanup = plotInto(() => null)(host);
		expect(host.childNodes).toHaveLength(0);
		expect(() => cleanup?.()).not.toThrow();
	});

	it('mounts a real Observable Plot chart with the width read from the host', () => {
		const host = document.createElement('div');
		document.body.append(host);
		const cleanup = plotInto((h) => Plot.plot({ width: Math.min(300, h.clientWidth || 300), height: 120, marks: [Plot.barX([{ v: 1 }, { v: 2 }], { x: 'v', y: 'v' })] }))(host);
		const svg = host.querySelector('svg');
		expect(svg).not.toBeNull();
		expect(svg?.getAttribute('width')).toBe('300');
		expect(svg?.querySelectorAll('rect').length).toBeGreaterThanOrEqual(2);
		cleanup?.();
		expect(host.childNodes).toHaveLength(0);
		host.remove();
	});
});
