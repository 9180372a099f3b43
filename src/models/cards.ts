// card.json → the facts a notebook shows about a model, normalised (absent → undefined).
// The cards are written by train/ next to the weights; nothing here is typed in by hand.
// One reader per card family: the GAN/SR cards (progan, degrader, low2high twins), the
// progressive-SR twins' cards (with their test metrics) and the heatmap student's card.

type Obj = Record<string, unknown>;
export const obj = (v: unknown): Obj => (v && typeof v === 'object' && !Array.isArray(v) ? (v as Obj) : {});
export const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
export const num = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

function requireObject(raw: unknown): Obj {
	if (!raw || typeof raw !== 'object' || Array.isArray(raw)) throw new Error('card.json is not an object');
	return raw as Obj;
}

export interface CardFacts {
	title: string;
	qualityNote?: string;
	device?: string;
	hardware?: string;
	threads?: number;
	minutes?: number;
	imagesSeen?: number;
	steps?: number;
	finished?: boolean;
	config?: string;
	parameters?: number;
	data?: string;
	license?: string;
	fidProxy: number | null;
	fidProxyNote?: string;
	exportedAt?: string;
	/** Not trained on a GPU, or the card itself calls it a stand-in: say so loudly. */
	standIn: boolean;
}

/** A GAN/SR card → CardFacts. Throws only when it is not an object at all. */
export function parseCard(raw: unknown): CardFacts {
	const c = requireObject(raw);
	const t = obj(c.training);
	const device = str(t.device);
	const qualityNote = str(c.quality_note);
	// Only a CUDA/GPU device counts as GPU-trained; an unknown device is not assumed to be one.
	const gpuTrained = !!device && /cuda|gpu|mps/i.test(device);
	const saysStandIn = !!qualityNote && /stand-in|low-quality|low quality/i.test(qualityNote);
	return {
		title: str(c.title) ?? 'ProGAN face generator',
		qualityNote,
		device,
		hardware: str(t.hardware),
		threads: num(t.threads),
		minutes: num(t.wall_minutes),
		imagesSeen: num(t.images_seen),
		steps: num(t.steps),
		finished: typeof t.finished === 'boolean' ? t.finished : undefined,
		config: str(t.config),
		parameters: num(obj(c.architecture).parameters),
		data: str(c.data),
		license: str(c.license),
		fidProxy: num(c.fid_proxy) ?? null,
		fidProxyNote: str(c.fid_proxy_note),
		exportedAt: str(c.exported_at),
		standIn: !gpuTrained || saysStandIn
	};
}

export interface MetricRow {
	method: string;
	metric: 'PSNR (dB)' | 'SSIM' | 'MS-SSIM';
	value: number;
}

export interface PsrCard {
	title: string;
	qualityNote?: string;
	minutes?: number;
	iterations?: number;
	hardware?: string;
	parameters?: number;
	license?: string;
	data?: string;
	featureLoss?: string;
	attentionLoss?: string;
	heatmapLoss?: string;
	testFaces?: number;
	metrics: MetricRow[];
	/** Per-face (with attention) − (without) on the test faces: mean and 95% half-width. */
	paired: { metric: MetricRow['metric']; mean: number; ci95: number }[];
}

const PSR_RUN_NAMES: Record<string, string> = {
	'progressive-sr-cpu': 'with attention loss',
	'progressive-sr-noatt-cpu': 'without attention loss'
};

/** A progressive-SR card (train/ eval writes its metrics) → facts; metric rows for bicubic and every evaluated run. */
export function parsePsrCard(raw: unknown): PsrCard {
	const c = requireObject(raw);
	const t = obj(c.training);
	const losses = obj(c.losses);
	const m = obj(c.metrics);
	const rows: MetricRow[] = [];
	const add = (method: string, s: Obj) => {
		const vals: [MetricRow['metric'], unknown][] = [['PSNR (dB)', s.psnr], ['SSIM', s.ssim], ['MS-SSIM', s.ms_ssim]];
		for (const [metric, v] of vals) if (num(v) !== undefined) rows.push({ method, metric, value: v as number });
	};
	add('bicubic', obj(obj(m.test).bicubic));
	for (const [run, s] of Object.entries(obj(m.all_runs))) add(PSR_RUN_NAMES[run] ?? run, obj(s));
	const pairedRaw = obj(obj(m.test).paired);
	const paired: PsrCard['paired'] = [];
	for (const [key, metric] of [['psnr', 'PSNR (dB)'], ['ssim', 'SSIM'], ['ms_ssim', 'MS-SSIM']] as const) {
		const d = obj(pairedRaw[key]);
		const mean = num(d.mean);
		const ci95 = num(d.ci95);
		if (mean !== undefined && ci95 !== undefined) paired.push({ metric, mean, ci95 });
	}
	return {
		title: str(c.title) ?? 'Progressive face SR',
		qualityNote: str(c.quality_note),
		minutes: num(t.wall_minutes),
		iterations: num(t.iterations),
		hardware: str(t.hardware),
		parameters: num(obj(c.architecture).parameters),
		license: str(c.license),
		data: str(c.data),
		featureLoss: str(losses.feature),
		attentionLoss: str(losses.attention),
		heatmapLoss: str(losses.heatmap),
		testFaces: num(obj(m.test).n_test_faces),
		metrics: rows,
		paired
	};
}

export interface StudentCard {
	title?: string;
	qualityNote?: string;
	nme?: number;
	testFaces?: number;
	parameters?: number;
	steps?: number;
	minutes?: number;
	hardware?: string;
	device?: string;
	license?: string;
	teacher?: string;
	/** Width of the Gaussians the student was trained to output (px at 64×64). */
	sigmaPx?: number;
}

/** The distilled heatmap student's card → facts (its NME against the teacher). */
export function parseStudentCard(raw: unknown): StudentCard {
	const c = requireObject(raw);
	const t = obj(c.training);
	const ev = obj(c.evaluation);
	return {
		title: str(c.title),
		qualityNote: str(c.quality_note),
		nme: num(ev.nme_vs_teacher_test),
		testFaces: num(ev.test_faces),
		parameters: num(obj(c.architecture).parameters),
		steps: num(t.steps),
		minutes: num(t.wall_minutes),
		hardware: str(t.hardware),
		device: str(t.device),
		license: str(c.license),
		teacher: str(c.teacher),
		sigmaPx: num(obj(c.architecture).sigmaPx)
	};
}
