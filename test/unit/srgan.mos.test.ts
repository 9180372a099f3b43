// The blind mini-MOS cell's logic (paper 004 §3.3): seeded shuffling, blindness of what the
// rating view is given, answers/skip/undo, the per-method t-interval against a hand-computed
// case, the session round trip (and refusal of damaged records), and CSV escaping.
import { describe, expect, it } from 'vitest';
import { rgbImage } from '../../src/lib/image/rgb';
import { addFace, answer, emptyMos, faceProgress, nextPosition, presentItem, shuffled, undoLast, undoable, type MosData, type MosFaceInput } from '../../src/notebooks/srgan/mosSession';
import { packMos, ratingsKey, unpackMos } from '../../src/notebooks/srgan/mosPersist';
import { studentTQuantile, summarise, tInterval } from '../../src/notebooks/srgan/mosStats';
import { csvField, ratingsCsv, ratingsJson } from '../../src/notebooks/srgan/mosExport';
import { mosFace, nearestUp } from '../../src/notebooks/srgan/mos';
import { pairedComparisons, signedRank } from '../../src/notebooks/srgan/mosPaired';

const METHODS = [
	['hr', 'HR (original)'],
	['bicubic', 'Bicubic ×4'],
	['srresnet-mse', 'SRResNet-MSE'],
	['srresnet-content', 'SRResNet-content'],
	['srgan', 'SRGAN']
] as const;
const face = (faceId: string, methods: readonly (readonly [string, string])[] = METHODS): MosFaceInput => ({
	faceId,
	faceLabel: `Face ${faceId}`,
	methods: methods.map(([id, label], i) => ({ id, label, image: rgbImage(4, 4, new Float32Array(48).fill(i / 10)) }))
});

describe('mini-MOS shuffling', () => {
	it('is seeded: the same seed and face give the same order, other seeds or faces other orders', () => {
		const ids = METHODS.map((m) => m[0]);
		expect(shuffled(ids, 7, 'a')).toEqual(shuffled(ids, 7, 'a'));
		expect(shuffled(ids, 7, 'a').slice().sort()).toEqual(ids.slice().sort());
		const orders = new Set(Array.from({ length: 20 }, (_, s) => shuffled(ids, s, 'a').join()));
		expect(orders.size).toBeGreaterThan(10);
		expect(new Set(['a', 'b', 'c', 'd', 'e'].map((f) => shuffled(ids, 7, f).join())).size).toBeGreaterThan(1);
	});

	it('draws every order of three methods about equally often (6000 seeds, each within 10% of 1000)', () => {
		const counts = new Map<string, number>();
		for (let s = 0; s < 6000; s++) {
			const k = shuffled(['x', 'y', 'z'], s, 'face').join('');
			counts.set(k, (counts.get(k) ?? 0) + 1);
		}
		expect(counts.size).toBe(6);
		for (const n of counts.values()) expect(Math.abs(n - 1000)).toBeLessThan(100);
	});

	it('queues a new face in its shuffled order, and only the methods a known face did not have', () => {
		let d = addFace(emptyMos(), face('f1'), 3);
		expect(d.queue.map((q) => q.method)).toEqual(shuffled(METHODS.map((m) => m[0]), 3, 'f1'));
		expect(addFace(d, face('f1'), 3)).toBe(d);
		d = addFace(d, face('f1', [...METHODS, ['nn', 'Nearest neighbour']]), 3);
		expect(d.queue).toHaveLength(6);
		expect(d.queue[5]).toEqual({ face: 'f1', method: 'nn' });
		expect(d.faces).toHaveLength(1);
	});
});

