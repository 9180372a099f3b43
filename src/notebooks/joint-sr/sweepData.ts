// Reads static/eval/joint-sr-sweep.json (written by `npm run eval:joint-sweep`, train/joint_sr/
// sweep.py; schema "srlab-joint-sr-sweep/1", the shape in the issue-15 contract) into one series
// per method over blur length, and answers §4.5's question from those numbers: at each length,
// does the blurred branch help (joint-sr against joint-sr-noblur)? Unknown or malformed parts are
// dropped with a note, never filled in.

import { num, obj, str } from '$models/cards';

export const SWEEP_SCHEMA = 'srlab-joint-sr-sweep/1';

export interface MeanSd {
	mean: number;
	sd?: number;
}

export interface SweepPoint {
	length: number;
	psnr: MeanSd;
	ssim?: MeanSd;
	fid?: MeanSd;
}

export interface SweepSeries {
	method: string;
	label: string;
	what?: string;
	points: SweepPoint[];
}

export interface SweepReport {
	measuredAt?: string;
	hardware?: string;
	faces?: string;
	nFaces?: number;
	how?: string;
	fidNote?: string;
	/** The longest blur the models were trained on (the file's training_range.lengthMax). */
	trainedUpTo?: number;
	series: SweepSeries[];
	/** Per-face paired PSNR differences "<a> - <b>" by length (mean and sd over faces), when the file has them. */
	paired: Record<string, { length: number; psnr: MeanSd }[]>;
	/** Points or methods left out for missing numbers. */
	dropped: string[];
}

function meanSd(v: unknown): MeanSd | undefined {
	// a bare number is a mean without a spread
	if (typeof v === 'number') return Number.isFinite(v) ? { mean: v } : undefined;
	const o = obj(v);
	const mean = num(o.mean) ?? num(o.value);
	return mean === undefined ? undefined : { mean, sd: num(o.sd) };
}

export function parseSweepReport(raw: unknown): SweepReport {
	const r = obj(raw);
	if (r.schema !== SWEEP_SCHEMA) throw new Error(`joint-sr-sweep.json: schema ${JSON.stringify(r.schema)}, expected ${SWEEP_SCHEMA}`);
	const dropped: string[] = [];
	const series: SweepSeries[] = [];
	for (const [method, m] of Object.entries(obj(r.methods))) {
		const row = obj(m);
		const points: SweepPoint[] = [];
		for (const p of Array.isArray(row.rows) ? row.rows : []) {
			const q = obj(p);
			const length = num(q.length);
			const psnr = meanSd(q.psnr_db);
			if (length === undefined || !psnr) {
				dropped.push(`${method} at ${length ?? '?'} px (no PSNR)`);
				continue;
			}
			points.push({ length, psnr, ssim: meanSd(q.ssim), fid: meanSd(q.fid_proxy) });
		}
		if (!points.length) {
			dropped.push(`${method} (no rows)`);
			continue;
		}
		points.sort((a, b) => a.length - b.length);
		series.push({ method, label: str(row.label) ?? method, what: str(row.what), points });
	}
	const hw = obj(r.hardware);
	return {
		measuredAt: str(r.measured_at),
		hardware: [str(hw.cpu), num(hw.threads) !== undefined ? `${hw.threads} thread(s)` : undefined].filter(Boolean).join(', ') || undefined,
		faces: str(r.faces),
		nFaces: num(r.n_faces),
		how: str(r.how),
		fidNote: str(r.fid_note),
		trainedUpTo: num(obj(r.training_range).lengthMax),
		series,
		paired: Object.fromEntries(
			Object.entries(obj(r.paired_differences)).map(([pair, v]) => {
				const rows = Array.isArray(obj(v).rows) ? (obj(v).rows as unknown[]) : [];
				return [pair, rows.flatMap((q) => {
					const length = num(obj(q).length);
					const psnr = meanSd(obj(q).psnr_db);
					return length === undefined || !psnr ? [] : [{ length, psnr }];
				})];
			})
		),
		dropped
	};
}

export type Verdict = 'helps' | 'hurts' | 'unclear';

export interface BranchEffect {
	length: number;
	/** joint-sr − joint-sr-noblur, dB (higher PSNR is better). */
	psnrDiff: number;
	/** Two standard errors of that difference; absent without sds. */
	psnrMargin?: number;
	/** Whether the margin is from per-face paired differences (else unpaired, so on the wide side). */
	paired: boolean;
	psnr: Verdict;
	/** joint-sr − joint-sr-noblur FID-proxy (lower is better); absent when either lacks it. */
	fidDiff?: number;
	fidMargin?: number;
	fid?: Verdict;
}

/**
 * Compare a difference with its margin: beyond it in the good direction "helps", in the bad one
 * "hurts", within it "unclear". Without a margin only an exact tie is unclear.
 */
export function verdict(diff: number, margin: number | undefined, higherIsBetter: boolean): Verdict {
	const good = higherIsBetter ? diff : -diff;
	const m = margin ?? 0;
	return good > m ? 'helps' : good < -m ? 'hurts' : 'unclear';
}

/** Two standard errors of a difference of two means, each mean ± sd over n items (independent). */
function margin(a: MeanSd, b: MeanSd, n: number | undefined): number | undefined {
	if (a.sd === undefined || b.sd === undefined) return undefined;
	const scale = n && n > 1 ? Math.sqrt(n) : 1; // without n the sds are taken as the means' own errors
	return 2 * Math.hypot(a.sd / scale, b.sd / scale);
}

/**
 * §4.5 made measurable: at every length both joint-sr and joint-sr-noblur were measured at, the
 * difference of their PSNR and FID-proxy, each with a verdict. PSNR's margin is two standard errors
 * over nFaces: of the per-face paired difference when the file has it, else of two independent
 * means (wider). FID-proxy's sd is already over subsampling seeds, so it is the error itself.
 * Empty when either model is missing from the report.
 */
export function blurBranchEffect(report: SweepReport, full = 'joint-sr', ablation = 'joint-sr-noblur'): BranchEffect[] {
	const a = report.series.find((s) => s.method === full);
	const b = report.series.find((s) => s.method === ablation);
	if (!a || !b) return [];
	const pairs = report.paired[`${full} - ${ablation}`] ?? [];
	const out: BranchEffect[] = [];
	for (const p of a.points) {
		const q = b.points.find((x) => x.length === p.length);
		if (!q) continue;
		const pair = pairs.find((x) => x.length === p.length);
		const n = report.nFaces;
		const pairedMargin = pair?.psnr.sd !== undefined && n && n > 1 ? (2 * pair.psnr.sd) / Math.sqrt(n) : undefined;
		const psnrDiff = pairedMargin !== undefined ? pair!.psnr.mean : p.psnr.mean - q.psnr.mean;
		const psnrMargin = pairedMargin ?? margin(p.psnr, q.psnr, n);
		const effect: BranchEffect = { length: p.length, psnrDiff, psnrMargin, paired: pairedMargin !== undefined, psnr: verdict(psnrDiff, psnrMargin, true) };
		if (p.fid && q.fid) {
			effect.fidDiff = p.fid.mean - q.fid.mean;
			effect.fidMargin = margin(p.fid, q.fid, undefined);
			effect.fid = verdict(effect.fidDiff, effect.fidMargin, false);
		}
		out.push(effect);
	}
	return out;
}
