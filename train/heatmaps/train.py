"""Train the distilled landmark-heatmap student (paper 003 §3.3) on the teacher's cached points.

  npm run cache:landmarks                                   # teacher points -> .cache/landmarks/
  /usr/bin/python3 train/train_heatmaps.py --config tiny --out /tmp/hm      # seconds (CI smoke)
  PYTHONUNBUFFERED=1 nohup /usr/bin/python3 train/train_heatmaps.py --config cpu \\
      > train/runs/heatmaps-cpu.log 2>&1 &                                   # <= ~15 min, 1 thread
  /usr/bin/python3 train/export_heatmaps.py --run train/runs/heatmaps-cpu

Inputs: faces64 (index i is faces128 index i) for the first N split indices the cache covers;
targets: the teacher's 68 points (128x128 pixels, halved to 64x64) rendered as Gaussians of
sigma 3 px (twice the teacher rendering's default; see heatmap_student.STUDENT_SIGMA). Random horizontal flips swap mirrored landmarks.
Loss: foreground-weighted MSE, mean((1 + fg_weight * M) * (S(x) - M)^2) (plain MSE is
dominated by the ~99% background pixels and a student learns to output zeros first), plus
coord_weight * mean |soft-argmax(S(x)) - p| / 64, an integral-regression term that places the
peaks within the few hundred steps a shared CPU affords. Adam lr 1e-3 (the paper: 1e-4,
batch 16, 100k iterations; we have ~1% of those updates).
NME against the teacher (paper 003 Table 1: mean point distance / image size) on the test
split's cached faces, points decoded from the student's heatmaps (argmax + log-parabola).
"""
import argparse
import datetime
import json
import os
import time

import numpy as np
import torch

from train.heatmaps.model import (STUDENT_SIGMA, SIZE, HeatmapStudent, decode, flip_batch, nme, param_count,
                             read_cache, read_faces64_prefix, render, soft_argmax)
from train.common.run_state import hardware, pick_device, write_run_json
from train.common.paths import REPO_ROOT

DEFAULT_CACHE = os.path.join(REPO_ROOT, '.cache', 'landmarks')
DEFAULT_FACES = os.path.normpath(os.path.join(REPO_ROOT, '..', 'shared', 'data', 'faces'))

CONFIGS = {
    'tiny': dict(widths=(4, 4, 8, 8), dec=(8, 4, 4), batch=4, steps=3, train_limit=16, test_limit=8, eval_every=2,
                 max_minutes=None),
    # 2-core CPU, 1 thread: as many steps as fit in ~14 minutes of wall time (steps is an upper bound).
    'cpu': dict(widths=(16, 32, 64, 96), dec=(64, 32, 16), batch=16, steps=20_000, train_limit=None, test_limit=None,
                eval_every=200, max_minutes=14.0),
    'full': dict(widths=(32, 64, 128, 192), dec=(128, 64, 32), batch=32, steps=30_000, train_limit=None,
                 test_limit=None, eval_every=1_000, max_minutes=None),
}
COMMON = dict(lr=1e-3, sigma=STUDENT_SIGMA, betas=(0.9, 0.999), fg_weight=10.0, coord_weight=0.05, seed=20240605, eval_faces=200)


def load_split(faces_dir, cache_dir, split, limit):
    pts, meta = read_cache(cache_dir, split)
    n = len(pts) if limit is None else min(limit, len(pts))
    imgs = read_faces64_prefix(os.path.join(faces_dir, f'faces64-{split}.zip'), n)
    x = torch.from_numpy(imgs).permute(0, 3, 1, 2)  # uint8 NCHW: 20k faces stay at 250 MB
    return x, torch.from_numpy(pts[:n] * (SIZE / 128)), meta


def to_unit(x_u8):
    return x_u8.float().div(127.5).sub(1.0)


