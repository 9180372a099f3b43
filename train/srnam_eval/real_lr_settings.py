"""SR-NAM's search settings on REAL low-resolution faces (issue 18): which default serves a person best?

  npm run eval:srnam-real-lr -- [--limit N] [--restarts K] [--steps S] [--out DIR]
  /usr/bin/python3 -m train.srnam_eval.real_lr_settings [same options]

The first N (default 20) faces of the lr-faces TEST split (indices 765, 766, ...; real 16x16 crops
from WIDER FACE, train/common/lr_faces.py), K restarts each (default 4, the notebook's K), S Adam
steps (default 300; paper 000 §4.1: 250-500) at the notebook's rate (0.05, betas 0.9/0.999), with
the shipped ProGAN G and the shipped learned degrader D (noise n_k ~ N(0, I), §3.2), batched faces x
restarts (train/srgan/srnam_batch.py). Settings (the notebook's parameters `noise` and `prior`):
  default   noise fixed at its seeded draw, no prior: Eq. 6 over z only (§3.4, §4.1)
  joint     the degrader noise optimised with z (same Adam)
  prior     noise fixed, + the latent-norm prior w (mean_j z_j^2 - 1)^2 per restart (w = --prior)
Every setting starts from the SAME z0 and n0 (seeded), so differences are the settings'.

Report (<out>/report.json), per setting:
  lr_consistency   L1 on [0, 1] between the input and each candidate degraded back,
                     by_search_degrader: D(G(z_k), n_k) with the search's own noise (what the
                                         notebook shows and ranks by; with `joint` the noise was fitted)
                     by_bicubic:         antialiased bicubic /4 of G(z_k) (noise-free, same for all)
                   best (the rank-1 candidate of each face) and mean over candidates, mean ± sd over faces
  diversity        mean pairwise |G(z_i) - G(z_j)| on [0, 1] per face (mean ± sd over faces), and
                   distinct candidates per face (pairs under COLLAPSE_L1 merged; candidates.py): mean,
                   total over faces, and how many faces had every restart collapse onto one face
  z_norm           mean over restarts of mean_j z_j^2 at the end (1 = the N(0, I) shell)
  seconds          wall time of the search (this shared CPU; compare within one run; with --parallel
                   the settings ran at once, sharing the CPU)
With --checkpoints the same measures (without per_face) after fewer steps go under "checkpoints".
A `table` of the same numbers (Markdown) is written to <out>/table.md, the candidates and their
degradations (uint8) to <out>/candidates-<setting>.npz. Default --out:
.cache/eval-srnam-real-lr/ (git-ignored). The report is rewritten after every setting.
"""
import argparse
import datetime
import json
import os
import statistics
import threading
import time
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import torch

from train.common.export import read_exported, weights_sha
from train.common.images import bicubic_down, to_float, to_u8
from train.common.lr_faces import load_real_lr
from train.common.paths import REPO_ROOT
from train.common.paths import WEIGHTS_DIR as WEIGHTS
from train.srgan.srnam_batch import learned_degrade, search, start_latents, start_noise
from train.srnam_eval.candidates import COLLAPSE_L1, face_measures, lr_l1

DEFAULT_OUT = os.path.join(REPO_ROOT, '.cache', 'eval-srnam-real-lr')
SETTINGS = ('default', 'joint', 'prior')
NOTEBOOK = {'restarts': 4, 'lr': 0.05, 'steps': 300}  # src/notebooks/srnam/search.ts defaults (K, lr); steps: §4.1
Z_SEED, NOISE_SEED = 1, 1001


def spread(vals):
    return {'mean': round(statistics.mean(vals), 5), 'sd': round(statistics.stdev(vals), 5) if len(vals) > 1 else None}


def setting_options(name, prior):
    return {'default': {}, 'joint': {'joint_noise': True}, 'prior': {'prior': prior}}[name]


def measure(res, lr, k):
    faces = [face_measures(res['candidates'][i], res['degraded'][i], lr[i]) for i in range(len(lr))]
    bic = lr_l1(bicubic_down(res['candidates'].flatten(0, 1)).view(len(lr), k, 3, 16, 16), lr)
    return {
        'lr_consistency': {
            'by_search_degrader': {'best': spread([f['best_lr_l1'] for f in faces]), 'mean': spread([f['mean_lr_l1'] for f in faces])},
            'by_bicubic': {'best': spread(bic.min(1).values.tolist()), 'mean': spread(bic.mean(1).tolist())}},
        'diversity': {'mean_pairwise': spread([f['mean_pairwise'] for f in faces]),
                      'distinct_per_face': spread([f['distinct'] for f in faces]),
                      'distinct_total': sum(f['distinct'] for f in faces), 'candidates_total': len(faces) * k,
                      'faces_all_collapsed': sum(f['distinct'] == 1 for f in faces) if k > 1 else None},
        'z_norm': round(float(res['z'].pow(2).mean(2).mean()), 4),
        'per_face': faces}


def table(rep):
    k = rep['restarts']
    rows = [f"| setting | LR-L1 best (search D) | LR-L1 mean of K (search D) | LR-L1 best (bicubic /4) | mean pairwise distance | distinct of {k} per face | faces with all {k} collapsed | mean z² | search s |",
            '|---|---|---|---|---|---|---|---|---|']
    f = lambda s: f"{s['mean']:.4f} ± {s['sd'] or 0:.4f}"
    for name, r in rep['settings'].items():
        c, d = r['lr_consistency'], r['diversity']
        rows.append(f"| {name} | {f(c['by_search_degrader']['best'])} | {f(c['by_search_degrader']['mean'])} | {f(c['by_bicubic']['best'])} "
                    f"| {f(d['mean_pairwise'])} | {d['distinct_per_face']['mean']:.2f} ({d['distinct_total']} of {d['candidates_total']}) "
                    f"| {d['faces_all_collapsed']} of {rep['n_faces']} | {r['z_norm']:.3f} | {r['seconds']:.0f} |")
    return '\n'.join(rows)


