// card.json of the SRResNet / SRGAN nets (train/srgan/card.py) → the common card facts plus
// what the SRGAN notebook shows: the loss the net was trained on and its measured test quality
// (PSNR/SSIM on faces64 test faces, written at export; FID-proxy, written by train/srgan/plane.py,
// null until measured). Nothing here is typed in by hand.

import { num, obj, parseCard, str, type CardFacts } from './cards';

export interface SrganTestQuality {
	faces: number;
	psnrDb: number;
	ssim: number;
	note?: string;
}

export interface SrganCard extends CardFacts {
	/** The training loss in words, as the card states it. */
	loss?: string;
	/** Adversarial weight (SRGAN only). */
	advWeight?: number;
	/** Absent when the card has no complete test block. */
	test?: SrganTestQuality;
}

export function parseSrganCard(raw: unknown): SrganCard {
	const facts = parseCard(raw);
	const c = obj(raw);
	const t = obj(c.training);
	const q = obj(c.test);
	const faces = num(q.faces);
	const psnrDb = num(q.psnr_db);
	const ssim = num(q.ssim);
	const test = faces !== undefined && psnrDb !== undefined && ssim !== undefined ? { faces, psnrDb, ssim, note: str(q.note) } : undefined;
	return { ...facts, title: str(c.title) ?? 'SRResNet', loss: str(t.loss), advWeight: num(t.adv_weight), test };
}
