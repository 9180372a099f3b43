// The training cell of the Live GAN notebook: its settings become a TrainSession, from which the
// view's TrainController (trainController.ts) builds a GanTrainer (src/lib/gan/trainer.ts) and
// runs, pauses, steps and resets it. The compute only builds, so changing a setting never
// throws away a run by itself: the controller resumes a saved run only into the same settings.
// View: Train.svelte.

import { defineCell } from '$lib/notebook/cellKind';
import { toSeed } from '$lib/image/rng';
import { GanTrainer, type TrainerOptions } from '$lib/gan/trainer';
import { runFingerprint } from '$lib/gan/persist';
import { totalSteps } from '$lib/gan/schedule';
import { ganFaces } from './faces';

const params = {
	maxRes: {
		type: 'select',
		label: 'Grow up to',
		options: [
			{ value: '16', label: '16 px (4 → 8 → 16)' },
			{ value: '32', label: '32 px (4 → 8 → 16 → 32)' }
		],
		default: '16',
		help: '32 px adds two phases at four times the cost per step of 16 px: choose it when the speed readout is high.'
	},
	stepsPerPhase: { type: 'number', label: 'Steps per phase', min: 20, max: 2000, step: 10, default: 300, help: 'Training steps of every fade-in and every stabilising phase (Karras et al. show 800k images per phase).' },
	batch: { type: 'number', label: 'Batch', min: 2, max: 32, step: 1, default: 8, help: 'Real and fake faces per step.' },
	channels: { type: 'number', label: 'Channels', min: 4, max: 32, step: 4, default: 16, help: 'Width of every layer of G and D (the paper: 512 down to 16).' },
	lr: { type: 'number', label: 'Adam learning rate', min: 0.0001, max: 0.01, step: 0.0001, default: 0.002, help: 'Adam with β1 = 0, β2 = 0.99 for G and D (Karras et al. §A.1 use 0.001).' },
	lambda: { type: 'number', label: 'Penalty weight λ', min: 0, max: 20, step: 0.5, default: 10, help: 'Weight of the WGAN-GP gradient penalty (Gulrajani et al.: 10). 0 turns it off.' },
	seed: { type: 'seed', label: 'Training seed', default: 1, help: 'Seed of the initial weights, the batches, the latents and the fixed sample latents.' }
} as const;

export interface TrainSession {
	options: TrainerOptions;
	total: number;
	/** Settings + faces: a saved run resumes only into the same ones. */
	fingerprint: string;
	/** A fresh trainer (the controller owns and disposes it). */
	make(): GanTrainer;
	/** Run GPU work through the page's queue. */
	gpu<R>(task: () => Promise<R> | R): Promise<R>;
}

export const ganTrain = defineCell({
	kind: 'gan-train',
	summary: 'Trains a tiny progressive GAN (WGAN-GP, 4 → 16/32 px) on the faces, live: run, pause, step, reset.',
	params,
	inputs: { faces: ganFaces },
	compute(ctx): TrainSession {
		const faces = ctx.inputs.faces;
		const top = Number(ctx.params.maxRes);
		const levels = [4, 8, 16, 32].filter((r) => r <= top);
		const channels = Math.round(ctx.params.channels);
		const options: TrainerOptions = {
			shape: { levels, channels, latent: 32 },
			schedule: { levels, stepsPerPhase: Math.round(ctx.params.stepsPerPhase) },
			batch: Math.round(ctx.params.batch),
			adam: { learningRate: ctx.params.lr, beta1: 0, beta2: 0.99, epsilon: 1e-8 },
			critic: { lambda: ctx.params.lambda, drift: 0.001 },
			seed: toSeed(ctx.params.seed),
			faces,
			samples: 16
		};
		const { faces: _f, ...settings } = options;
		return {
			options,
			total: totalSteps(options.schedule),
			fingerprint: runFingerprint({ ...settings, source: faces.source, count: faces.count }, faces.data),
			make: () => new GanTrainer(options),
			gpu: (task) => ctx.gpu(task)
		};
	}
});
