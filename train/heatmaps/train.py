"""Train the distilled landmark-heatmap student (paper 003 §3.3) on the teacher's cached points.

  npm run cache:landmarks                                   # teacher points -> .cache/landmarks/
  /usr/bin/python3 -m train.heatmaps.train --config tiny --out /tmp/hm      # seconds (CI smoke)
  PYTHONUNBUFFERED=1 nohup /usr/bin/python3 -m train.heatmaps.train --config cpu \\
      > train/runs/heatmaps-cpu.log 2>&1 &                                   # <= ~15 min, 1 thread
  /usr/bin/python3 -m train.heatmaps.export --run train/runs/heatmaps-cpu

Inputs: faces64 (index i is faces128 index i) for the first N split indices the cache covers;
targets: the teacher's 68 points (128x128 pixels, halved to 64x64) rendered as Gaussians of
sigma 3 px (twice the teacher rendering's default; see heatmaps/model.py STUDENT_SIGMA). Random horizontal flips swap mirrored landmarks.
Loss: foreground-weighted MSE, mean((1 + fg_weight * M) * (S(x) - M)^2) (plain MSE is
dominated by the ~99% background pixels and a student learns to output zeros first), plus
coord_weight * mean |soft-argmax(S(x)) - p| / 64, an integral-regression term that places the
peaks within the few hundred steps a shared CPU affords. Adam lr 1e-3 (the paper: 1e-4,
batch 16, 100k iterations; we have ~1% of those updates).
NME against the teacher (paper 003 Table 1: mean point distance / image size) on the test
split's cached faces, points decoded from the student's heatmaps (argmax + log-parabola).
"""
import json
import os

import numpy as np
import torch

from train.common import dist
from train.common.cli import launch, make_cfg, parser
from train.common.data import find_file, read_zip64_prefix, resolve_data_dir
from train.common.export import utc_now
from train.common.landmarks import read_prefix_cache
from train.common.loop import TrainingRun
from train.common.paths import LANDMARK_DIR, REPO_ROOT
from train.common.run_state import param_count
from train.heatmaps.model import STUDENT_SIGMA, SIZE, HeatmapStudent, decode, flip_batch, nme, render, soft_argmax

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
    pts, meta = read_prefix_cache(cache_dir, split)
    n = len(pts) if limit is None else min(limit, len(pts))
    imgs = read_zip64_prefix(os.path.join(faces_dir, f'faces64-{split}.zip'), n)
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