describe('mini-MOS rating', () => {
	it('shows the view no method id or label before the rating, and the item of the queue order', () => {
		const input = face('f1');
		let d = addFace(emptyMos(), input, 11);
		for (let k = 0; k < METHODS.length; k++) {
			const item = presentItem(d, input)!;
			const { image, ...rest } = item;
			const text = JSON.stringify(rest);
			for (const [id, label] of METHODS) {
				expect(text).not.toContain(id);
				expect(text).not.toContain(label);
			}
			expect(Object.keys(item).sort()).toEqual(['count', 'image', 'index', 'position']);
			expect(item).toMatchObject({ position: k, index: k + 1, count: 5 });
			// the picture is the queued method's picture
			expect(image).toBe(input.methods.find((m) => m.id === d.queue[k].method)!.image);
			d = answer(d, item.position, (k % 5) + 1, 1000 + k);
		}
		expect(presentItem(d, input)).toBeUndefined();
		expect(faceProgress(d, 'f1')).toEqual({ count: 5, answered: 5, waiting: 0 });
	});

	it('records score, face, method and time; skips count but score nothing; undo takes back the last', () => {
		let d = addFace(emptyMos(), face('f1'), 1);
		d = answer(d, 0, 4, 5000);
		d = answer(d, 1, null, 6000);
		expect(d.records[0]).toEqual({ face: 'f1', method: d.queue[0].method, score: 4, time: 5000, position: 0 });
		expect(d.records[1].score).toBeNull();
		expect(() => answer(d, 0, 3, 1)).toThrow(/already answered/);
		expect(() => answer(d, 2, 6, 1)).toThrow(/1 to 5/);
		expect(() => answer(d, 2, 2.5, 1)).toThrow(/1 to 5/);
		expect(undoable(d, 'f1')).toBe(d.records[1]);
		d = undoLast(d);
		expect(nextPosition(d, 'f1')).toBe(1);
		const rows = summarise(d);
		expect(rows.find((r) => r.method === d.queue[0].method)).toMatchObject({ n: 1, mean: 4, skipped: 0 });
		// a second face: its items are separate; undo is offered only for the face on screen
		d = addFace(d, face('f2'), 1);
		d = answer(d, nextPosition(d, 'f2'), 2, 7000);
		expect(undoable(d, 'f1')).toBeUndefined();
		expect(undoable(d, 'f2')?.score).toBe(2);
		expect(nextPosition(d, 'f1')).toBe(1);
	});

	it('leaves the items of a method missing this time waiting, and shows the others', () => {
		const input = face('f1');
		let d = addFace(emptyMos(), input, 5);
		const missing = d.queue[0].method;
		const partial = { ...input, methods: input.methods.filter((m) => m.id !== missing) };
		const available = new Set(partial.methods.map((m) => m.id));
		for (let k = 0; k < 4; k++) {
			const item = presentItem(d, partial)!;
			expect(d.queue[item.position].method).not.toBe(missing);
			d = answer(d, item.position, 3, 0);
		}
		expect(presentItem(d, partial)).toBeUndefined();
		expect(faceProgress(d, 'f1', available)).toEqual({ count: 5, answered: 4, waiting: 1 });
		// the net is back: its picture is the one left
		expect(presentItem(d, input)).toMatchObject({ position: 0, index: 5, count: 5 });
	});
});

