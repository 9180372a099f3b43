"""The perception-distortion plane of every SR method srlab ships (issue 14; paper 004's argument).

  npm run eval:plane [-- --limit N] [--skip-srnam] [--out FILE] [--seeds 0,1,2] [--srnam-faces 100] ...
  /usr/bin/python3 -m train.srgan.plane [same options]

On the SAME first N (default 500) faces64 TEST faces (HR 64x64), every method at 64x64 from the LR
it was trained for (train/srgan/plane_methods.py: bicubic x4, low2high, low2high-bicubic,
progressive-sr, progressive-sr-noatt, srresnet-mse, srresnet-content, srgan; a method whose
weights are missing is skipped with a line), measured by
  PSNR, SSIM   RGB, whole 64x64 face, 8-bit outputs (train/common/metrics.py); mean ± sd over faces;
  FID-proxy    scripts/fid-proxy.js (claims.fid; face-api 128-D descriptors, NOT Inception FID) of
               the outputs vs the same faces' HR: per seed, the same seeded subset of round(0.8 N)
               faces from both sets (paired); mean ± sd over the seeds (default 0, 1, 2).
SR-NAM (paper 000 Eq. 6, train/srgan/srnam_batch.py) costs ~25-35 ms per candidate-step on one CPU
thread, so it runs on a seeded subset (default 100 faces; 500 x K 4 x 100 steps would take 1.5-2 h),
and a second plane, `srnam_subset`, reports EVERY method on that subset so the SR-NAM points
compare. FID-proxy values compare within a plane only (they depend on the set size).

Caches (in .cache/perception-distortion/, git-ignored; --fresh ignores them): FID-proxy results
keyed by the sha256 of both sets' bytes, N, seed and the FID tool's sources; SR-NAM results keyed
by the LR bytes, the settings and the ProGAN weights (not by code: --fresh after changing
srnam_batch.py). A re-run after one new model is exported only measures that model. The sets (.npy) and contact-sheet.png are written there too.

With the full default run (no --limit) the JSON goes to static/eval/perception-distortion.json and
the `fid_proxy` fields of the srresnet-mse / srresnet-content / srgan cards are filled; with
--limit the default is .cache/perception-distortion/report.json and no card is touched.

JSON shape (what the SRGAN notebook plots):
  {"schema": "srlab-perception-distortion/1",
   "measured_at": ISO UTC, "seconds": total wall, "hardware": {"cpu", "cores", "threads", "torch",
   "loadavg_at_start"}, "command": argv,
   "metric_notes": {"psnr_db", "ssim", "fid_proxy": text},
   "lr_kinds": {kind: description},
   "skipped": {method: why},                       (missing weights)
   "weights_sha256": {folder: sha256},
   "planes": {
     "all":          {"n_faces", "faces": "faces64 test indices 0..N-1", "face_indices": [first, end),
                      "fid_subsample", "fid_seeds", "methods": {name: ROW}},
     "srnam_subset": {same keys, "face_indices": [the subset's indices], "methods": {name: ROW} incl.
                      "srnam-best", "srnam-mean"}},            (absent with --skip-srnam)
   "srnam": {"faces", "subset_seed", "restarts", "steps", "adam", "degradation", "z_seed",
             "seconds", "seconds_per_step", "ms_per_candidate_step", "estimated_minutes_all_faces",
             "final_loss_best" {"mean","sd"}, "first_loss" {"mean","sd"}, "from_cache"},
   "findings": {plane: {"best_psnr", "best_ssim", "best_fid_proxy", "paper_direction": {...}}}}
  ROW = {"label", "what", "lr" (an lr_kinds key), "weights": folder or null,
         "psnr_db": {"mean", "sd"}, "ssim": {"mean", "sd"},
         "fid_proxy": {"mean", "sd", "per_seed": [...]}, "fid_from_cache",
         "seconds": {"sr": the method on all N faces (SR-NAM: its search on the subset, as first measured),
                     "fid": this run's metrics + FID-proxy calls (near 0 when cached)}}
"""
import argparse
import datetime
import json
import os
import sys
import time

