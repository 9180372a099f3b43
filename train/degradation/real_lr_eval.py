"""Every SR method srlab ships, on REAL low-resolution faces (issue 18, first step).

  npm run eval:real-lr -- [--limit N] [--out DIR] [--seeds 0,1,2]
  /usr/bin/python3 -m train.degradation.real_lr_eval [--limit N] [--out DIR] [--seeds 0,1,2]

Input: the lr-faces TEST split (104 real 16x16 faces cut from WIDER FACE scenes; read through
train/common/lr_faces.py, evaluation only); --limit N takes a seeded subset of N of them.
Methods (all on the EXPORTED float16 weights through the plain-op forwards that mirror the
browser twins; 16 -> 64):
  bicubic               plain bicubic x4 upsampling (no learning; as in train/degradation/eval.py)
  low2high              Low-to-High trained on the learned degrader's LR
  low2high-bicubic      its twin trained on bicubic LR
  progressive-sr        16 -> 128 (step 3), compared at 64 by area pooling /2
  progressive-sr-noatt  the same without the attention loss
SR-NAM is interactive (per-image optimisation in the browser) and slow: not evaluated here.

Report (<out>/report.json), per method:
  fid_proxy        FID-proxy of the method's 64x64 outputs vs faces64 TEST HR faces, through
                   scripts/fid-proxy.js (`npm run eval:fid`; the same call as claims.py), N = the
                   number of real-LR faces on both sides, HR side subsampled per seed; mean ± sd over
                   the seeds (default 0,1,2, the seeds of the FID-proxy claims in the cards).
  lr_consistency   L1 (mean |difference|, pixel values scaled to [0, 1]) between the real LR input
                   and the method's 64x64 output degraded back to 16x16,
                     by_degrader: the learned High-to-Low degrader, z ~ N(0, I) seeded (NOISE_SEED,
                                  the same z for every method),
                     by_bicubic:  antialiased bicubic /4 (train/common/images.bicubic_down);
                   mean ± sd over faces. Outputs are rounded to 8 bits first (what a PNG holds).
  vs_bicubic       the verdict (learned methods): per-seed paired differences FID(method) - FID(bicubic),
                   same HR subsample (and, with --n below the face count, the same real-LR subsample) per
                   seed; `beats_bicubic` is true only when the method is lower on EVERY seed and the mean
                   difference is more than two standard errors below zero (BEATS_RULE); printed last.
  fid_proxy_spread the same FID-proxy over --spread-draws (default 200) random subsamples of BOTH sides
                   (--spread-n faces each, default 3/4 of the real-LR faces; same faces for every method per
                   draw), descriptors computed once in PyTorch (train/degradation/fid_spread.py); per method
                   the paired difference to bicubic with its 2.5/97.5 percentiles. A method BEATS bicubic
                   when both verdicts say so (seeds: BEATS_RULE; subsamples: fid_spread.SPREAD_RULE).
Options for deciding between weights (a run's checkpoint exported to a temp folder,
train/low2high/check_run.py): --candidate NAME=DIR adds Low-to-High weights from DIR as method
NAME; --methods picks the methods; --n M (< faces) subsamples M faces on BOTH sides per seed, so the
spread covers the choice of real-LR faces too (values at a different N compare only with each other).
Contact sheet (<out>/contact-sheet.png): six real-LR inputs spread over the set as rows (nearest x4), methods as
columns, labelled. Default --out: .cache/eval-real-lr/ (git-ignored).
"""
import argparse
import datetime
import json
import os
import statistics
import time

import numpy as np
import torch
import torch.nn.functional as F

from train.common.data import load_faces64
from train.common.export import read_exported, weights_sha
from train.common.images import bicubic_down, to_float, to_u8
from train.common.lr_faces import load_real_lr
from train.common.paths import REPO_ROOT
from train.common.paths import WEIGHTS_DIR as WEIGHTS
from train.degradation.claims import fid, summarise
from train.degradation.eval import NOISE_SEED, batched
from train.degradation.fid_spread import cached_descriptors, descriptors, spread as fid_spread
from train.degrader.export import degrader_forward
from train.low2high.export import low2high_forward
from train.progressive_sr.export import forward_exported