describe('mini-MOS summary', () => {
	it('95% t-interval of 2, 3, 4, 4, 5 by hand: mean 3.6, s² = 5.2/4, t(0.975, 4) = 2.776445 → [2.18429, 5.01571]', () => {
		const r = tInterval([2, 3, 4, 4, 5]);
		expect(r.n).toBe(5);
		expect(r.mean).toBeCloseTo(3.6, 12);
		expect(r.sd).toBeCloseTo(Math.sqrt(1.3), 12);
		const half = 2.776445105 * (Math.sqrt(1.3) / Math.sqrt(5));
		expect(r.lo).toBeCloseTo(3.6 - half, 6);
		expect(r.hi).toBeCloseTo(3.6 + half, 6);
		expect(r.lo).toBeCloseTo(2.18429, 4);
		expect(r.hi).toBeCloseTo(5.01571, 4);
	});

	it('t quantiles match the tables (df 1, 2, 4, 9, 29, 1000)', () => {
		const table: [number, number][] = [[1, 12.7062047], [2, 4.30265273], [4, 2.77644511], [9, 2.26215716], [29, 2.04522964], [1000, 1.96233908]];
		for (const [df, t] of table) expect(studentTQuantile(0.975, df)).toBeCloseTo(t, 6);
		expect(studentTQuantile(0.025, 4)).toBeCloseTo(-2.77644511, 6);
	});

	it('gives no interval for fewer than two scores, and a zero-width one for equal scores', () => {
		expect(tInterval([]).mean).toBeNaN();
		expect(tInterval([3])).toMatchObject({ n: 1, mean: 3 });
		expect(tInterval([3]).lo).toBeNaN();
		expect(tInterval([4, 4, 4])).toMatchObject({ mean: 4, sd: 0, lo: 4, hi: 4 });
	});

	it('summarises per method across faces, in order of first appearance', () => {
		let d: MosData = emptyMos();
		const given = new Map<string, number[]>();
		for (const [f, base] of [['f1', 1], ['f2', 2], ['f3', 3]] as const) {
			d = addFace(d, face(f), 9);
			let p: number;
			while ((p = nextPosition(d, f)) >= 0) {
				const m = d.queue[p].method;
				const s = Math.min(5, base + METHODS.findIndex((x) => x[0] === m) % 3);
				given.set(m, [...(given.get(m) ?? []), s]);
				d = answer(d, p, s, 0);
			}
		}
		const rows = summarise(d);
		expect(rows.map((r) => r.method)).toEqual(METHODS.map((m) => m[0]));
		for (const r of rows) expect(r).toMatchObject({ ...tInterval(given.get(r.method)!), label: METHODS.find((m) => m[0] === r.method)![1], skipped: 0 });
	});
});

describe('mini-MOS persistence', () => {
	const session = () => {
		let d = addFace(emptyMos(), face('progan-5'), 2);
		d = answer(d, 0, 5, 1_700_000_000_000);
		d = answer(d, 1, null, 1_700_000_001_000);
		d = addFace(d, face('upload-x', METHODS.slice(0, 3)), 2);
		return answer(d, 5, 1, 1_700_000_002_000);
	};

	it('round-trips through the history key and keeps other cells’ keys out', () => {
		const d = session();
		const h = packMos('mos', d);
		expect(Object.keys(h)).toEqual([ratingsKey('mos')]);
		expect(h['mos-ratings']).toBeInstanceOf(Uint8Array);
		expect(unpackMos('mos', { ...h, 'other-x': new Float32Array(3) })).toEqual({ data: d });
		expect(unpackMos('mos', {})).toEqual({ data: emptyMos() });
		expect(unpackMos('mos2', h).data).toEqual(emptyMos());
	});

	it('refuses damaged or inconsistent records with a message and an empty session', () => {
		const bad = (json: unknown) => unpackMos('mos', { 'mos-ratings': new TextEncoder().encode(typeof json === 'string' ? json : JSON.stringify(json)) });
		const stored = JSON.parse(new TextDecoder().decode(packMos('mos', session())['mos-ratings'] as Uint8Array));
		expect(bad(stored).problem).toBeUndefined();
		for (const broken of [
			'{not json',
			{ ...stored, v: 2 },
			{ ...stored, records: [[99, 3, 0]] },
			{ ...stored, records: [[0, 3, 0], [0, 4, 0]] },
			{ ...stored, records: [[0, 7, 0]] },
			{ ...stored, queue: [...stored.queue, stored.queue[0]] },
			{ ...stored, queue: [[0, 200]] },
			{ ...stored, faces: [...stored.faces, stored.faces[0]] }
		]) {
			const r = bad(broken);
			expect(r.data).toEqual(emptyMos());
			expect(r.problem).toMatch(/could not be read/);
		}
		expect(unpackMos('mos', { 'mos-ratings': new Float32Array(4) }).problem).toMatch(/could not be read/);
	});
});

