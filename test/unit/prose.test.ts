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
