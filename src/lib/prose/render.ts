// Notebook prose: Markdown with KaTeX math ($inline$, $$display$$), sanitised before it
// reaches the DOM. Math is rendered first and protected from Markdown by placeholders, so
// underscores and asterisks inside equations are not taken for emphasis.
// Prose is ours, but the renderer still treats it as hostile: it never throws (5,000 nested
// braces overflowed KaTeX's parser, 3,000 ">" marked's), and the sanitised HTML can hold no
// inline style or class (a full-page overlay) and no form (a fake login).

import katex from 'katex';
import { marked } from 'marked';
import DOMPurify, { type Config } from 'dompurify';

const MATH = /\$\$([\s\S]+?)\$\$|\$([^$\n]+?)\$/g;
const PLACEHOLDER = /@@MATH(\d+)@@/g;
/** Longer prose is shown as plain text: Markdown parsing of deep nesting grows faster than linearly. */
export const MAX_PROSE_CHARS = 100_000;

const FORMS = ['form', 'input', 'button', 'select', 'option', 'optgroup', 'textarea', 'datalist', 'fieldset', 'label', 'output'];
/** The author's Markdown/HTML: no styles, classes (they could borrow the app's fixed-position ones) or forms. */
const TEXT_CONFIG: Config = { USE_PROFILES: { html: true }, FORBID_TAGS: FORMS, FORBID_ATTR: ['style', 'class'], ADD_ATTR: ['aria-hidden'] };
/**
 * KaTeX's output: its classes and inline layout styles are its own (TeX cannot set CSS while
 * `trust` is off), and so are the SVG paths it draws stretchy delimiters (\big|, \left( … \right)),
 * roots and accents with.
 */
const MATH_CONFIG: Config = { USE_PROFILES: { html: true, mathMl: true, svg: true }, FORBID_TAGS: FORMS, ADD_ATTR: ['aria-hidden', 'encoding'] };

// TeX can size and move its own output (\rule, \kern, \raisebox). KaTeX caps sizes given by
// the author (maxSize) but not moves, so every length in its inline styles is capped at
// MAX_MATH_EM (the notebooks' equations use ≤ 5 em): no equation becomes a box over the page.
const KATEX_LIMITS = { maxSize: 10, maxExpand: 1000 };
const MAX_MATH_EM = 20;
const capLengths = (html: string) =>
	html.replace(/style="[^"]*"/g, (style) => style.replace(/(\d+(?:\.\d+)?)em/g, (m, n: string) => (Number(n) > MAX_MATH_EM ? `${MAX_MATH_EM}em` : m)));

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The Markdown as HTML with @@MATHi@@ placeholders, and each equation's KaTeX HTML. */
function renderParts(markdown: string, strict: boolean): { html: string; math: string[] } {
	const math: string[] = [];
	const protectedText = markdown.replace(MATH, (_m, display: string | undefined, inline: string | undefined) => {
		const tex = (display ?? inline ?? '').trim();
		try {
			math.push(capLengths(katex.renderToString(tex, { displayMode: display !== undefined, throwOnError: strict, output: 'htmlAndMathml', ...KATEX_LIMITS })));
		} catch (e) {
			if (strict) throw e;
			math.push(`<code>${escapeHtml(tex)}</code>`); // e.g. RangeError from absurd nesting: show the source
		}
		return `@@MATH${math.length - 1}@@`;
	});
	return { html: marked.parse(protectedText, { async: false, gfm: true }) as string, math };
}

/** `strict` makes a TeX error throw (the prose test) instead of showing it in red. */
export function renderMarkdownWithMath(markdown: string, opts: { strict?: boolean } = {}): string {
	const { html, math } = renderParts(markdown, opts.strict ?? false);
	return html.replace(PLACEHOLDER, (m, i: string) => math[Number(i)] ?? m);
}

/** Markdown + math → sanitised HTML, safe for {@html}. Never throws. Browser only (DOMPurify needs a DOM). */
export function renderProse(markdown: string): string {
	try {
		if (markdown.length > MAX_PROSE_CHARS) return plainText(markdown);
		const { html, math } = renderParts(markdown, false);
		const out = DOMPurify.sanitize(html, { ...TEXT_CONFIG, RETURN_DOM_FRAGMENT: true });
		insertMath(out, math);
		const box = document.createElement('div');
		box.append(out);
		return box.innerHTML;
	} catch {
		return plainText(markdown);
	}
}

// Math goes in after sanitising, each equation sanitised on its own terms, and only where a
// placeholder is text: one inside an attribute stays literal text.
function insertMath(root: DocumentFragment, math: string[]): void {
	const hits: Text[] = [];
	const walk = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
	while (walk.nextNode()) if ((walk.currentNode as Text).data.includes('@@MATH')) hits.push(walk.currentNode as Text);
	for (const node of hits) {
		const parts = node.data.split(PLACEHOLDER); // text, index, text, index, …, text
		node.replaceWith(
			...parts.map((p, k) =>
				k % 2 === 0 || math[Number(p)] === undefined
					? document.createTextNode(k % 2 === 0 ? p : `@@MATH${p}@@`)
					: DOMPurify.sanitize(math[Number(p)], { ...MATH_CONFIG, RETURN_DOM_FRAGMENT: true })
			)
		);
	}
}

function plainText(markdown: string): string {
	return `<pre>${escapeHtml(markdown.slice(0, MAX_PROSE_CHARS))}</pre>`;
}