describe('mini-MOS export', () => {
	it('escapes CSV fields: commas, quotes, line breaks, and formula starts', () => {
		expect(csvField('plain')).toBe('plain');
		expect(csvField('a,b')).toBe('"a,b"');
		expect(csvField('say "hi"')).toBe('"say ""hi"""');
		expect(csvField('two\nlines')).toBe('"two\nlines"');
		expect(csvField('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
		expect(csvField('-1+2')).toBe("'-1+2");
		expect(csvField(-1)).toBe('-1');
		expect(csvField(null)).toBe('');
	});

	it('writes one row per answer with its face and method, and JSON with the summary', () => {
		let d = addFace(emptyMos(), face('f,1', [['m"1', 'Method "one", v2'], ['m2', '=cmd']]), 4);
		d = answer(d, 0, 3, Date.UTC(2026, 11, 3, 9, 0, 0));
		d = answer(d, 1, null, Date.UTC(2026, 11, 3, 9, 0, 5));
		const lines = ratingsCsv(d).split('\r\n');
		expect(lines[0]).toBe('order,face_id,face_label,method_id,method_label,score,skipped,position,time');
		expect(lines).toHaveLength(4);
		expect(lines[3]).toBe('');
		const fields: Record<string, string> = { m2: "m2,'=cmd", 'm"1': '"m""1","Method ""one"", v2"' };
		expect(lines[1]).toBe(`1,"f,1","Face f,1",${fields[d.queue[0].method]},3,false,0,2026-12-03T09:00:00.000Z`);
		expect(lines[2]).toBe(`2,"f,1","Face f,1",${fields[d.queue[1].method]},,true,1,2026-12-03T09:00:05.000Z`);
		const j = JSON.parse(ratingsJson(d));
		expect(j.ratings).toHaveLength(2);
		expect(j.summary.find((s: { method: string }) => s.method === d.queue[0].method)).toMatchObject({ n: 1, mean: 3, sd: null, ci95: [null, null] });
		expect(j.interval).toMatch(/Student-t/);
		expect(j.paired).toEqual([]); // one score and one skip: no face with both scored
	});
});

describe('mini-MOS versions of a face', () => {
	const lr = rgbImage(2, 1, new Float32Array([0.1, 0.2, 0.3, 0.4, 0.5, 0.6]));
	it('nearest neighbour ×4 repeats each LR pixel in a 4×4 block', () => {
		const up = nearestUp(lr, 4);
		expect([up.width, up.height]).toEqual([8, 4]);
		for (let y = 0; y < 4; y++)
			for (let x = 0; x < 8; x++) expect(Array.from(up.data.subarray((y * 8 + x) * 3, (y * 8 + x) * 3 + 3))).toEqual(Array.from(lr.data.subarray((x >> 2) * 3, (x >> 2) * 3 + 3)));
	});

	it('rates the HR and nearest neighbour as anchors plus every output of the comparison', () => {
		const out = (id: 'bicubic' | 'srgan', label: string) => ({ id, label, image: rgbImage(8, 4) });
		const hr = rgbImage(8, 4);
		const c = { faceId: 'progan-5', faceLabel: 'ProGAN seed 5', lr, hr, outputs: [out('bicubic', 'Bicubic ×4'), out('srgan', 'SRGAN')] };
		const f = mosFace(c);
		expect(f.faceId).toBe('progan-5');
		expect(f.methods.map((m) => m.id)).toEqual(['hr', 'nn', 'bicubic', 'srgan']);
		expect(f.methods[0].image).toBe(hr);
		expect(f.methods[1].image.width).toBe(8);
		expect(mosFace({ ...c, hr: undefined }).methods.map((m) => m.id)).toEqual(['nn', 'bicubic', 'srgan']);
	});
});

describe('mini-MOS paired comparisons (Wilcoxon signed-rank, paper 004 §3.1)', () => {
	it('matches scipy: exact without ties, normal approximation with ties', () => {
		// scipy.stats.wilcoxon(d, method='exact'): statistic = W− = 13, p = 0.16015625
		const a = signedRank([1, 2, 3, -4, 5, 6, 7, 8, -9, 10]);
		expect(a).toMatchObject({ n: 10, wPlus: 42, method: 'exact' });
		expect(a.p).toBeCloseTo(0.16015625, 12);
		// ranks 1…12, ranks 2 and 5 negative: W− = 7, p = 0.00927734375
		expect(signedRank(Array.from({ length: 12 }, (_, i) => (i === 1 || i === 4 ? -(i + 1) : i + 1))).p).toBeCloseTo(0.00927734375, 12);
		// scipy.stats.wilcoxon(d, method='approx', correction=False): p = 0.01825586058745926 (zero dropped, tie-corrected variance)
		const b = signedRank([1, 1, 2, 2, -1, 3, 1, 2, 0, 1], 0);
		expect(b).toMatchObject({ n: 9, method: 'normal' });
		expect(b.p).toBeCloseTo(0.01825586, 6);
	});

	it('is exact with tied scores: the same p as counting all 2^n sign patterns', () => {
		const diffs = [1, 1, 2, 2, -1, 3, 1, 2, 0, 1, -2, 4];
		const t = signedRank(diffs);
		// brute force: mid-ranks of |d| (zeros dropped), every sign pattern equally likely
		const d = diffs.filter((x) => x !== 0);
		const abs = d.map(Math.abs);
		const ranks = abs.map((x) => abs.filter((y) => y < x).length + (abs.filter((y) => y === x).length + 1) / 2);
		const w = d.reduce((s, x, i) => s + (x > 0 ? ranks[i] : 0), 0);
		let le = 0;
		let ge = 0;
		for (let mask = 0; mask < 1 << d.length; mask++) {
			const s = ranks.reduce((acc, r, i) => acc + (mask & (1 << i) ? r : 0), 0);
			if (s <= w + 1e-9) le++;
			if (s >= w - 1e-9) ge++;
		}
		expect(t.wPlus).toBe(w);
		expect(t.p).toBeCloseTo(Math.min(1, (2 * Math.min(le, ge)) / 2 ** d.length), 12);
		expect(signedRank([0, 0]).p).toBeNaN();
		expect(signedRank([2, -2]).p).toBe(1);
	});

	it('pairs the methods on the faces where both have a score (skips left out)', () => {
		let d: MosData = emptyMos();
		const plan: Record<string, Record<string, number | null>> = {
			f1: { hr: 5, bicubic: 2, srgan: 4, 'srresnet-mse': 3, 'srresnet-content': 3 },
			f2: { hr: 5, bicubic: 1, srgan: 4, 'srresnet-mse': 2, 'srresnet-content': null },
			f3: { hr: 4, bicubic: 2, srgan: 4, 'srresnet-mse': 3, 'srresnet-content': 2 }
		};
		for (const [f, scores] of Object.entries(plan)) {
			d = addFace(d, face(f), 0);
			let p: number;
			while ((p = nextPosition(d, f)) >= 0) d = answer(d, p, scores[d.queue[p].method], 0);
		}
		const pairs = pairedComparisons(d, METHODS.map((m) => m[0]));
		expect(pairs).toHaveLength(10);
		expect(pairs.find((x) => x.a === 'hr' && x.b === 'srgan')).toMatchObject({ faces: 3, aBetter: 2, bBetter: 0, ties: 1, test: { n: 2 } });
		expect(pairs.find((x) => x.a === 'srresnet-content' && x.b === 'srgan')).toMatchObject({ faces: 2, aBetter: 0, bBetter: 2 });
	});
});
