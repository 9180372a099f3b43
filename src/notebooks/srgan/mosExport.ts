// A mini-MOS session as files: CSV (one row per answer, spreadsheet-safe) and JSON (the answers,
// the faces and methods, the per-method summary with how its interval was computed, and the
// paired Wilcoxon signed-rank comparisons).

import type { MosData } from './mosSession';
import { summarise } from './mosStats';
import { pairedComparisons } from './mosPaired';

export const CSV_COLUMNS = ['order', 'face_id', 'face_label', 'method_id', 'method_label', 'score', 'skipped', 'position', 'time'] as const;

/**
 * One CSV field (RFC 4180): quoted when it holds a comma, quote or line break, quotes doubled.
 * Text a spreadsheet would run as a formula (starting with = + - @, tab or CR) gets a leading '.
 */
export function csvField(value: string | number | boolean | null): string {
	if (value === null) return '';
	let s = String(value);
	if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s)) s = `'${s}`;
	return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const labelsOf = (data: MosData) => {
	const faces = new Map(data.faces.map((f) => [f.id, f.label]));
	const methods = new Map(data.faces.flatMap((f) => f.methods.map((m) => [m.id, m.label] as const)));
	return { faces, methods };
};

/** Every answer in the order given, with CRLF line ends (RFC 4180). */
export function ratingsCsv(data: MosData): string {
	const { faces, methods } = labelsOf(data);
	const rows = data.records.map((r, i) =>
		[i + 1, r.face, faces.get(r.face) ?? '', r.method, methods.get(r.method) ?? '', r.score, r.score === null, r.position, new Date(r.time).toISOString()].map(csvField).join(',')
	);
	return [CSV_COLUMNS.join(','), ...rows].join('\r\n') + '\r\n';
}

/** The answers, faces, methods and per-method summary (NaN written as null). */
export function ratingsJson(data: MosData): string {
	const { faces, methods } = labelsOf(data);
	const num = (x: number) => (Number.isFinite(x) ? x : null);
	const summary = summarise(data);
	return JSON.stringify(
		{
			format: 'srlab mini-MOS ratings v1',
			scale: '1 (bad) to 5 (excellent), one rater; skipped = no score',
			interval: '95% Student-t interval of the mean: mean ± t(0.975, n−1)·sd/√n',
			faces: [...faces].map(([id, label]) => ({ id, label })),
			methods: [...methods].map(([id, label]) => ({ id, label })),
			ratings: data.records.map((r) => ({ face: r.face, method: r.method, score: r.score, skipped: r.score === null, position: r.position, time: new Date(r.time).toISOString() })),
			summary: summary.map((s) => ({ method: s.method, label: s.label, n: s.n, skipped: s.skipped, mean: num(s.mean), sd: num(s.sd), ci95: [num(s.lo), num(s.hi)] })),
			paired: pairedComparisons(data, summary.map((s) => s.method)).map((c) => ({ a: c.a, b: c.b, faces: c.faces, aHigher: c.aBetter, bHigher: c.bBetter, equal: c.ties, wilcoxon: { n: c.test.n, wPlus: c.test.wPlus, p: num(c.test.p), method: c.test.method } }))
		},
		null,
		2
	);
}
