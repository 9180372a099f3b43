// The joint-SR card reader (src/models/jointSrCard.ts): every fact the notebook shows comes from
// card.json, a missing number stays undefined (never 0), the perceptual config is checked against
// the face net's layers, and the shipped cards (once trained) parse with their test numbers.
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseJointSrCard, parsePerceptual } from '../../src/models/jointSrCard';
import { shippedModel } from './shippedModels';

const card = {
	title: 'Joint SR + deblurring (paper 002), full model',
	quality_note: 'Trained on CPU for 18 minutes: a CPU stand-in.',
	deviations_from_papers: ['face-api face net instead of VGG-19', 16, '16 -> 128 px instead of 32 -> 256'],
	architecture: { parameters: 123456 },
	training: {
		config: 'cpu',
		hardware: 'AMD EPYC, 1 thread',
		device: 'cpu',
		wall_minutes: 17.5,
		steps: 900,
		batch: 8,
		lambda1: 100,
		lambda2: 10,
		perceptual: { layers: ['conv32', 'conv64'], scale: 0.1 },
		local_d_from_step: 360
	},
	test: {
		faces: 500,
		how: 'motion blur length U[0,16], angle U[0,180), bicubic x1/8',
		sharp: { psnr_db: 22.1, psnr_db_sd: 1.5, ssim: 0.61, ssim_sd: 0.05, fid_proxy: { value: 0.05, sd: 0.001, faces: 400 } },
		bicubic: { psnr_db: 20.3, ssim: 0.52, fid_proxy: 0.09 }
	}
};

describe('parseJointSrCard', () => {
	it('reads the training facts, λs, perceptual config and both test rows', () => {
		const c = parseJointSrCard(card);
		expect(c.title).toBe(card.title);
		expect(c.standIn).toBe(true);
		expect(c.minutes).toBe(17.5);
		expect(c.steps).toBe(900);
		expect(c.batch).toBe(8);
		expect(c.parameters).toBe(123456);
		expect([c.lambda1, c.lambda2]).toEqual([100, 10]);
		expect(c.perceptual).toEqual({ layers: ['conv32', 'conv64'], scale: 0.1, px: undefined });
		expect(c.localDFromStep).toBe(360);
		expect(c.deviations).toEqual(['face-api face net instead of VGG-19', '16 -> 128 px instead of 32 -> 256']);
		expect(c.test.faces).toBe(500);
		expect(c.test.sharp).toEqual({ psnrDb: 22.1, psnrSd: 1.5, ssim: 0.61, ssimSd: 0.05, fidProxy: { value: 0.05, sd: 0.001, faces: 400 } });
		expect(c.test.bicubic).toEqual({ psnrDb: 20.3, psnrSd: undefined, ssim: 0.52, ssimSd: undefined, fidProxy: { value: 0.09, sd: undefined, faces: undefined } });
	});

	it('leaves what a card lacks undefined, never 0', () => {
		const c = parseJointSrCard({ training: {}, test: { sharp: { psnr_db: null } } });
		expect(c.test.sharp).toEqual({ psnrDb: undefined, psnrSd: undefined, ssim: undefined, ssimSd: undefined, fidProxy: undefined });
		expect(c.lambda1).toBeUndefined();
		expect(c.perceptual).toBeUndefined();
		expect(c.localDFromStep).toBeUndefined();
		expect(c.deviations).toEqual([]);
		expect(() => parseJointSrCard([])).toThrow(/not an object/);
	});

	it('refuses a perceptual config with a layer the face net does not have', () => {
		expect(parsePerceptual({ layers: ['pool5'], scale: 1 })).toBeUndefined();
		expect(parsePerceptual({ layers: ['conv64'] })).toBeUndefined();
		expect(parsePerceptual({ layers: ['conv64'], scale: 2, px: 150 })).toEqual({ layers: ['conv64'], scale: 2, px: 150 });
	});

	for (const name of ['joint-sr', 'joint-sr-noblur', 'joint-sr-nolocal'] as const) {
		const dir = `static/weights/${name}`;
		const shipped = existsSync(`${dir}/card.json`) && existsSync(`${dir}/model.json`);
		it.skipIf(!shipped)(`${name}: the shipped card has test numbers for the net and bicubic, λs and the perceptual config`, () => {
			const c = parseJointSrCard(JSON.parse(readFileSync(`${dir}/card.json`, 'utf8')));
			expect(c.test.sharp.psnrDb).toBeTypeOf('number');
			expect(c.test.bicubic.psnrDb).toBeTypeOf('number');
			expect(c.test.sharp.ssim).toBeTypeOf('number');
			expect(c.lambda1).toBeTypeOf('number');
			expect(c.perceptual).toBeDefined();
			expect(c.minutes).toBeTypeOf('number');
		});

		it.skipIf(!shipped)(`${name}: loads through the catalog; the card vouches for the weights and agrees with their shapes`, async () => {
			const m = await shippedModel(name);
			expect(m.cardProblem).toBeUndefined();
			const cfg = JSON.parse(readFileSync(`${dir}/model.json`, 'utf8')).modelConfig;
			expect(m.info).toMatchObject({ width: cfg.width, blurBranch: cfg.blurBranch, localD: cfg.localD, globalD: true });
			expect(m.info.blurBranch).toBe(name !== 'joint-sr-noblur');
			expect(m.info.localD).toBe(name !== 'joint-sr-nolocal');
			expect(m.card!.localDFromStep === undefined).toBe(name === 'joint-sr-nolocal');
			expect(m.card!.perceptual).toEqual(parsePerceptual(cfg.perceptual));
			expect([m.card!.lambda1, m.card!.lambda2]).toEqual([cfg.lambda1, cfg.lambda2]);
		});
	}
});