import numpy as np
import torch

from train.common.data import load_faces64
from train.common.export import read_exported, weights_sha
from train.common.images import to_u8
from train.common.paths import REPO_ROOT
from train.common.paths import WEIGHTS_DIR as WEIGHTS
from train.common.run_state import hardware
from train.degradation.real_lr_eval import contact_sheet
from train.srgan import plane_report
from train.srgan.fid_cache import fid_cached
from train.srgan.plane_methods import LR_KINDS, METHODS, SRNAM_METHODS, make_lrs, missing, run_method
from train.srgan.srnam_batch import search_in_chunks, start_latents

CACHE = os.path.join(REPO_ROOT, '.cache', 'perception-distortion')
DEFAULT_JSON = os.path.join(REPO_ROOT, 'static', 'eval', 'perception-distortion.json')
N_FACES = 500
FID_FRACTION = 0.8
SRNAM = {'faces': 100, 'subset_seed': 0, 'restarts': 4, 'steps': 100, 'lr': 0.05, 'z_seed': 1, 'chunk': 25}


def per_face_metrics(sr_u8, hr_u8):
    from train.common.metrics import psnr_each, ssim_each
    a, b = (torch.from_numpy(np.ascontiguousarray(x)).permute(0, 3, 1, 2).double() for x in (sr_u8, hr_u8))
    p, s = psnr_each(a, b).double(), ssim_each(a, b).double()

    def spread(v, nd):
        return {'mean': round(float(v.mean()), nd), 'sd': round(float(v.std()), nd) if len(v) > 1 else None}
    return spread(p, 3), spread(s, 4)


def measure_plane(name, hr_u8, outs, info, seeds, sets_dir, cache, fresh, log):
    """outs {method: uint8 [n,64,64,3]} -> {"n_faces", ..., "methods": {method: ROW}}."""
    n = len(hr_u8)
    sub = max(2, round(FID_FRACTION * n))
    hr_path = os.path.join(sets_dir, f'{name}-hr64.npy')
    np.save(hr_path, hr_u8)
    rows = {}
    for m, sr in outs.items():
        t = time.perf_counter()
        p = os.path.join(sets_dir, f'{name}-{m}.npy')
        np.save(p, sr)
        psnr, ssim = per_face_metrics(sr, hr_u8)
        fid = fid_cached(p, hr_path, sub, seeds, os.path.join(cache, 'fid'), fresh)
        rows[m] = {**info[m], 'psnr_db': psnr, 'ssim': ssim, 'fid_proxy': fid['summary'],
                   'seconds': {'sr': info[m]['seconds_sr'], 'fid': round(time.perf_counter() - t, 1)},
                   'fid_from_cache': fid['from_cache']}
        del rows[m]['seconds_sr']
        log(f"  [{name}] {m}: PSNR {psnr['mean']:.2f} ± {psnr['sd'] or 0:.2f} dB, SSIM {ssim['mean']:.4f}, "
            f"FID-proxy {fid['summary']['mean']:.4f} ± {fid['summary']['sd'] or 0:.4f}"
            f"{' (cached)' if fid['from_cache'] else ''}", flush=True)
    return {'n_faces': n, 'fid_subsample': sub, 'fid_seeds': list(seeds), 'methods': rows}


