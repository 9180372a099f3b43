"""Train the progressive face SR network (Kim et al. 2019, paper 003): 16 -> 32 -> 64 -> 128.

  /usr/bin/python3 train/train_progressive_sr.py --config tiny --out /tmp/psr-tiny
  PYTHONUNBUFFERED=1 nohup /usr/bin/python3 train/train_progressive_sr.py --config cpu --no-attention \
      > train/runs/progressive-sr-noatt-cpu.log 2>&1 &
  PYTHONUNBUFFERED=1 nohup /usr/bin/python3 train/train_progressive_sr.py --config cpu \
      > train/runs/progressive-sr-cpu.log 2>&1 &

Schedule (§3.1, §4.1): step 1 (2x, 32 px), step 2 (4x, 64 px), step 3 (8x, 128 px), each for
its own number of iterations; in steps 2 and 3 the fade-in weight alpha rises linearly from 0
to 1 over the first `fade` fraction of the step. Data: faces128 train (UTKFace), targets
bilinearly downsampled to 32/64 px, LR inputs to 16 px (§4.1), random horizontal flips.
Loss per step, Eq. 6:
  step 1:    a*L_pixel + b*L_feat + c*L_WGAN
  steps 2,3: ... + l*L_heatmap + e*L_attention   (on the 64 and 128 px outputs)
The attention map M* (Eq. 1) is rendered from the teacher landmarks cached by the heatmaps
task (.cache/landmarks/faces-train.f32); M* is a channel max, so a flipped image simply gets a
flipped M*. L_heatmap (Eq. 5) compares M = F_d(I_HR) with M~ = F_d(G(I_LR)), where F_d is the
distilled heatmap student shipped in static/weights/heatmaps (frozen; --heatmap-net picks another
export, --no-heatmap-loss sets l = 0). The student reads 64x64 faces, so at step 3 both the
128 px output and its target are bilinearly downsampled to 64 px before F_d (differentiable).
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

from train.common.data import load_faces128, resolve_data_dir, to_float
from train.common.wgan import d_loss, g_loss
from train.progressive_sr.model import (STEP_PX, FixedFeatures, ProgressiveSRD, ProgressiveSRG, attention_loss,
                            attention_map, bilinear_down, feature_loss, heatmap_loss, param_count, pixel_loss,
                            render_heatmaps)
from train.heatmaps.export import load_student
from train.heatmaps.model import SIZE as F_D_PX  # the student's input size
from train.common.run_state import (atomic_save, hardware, pick_device, restore_rng_states, rng_states,
                       should_resume, sigterm_stop, write_run_json)
from train.common.paths import REPO_ROOT

LANDMARK_DIR = os.path.join(REPO_ROOT, '.cache', 'landmarks')
HEATMAP_NET = os.path.join(REPO_ROOT, 'static', 'weights', 'heatmaps')

CONFIGS = {
    'tiny': dict(g_widths=(8, 8, 8, 8), d_widths=(8, 8, 8, 8), batch=4, iters=(3, 3, 4), data_limit=16,
                 history_every=1),
    # This 2-core CPU, 1 torch thread, ~20 min a run (both twins side by side): a few thousand faces,
    # ~1.4% of the paper's iterations, n_dis 1 (measured: ~0.29 / 0.6 / 0.9 s per iteration by step).
    'cpu': dict(g_widths=(64, 32, 16, 8), d_widths=(4, 8, 16, 32), batch=8, iters=(1200, 900, 600),
                data_limit=3000, history_every=10),
    # GPU, paper-size schedule (§4.1: 50K, 50K, 100K iterations, batch 16); not run yet.
    'full': dict(g_widths=(256, 128, 64, 32), d_widths=(32, 64, 128, 256), batch=16, iters=(50_000, 50_000, 100_000),
                 data_limit=None, history_every=200),
}
COMMON = dict(lr=1e-3, betas=(0.5, 0.99), fade=0.5, n_dis=1, gp_lambda=10.0, drift=1e-3,
              # Eq. 6 weights (the paper gives no values): a pixel, b feat, c WGAN, l heatmap, e attention
              # l = 10: the student's heatmaps are mostly ~0; for bicubic x4/x8 outputs their MSE is ~30-40x below the
              # pixel MSE (0.00045 vs 0.013/0.018, 64 faces), so l = 10 gives Eq. 5 about a third of Eq. 2's weight
              w_pixel=1.0, w_feat=0.1, w_wgan=1e-3, w_heatmap=10.0, w_attention=1.0, seed=20240605)


def load_landmarks(split, landmark_dir=LANDMARK_DIR):
    """-> (points float32 [N,68,2] in 128 px coordinates, split indices [N], sigma_px, meta)."""
    with open(os.path.join(landmark_dir, f'faces-{split}.json')) as f:
        meta = json.load(f)
    pts = np.fromfile(os.path.join(landmark_dir, f'faces-{split}.f32'), dtype=np.float32).reshape(-1, 68, 2)
    order = meta.get('order', meta.get('indices'))
    if isinstance(order, dict):  # {"first": 0, "count": N, "subset": null | [indices]} (heatmaps cache)
        sub = order.get('subset') or order.get('indices')
        first = order.get('first', order.get('start', 0))
        order = sub if isinstance(sub, list) else list(range(first, first + order.get('count', len(pts))))
    if order is None:
        order = list(range(len(pts)))
    if len(order) != len(pts):
        raise ValueError(f'landmark cache: {len(pts)} point sets but {len(order)} indices')
    return pts, np.asarray(order, dtype=np.int64), float(meta.get('sigma_px', 2.0)), meta


def schedule(cfg, it):
    """Global iteration -> (step 1..3, alpha); None once done."""
    start = 0
    for k, n in enumerate(cfg['iters']):
        if it < start + n:
            t = it - start
            if k == 0:
                return 1, 1.0
            nf = cfg['fade'] * n
            return k + 1, (min(1.0, t / nf) if nf > 0 else 1.0)
        start += n
    return None


class Trainer:
    def __init__(self, cfg, out_dir, device, data_dir=None):
        self.cfg, self.out, self.device = cfg, out_dir, device
        torch.manual_seed(cfg['seed'])
        self.G = ProgressiveSRG(cfg['g_widths']).to(device)
        self.D = ProgressiveSRD(cfg['d_widths']).to(device)
        self.phi = FixedFeatures().to(device)
        self.F_d = load_student(cfg['heatmap_net']).to(device) if cfg['w_heatmap'] > 0 else None  # Eq. 5
        self.optG = torch.optim.Adam(self.G.parameters(), lr=cfg['lr'], betas=tuple(cfg['betas']))
        self.optD = torch.optim.Adam(self.D.parameters(), lr=cfg['lr'], betas=tuple(cfg['betas']))
        self.it, self.wall_s, self.last, self.history = 0, 0.0, {}, []
        self.data_root = resolve_data_dir(data_dir)
        lim = cfg['data_limit']
        self.points, self.sigma, self.landmark_meta = None, None, None
        if cfg['w_attention'] > 0:
            pts, order, self.sigma, self.landmark_meta = load_landmarks('train', cfg['landmark_dir'])
            row = {int(i): r for r, i in enumerate(order)}
            idx = sorted(row)[:lim] if lim else sorted(row)
            self.points = pts[[row[i] for i in idx]]
        else:  # same faces as the attention run would take when the cache covers the first `lim`
            idx = None
        self.hr_u8, self.indices = load_faces128(self.data_root, 'train', indices=idx, limit=lim)
        self.rng = np.random.default_rng(cfg['seed'])
        print(f'data: {len(self.hr_u8)} faces128-train from {self.data_root} (indices {self.indices[0]}..'
              f'{self.indices[-1]}); attention {"on, sigma %.2f px" % self.sigma if self.points is not None else "off"}',
              flush=True)

    def batch(self, bs):
        i = self.rng.integers(0, len(self.hr_u8), bs)
        flip = self.rng.random(bs) < 0.5
        x = self.hr_u8[i].copy()
        x[flip] = x[flip, :, ::-1]
        hr = to_float(x, self.device)
        pts = None
        if self.points is not None:
            p = self.points[i].copy()
            p[flip, :, 0] = 128.0 - p[flip, :, 0]  # mirror x; M* is a channel max so no index swap
            pts = torch.from_numpy(p).to(self.device)
        return hr, pts

    def train_iteration(self, step, alpha):
        c, bs = self.cfg, self.cfg['batch']
        self.G.train()
        px = STEP_PX[step - 1]
        for _ in range(c['n_dis']):
            hr, _ = self.batch(bs)
            lr_in, target = bilinear_down(hr, 16), bilinear_down(hr, px)
            with torch.no_grad():
                fake = self.G(lr_in, step, alpha)
            ld, parts = d_loss(self.D, target, fake, step, alpha, c['gp_lambda'], c['drift'])  # Eq. 4
            self.optD.zero_grad(set_to_none=True)
            ld.backward()
            self.optD.step()
        hr, pts = self.batch(bs)
        lr_in, target = bilinear_down(hr, 16), bilinear_down(hr, px)
        self.D.requires_grad_(False)
        sr = self.G(lr_in, step, alpha)
        parts_g = {'pixel': pixel_loss(sr, target), 'feat': feature_loss(self.phi, sr, target),
                   'wgan': g_loss(self.D, sr, step, alpha)}
        loss = c['w_pixel'] * parts_g['pixel'] + c['w_feat'] * parts_g['feat'] + c['w_wgan'] * parts_g['wgan']
        if step >= 2 and pts is not None:  # Eq. 6, steps 2 and 3 only
            m_star = attention_map(render_heatmaps(pts, px, self.sigma))
            parts_g['attention'] = attention_loss(m_star, sr, target)
            loss = loss + c['w_attention'] * parts_g['attention']
        if step >= 2 and self.F_d is not None:  # Eq. 5 at steps 2 and 3: M = F_d(I_HR), M~ = F_d(G(I_LR))
            with torch.no_grad():
                m = self.F_d(bilinear_down(target, F_D_PX))
            parts_g['heatmap'] = heatmap_loss(m, self.F_d(bilinear_down(sr, F_D_PX)))
            loss = loss + c['w_heatmap'] * parts_g['heatmap']
        self.optG.zero_grad(set_to_none=True)
        loss.backward()
        self.optG.step()
        self.D.requires_grad_(True)
        out = {'step': step, 'alpha': round(alpha, 4), 'd_loss': float(ld), 'wdist': float(parts['wdist']),
               'gp': float(parts['gp']), 'g_loss': float(loss)}
        out.update({k: float(v) for k, v in parts_g.items()})
        return out

    @property
    def ckpt_path(self):
        return os.path.join(self.out, 'checkpoint.pt')

    def save(self):
        state = {'cfg': self.cfg, 'it': self.it, 'wall_s': self.wall_s, 'last': self.last, 'history': self.history,
                 'G': self.G.state_dict(), 'D': self.D.state_dict(), 'optG': self.optG.state_dict(),
                 'optD': self.optD.state_dict(), 'rng': self.rng.bit_generator.state, **rng_states(self.device)}
        atomic_save(state, self.ckpt_path)
        self.write_summary()

    def load(self):
        s = torch.load(self.ckpt_path, map_location=self.device, weights_only=False)
        for k in ('G', 'D', 'optG', 'optD'):
            getattr(self, k).load_state_dict(s[k])
        self.it, self.wall_s, self.last, self.history = s['it'], s['wall_s'], s['last'], s['history']
        self.rng.bit_generator.state = s['rng']
        restore_rng_states(s, self.device)
        print(f'resumed at iteration {self.it}', flush=True)

    def total(self):
        return sum(self.cfg['iters'])

    def run(self, budget_minutes=None, log_every=15.0):
        stop = sigterm_stop()
        t0, t_log, wall0, acc = time.time(), time.time(), self.wall_s, []
        self.step_seconds = {}
        while not stop['flag']:
            sch = schedule(self.cfg, self.it)
            if sch is None:
                break
            ts = time.time()
            self.last = self.train_iteration(*sch)
            dt = time.time() - ts
            acc.append(dt)
            self.step_seconds.setdefault(sch[0], []).append(dt)
            if not all(np.isfinite(v) for v in self.last.values()):
                self.save()
                raise FloatingPointError(f'non-finite loss at iteration {self.it}: {self.last}')
            self.it += 1
            self.wall_s = wall0 + time.time() - t0
            if self.it % self.cfg['history_every'] == 0 or self.it == self.total():
                self.history.append({'it': self.it, **{k: round(v, 5) for k, v in self.last.items()}})
            if time.time() - t_log >= log_every or self.it == self.total():
                l, sps = self.last, sum(acc) / len(acc)
                print(f"it {self.it}/{self.total()} step {l['step']} a={l['alpha']:.2f} | D {l['d_loss']:.3f} "
                      f"pixel {l['pixel']:.4f} feat {l['feat']:.4f} wgan {l['wgan']:.3f} att {l.get('attention', 0):.4f}"
                      f" hm {l.get('heatmap', 0):.5f}"
                      f" | {sps:.3f} s/it | {self.wall_s / 60:.1f} min", flush=True)
                t_log, acc = time.time(), []
            if self.cfg.get('stop_at') and self.it >= self.cfg['stop_at']:
                print(f"--stop-at {self.cfg['stop_at']} reached; checkpointing", flush=True)
                break
            if budget_minutes is not None and self.wall_s > budget_minutes * 60:
                print(f'--budget-minutes {budget_minutes} reached; checkpointing', flush=True)
                break
        self.save()
        done = self.it >= self.total()
        print(('done' if done else 'stopped') + f' at iteration {self.it}, {self.wall_s / 60:.1f} min', flush=True)
        return done

    def heatmap_note(self):
        c = self.cfg
        if self.F_d is None:
            return 'off (weight 0, --no-heatmap-loss)'
        return (f"on, l = {c['w_heatmap']:g} at steps 2 and 3: F_d = the distilled heatmap student "
                f"({os.path.relpath(c['heatmap_net'], REPO_ROOT)}, frozen, 64x64 input; the 128 px output and "
                f"target are bilinearly downsampled to 64 px for it)")

    def write_summary(self):
        c = self.cfg
        info = {
            'model': 'progressive-sr', 'config': c['name'], 'cfg': c, 'iterations': self.it,
            'finished': self.it >= self.total(), 'wall_seconds': round(self.wall_s, 1), 'final_losses': self.last,
            'loss_history': self.history, 'device': str(self.device), 'hardware': hardware(self.device),
            'torch': torch.__version__, 'threads': torch.get_num_threads(),
            'params': {'G': param_count(self.G), 'D': param_count(self.D)},
            'train_images': int(len(self.hr_u8)), 'train_indices': [int(self.indices[0]), int(self.indices[-1])],
            'data_dir': self.data_root,
            'attention': None if self.points is None else {
                'source': 'teacher landmarks ' + os.path.relpath(c['landmark_dir'], REPO_ROOT) + '/faces-train.*',
                'sigma_px_at_128': self.sigma, 'teacher': (self.landmark_meta or {}).get('teacher')},
            'heatmap_loss': self.heatmap_note(),
            'mean_seconds_per_iteration': {str(k): round(float(np.mean(v)), 4)
                                           for k, v in getattr(self, 'step_seconds', {}).items()},
        }
        write_run_json(self.out, info)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--config', default='tiny', choices=sorted(CONFIGS))
    ap.add_argument('--out', default=None)
    ap.add_argument('--no-attention', action='store_true', help='eta = 0 (the ablation twin)')
    ap.add_argument('--landmark-dir', default=LANDMARK_DIR)
    ap.add_argument('--heatmap-net', default=HEATMAP_NET, help='exported heatmap student used as F_d (Eq. 5)')
    ap.add_argument('--no-heatmap-loss', action='store_true', help='l = 0 (Eq. 5 off)')
    ap.add_argument('--data-dir', default=None)
    ap.add_argument('--data-limit', type=int, default=None)
    ap.add_argument('--iters', default=None, help='override iterations per step, e.g. 500,500,700')
    ap.add_argument('--device', default='auto')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--resume', action='store_true')
    ap.add_argument('--budget-minutes', type=float, default=None)
    ap.add_argument('--stop-at', type=int, default=None,
                    help='stop (checkpointed, run.json finished=false) at this global iteration: lets two twins end at '
                         'the same point of the schedule when the machine is too slow to finish it')
    ap.add_argument('--log-every', type=float, default=15.0)
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    cfg = dict(COMMON)
    cfg.update(CONFIGS[a.config])
    cfg['name'] = a.config
    cfg['landmark_dir'] = os.path.abspath(a.landmark_dir)
    if a.no_attention:
        cfg['w_attention'] = 0.0
    if a.data_limit is not None:
        cfg['data_limit'] = a.data_limit
    if a.iters:
        cfg['iters'] = tuple(int(v) for v in a.iters.split(','))
    cfg['heatmap_net'] = os.path.abspath(a.heatmap_net)
    if a.no_heatmap_loss:
        cfg['w_heatmap'] = 0.0
    cfg['stop_at'] = a.stop_at
    tag = 'progressive-sr' + ('-noatt' if a.no_attention else '')
    out = a.out or os.path.join(REPO_ROOT, 'train', 'runs', f'{tag}-{a.config}')
    os.makedirs(out, exist_ok=True)
    device = pick_device(a.device)
    t = Trainer(cfg, out, device, a.data_dir)
    print(f"{tag} config {a.config}: G {param_count(t.G):,} / D {param_count(t.D):,} params, iters {cfg['iters']} x bs "
          f"{cfg['batch']}, device {device} ({hardware(device)}), threads {torch.get_num_threads()}", flush=True)
    if should_resume(t.ckpt_path, a.resume):
        t.load()
    return t.run(a.budget_minutes, a.log_every)


if __name__ == '__main__':
    sys.exit(0 if main() else 3)
