// card.json of the joint SR + deblurring nets (train/joint_sr/card.py; paper 002) → the common card
// facts plus what the joint-SR notebook shows: measured test quality of Î_HR and of bicubic ×8 from
// the same LR (PSNR/SSIM/FID-proxy), the loss weights λ1, λ2 (Eq. 6), the face-net layers and scale
// of the perceptual loss (Eq. 5, face-api's net instead of VGG-19), when D_l joined, and the stated
// deviations from the paper. Nothing here is typed in by hand; a number the card lacks is undefined.

import { num, obj, parseCard, str, type CardFacts } from './cards';
import { FACE_NET_LAYERS, type FaceNetLayer } from '$lib/eval/faceNet';

export interface JointSrQuality {
	/** Mean over the test faces, and the sd over faces when the card gives it. */
	psnrDb?: number;
	psnrSd?: number;
	ssim?: number;
	ssimSd?: number;
	/** FID-proxy (face-api descriptor space; not Inception FID): value, its sd over subsampling seeds and the set size when given. */
	fidProxy?: { value: number; sd?: number; faces?: number };
}

export interface JointSrTest {
	faces?: number;
	/** How the test LR faces were made, in the card's words. */
	how?: string;
	/** Î_HR of this net. */
	sharp: JointSrQuality;
	/** Bicubic ×8 of the same LR faces (the baseline). */
	bicubic: JointSrQuality;
}

export interface PerceptualConfig {
	layers: FaceNetLayer[];
	/** Features are multiplied by this before the L1 (Eq. 5). */
	scale: number;
	/** Side the faces are resized to before the face net, when they are (absent: fed at 128 px). */
	px?: number;
}

export interface JointSrCard extends CardFacts {
	deviations: string[];
	batch?: number;
	lambda1?: number;
	lambda2?: number;
	perceptual?: PerceptualConfig;
	/** Step at which D_l joined training (paper §4: networks added gradually); undefined without D_l. */
	localDFromStep?: number;
	test: JointSrTest;
}

function quality(raw: unknown): JointSrQuality {
	const q = obj(raw);
	// fid_proxy: a number or {value, sd, ...} (as train/srgan/plane.py writes it)
	const f = q.fid_proxy;
	const fv = num(f) ?? num(obj(f).value);
	const fidProxy = fv === undefined ? undefined : { value: fv, sd: num(obj(f).sd), faces: num(obj(f).faces) };
	return { psnrDb: num(q.psnr_db), psnrSd: num(q.psnr_db_sd), ssim: num(q.ssim), ssimSd: num(q.ssim_sd), fidProxy };
}

/** {layers, scale, px?} from a card's or model.json's `perceptual`; undefined when incomplete or naming an unknown layer. */
export function parsePerceptual(raw: unknown): PerceptualConfig | undefined {
	const p = obj(raw);
	const scale = num(p.scale);
	const layers = Array.isArray(p.layers) ? p.layers : [];
	if (scale === undefined || !layers.length || !layers.every((l) => (FACE_NET_LAYERS as readonly unknown[]).includes(l))) return undefined;
	return { layers: layers as FaceNetLayer[], scale, px: num(p.px) };
}

export function parseJointSrCard(raw: unknown): JointSrCard {
	const facts = parseCard(raw);
	const c = obj(raw);
	const t = obj(c.training);
	const q = obj(c.test);
	const deviations = Array.isArray(c.deviations_from_papers) ? c.deviations_from_papers.filter((d): d is string => typeof d === 'string') : [];
	return {
		...facts,
		title: str(c.title) ?? 'Joint face SR and deblurring',
		deviations,
		batch: num(t.batch),
		lambda1: num(t.lambda1),
		lambda2: num(t.lambda2),
		perceptual: parsePerceptual(t.perceptual),
		localDFromStep: num(t.local_d_from_step),
		test: { faces: num(q.faces), how: str(q.how), sharp: quality(q.sharp), bicubic: quality(q.bicubic) }
	};
}