def run_srnam(lr, idx, weights_dir, cfg, cache, fresh, log):
    """SR-NAM best/mean on the subset `idx` (cached by LR bytes + settings + ProGAN weights)."""
    import hashlib
    gsha = weights_sha(os.path.join(weights_dir, 'progan'))
    lr_sub = lr[idx]
    key = hashlib.sha256(to_u8(lr_sub).tobytes() + json.dumps({**cfg, 'progan': gsha}, sort_keys=True).encode()).hexdigest()[:24]
    path = os.path.join(cache, 'srnam', f'{key}.npz')
    if os.path.exists(path) and not fresh:
        z = np.load(path)
        log(f'  SR-NAM: from cache {path}', flush=True)
        return {k: z[k] for k in z.files}, True, gsha
    _, Wg = read_exported(os.path.join(weights_dir, 'progan'))
    z0 = start_latents(len(idx), cfg['restarts'], Wg['g/4/dense/w'].shape[0], cfg['z_seed'])
    log(f"  SR-NAM: {len(idx)} faces x K {cfg['restarts']} x {cfg['steps']} Adam steps (lr {cfg['lr']})", flush=True)
    r = search_in_chunks(Wg, lr_sub, z0, cfg['steps'], cfg['chunk'], log=log, lr_rate=cfg['lr'])
    res = {'best': to_u8(r['best']), 'mean': to_u8(r['mean']), 'final_loss': r['final_loss'].numpy(),
           'first_loss': r['first_loss'].numpy(), 'seconds': np.float64(r['seconds']),
           'seconds_per_step': np.float64(r['seconds_per_step'])}
    os.makedirs(os.path.dirname(path), exist_ok=True)
    np.savez(path, **res)
    return res, False, gsha


