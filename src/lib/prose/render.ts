// Notebook prose: Markdown with KaTeX math ($inline$, $$display$$), sanitised before it
// reaches the DOM. Math is rendered first and protected from Markdown by placeholders, so
// underscores and asterisks inside equations are not taken for emphasis.

import katex from 'katex';
import { marked } from 'marked';
import DOMPurify from 'dompurify';

const MATH = /\$\$([\s\S]+?)\$\$|\$([^$\n]+?)\$/g;

/** `strict` makes a TeX error throw (the prose test) instead of showing it in red. */
export function renderMarkdownWithMath(markdown: string, opts: { strict?: boolean } = {}): string {
	const rendered: string[] = [];
	const protectedText = markdown.replace(MATH, (_m, display: string | undefined, inline: string | undefined) => {
		const html = katex.renderToString((display ?? inline ?? '').trim(), {
			displayMode: display !== undefined,
			throwOnError: opts.strict ?? false,
			output: 'htmlAndMathml'
		});
		rendered.push(html);
		return `@@MATH${rendered.length - 1}@@`;
	});
	const html = marked.parse(protectedText, { async: false, gfm: true }) as string;
	return html.replace(/@@MATH(\d+)@@/g, (_m, i: string) => rendered[Number(i)]);
}

/** Markdown + math → sanitised HTML, safe for {@html}. Browser only (DOMPurify needs a DOM). */
export function renderProse(markdown: string): string {
	return DOMPurify.sanitize(renderMarkdownWithMath(markdown), {
		USE_PROFILES: { html: true, mathMl: true },
		ADD_ATTR: ['aria-hidden', 'encoding']
	});
}
