// The live half of the experiment cell (§4.5 on this face): the sharp HR degraded with the drawn
// kernel's angle at each length 0, every, 2·every, … up to `upTo`, every loaded model's Î_HR and
// bicubic ×8 scored against the sharp HR (src/lib/jointSr/sweep.ts). One length per GPU-queue turn,
// with progress; the Run/Cancel button is the `active` param. A cancelled sweep keeps the lengths
// it finished, and a finished one is kept for its face, angle and lengths, so changing only the
// kernel's length does not run it again; one cut off by a re-run goes on where it stopped. View: LiveSweep.svelte.

import * as tf from '@tensorflow/tfjs';
import { defineCell } from '$lib/notebook/cellKind';
import { imageToSigned } from '$lib/jointSr/degrade';
import { blurLengthSweep, type SweepRow } from '$lib/jointSr/sweep';
import { jointInput } from './input';
import { jointNets, loadedNets } from './nets';

export interface LiveSweep {
	state: 'idle' | 'none' | 'stopped' | 'done';
	reason?: string;
	lengths: number[];
	angle: number;
	rows: SweepRow[];
	/** Lengths measured (all of `lengths` when done). */
	finished: number;
}

/** 0, every, 2·every, … ≤ upTo (always at least 0 and one more length when upTo ≥ every). */
export function sweepLengths(upTo: number, every: number): number[] {
	if (!(every > 0)) throw new Error(`sweep: step ${every} is not positive`);
	const out: number[] = [];
	for (let i = 0; i * every <= upTo + 1e-9; i++) out.push(Math.round(i * every * 100) / 100);
	return out;
}

/** The rows of one method, in length order (for the chart and the table). */
export function seriesOf(rows: SweepRow[], method: string): SweepRow[] {
	return rows.filter((r) => r.method === method).sort((a, b) => a.length - b.length);
}

let kept: { key: string; rows: SweepRow[]; finished: number; complete: boolean } | undefined;

export const jointLiveSweep = defineCell({
	kind: 'joint-live-sweep',
	summary: 'Sweeps the blur length on this face and charts every model’s PSNR and bicubic’s, with progress and Cancel.',
	params: {
		active: { type: 'boolean', label: 'Sweep', default: false, help: 'Run the sweep (seconds per length, depending on the backend); untick, or press Cancel, to stop it.' },
		upTo: { type: 'number', label: 'Longest blur', min: 2, max: 24, step: 2, default: 24, unit: 'HR px', help: 'The sweep runs from no blur to this length.' },
		every: { type: 'number', label: 'Every', min: 2, max: 12, step: 2, default: 4, unit: 'HR px', help: 'Step between the lengths.' }
	},
	inputs: { input: jointInput, nets: jointNets },
	async compute(ctx): Promise<LiveSweep> {
		const { input, nets } = ctx.inputs;
		const lengths = sweepLengths(ctx.params.upTo, ctx.params.every);
		const angle = input.angle;
		const base = { lengths, angle, rows: [] as SweepRow[], finished: 0 };
		if (!input.hr) return { ...base, state: 'none', reason: 'A real LR face has no sharp HR to blur and score against.' };
		const models = loadedNets(nets).map((n) => ({ name: n.id, weights: n.model.weights }));
		const key = JSON.stringify([input.faceId, angle, lengths, models.map((m) => m.name)]);
		const mine = kept?.key === key ? kept : undefined;
		if (!ctx.params.active) return mine ? { ...base, state: mine.complete ? 'done' : 'stopped', rows: mine.rows, finished: mine.finished } : { ...base, state: 'idle' };
		if (mine?.complete) return { ...base, state: 'done', rows: mine.rows, finished: mine.finished };
		const hr = input.hr;
		// an unfinished sweep of the same face, angle and lengths (cut off by a re-run) goes on where it stopped
		const run = mine ?? (kept = { key, rows: [], finished: 0, complete: false });
		const steps = lengths.length * (models.length + 1);
		while (run.finished < lengths.length) {
			const length = lengths[run.finished];
			const rows = await ctx.gpu(async () => {
				const t = imageToSigned(hr);
				try {
					return await blurLengthSweep({
						hr: t,
						lengths: [length],
						angleDeg: angle,
						models,
						signal: ctx.signal,
						onProgress: (p) => ctx.progress((run.rows.length + p.done) / steps)
					});
				} finally {
					tf.dispose(t);
				}
			});
			// a superseded run keeps nothing: the run that replaced it measures this length again
			ctx.signal.throwIfAborted();
			run.rows.push(...rows);
			run.finished++;
		}
		run.complete = true;
		return { ...base, state: 'done', rows: run.rows, finished: run.finished };
	}
});