def evaluate(out_json=None, limit=None, seeds=(0, 1, 2), skip_srnam=False, srnam=None, weights_dir=WEIGHTS,
             data_dir=None, fresh=False, fill_cards=None, cache=CACHE, log=print):
    t0 = time.perf_counter()
    srnam = {**SRNAM, **(srnam or {})}
    n = limit or N_FACES
    full = limit is None
    sets_dir = os.path.join(cache, 'sets' if full else f'sets-limit{n}')
    os.makedirs(sets_dir, exist_ok=True)
    hr_u8 = load_faces64(data_dir, 'test')[:n]
    report = {'schema': 'srlab-perception-distortion/1', 'command': ['npm run eval:plane --', *sys.argv[1:]],
              'hardware': {'cpu': hardware(torch.device('cpu')), 'cores': os.cpu_count(), 'threads': torch.get_num_threads(),
                           'torch': torch.__version__, 'loadavg_at_start': [round(v, 2) for v in os.getloadavg()]},
              'metric_notes': plane_report.METRIC_NOTES, 'lr_kinds': LR_KINDS, 'skipped': {}, 'weights_sha256': {},
              'planes': {}}
    names = []
    for m in METHODS:
        why = missing(m, weights_dir)
        if why:
            report['skipped'][m] = why
            log(f'skip {m}: {why}', flush=True)
        else:
            names.append(m)
    lrs = make_lrs(hr_u8, weights_dir, data_dir, {METHODS[m][1] for m in names} | {'bicubic-lr'})
    outs, info = {}, {}
    for m in names:
        label, kind, folder, what = METHODS[m]
        t = time.perf_counter()
        outs[m], sha = run_method(m, lrs[kind], weights_dir)
        if sha:
            report['weights_sha256'][folder] = sha
        info[m] = {'label': label, 'what': what, 'lr': kind, 'weights': folder,
                   'seconds_sr': round(time.perf_counter() - t, 1)}
    log(f'plane "all": {n} faces64 test faces (indices 0..{n - 1}), {len(names)} methods', flush=True)
    plane = measure_plane('all', hr_u8, outs, info, seeds, sets_dir, cache, fresh, log)
    report['planes']['all'] = {'faces': f'faces64 test, indices 0..{n - 1}', 'face_indices': [0, n], **plane}
    sheet_cols, sheet_lr, sheet_hr = outs, to_u8(lrs['bicubic-lr']), hr_u8
    if not skip_srnam:
        k = min(srnam['faces'], n)
        idx = np.sort(np.random.default_rng(srnam['subset_seed']).choice(n, size=k, replace=False))
        cfg = {key: srnam[key] for key in ('restarts', 'steps', 'lr', 'z_seed')}
        t = time.perf_counter()
        res, cached, gsha = run_srnam(lrs['bicubic-lr'], torch.as_tensor(idx), weights_dir, {**cfg, 'chunk': srnam['chunk']}, cache, fresh, log)
        report['weights_sha256']['progan'] = gsha
        sub_outs = {m: v[idx] for m, v in outs.items()}
        sub_info = dict(info)
        for m, key in (('srnam-best', 'best'), ('srnam-mean', 'mean')):
            label, kind, folder, what = SRNAM_METHODS[m]
            sub_outs[m] = res[key]
            sub_info[m] = {'label': label, 'what': what, 'lr': kind, 'weights': folder,
                           'seconds_sr': round(float(res['seconds']) if cached else time.perf_counter() - t, 1)}
        report['srnam'] = plane_report.srnam_block(srnam, res, cached, k, n)
        log(f'plane "srnam_subset": {k} of those faces (seeded {srnam["subset_seed"]}), {len(sub_outs)} methods', flush=True)
        plane = measure_plane('srnam_subset', hr_u8[idx], sub_outs, sub_info, seeds, sets_dir, cache, fresh, log)
        report['planes']['srnam_subset'] = {'faces': f'faces64 test, a seeded subset of {k} of indices 0..{n - 1}',
                                            'face_indices': idx.tolist(), **plane}
        sheet_cols, sheet_lr, sheet_hr = sub_outs, to_u8(lrs['bicubic-lr'][idx]), hr_u8[idx]
    report['findings'] = {p: plane_report.findings(v['methods']) for p, v in report['planes'].items()}
    sheet = os.path.join(cache if full else sets_dir, 'contact-sheet.png')
    contact_sheet(sheet, sheet_lr, {'HR 64': sheet_hr, **sheet_cols}, lr_label='bicubic LR 16')
    report['seconds'] = round(time.perf_counter() - t0, 1)
    report['measured_at'] = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
    out_json = out_json or (DEFAULT_JSON if full else os.path.join(cache, 'report.json'))
    os.makedirs(os.path.dirname(os.path.abspath(out_json)), exist_ok=True)
    with open(out_json, 'w') as f:
        json.dump(report, f, indent=1, ensure_ascii=False)
        f.write('\n')
    log(f'wrote {out_json} and {sheet} ({report["seconds"]} s)', flush=True)
    if fill_cards if fill_cards is not None else full:
        plane_report.fill_cards(report, weights_dir, log)
    return report


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default=None, help=f'JSON path (default {os.path.relpath(DEFAULT_JSON, REPO_ROOT)}; '
                                                'with --limit .cache/perception-distortion/report.json)')
    ap.add_argument('--limit', type=int, default=None, help=f'the first N faces64 test faces (default {N_FACES}); fast mode')
    ap.add_argument('--skip-srnam', action='store_true', help='no SR-NAM search, no srnam_subset plane')
    ap.add_argument('--seeds', default='0,1,2', help='FID-proxy subsampling seeds')
    ap.add_argument('--srnam-faces', type=int, default=SRNAM['faces'])
    ap.add_argument('--srnam-restarts', type=int, default=SRNAM['restarts'])
    ap.add_argument('--srnam-steps', type=int, default=SRNAM['steps'])
    ap.add_argument('--srnam-lr', type=float, default=SRNAM['lr'])
    ap.add_argument('--fresh', action='store_true', help='ignore the FID-proxy and SR-NAM caches')
    ap.add_argument('--cache', default=CACHE, help='sets, caches and contact sheet (default .cache/perception-distortion)')
    ap.add_argument('--no-cards', action='store_true', help='do not fill the cards\' fid_proxy fields')
    ap.add_argument('--weights', default=WEIGHTS)
    ap.add_argument('--data-dir', default=None)
    a = ap.parse_args(argv)
    if a.limit is not None and a.limit < 2:
        ap.error('--limit needs at least 2 faces')
    torch.set_num_threads(1)
    srnam = {'faces': a.srnam_faces, 'restarts': a.srnam_restarts, 'steps': a.srnam_steps, 'lr': a.srnam_lr}
    rep = evaluate(a.out, a.limit, [int(s) for s in a.seeds.split(',')], a.skip_srnam, srnam, a.weights, a.data_dir,
                   a.fresh, False if a.no_cards else None, a.cache)
    print(plane_report.table(rep))


if __name__ == '__main__':
    main()
