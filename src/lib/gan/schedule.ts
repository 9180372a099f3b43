// The progressive-growing schedule (Karras et al. 2018 §3; SR-NAM §3.3, Fig. 2b): train at the
// first resolution, then for each next one a fade-in phase, in which the new layers' weight α
// rises linearly from 0 to 1, followed by a stabilising phase at α = 1. Every phase lasts the
// same number of training steps. Past the last phase training stays at the final resolution.

export interface GrowthSchedule {
	/** Resolutions in order, each twice the previous, e.g. [4, 8, 16]. */
	levels: readonly number[];
	/** Training steps per phase (fade-in or stabilise). */
	stepsPerPhase: number;
}

export interface Phase {
	/** Resolution trained at this step. */
	level: number;
	/** Index of `level` in the schedule's levels. */
	levelIndex: number;
	/** Weight of the newest layers (1 outside a fade-in). */
	alpha: number;
	fading: boolean;
	/** Phase number: 0 = first resolution, then fade, stabilise, fade, … */
	phase: number;
}

export function checkSchedule(s: GrowthSchedule): void {
	if (!(s.levels.length >= 1) || !Number.isInteger(s.stepsPerPhase) || s.stepsPerPhase < 1) throw new RangeError(`gan schedule: bad ${JSON.stringify(s)}`);
	for (let i = 1; i < s.levels.length; i++)
		if (s.levels[i] !== 2 * s.levels[i - 1]) throw new RangeError(`gan schedule: each level must double the previous, got ${s.levels.join(', ')}`);
}

/** One phase at the first level, then a fade-in and a stabilise phase per further level. */
export function phaseCount(s: GrowthSchedule): number {
	return 2 * s.levels.length - 1;
}

/** Steps of the whole schedule. */
export function totalSteps(s: GrowthSchedule): number {
	return phaseCount(s) * s.stepsPerPhase;
}

/** Level and α of training step `step` (0-based): α = (step − phase start) / stepsPerPhase in a fade. */
export function phaseAt(step: number, s: GrowthSchedule): Phase {
	const last = phaseCount(s) - 1;
	const phase = Math.min(last, Math.max(0, Math.floor(step / s.stepsPerPhase)));
	const levelIndex = Math.ceil(phase / 2);
	const fading = phase % 2 === 1 && step < totalSteps(s);
	const alpha = fading ? (step - phase * s.stepsPerPhase) / s.stepsPerPhase : 1;
	return { level: s.levels[levelIndex], levelIndex, alpha, fading, phase };
}
