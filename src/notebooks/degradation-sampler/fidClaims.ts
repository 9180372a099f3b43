// The FID-proxy claims cell of the Degradation Sampler: the measured claims stored in the model
// cards' `fid_proxy` (written by train/degradation/claims.py), read at run time — nothing typed in.
// Claim 1 (degrader card): learned LR vs real LR against bicubic LR vs real LR (paper 001 §4.1
// idea: the learned degradation should look like real low-resolution faces). Claim 2 (low2high
// card): SR of real LR faces by the degrader-trained net vs the bicubic-trained twin (§4.2),
// with plain bicubic upsampling as the reference. View: FidClaims.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import { readCard } from '$models/load';
import { modelDir } from '$models/catalog';
import { num, obj, str } from '$models/cards';

export interface FidRow {
	key: string;
	label: string;
	role: 'learned' | 'baseline' | 'reference' | 'floor';
	mean: number;
	sd: number;
	n: number;
	perSeed: number[];
}

export interface FidClaim {
	id: 'claim1' | 'claim2';
	question: string;
	rows: FidRow[];
	/** learned mean < baseline mean, computed here from the rows. */
	holds: boolean | null;
	/** Baseline/reference rows below the learned row (the real-vs-real floor is not a rival). */
	beatenBy: string[];
}

export interface FidTable {
	claims: FidClaim[];
	note?: string;
	measuredAt?: string;
	problems: string[];
}

const ROWS: Record<FidClaim['id'], { key: string; label: string; role: FidRow['role'] }[]> = {
	claim1: [
		{ key: 'degrader_vs_real_lr_test', label: 'learned degrader LR vs real LR (test)', role: 'learned' },
		{ key: 'bicubic_vs_real_lr_test', label: 'bicubic LR vs real LR (test)', role: 'baseline' },
		{ key: 'real_lr_train_vs_real_lr_test', label: 'real LR (train) vs real LR (test) — floor', role: 'floor' }
	],
	claim2: [
		{ key: 'low2high_sr_vs_hr_test', label: 'SR by degrader-trained net vs HR (test)', role: 'learned' },
		{ key: 'low2high_bicubic_sr_vs_hr_test', label: 'SR by bicubic-trained twin vs HR (test)', role: 'baseline' },
		{ key: 'bicubic_upsampling_vs_hr_test', label: 'plain bicubic ×4 upsampling vs HR (test)', role: 'reference' }
	]
};

const QUESTIONS: Record<FidClaim['id'], string> = {
	claim1: 'Do learned LR faces look more like real LR faces than bicubic ones?',
	claim2: 'Does SR trained on learned LR do better on real LR faces than SR trained on bicubic LR?'
};

function row(results: Record<string, unknown>, spec: (typeof ROWS)['claim1'][number]): FidRow | null {
	const r = obj(results[spec.key]);
	const mean = num(r.mean);
	if (mean === undefined) return null;
	const perSeed = Array.isArray(r.per_seed) ? r.per_seed.filter((v): v is number => num(v) !== undefined) : [];
	return { ...spec, mean, sd: num(r.sd) ?? 0, n: num(r.n_a) ?? 0, perSeed };
}

/** Cards' raw JSON → the two claims. Missing pieces become problems, not invented numbers. */
export function parseFidClaims(degraderCard: unknown, low2highCard: unknown): FidTable {
	const problems: string[] = [];
	const claims: FidClaim[] = [];
	let note: string | undefined;
	let measuredAt: string | undefined;
	for (const [id, card, name] of [['claim1', degraderCard, 'degrader'], ['claim2', low2highCard, 'low2high']] as const) {
		const fp = obj(obj(card).fid_proxy);
		const results = obj(fp.results);
		if (!Object.keys(results).length) {
			problems.push(`The ${name} card has no measured FID-proxy values.`);
			continue;
		}
		note ??= str(fp.note);
		measuredAt ??= str(fp.measured_at);
		const rows = ROWS[id].map((s) => row(results, s)).filter((r): r is FidRow => r !== null);
		const learned = rows.find((r) => r.role === 'learned');
		const baseline = rows.find((r) => r.role === 'baseline');
		claims.push({
			id,
			question: QUESTIONS[id],
			rows,
			holds: learned && baseline ? learned.mean < baseline.mean : null,
			beatenBy: learned ? rows.filter((r) => (r.role === 'baseline' || r.role === 'reference') && r.mean < learned.mean).map((r) => r.label) : []
		});
	}
	return { claims, note, measuredAt, problems };
}

export const fidClaims = defineCell({
	kind: 'fid-table',
	summary: 'The FID-proxy claims the High-to-Low cards measured, charted with their spread.',
	async compute(ctx): Promise<FidTable> {
		// Only the cards (the shipped models' cards, read as the loader reads them); no weights.
		const card = (name: 'degrader' | 'low2high') => readCard(modelDir(name) + 'card.json', (raw) => raw, globalThis.fetch, ctx.signal);
		const [deg, l2h] = await Promise.all([card('degrader'), card('low2high')]);
		const table = parseFidClaims(deg.rawCard, l2h.rawCard);
		if (deg.cardProblem) table.problems.push(`The degrader card: ${deg.cardProblem}.`);
		if (l2h.cardProblem) table.problems.push(`The low2high card: ${l2h.cardProblem}.`);
		return table;
	}
});