@torch.no_grad()
def evaluate(model, x, pts, batch=50):
    model.eval()
    pred = torch.cat([decode(model(to_unit(x[i:i + batch]))) for i in range(0, len(x), batch)])
    model.train()
    return nme(pred, pts, SIZE)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--config', choices=sorted(CONFIGS), default='tiny')
    ap.add_argument('--out', default=None, help='run dir (default train/runs/heatmaps-<config>)')
    ap.add_argument('--cache', default=DEFAULT_CACHE, help='teacher landmark cache (npm run cache:landmarks)')
    ap.add_argument('--faces', default=DEFAULT_FACES, help='folder with faces64-{train,test}.zip')
    ap.add_argument('--max-minutes', type=float, default=None)
    ap.add_argument('--device', default='auto')
    ap.add_argument('--resume', action='store_true', help='continue the run in --out (model, Adam state, steps, history, wall time)')
    a = ap.parse_args(argv)
    cfg = {**COMMON, **CONFIGS[a.config], 'config': a.config}
    if a.max_minutes is not None:
        cfg['max_minutes'] = a.max_minutes
    out = a.out or os.path.join(REPO_ROOT, 'train', 'runs', f'heatmaps-{a.config}')
    os.makedirs(out, exist_ok=True)
    device = pick_device(a.device)
    if device.type == 'cpu':
        torch.set_num_threads(1)
    torch.manual_seed(cfg['seed'])
    rng = np.random.default_rng(cfg['seed'])

    xtr, ptr, meta_tr = load_split(a.faces, a.cache, 'train', cfg['train_limit'])
    xte, pte, meta_te = load_split(a.faces, a.cache, 'test', cfg['test_limit'])
    print(f'data: {len(xtr)} train / {len(xte)} test faces64 with teacher points from {a.cache}', flush=True)
    model = HeatmapStudent(cfg['widths'], cfg['dec']).to(device)
    opt = torch.optim.Adam(model.parameters(), lr=cfg['lr'], betas=cfg['betas'])
    ev = min(cfg['eval_faces'], len(xte))
    history, t0, step, prior_s, sessions = [], time.time(), 0, 0.0, 1
    ck_path = os.path.join(out, 'checkpoint.pt')
    if a.resume:
        ck = torch.load(ck_path, map_location=device, weights_only=False)
        with open(os.path.join(out, 'run.json')) as f:
            prev = json.load(f)  # checkpoints written before --resume existed hold only the model
        model.load_state_dict(ck['model'])
        if 'opt' in ck:
            opt.load_state_dict(ck['opt'])
            rng.bit_generator.state = ck['rng']
        step, history, prior_s = prev['steps'], prev['history'], prev['wall_seconds']
        sessions = prev.get('sessions', 1) + 1
        t0 -= prior_s  # history seconds and the card's wall time count both sessions
        print(f'resumed at step {step} ({prior_s / 60:.1f} min so far)', flush=True)
        nme0 = history[0]['nme_test_subset']
    else:
        nme0 = evaluate(model, xte[:ev].to(device), pte[:ev].to(device))
        history.append({'step': 0, 'loss': None, 'nme_test_subset': nme0, 'seconds': 0.0})
    deadline = time.time() + 60 * cfg['max_minutes'] if cfg['max_minutes'] else None
    while step < cfg['steps'] and (deadline is None or time.time() < deadline):
        idx = torch.from_numpy(rng.choice(len(xtr), cfg['batch'], replace=False))
        x, p = to_unit(xtr[idx]), ptr[idx]
        flip = torch.from_numpy(rng.random(cfg['batch']) < 0.5)
        if flip.any():
            fx, fp = flip_batch(x[flip], p[flip])
            x, p = x.clone(), p.clone()
            x[flip], p[flip] = fx, fp
        target = render(p, sigma=cfg['sigma']).to(device)
        pred = model(x.to(device))
        loss = ((1 + cfg['fg_weight'] * target) * (pred - target) ** 2).mean()
        loss = loss + cfg['coord_weight'] * (soft_argmax(pred) - p.to(device)).abs().mean() / SIZE
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        step += 1
        if step % cfg['eval_every'] == 0:
            e = evaluate(model, xte[:ev].to(device), pte[:ev].to(device))
            history.append({'step': step, 'loss': float(loss), 'nme_test_subset': e, 'seconds': round(time.time() - t0, 1)})
            print(f'step {step}: loss {float(loss):.5f}, NME(test[:{ev}]) {e:.4f}, {time.time() - t0:.0f} s', flush=True)
    wall = time.time() - t0
    nme_test = evaluate(model, xte.to(device), pte.to(device))
    print(f'done: {step} steps in {wall / 60:.1f} min; NME vs teacher on {len(xte)} test faces: {nme_test:.4f}', flush=True)
    torch.save({'model': model.state_dict(), 'cfg': cfg, 'opt': opt.state_dict(), 'rng': rng.bit_generator.state,
                'step': step}, ck_path)
    run = {
        'config': a.config, 'cfg': cfg, 'steps': step, 'images_seen': step * cfg['batch'],
        'finished': step >= cfg['steps'], 'stopped_by_time_budget': step < cfg['steps'],
        'wall_seconds': round(wall, 1), 'sessions': sessions, 'parameters': param_count(model),
        'nme_test': nme_test, 'nme_untrained_subset': nme0, 'test_faces': len(xte), 'train_faces': len(xtr),
        'sigma_px_64': cfg['sigma'], 'final_loss': history[-1]['loss'], 'history': history,
        'cache': {'train': {k: meta_tr[k] for k in ('count', 'teacher', 'created')} | {'subset': meta_tr['order']['subset']},
                  'test': {k: meta_te[k] for k in ('count', 'teacher', 'created')} | {'subset': meta_te['order']['subset']}},
        'device': device.type, 'hardware': hardware(device), 'threads': torch.get_num_threads(), 'torch': torch.__version__,
        'finished_at': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
    }
    write_run_json(out, run)
    return run


if __name__ == '__main__':
    main()
