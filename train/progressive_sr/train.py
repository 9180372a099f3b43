"""Train the progressive face SR network (Kim et al. 2019, paper 003): 16 -> 32 -> 64 -> 128.

  /usr/bin/python3 -m train.progressive_sr.train --config tiny --out /tmp/psr-tiny
  PYTHONUNBUFFERED=1 nohup /usr/bin/python3 -m train.progressive_sr.train --config cpu --no-attention \
      > train/runs/progressive-sr-noatt-cpu.log 2>&1 &
  PYTHONUNBUFFERED=1 nohup /usr/bin/python3 -m train.progressive_sr.train --config cpu \
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
import os
import sys

import numpy as np
import torch

from train.common import dist
from train.common.cli import launch, make_cfg, parser
from train.common.data import load_faces128, resolve_data_dir
from train.common.images import bilinear_down, to_float
from train.common.landmarks import load_landmarks
from train.common.loop import TrainingRun
from train.common.paths import LANDMARK_DIR, REPO_ROOT, WEIGHTS_DIR
from train.common.run_state import param_count
from train.common.wgan import d_loss, g_loss
from train.heatmaps.export import load_student
from train.heatmaps.model import SIZE as F_D_PX  # the student's input size
from train.progressive_sr.losses import (attention_loss, attention_map, feature_loss, heatmap_loss, pixel_loss,
                                         render_heatmaps)
from train.progressive_sr.model import STEP_PX, FixedFeatures, ProgressiveSRD, ProgressiveSRG

HEATMAP_NET = os.path.join(WEIGHTS_DIR, 'heatmaps')

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


class ProgressiveSRRun(TrainingRun):
    unit = 'iteration'
    cudnn_benchmark = False

    def __init__(self, cfg, out_dir, device, data_dir=None):
        super().__init__(cfg, out_dir, device)
        self.G = ProgressiveSRG(cfg['g_widths']).to(device)
        self.D = ProgressiveSRD(cfg['d_widths']).to(device)
        self.phi = FixedFeatures().to(device)
        self.F_d = load_student(cfg['heatmap_net']).to(device) if cfg['w_heatmap'] > 0 else None  # Eq. 5
        self.optG = torch.optim.Adam(self.G.parameters(), lr=cfg['lr'], betas=tuple(cfg['betas']))
        self.optD = torch.optim.Adam(self.D.parameters(), lr=cfg['lr'], betas=tuple(cfg['betas']))
        self.step_seconds = {}
        self.G_train, self.D_train = self.G, self.D  # what train_iteration trains through (wrap_models)
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

    def tag(self):
        return 'progressive-sr' + ('-noatt' if self.cfg['w_attention'] == 0 else '')

    def banner(self):
        c = self.cfg
        return (f"{self.tag()} config {c['name']}: G {param_count(self.G):,} / D {param_count(self.D):,} params, "
                f"iters {c['iters']} x bs {c['batch']}" + self.device_note())

    def batch(self, bs):
        """This rank's shard of a global batch of bs faces (all of it when alone)."""
        i = self.rng.integers(0, len(self.hr_u8), bs)
        flip = self.rng.random(bs) < 0.5
        i, flip = dist.shard(i), dist.shard(flip)
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
            ld, parts = d_loss(self.D_train, target, fake, step, alpha, c['gp_lambda'], c['drift'])  # Eq. 4
            self.optD.zero_grad(set_to_none=True)
            ld.backward()
            self.optD.step()
        hr, pts = self.batch(bs)
        lr_in, target = bilinear_down(hr, 16), bilinear_down(hr, px)
        self.D.requires_grad_(False)
        sr = self.G_train(lr_in, step, alpha)
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

    def wrap_models(self):
        # step 1 trains only the 32 px layers, step 2 not the 128 px ones: find_unused
        self.G_train, self.D_train = dist.wrap(self.G, find_unused=True), dist.wrap(self.D, find_unused=True)

    def phase(self):
        return schedule(self.cfg, self.step)

    def train_step(self, ph):
        return self.train_iteration(*ph)

    def advance(self, ph, seconds):
        self.step_seconds.setdefault(ph[0], []).append(seconds)
        self.record_history('it')

    def progress_line(self, ph, sps):
        l = self.last
        return (f"it {self.step}/{self.total()} step {l['step']} a={l['alpha']:.2f} | D {l['d_loss']:.3f} "
                f"pixel {l['pixel']:.4f} feat {l['feat']:.4f} wgan {l['wgan']:.3f} att {l.get('attention', 0):.4f}"
                f" hm {l.get('heatmap', 0):.5f} | {sps:.3f} s/it | {self.wall_s / 60:.1f} min")

    def state(self):
        return {'it': self.step, 'history': self.history, 'G': self.G.state_dict(), 'D': self.D.state_dict(),
                'optG': self.optG.state_dict(), 'optD': self.optD.state_dict(), 'rng': self.rng.bit_generator.state}

    def load_state(self, s):
        for k in ('G', 'D', 'optG', 'optD'):
            getattr(self, k).load_state_dict(s[k])
        self.step, self.history = s['it'], s['history']
        self.rng.bit_generator.state = s['rng']

    def total(self):
        return sum(self.cfg['iters'])

    def heatmap_note(self):
        c = self.cfg
        if self.F_d is None:
            return 'off (weight 0, --no-heatmap-loss)'
        return (f"on, l = {c['w_heatmap']:g} at steps 2 and 3: F_d = the distilled heatmap student "
                f"({os.path.relpath(c['heatmap_net'], REPO_ROOT)}, frozen, 64x64 input; the 128 px output and "
                f"target are bilinearly downsampled to 64 px for it)")

    def summary(self):
        c = self.cfg
        return {
            'model': 'progressive-sr', 'config': c['name'], 'cfg': c, 'iterations': self.step,
            'finished': self.step >= self.total(), 'wall_seconds': round(self.wall_s, 1), 'final_losses': self.last,
            'loss_history': self.history, **self.environment(),
            'params': {'G': param_count(self.G), 'D': param_count(self.D)},
            'train_images': int(len(self.hr_u8)), 'train_indices': [int(self.indices[0]), int(self.indices[-1])],
            'data_dir': self.data_root,
            'attention': None if self.points is None else {
                'source': 'teacher landmarks ' + os.path.relpath(c['landmark_dir'], REPO_ROOT) + '/faces-train.*',
                'sigma_px_at_128': self.sigma, 'teacher': (self.landmark_meta or {}).get('teacher')},
            'heatmap_loss': self.heatmap_note(),
            'mean_seconds_per_iteration': {str(k): round(float(np.mean(v)), 4) for k, v in self.step_seconds.items()},
        }