class HeatmapRun(TrainingRun):
    cudnn_benchmark = False

    def __init__(self, cfg, out_dir, device, data_dir=None, faces=DEFAULT_FACES, cache=LANDMARK_DIR):
        super().__init__(cfg, out_dir, device)
        self.rng = np.random.default_rng(cfg['seed'])
        self.xtr, self.ptr, self.meta_tr = load_split(faces, cache, 'train', cfg['train_limit'])
        self.xte, self.pte, self.meta_te = load_split(faces, cache, 'test', cfg['test_limit'])
        print(f'data: {len(self.xtr)} train / {len(self.xte)} test faces64 with teacher points from {cache}', flush=True)
        self.model = HeatmapStudent(cfg['widths'], cfg['dec']).to(device)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=cfg['lr'], betas=cfg['betas'])
        self.model_train = self.model  # what train_step trains through (wrap_models)
        self.ev = min(cfg['eval_faces'], len(self.xte))
        self.sessions, self.nme_test = 1, None

    def banner(self):
        c = self.cfg
        return f"heatmaps config {c['config']}: {param_count(self.model):,} params, up to {c['steps']} steps x bs {c['batch']}" + \
            self.device_note()

    def eval_subset(self):
        return evaluate(self.model, self.xte[:self.ev].to(self.device), self.pte[:self.ev].to(self.device))

    # --- checkpoints -------------------------------------------------------------------
    def state(self):
        return {'model': self.model.state_dict(), 'opt': self.opt.state_dict(), 'rng': self.rng.bit_generator.state,
                'step': self.step, 'history': self.history, 'sessions': self.sessions}

    def load_state(self, s):
        self.model.load_state_dict(s['model'])
        if 'opt' in s:  # checkpoints written before --resume existed hold only the model
            self.opt.load_state_dict(s['opt'])
            self.rng.bit_generator.state = s['rng']
        if 'history' in s:
            self.step, self.history, self.sessions = s['step'], s['history'], s['sessions']
        else:  # older checkpoints: the counters are in run.json
            with open(os.path.join(self.out_dir, 'run.json')) as f:
                prev = json.load(f)
            self.step, self.history, self.wall_s = prev['steps'], prev['history'], prev['wall_seconds']
            self.sessions = prev.get('sessions', 1)
        self.sessions += 1  # history seconds and the card's wall time count every session

    # --- training ------------------------------------------------------------------------
    def phase(self):
        return True if self.step < self.cfg['steps'] else None

    def wrap_models(self):
        self.model_train = dist.wrap(self.model)

    def before_run(self):
        if not self.history:
            self.history.append({'step': 0, 'loss': None, 'nme_test_subset': self.eval_subset(), 'seconds': 0.0})
        return 0.0

    def train_step(self, ph):
        cfg = self.cfg
        idx = torch.from_numpy(self.rng.choice(len(self.xtr), cfg['batch'], replace=False))
        flip = torch.from_numpy(self.rng.random(cfg['batch']) < 0.5)
        idx, flip = dist.shard(idx), dist.shard(flip)  # this rank's part of the global batch
        x, p = to_unit(self.xtr[idx]), self.ptr[idx]
        if flip.any():
            fx, fp = flip_batch(x[flip], p[flip])
            x, p = x.clone(), p.clone()
            x[flip], p[flip] = fx, fp
        target = render(p, sigma=cfg['sigma']).to(self.device)
        pred = self.model_train(x.to(self.device))
        loss = ((1 + cfg['fg_weight'] * target) * (pred - target) ** 2).mean()
        loss = loss + cfg['coord_weight'] * (soft_argmax(pred) - p.to(self.device)).abs().mean() / SIZE
        self.opt.zero_grad(set_to_none=True)
        loss.backward()
        self.opt.step()
        return {'loss': float(loss)}

    def after_step(self, ph):
        if self.step % self.cfg['eval_every'] == 0:
            e, loss = self.eval_subset(), self.last['loss']
            self.history.append({'step': self.step, 'loss': loss, 'nme_test_subset': e, 'seconds': round(self.wall_s, 1)})
            print(f'step {self.step}: loss {loss:.5f}, NME(test[:{self.ev}]) {e:.4f}, {self.wall_s:.0f} s', flush=True)
        return False, 0.0

    def finish(self):
        self.nme_test = evaluate(self.model, self.xte.to(self.device), self.pte.to(self.device))
        print(f'done: {self.step} steps in {self.wall_s / 60:.1f} min; NME vs teacher on {len(self.xte)} test faces: '
              f'{self.nme_test:.4f}', flush=True)

    def summary(self):
        cfg, step = self.cfg, self.step
        cache = lambda m: {k: m[k] for k in ('count', 'teacher', 'created')} | {'subset': m['order']['subset']}  # noqa: E731
        return {
            'config': cfg['config'], 'cfg': cfg, 'steps': step, 'images_seen': step * cfg['batch'],
            'finished': step >= cfg['steps'], 'stopped_by_time_budget': step < cfg['steps'],
            'wall_seconds': round(self.wall_s, 1), 'sessions': self.sessions, 'parameters': param_count(self.model),
            'nme_test': self.nme_test, 'nme_untrained_subset': self.history[0]['nme_test_subset'],
            'test_faces': len(self.xte), 'train_faces': len(self.xtr),
            'sigma_px_64': cfg['sigma'], 'final_loss': self.history[-1]['loss'], 'history': self.history,
            'cache': {'train': cache(self.meta_tr), 'test': cache(self.meta_te)},
            'device': self.device.type, 'hardware': self.environment()['hardware'], 'threads': torch.get_num_threads(),
            'processes': dist.world_size(),
            'torch': torch.__version__, 'finished_at': utc_now(),
        }


def main(argv=None):
    ap = parser(__doc__, CONFIGS, 'heatmaps-<config>')
    ap.add_argument('--cache', default=LANDMARK_DIR, help='teacher landmark cache (npm run cache:landmarks)')
    ap.add_argument('--faces', default=None, help='folder with faces64-{train,test}.zip (default: the one holding '
                    f'faces64-train.zip under --data-dir when given, else {DEFAULT_FACES})')
    a = ap.parse_args(argv)
    cfg = make_cfg(CONFIGS, COMMON, a.config, name_key='config', seed=a.seed, train_limit=a.data_limit,
                   max_minutes=a.max_minutes)
    faces = a.faces or (os.path.dirname(find_file(resolve_data_dir(a.data_dir), 'faces64-train.zip')) if a.data_dir
                        else DEFAULT_FACES)
    return launch(HeatmapRun, cfg, a, f'heatmaps-{a.config}', faces=faces, cache=a.cache).info


if __name__ == '__main__':
    main()
