// Numbers for the speed readout: arithmetic per training step (counted from the nets' layer
// sizes), what the measured rate achieves, and what the paper's schedule would take at it.

import type { GanShape } from './nets';
import type { Phase } from './schedule';

/** Multiply-adds of one generator and one critic forward pass for one image at `phase`. */
export function forwardMacs(s: GanShape, phase: Phase): { g: number; d: number } {
	const c = s.channels;
	const L = s.levels.indexOf(phase.level);
	const conv3 = (r: number) => r * r * 9 * c * c;
	let g = s.latent * 16 * c + conv3(4) + phase.level ** 2 * 3 * c;
	let d = phase.level ** 2 * 3 * c + conv3(4) + 16 * c;
	for (let i = 1; i <= L; i++) {
		const r = s.levels[i];
		g += 2 * conv3(r);
		d += 2 * conv3(r) + (r / 2) ** 2 * 4 * c * c;
	}
	if (phase.alpha < 1 && L > 0) {
		g += (phase.level / 2) ** 2 * 3 * c;
		d += (phase.level / 2) ** 2 * 3 * c;
	}
	return { g, d };
}

/**
 * Floating-point operations of one training step, estimated from the passes it makes per image
 * with a backward pass costing twice its forward: critic update = G forward + D forward and
 * backward on real and fake (2 × 3) + the penalty's D forward and input gradient, then the
 * backward of both (2 × 3); generator update = 3 × (G + D). So ≈ 4·G + 15·D per image, 2 FLOPs
 * per multiply-add.
 */
export function flopsPerStep(s: GanShape, phase: Phase, batch: number): number {
	const { g, d } = forwardMacs(s, phase);
	return 2 * batch * (4 * g + 15 * d);
}

/** Karras et al. 2018 §A.1 show 800k real images per fade-in and per stabilising phase. */
export const PAPER_IMAGES_PER_PHASE = 800_000;

/** Seconds the paper's schedule (its phases for these levels) would take at `stepsPerSecond`. */
export function paperScheduleSeconds(levels: number, batch: number, stepsPerSecond: number): number {
	const phases = 2 * levels - 1;
	return (phases * PAPER_IMAGES_PER_PHASE) / batch / stepsPerSecond;
}

/** "3.2 s", "4.5 min", "2.1 h", "3.0 days". */
export function formatDuration(seconds: number): string {
	if (!Number.isFinite(seconds)) return '—';
	if (seconds < 90) return `${seconds.toFixed(1)} s`;
	if (seconds < 90 * 60) return `${(seconds / 60).toFixed(1)} min`;
	if (seconds < 48 * 3600) return `${(seconds / 3600).toFixed(1)} h`;
	return `${(seconds / 86400).toFixed(1)} days`;
}