def evaluate(out_dir=DEFAULT_OUT, limit=20, restarts=NOTEBOOK['restarts'], steps=NOTEBOOK['steps'], lr_rate=NOTEBOOK['lr'],
             prior=0.1, settings=SETTINGS, weights_dir=WEIGHTS, data_dir=None, parallel=False, checkpoints=(), log=print):
    os.makedirs(out_dir, exist_ok=True)
    u8, idx = load_real_lr(data_dir, 'test', 16, allow_test=True)
    u8, idx = u8[:limit], idx[:limit]  # the FIRST `limit` test faces (not a random subset)
    lr = to_float(u8)
    _, Wg = read_exported(os.path.join(weights_dir, 'progan'))
    _, Wd = read_exported(os.path.join(weights_dir, 'degrader'))
    n = len(lr)
    z0 = start_latents(n, restarts, Wg['g/4/dense/w'].shape[0], Z_SEED)
    n0 = start_noise(n, restarts, Wd['d/noise/w'].shape[0], NOISE_SEED)
    rep = {'n_faces': n, 'real_lr_test_indices': idx, 'restarts': restarts, 'steps': steps,
           'adam': {'lr': lr_rate, 'betas': [0.9, 0.999], 'eps': 1e-8}, 'prior_weight': prior,
           'z_seed': Z_SEED, 'noise_seed': NOISE_SEED, 'collapse_l1': COLLAPSE_L1,
           'weights_sha256': {m: weights_sha(os.path.join(weights_dir, m)) for m in ('progan', 'degrader')},
           'threads': torch.get_num_threads(), 'parallel_settings': parallel, 'settings': {}, 'checkpoints': {}}

    lock = threading.Lock()

    def record(name, step, res):
        """Measures of `name` after `step` steps into the report (rewritten on disk each time)."""
        m = {**measure(res, lr, restarts), 'seconds': round(res['seconds'], 1), 'seconds_per_step': round(res['seconds_per_step'], 3)}
        with lock:
            if step == steps:
                rep['settings'][name] = m
            else:
                rep['checkpoints'].setdefault(str(step), {})[name] = {kk: v for kk, v in m.items() if kk != 'per_face'}
            rep['measured_at'] = datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ')
            with open(os.path.join(out_dir, 'report.json'), 'w') as f:
                json.dump({**rep, 'settings': {s: rep['settings'][s] for s in settings if s in rep['settings']}}, f, indent=1)
            if step == steps:
                with open(os.path.join(out_dir, 'table.md'), 'w') as f:
                    f.write(table(rep) + '\n')
                # the images behind the numbers (uint8 NHWC [N,K,...]), to look at or re-measure
                np.savez_compressed(os.path.join(out_dir, f'candidates-{name}.npz'), lr=u8,
                                    candidates=to_u8(res['candidates'].flatten(0, 1)).reshape(n, restarts, 64, 64, 3),
                                    degraded=to_u8(res['degraded'].flatten(0, 1)).reshape(n, restarts, 16, 16, 3))
        log(f'{name} at step {step}: ' + table({**rep, 'settings': {name: m}}).splitlines()[-1], flush=True)

    def run(name):
        log(f'{name}: {n} faces x K {restarts} x {steps} Adam steps', flush=True)
        res = search(Wg, lr, z0, steps, lr_rate=lr_rate, degrade=learned_degrade(Wd), noise0=n0,
                     log=lambda m, **kw: log(f'  [{name}]{m}', **kw), at_steps=checkpoints,
                     on_step=lambda step, r: record(name, step, r), **setting_options(name, prior))
        record(name, steps, res)

    # parallel: one thread per setting (torch releases the GIL in its ops; the settings never interact)
    with ThreadPoolExecutor(len(settings) if parallel else 1) as pool:
        for f in [pool.submit(run, name) for name in settings]:
            f.result()
    rep['settings'] = {s: rep['settings'][s] for s in settings}
    return rep


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--out', default=DEFAULT_OUT)
    ap.add_argument('--limit', type=int, default=20, help='the first N real-LR test faces (default 20)')
    ap.add_argument('--restarts', type=int, default=NOTEBOOK['restarts'])
    ap.add_argument('--steps', type=int, default=NOTEBOOK['steps'])
    ap.add_argument('--lr', type=float, default=NOTEBOOK['lr'])
    ap.add_argument('--prior', type=float, default=0.1, help='latent-norm prior weight of the `prior` setting')
    ap.add_argument('--settings', default=','.join(SETTINGS))
    ap.add_argument('--checkpoints', default='', help='also measure after these step counts, e.g. 100,200 (report "checkpoints")')
    ap.add_argument('--threads', type=int, default=1, help='torch threads per search')
    ap.add_argument('--parallel', action='store_true', help='run the settings at once, one thread each (wall times then overlap)')
    ap.add_argument('--weights', default=WEIGHTS)
    ap.add_argument('--data-dir', default=None)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    t0 = time.perf_counter()
    rep = evaluate(a.out, a.limit, a.restarts, a.steps, a.lr, a.prior, a.settings.split(','), a.weights, a.data_dir, a.parallel,
                   [int(c) for c in a.checkpoints.split(',') if c])
    print(table(rep))
    print(f"wrote {os.path.join(a.out, 'report.json')} and table.md ({time.perf_counter() - t0:.0f} s)")


if __name__ == '__main__':
    main()