def main(argv=None):
    ap = parser(__doc__, CONFIGS, 'progressive-sr[-noatt]-<config>')
    ap.add_argument('--no-attention', action='store_true', help='eta = 0 (the ablation twin)')
    ap.add_argument('--landmark-dir', default=LANDMARK_DIR)
    ap.add_argument('--heatmap-net', default=HEATMAP_NET, help='exported heatmap student used as F_d (Eq. 5)')
    ap.add_argument('--no-heatmap-loss', action='store_true', help='l = 0 (Eq. 5 off)')
    ap.add_argument('--iters', default=None, help='override iterations per step, e.g. 500,500,700')
    ap.add_argument('--stop-at', type=int, default=None,
                    help='stop (checkpointed, run.json finished=false) at this global iteration: lets two twins end at '
                         'the same point of the schedule when the machine is too slow to finish it')
    a = ap.parse_args(argv)
    cfg = make_cfg(CONFIGS, COMMON, a.config, seed=a.seed,
                   w_attention=0.0 if a.no_attention else None, data_limit=a.data_limit,
                   iters=tuple(int(v) for v in a.iters.split(',')) if a.iters else None,
                   w_heatmap=0.0 if a.no_heatmap_loss else None)
    cfg['landmark_dir'] = os.path.abspath(a.landmark_dir)
    cfg['heatmap_net'] = os.path.abspath(a.heatmap_net)
    cfg['stop_at'] = a.stop_at
    tag = 'progressive-sr' + ('-noatt' if a.no_attention else '')
    return launch(ProgressiveSRRun, cfg, a, f'{tag}-{a.config}').done


if __name__ == '__main__':
    sys.exit(0 if main() else 3)
