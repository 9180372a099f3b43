// Reads static/eval/perception-distortion.json (written by `npm run eval:plane`, train/srgan/plane.py;
// its docstring documents the shape, schema "srlab-perception-distortion/1") into rows the plane
// cell plots. Unknown or malformed parts are dropped with a note, never filled in.

import { num, obj, str } from '$models/cards';

export const PLANE_SCHEMA = 'srlab-perception-distortion/1';

export interface MeanSd {
	mean: number;
	sd?: number;
}

export interface PlaneRow {
	method: string;
	label: string;
	what?: string;
	psnr: MeanSd;
	ssim?: MeanSd;
	fid: MeanSd;
}

export interface Plane {
	name: string;
	nFaces?: number;
	rows: PlaneRow[];
}

export interface PlaneReport {
	measuredAt?: string;
	hardware?: string;
	fidNote?: string;
	skipped: { method: string; why: string }[];
	planes: Plane[];
	/** Rows left out for missing numbers. */
	dropped: string[];
}

function meanSd(v: unknown): MeanSd | undefined {
	const o = obj(v);
	const mean = num(o.mean);
	return mean === undefined ? undefined : { mean, sd: num(o.sd) };
}

export function parsePlaneReport(raw: unknown): PlaneReport {
	const r = obj(raw);
	if (r.schema !== PLANE_SCHEMA) throw new Error(`perception-distortion.json: schema ${JSON.stringify(r.schema)}, expected ${PLANE_SCHEMA}`);
	const dropped: string[] = [];
	const planes: Plane[] = [];
	for (const [name, p] of Object.entries(obj(r.planes))) {
		const rows: PlaneRow[] = [];
		for (const [method, m] of Object.entries(obj(obj(p).methods))) {
			const row = obj(m);
			const psnr = meanSd(row.psnr_db);
			const fid = meanSd(row.fid_proxy);
			if (!psnr || !fid) {
				dropped.push(`${name}/${method}`);
				continue;
			}
			rows.push({ method, label: str(row.label) ?? method, what: str(row.what), psnr, ssim: meanSd(row.ssim), fid });
		}
		planes.push({ name, nFaces: num(obj(p).n_faces), rows });
	}
	const hw = obj(r.hardware);
	return {
		measuredAt: str(r.measured_at),
		hardware: [str(hw.cpu), num(hw.threads) !== undefined ? `${hw.threads} thread(s)` : undefined].filter(Boolean).join(', ') || undefined,
		fidNote: str(obj(r.metric_notes).fid_proxy),
		skipped: Object.entries(obj(r.skipped)).map(([method, why]) => ({ method, why: String(why) })),
		planes,
		dropped
	};
}

export interface PaperDirection {
	/** Of the paper-004 nets present in the plane, the one with the highest PSNR and the lowest FID-proxy. */
	bestPsnr: PlaneRow;
	bestFid: PlaneRow;
	mseBestPsnr: boolean;
	srganBestFid: boolean;
	/** FID-proxy of SRGAN minus SRResNet-MSE, and the sd of that difference from the two seed sds. */
	fidSrganMinusMse: number;
	fidDiffSd?: number;
}

const PAPER_004 = ['srresnet-mse', 'srresnet-content', 'srgan'];

/** The paper's direction (MSE best PSNR, SRGAN best FID-proxy) as measured in one plane; undefined without both nets. */
export function paperDirection(plane: Plane): PaperDirection | undefined {
	const trio = plane.rows.filter((r) => PAPER_004.includes(r.method));
	const mse = trio.find((r) => r.method === 'srresnet-mse');
	const gan = trio.find((r) => r.method === 'srgan');
	if (!mse || !gan) return undefined;
	const bestPsnr = trio.reduce((a, b) => (b.psnr.mean > a.psnr.mean ? b : a));
	const bestFid = trio.reduce((a, b) => (b.fid.mean < a.fid.mean ? b : a));
	const sds = [gan.fid.sd, mse.fid.sd];
	return {
		bestPsnr,
		bestFid,
		mseBestPsnr: bestPsnr === mse,
		srganBestFid: bestFid === gan,
		fidSrganMinusMse: gan.fid.mean - mse.fid.mean,
		fidDiffSd: sds.every((s) => s !== undefined) ? Math.hypot(sds[0]!, sds[1]!) : undefined
	};
}