DEFAULT_OUT = os.path.join(REPO_ROOT, '.cache', 'eval-real-lr')
METHODS = ('bicubic', 'low2high', 'low2high-bicubic', 'progressive-sr', 'progressive-sr-noatt')
SHEET_ROWS = 6
BEATS_RULE = 'lower than bicubic on every seed and mean paired difference + 2 standard errors < 0'


def bicubic_up(lr):
    return F.interpolate(lr, scale_factor=4, mode='bicubic', align_corners=False).clamp(-1, 1)


def sr_fn(name, weights_dir, candidates=None):
    """-> (fn: [N,3,16,16] in [-1,1] -> [N,3,64,64] in [-1,1], weights sha or None).
    candidates: {name: weights dir} of extra Low-to-High weights (e.g. a run's checkpoint, exported)."""
    if name == 'bicubic':
        return bicubic_up, None
    d = (candidates or {}).get(name) or os.path.join(weights_dir, name)
    _, W = read_exported(d)
    if name.startswith('low2high') or name in (candidates or {}):
        fn = lambda x: low2high_forward(W, x)
    else:  # progressive SR: 16 -> 128 at step 3, compared at 64 by area /2
        fn = lambda x: F.avg_pool2d(forward_exported(W, x, step=3)[1].clamp(-1, 1), 2)
    return fn, weights_sha(d)


def l1_per_face(a, b):
    """[-1,1] NCHW pairs -> per-face mean |a - b| on the [0, 1] pixel scale."""
    return ((a - b).abs() / 2).mean((1, 2, 3)).tolist()


def vs_bicubic(per_seed, bicubic_per_seed):
    """Paired per-seed differences method - bicubic (same subsamples) and the BEATS_RULE verdict."""
    d = [a - b for a, b in zip(per_seed, bicubic_per_seed)]
    mean = statistics.mean(d)
    se = statistics.stdev(d) / len(d) ** 0.5 if len(d) > 1 else None
    beats = all(x < 0 for x in d) and se is not None and mean + 2 * se < 0
    return {'diff_mean': round(mean, 5), 'diff_se': None if se is None else round(se, 5),
            'per_seed': [round(x, 5) for x in d], 'beats_bicubic': beats}


def spread(vals):
    return {'mean': round(statistics.mean(vals), 5), 'sd': round(statistics.stdev(vals), 5) if len(vals) > 1 else None}


def contact_sheet(path, lr_u8, outs, rows=SHEET_ROWS, scale=2, lr_label='real LR 16'):
    """The LR inputs (nearest x4, labelled lr_label) and each method's 64x64 outputs as columns."""
    from PIL import Image, ImageDraw
    pick = np.unique(np.linspace(0, len(lr_u8) - 1, min(rows, len(lr_u8))).round().astype(int))  # spread over the set
    rows = len(pick)
    cols = [(lr_label, np.repeat(np.repeat(lr_u8[pick], 4, 1), 4, 2))] + [(k, v[pick]) for k, v in outs.items()]
    tile, head = 64 * scale, 16
    sheet = Image.new('RGB', (len(cols) * tile, head + rows * tile), 'white')
    draw = ImageDraw.Draw(sheet)
    for c, (label, imgs) in enumerate(cols):
        draw.text((c * tile + 3, 3), label, fill='black')
        for r in range(rows):
            im = Image.fromarray(imgs[r]).resize((tile, tile), Image.NEAREST)
            sheet.paste(im, (c * tile, head + r * tile))
    sheet.save(path)


