// The offline half of the experiment cell: the blur-length sweep measured on held-out test faces by
// `npm run eval:joint-sweep` (train/joint_sr/sweep.py), read from /eval/joint-sr-sweep.json, with
// §4.5's question answered from its numbers at each length (sweepData.ts). Until the file exists
// the cell says so and plots nothing. View: OfflineSweep.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import { blurBranchEffect, parseSweepReport, type BranchEffect, type SweepReport } from './sweepData';

export const SWEEP_URL = '/eval/joint-sr-sweep.json';

export type OfflineSweep = { state: 'missing'; reason: string } | ({ state: 'measured'; effect: BranchEffect[] } & SweepReport);

export async function fetchSweep(signal: AbortSignal, fetchFn: typeof fetch = fetch): Promise<OfflineSweep> {
	const res = await fetchFn(SWEEP_URL, { signal, cache: 'no-cache' });
	if (res.status === 404) return { state: 'missing', reason: `${SWEEP_URL} does not exist: the sweep has not been measured yet (npm run eval:joint-sweep writes it).` };
	if (!res.ok) throw new Error(`${SWEEP_URL}: HTTP ${res.status}`);
	let raw: unknown;
	try {
		raw = await res.json();
	} catch {
		throw new Error(`${SWEEP_URL} is not JSON`);
	}
	const report = parseSweepReport(raw);
	return { state: 'measured', ...report, effect: blurBranchEffect(report) };
}

export const jointOfflineSweep = defineCell({
	kind: 'joint-offline-sweep',
	summary: 'The blur-length sweep measured on test faces: PSNR and FID-proxy per model, and where the blurred branch helps.',
	compute: (ctx) => fetchSweep(ctx.signal)
});
