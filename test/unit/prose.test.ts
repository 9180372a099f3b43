// @vitest-environment jsdom
import { describe, expect, it } from 'vitest';
import { renderMarkdownWithMath, renderProse } from '../../src/lib/prose/render';

describe('prose rendering', () => {
	it('renders inline and display math with KaTeX, untouched by Markdown emphasis', () => {
		const html = renderMarkdownWithMath('Loss $a_i * b_i$ and\n\n$$\\sum_{i=1}^{W} x_i$$\n\n**bold**');
		expect(html).toContain('class="katex"');
		expect(html).toContain('katex-display');
		expect(html).toContain('<strong>bold</strong>');
		expect(html).not.toContain('<em>'); // the underscores inside math were not emphasis
	});

	it('sanitises HTML and script in prose', () => {
		const html = renderProse('Hello <img src=x onerror="alert(1)"> <script>alert(2)</script> [x](javascript:alert(3))');
		expect(html).not.toMatch(/onerror|<script|javascript:/i);
		expect(html).toContain('Hello');
	});
});

describe('prose math drawn as SVG', () => {
	it('keeps the SVG KaTeX draws stretchy delimiters and roots with (the attention-loss |·| of paper 003 Eq. 1)', () => {
		const html = renderProse('$$M^*_{x,y}\\,\\big|I^{HR} - G(I^{LR})\\big|$$ and $\\sqrt{x}$');
		expect((html.match(/<svg/g) ?? []).length).toBeGreaterThanOrEqual(3);
		expect(html).toMatch(/<path d="M/);
	});

	it('still strips SVG written into the prose itself, and scripts inside any SVG', () => {
		const html = renderProse('x <svg onload="alert(1)"><script>alert(2)</script><circle r="5"/></svg> y');
		expect(html).not.toMatch(/<svg|onload|<script/i);
	});
});
