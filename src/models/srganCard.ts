// card.json of the SRResNet / SRGAN nets (train/srgan/card.py) → the common card facts plus
// what the SRGAN notebook shows: the loss the net was trained on and its measured test quality
// (PSNR/SSIM on faces64 test faces, written at export; FID-proxy, written by train/srgan/plane.py,
// null until measured) and where its content loss was measured. Nothing here is typed in by hand.

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
	/** FID-proxy of its outputs on the plane's test faces (train/srgan/plane.py), mean ± sd over subsampling seeds. */
	fid?: { value: number; sd?: number; faces: number };
	/** Where the content loss (Eq. 5) was measured: face-net layer, the side faces were resized to, the features' scale. */
	content?: { layer: string; px: number; scale: number };
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
	const k = obj(t.content);
	const [layer, px, scale] = [str(k.content_layer), num(k.content_px), num(k.feature_scale)];
	const content = layer !== undefined && px !== undefined && scale !== undefined ? { layer, px, scale } : undefined;
	const f = obj(c.fid_proxy);
	const [fidValue, fidFaces] = [num(f.value), num(f.faces)];
	const fid = fidValue !== undefined && fidFaces !== undefined ? { value: fidValue, sd: num(f.sd), faces: fidFaces } : undefined;
	return { ...facts, title: str(c.title) ?? 'SRResNet', loss: str(t.loss), advWeight: num(t.adv_weight), test, content, fid };
}
