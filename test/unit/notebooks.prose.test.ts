// Every notebook's prose goes through the real pipeline (Markdown + KaTeX) with KaTeX errors
// thrown instead of drawn in red, so a TeX command that lost its backslash (a TAB for \t, a
// form feed for \f) fails here rather than rendering broken.
import { describe, expect, it } from 'vitest';
import { NOTEBOOKS } from '../../src/notebooks/index';
import { renderMarkdownWithMath } from '../../src/lib/prose/render';

describe('notebook prose', () => {
	for (const nb of NOTEBOOKS) {
		for (const cell of nb.cells) {
			if (cell.kind !== 'prose') continue;
			const md = (cell as { markdown: string }).markdown;
			it(`${nb.id} › ${cell.id}: renders every equation and holds no control characters`, () => {
				expect(md.trim().length).toBeGreaterThan(0);
				expect(md).not.toMatch(/[\u0000-\u0008\u000b-\u001f]/);
				expect(() => renderMarkdownWithMath(md, { strict: true })).not.toThrow();
			});
		}
	}
});