@torch.no_grad()
def evaluate(out_dir=DEFAULT_OUT, limit=None, seeds=(0, 1, 2), weights_dir=WEIGHTS, data_dir=None, methods=METHODS,
             log=print, candidates=None, fid_n=None, spread_draws=200, spread_n=None):
    t0 = time.perf_counter()
    os.makedirs(out_dir, exist_ok=True)
    lr_u8, idx = load_real_lr(data_dir, 'test', 16, limit=limit, allow_test=True)
    n = len(lr_u8)
    lr = to_float(lr_u8)
    fid_n = min(fid_n or n, n)
    methods = list(methods) + [c for c in (candidates or {}) if c not in methods]
    sets_dir = os.path.join(out_dir, 'sets')
    os.makedirs(sets_dir, exist_ok=True)
    hr_path = os.path.join(sets_dir, 'hr64_test.npy')
    np.save(hr_path, load_faces64(data_dir, 'test'))
    _, Wd = read_exported(os.path.join(weights_dir, 'degrader'))
    z = torch.randn(n, 100, generator=torch.Generator().manual_seed(NOISE_SEED))
    report = {'metric_notes': {
        'fid_proxy': ('FID-proxy (face-api 128-D face-recognition descriptors, NOT Inception FID) of the 64x64 outputs '
                      f'vs faces64 TEST HR, N = {fid_n} on both sides, subsampled per seed (the same subsample for every '
                      'method); only rows compare.'),
        'lr_consistency': ('L1 on the [0,1] pixel scale between the real LR input and the 8-bit output degraded back to '
                           f'16x16: by the learned degrader (z seeded {NOISE_SEED}) and by antialiased bicubic /4; '
                           'mean ± sd over faces.')},
        'n_faces': n, 'real_lr_test_indices': idx if limit else [min(idx), max(idx) + 1], 'limit': limit,
        'fid_n': fid_n, 'seeds': list(seeds), 'beats_rule': BEATS_RULE,
        'candidates': {k: os.path.abspath(v) for k, v in (candidates or {}).items()}, 'noise_seed': NOISE_SEED, 'weights_sha256': {'degrader': weights_sha(os.path.join(weights_dir, 'degrader'))},
        'not_evaluated': {'sr-nam': 'interactive per-image optimisation in the browser; too slow for this step'},
        'methods': {}}
    outs = {}
    for name in methods:
        m0 = time.perf_counter()
        fn, sha = sr_fn(name, weights_dir, candidates)
        if sha:
            report['weights_sha256'][name] = sha
        sr_u8 = to_u8(batched(fn, lr, 52))
        outs[name] = sr_u8
        sr = to_float(sr_u8)
        by_deg = l1_per_face(torch.cat([degrader_forward(Wd, sr[i:i + 100], z[i:i + 100]) for i in range(0, n, 100)]), lr)
        by_bic = l1_per_face(batched(bicubic_down, sr), lr)
        p = os.path.join(sets_dir, f'sr64-{name}.npy')
        np.save(p, sr_u8)
        vals = [fid(p, hr_path, s, os.path.join(sets_dir, f'fid-{name}-seed{s}.json'), n=fid_n)['value'] for s in seeds]
        report['methods'][name] = {'fid_proxy': summarise(vals),
                                   'lr_consistency': {'by_degrader': spread(by_deg), 'by_bicubic': spread(by_bic)},
                                   'seconds': round(time.perf_counter() - m0, 1)}
        r = report['methods'][name]
        log(f"{name}: FID-proxy {r['fid_proxy']['mean']:.4f} ± {r['fid_proxy']['sd'] or 0:.4f}; LR-consistency L1 "
            f"degrader {r['lr_consistency']['by_degrader']['mean']:.4f}, bicubic {r['lr_consistency']['by_bicubic']['mean']:.4f}"
            f" ({r['seconds']} s)", flush=True)
    bic = report['methods'].get('bicubic')
    if bic:
        for name, r in report['methods'].items():
            if name != 'bicubic':
                r['vs_bicubic'] = vs_bicubic(r['fid_proxy']['per_seed'], bic['fid_proxy']['per_seed'])
    if spread_draws and n > 2:
        s0 = time.perf_counter()
        hr_feats = cached_descriptors(np.load(hr_path), os.path.join(sets_dir, 'hr64_test-descriptors.npz'))
        sp = fid_spread({k: descriptors(v) for k, v in outs.items()}, hr_feats, spread_n or max(2, (3 * n) // 4),
                        spread_n or max(2, (3 * n) // 4), spread_draws)
        report['fid_proxy_spread'] = {**sp, 'seconds': round(time.perf_counter() - s0, 1)}
        for name, r in report['methods'].items():
            v = sp['methods'][name].get('vs_bicubic')
            if v and 'vs_bicubic' in r:
                r['vs_bicubic']['spread'] = v
                r['vs_bicubic']['beats_bicubic'] = r['vs_bicubic']['beats_bicubic'] and v['beats']
    contact_sheet(os.path.join(out_dir, 'contact-sheet.png'), lr_u8, outs)
    report['seconds'] = round(time.perf_counter() - t0, 1)
    report['measured_at'] = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    with open(os.path.join(out_dir, 'report.json'), 'w') as f:
        json.dump(report, f, indent=1, ensure_ascii=False)
    return report


def table(report):
    rows = ['| method | FID-proxy (mean ± sd over seeds) | LR-consistency L1, degrader | LR-consistency L1, bicubic /4 |',
            '|---|---|---|---|']
    for k, r in report['methods'].items():
        f, c = r['fid_proxy'], r['lr_consistency']
        rows.append(f"| {k} | {f['mean']:.4f} ± {f['sd'] or 0:.4f} | {c['by_degrader']['mean']:.4f} ± {c['by_degrader']['sd'] or 0:.4f} "
                    f"| {c['by_bicubic']['mean']:.4f} ± {c['by_bicubic']['sd'] or 0:.4f} |")
    verdicts = [f"{k}: FID-proxy - bicubic = {v['diff_mean']:+.4f} (se {v['diff_se'] or 0:.4f}, per seed "
                f"{', '.join(f'{x:+.4f}' for x in v['per_seed'])}) -> {'BEATS' if v['beats_bicubic'] else 'does not beat'} bicubic"
                for k, v in ((k, r.get('vs_bicubic')) for k, r in report['methods'].items()) if v]
    sp = report.get('fid_proxy_spread')
    if sp:
        rows += ['', f"FID-proxy over {sp['draws']} subsamples of {sp['n_sr']} real-LR and {sp['n_hr']} HR faces "
                 f"(paired; difference to bicubic, 95% of draws):"]
        for k, m in sp['methods'].items():
            v = m.get('vs_bicubic')
            rows.append(f"  {k}: {m['mean']:.4f} ± {m['sd']:.4f}" + (
                f"; - bicubic {v['diff_mean']:+.4f} [{v['diff_p2_5']:+.4f}, {v['diff_p97_5']:+.4f}], lower in "
                f"{v['share_lower']:.0%} of draws" if v else ''))
    if verdicts:
        rows += ['', f"Verdict (seeds: {report['beats_rule']}" + (f"; subsamples: {sp['rule']}" if sp else '') + '):',
                 *verdicts]
    return '\n'.join(rows)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default=DEFAULT_OUT)
    ap.add_argument('--limit', type=int, default=None, help='a seeded subset of N real-LR test faces (default: all 104)')
    ap.add_argument('--seeds', default='0,1,2', help='FID-proxy subsampling seeds (the claims use 0,1,2)')
    ap.add_argument('--weights', default=WEIGHTS)
    ap.add_argument('--data-dir', default=None)
    ap.add_argument('--methods', default=','.join(METHODS), help=f"comma-separated subset of {','.join(METHODS)}")
    ap.add_argument('--candidate', action='append', default=[], metavar='NAME=DIR',
                    help='extra Low-to-High weights (an exported folder) evaluated as method NAME; repeatable')
    ap.add_argument('--n', type=int, default=None, help='FID-proxy faces per side per seed (default: all real-LR faces)')
    ap.add_argument('--spread-draws', type=int, default=200, help='subsample draws of the spread (0: none)')
    ap.add_argument('--spread-n', type=int, default=None, help='faces per side per draw (default 3/4 of the real-LR faces)')
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    unknown = [m for m in a.methods.split(',') if m not in METHODS]
    if unknown:
        ap.error(f'unknown method(s) {unknown}; choose from {METHODS} (or add weights with --candidate)')
    candidates = dict(c.split('=', 1) for c in a.candidate)
    rep = evaluate(a.out, a.limit, [int(s) for s in a.seeds.split(',')], a.weights, a.data_dir,
                   a.methods.split(','), candidates=candidates, fid_n=a.n, spread_draws=a.spread_draws,
                   spread_n=a.spread_n)
    print(table(rep))
    print(f"wrote {os.path.join(a.out, 'report.json')} and contact-sheet.png ({rep['seconds']} s)")


if __name__ == '__main__':
    main()
