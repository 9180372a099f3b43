"""Train the ProGAN face generator (SR-NAM §3.3/§4.1; Karras et al. 2018).

  /usr/bin/python3 -m train.progan.train --config tiny            # CPU smoke run (< 1 min)
  /usr/bin/python3 -m train.progan.train --config cpu --resume    # continue a stopped run
  python3 -m train.progan.train --config full --device cuda       # GPU machine

Progress is a global image counter; configs.locate() maps it to (level, phase, alpha), so a
checkpoint needs only that counter plus model/optimiser/data-stream state to resume exactly.
The loop, checkpoints, time limits and the shared options are train/common/loop.py and cli.py;
under torchrun (`torchrun --standalone --nproc_per_node N -m train.progan.train ...`) G and D train
through DistributedDataParallel on batch/N faces each (train/common/dist.py).
"""
import copy
import sys
import time

import torch

from train.common import dist
from train.common.cli import launch, parser
from train.common.data import Batches, load_faces64, resolve_data_dir
from train.common.images import to_float
from train.common.loop import TrainingRun
from train.common.run_state import param_count
from train.common.wgan import d_loss, g_loss
from train.progan.configs import CONFIGS, get_config, locate, phases, total_images
from train.progan.filmstrip import Filmstrip, fixed_latents, render_row
from train.progan.model import RESOLUTIONS, Discriminator, Generator, real_at_level
from train.progan.stage_samples import StageSamples, stage_points


def schedule_change_problem(old, new, images_seen):
    """Resuming may shorten or lengthen phases not yet finished (e.g. a CPU run that falls
    behind its time budget); the finished part and the current phase's start must not move."""
    cur = locate(old, images_seen)
    po, pn = phases(old), phases(new)
    if cur is None:
        return None if pn[:len(po)] == po else 'the finished schedule differs'
    k = [p[0:2] for p in po].index((cur['level'], cur['kind']))
    if po[:k] != pn[:k] or len(pn) <= k or pn[k][0:2] != po[k][0:2] or pn[k][3] != po[k][3]:
        return 'phases already trained (or the current phase/batch) differ'
    if pn[k][2] <= images_seen - cur['phase_start']:
        return 'the current phase would already be over'
    return None


def make_opt(params, cfg):
    return torch.optim.Adam(params, lr=cfg['lr'], betas=tuple(cfg['betas']), eps=cfg['eps'])


class ProganRun(TrainingRun):
    allow_tf32 = True  # on CUDA: TF32 matmuls are fine for a GAN

    def __init__(self, cfg, out_dir, device, data_dir=None, stage_samples=1000):
        super().__init__(cfg, out_dir, device)
        self.G = Generator(cfg['latent'], cfg['widths']).to(device)
        self.D = Discriminator(cfg['widths']).to(device)
        self.G_ema = copy.deepcopy(self.G).eval().requires_grad_(False)
        self.G_train, self.D_train = self.G, self.D  # what train_step trains through (wrap_models)
        self.opt_level = -1
        self.images_seen = 0
        self.per_level = {r: {'images': 0, 'steps': 0, 'seconds': 0.0} for r in RESOLUTIONS}
        self.schedule_changes = []
        self.film = Filmstrip()
        self.z_film = fixed_latents(cfg['filmstrip_count'], cfg['latent'], cfg['seed'] + 1).to(device)
        # FID-proxy stage dumps (stage_samples.py); their own latent RNG, time kept out of wall_s
        self.stages = StageSamples(out_dir, stage_samples, cfg['latent'], cfg['seed'], device)
        self.sample_seconds = 0.0
        t = time.time()
        self.data_dir = resolve_data_dir(data_dir)
        images = load_faces64(self.data_dir, 'train', cfg['data_limit'], seed=cfg['seed'])
        print(f'data: {images.shape[0]} faces from {self.data_dir} in {time.time() - t:.1f}s', flush=True)
        self.num_images = int(images.shape[0])
        self.batches = Batches(images, seed=cfg['seed'])

    def banner(self):
        cfg = self.cfg
        return (f"config {cfg['name']}: widths {cfg['widths']}, G {param_count(self.G):,} / D {param_count(self.D):,} "
                f"params, {total_images(cfg):,} images" + self.device_note())

    # --- checkpoints -------------------------------------------------------------------
    def state(self):
        return {'images_seen': self.images_seen, 'step': self.step, 'per_level': self.per_level,
                'opt_level': self.opt_level, 'sample_seconds': self.sample_seconds,
                'G': self.G.state_dict(), 'D': self.D.state_dict(), 'G_ema': self.G_ema.state_dict(),
                'optG': self.optG.state_dict() if self.opt_level >= 0 else None,
                'optD': self.optD.state_dict() if self.opt_level >= 0 else None,
                'batches': self.batches.state_dict(), 'film': self.film.state_dict(),
                'schedule_changes': self.schedule_changes}

    def save(self):
        super().save()
        if dist.is_main():
            self.film.save(self.out_dir)

    def load_state(self, s):
        norm = lambda v: list(v) if isinstance(v, (list, tuple)) else v  # noqa: E731
        for key in ('widths', 'latent'):
            if norm(s['cfg'][key]) != norm(self.cfg[key]):
                raise SystemExit(f'checkpoint config differs in {key!r}; use a new --out directory')
        problem = schedule_change_problem(s['cfg'], self.cfg, s['images_seen'])
        if problem:
            raise SystemExit(f'cannot resume with this schedule: {problem}')
        self.schedule_changes = s.get('schedule_changes', [])
        if phases(s['cfg']) != phases(self.cfg):  # recorded so the model card can say so
            self.schedule_changes.append({'at_images': s['images_seen'], 'fade': list(self.cfg['fade']),
                                          'stab': list(self.cfg['stab']), 'was_fade': list(s['cfg']['fade']),
                                          'was_stab': list(s['cfg']['stab'])})
        self.G.load_state_dict(s['G'])
        self.D.load_state_dict(s['D'])
        self.G_ema.load_state_dict(s['G_ema'])
        self.images_seen, self.step = s['images_seen'], s['step']
        self.per_level = s['per_level']
        self.sample_seconds = s.get('sample_seconds', 0.0)
        self.batches.load_state_dict(s['batches'])
        self.film = Filmstrip(**s['film'])
        if s['opt_level'] >= 0:
            self.new_optimisers(s['opt_level'])
            self.optG.load_state_dict(s['optG'])
            self.optD.load_state_dict(s['optD'])

    def new_optimisers(self, level):
        # Karras' code resets Adam state whenever a new level starts (new layers, new scale).
        self.optG = make_opt(self.G.parameters(), self.cfg)
        self.optD = make_opt(self.D.parameters(), self.cfg)
        self.opt_level = level

    # --- training ------------------------------------------------------------------------
    def phase(self):
        return locate(self.cfg, self.images_seen)

    def where(self):
        return f'{self.images_seen} images'

    def progress(self):
        return self.images_seen

    def wrap_models(self):
        # each level trains only its own layers (and fromRGB/toRGB pairs): the rest sit out
        self.G_train, self.D_train = dist.wrap(self.G, find_unused=True), dist.wrap(self.D, find_unused=True)
        n = dist.world_size()
        if n > 1 and any((b // n) % 4 for b in self.cfg['batch']):
            print(f"note: batch/{n} is not a multiple of 4 at every level ({self.cfg['batch']}): the critic's "
                  'minibatch-stddev groups then differ from a single process\'s', flush=True)

    def ema_beta(self, batch):
        # EMA half-life in images (StyleGAN2 convention) so short CPU runs still average well.
        return 0.5 ** (batch / max(self.cfg['ema_kimg'] * 1000.0, 1e-8))

    def train_step(self, ph):
        if self.opt_level != ph['level']:
            self.new_optimisers(ph['level'])
        lvl, alpha, bs = ph['level'], ph['alpha'], ph['batch']
        # the global batch (bs) is drawn on every rank; each keeps its shard (all of it when alone)
        real = real_at_level(to_float(dist.shard(self.batches.next(bs)), self.device), lvl, alpha)
        lat = self.cfg['latent']
        with torch.no_grad():
            fake = self.G(dist.shard(torch.randn(bs, lat, device=self.device)), lvl, alpha)
        ld, parts = d_loss(self.D_train, real, fake, lvl, alpha, self.cfg['gp_lambda'], self.cfg['drift'])
        self.optD.zero_grad(set_to_none=True)
        ld.backward()
        self.optD.step()

        self.D.requires_grad_(False)
        lg = g_loss(self.D, self.G_train(dist.shard(torch.randn(bs, lat, device=self.device)), lvl, alpha), lvl, alpha)
        self.optG.zero_grad(set_to_none=True)
        lg.backward()
        self.optG.step()
        self.D.requires_grad_(True)

        beta = self.ema_beta(bs)
        with torch.no_grad():
            for pe, p in zip(self.G_ema.parameters(), self.G.parameters()):
                pe.copy_(p.detach().lerp(pe, beta))
        return {'d_loss': float(ld), 'g_loss': float(lg), 'wdist': float(parts['wdist']), 'gp': float(parts['gp'])}

    def advance(self, ph, seconds):
        self.images_seen += ph['batch']
        pl = self.per_level[RESOLUTIONS[ph['level']]]
        pl['images'] += ph['batch']
        pl['steps'] += 1
        pl['seconds'] += seconds

    def snapshot(self, ph):
        row = render_row(self.G_ema, self.z_film, ph['level'], ph['alpha'])
        self.film.add(row, step=self.step, level=RESOLUTIONS[ph['level']], alpha=float(ph['alpha']),
                      g_loss=self.last.get('g_loss'), d_loss=self.last.get('d_loss'), images_seen=self.images_seen)

    def _next_snapshot(self):
        every = self.cfg['snapshot_every']
        return (self.images_seen // every + 1) * every

    def before_run(self):
        if not self.film.rows and self.images_seen == 0:
            self.snapshot(locate(self.cfg, 0))
        self.next_snap = self._next_snapshot()
        return self.catch_up_stage_samples()

    def after_step(self, ph):
        """Filmstrip rows every snapshot_every images and at phase ends; a stage dump at each
        stabilise-phase end, before the checkpoint (a checkpoint implies its dump)."""
        nxt = locate(self.cfg, self.images_seen)
        phase_end = nxt is None or nxt['phase_start'] != ph['phase_start']
        if self.images_seen >= self.next_snap or phase_end:
            done_frac = (self.images_seen - ph['phase_start']) / ph['phase_images']
            self.snapshot(dict(ph, alpha=min(1.0, done_frac) if ph['kind'] == 'fade' else 1.0))
            self.next_snap = self._next_snapshot()
        points = stage_points(self.cfg)
        spent = self.dump_stage(points[self.images_seen], 'stab_end') if phase_end and self.images_seen in points else 0.0
        return phase_end, spent

    def progress_line(self, ph, sps):
        total, l = total_images(self.cfg), self.last
        eta = (total - self.images_seen) / ph['batch'] * sps
        return (f"img {self.images_seen}/{total} {RESOLUTIONS[ph['level']]}px {ph['kind']} a={ph['alpha']:.2f} "
                f"bs={ph['batch']} | D {l['d_loss']:.3f} G {l['g_loss']:.3f} W {l['wdist']:.3f} gp {l['gp']:.3f} "
                f"| {sps:.3f} s/step | {self.wall_s / 60:.1f} min, eta at this speed {eta / 60:.1f} min")

    # --- FID-proxy stage dumps -------------------------------------------------------------
    def dump_stage(self, level_index, phase):
        """1,000 (--stage-samples) EMA samples at this level; returns the seconds it took (rank 0)."""
        if not self.stages.enabled or not dist.is_main():
            return 0.0
        e = self.stages.dump(self.G_ema, level_index, self.images_seen, self.step, phase)
        self.sample_seconds += e['seconds']
        print(f"stage samples: {e['count']} at {e['level']}px ({phase}, {self.images_seen} images) -> "
              f"samples/{e['file']} in {e['seconds']:.1f}s", flush=True)
        return e['seconds']

    def catch_up_stage_samples(self):
        """Fresh run: dump the untrained G. Resume: dump a stage end the checkpoint sits exactly on
        if its dump is missing (killed between checkpoint and dump, or an older run); say which
        earlier ones are missing (their weights are gone). Returns the seconds spent (rank 0)."""
        if not self.stages.enabled or not dist.is_main():
            return 0.0
        points = stage_points(self.cfg)
        if self.images_seen == 0:
            self.stages.reset()
            return self.dump_stage(locate(self.cfg, 0)['level'], 'untrained')
        spent = 0.0
        if self.images_seen in points and not self.stages.has(self.images_seen):
            spent = self.dump_stage(points[self.images_seen], 'stab_end')
        missing = [n for n in [0, *points] if n < self.images_seen and not self.stages.has(n)]
        if missing:
            print(f'stage samples missing for images_seen {missing} (cannot be re-created after the fact)', flush=True)
        return spent

    def summary(self):
        """run.json: the facts export.py copies into card.json (nothing estimated)."""
        env = self.environment()
        return {
            'config': self.cfg['name'], 'cfg': self.cfg, 'images_seen': self.images_seen, 'steps': self.step,
            'finished': locate(self.cfg, self.images_seen) is None, 'wall_seconds': round(self.wall_s, 1),
            'per_level': {str(k): {**v, 'seconds': round(v['seconds'], 1),
                                   's_per_step': round(v['seconds'] / v['steps'], 4) if v['steps'] else None}
                          for k, v in self.per_level.items()},
            'final_losses': self.last, 'device': env['device'], 'hardware': env['hardware'],
            'torch': env['torch'], 'threads': env['threads'], 'processes': env['processes'],
            'train_images': self.num_images,
            'data_dir': self.data_dir, 'params': {'G': param_count(self.G), 'D': param_count(self.D)},
            'schedule_changes': self.schedule_changes,
            'stage_samples': {'count': self.stages.count, 'dir': 'samples', 'seconds': round(self.sample_seconds, 1),
                              'note': 'seconds spent rendering the FID-proxy stage dumps; not included in wall_seconds'},
            'schedule': [{'level_px': RESOLUTIONS[lv], 'phase': k, 'images': n, 'batch': b} for lv, k, n, b in phases(self.cfg)],
        }


def main(argv=None):
    ap = parser(__doc__, CONFIGS, '<config>')
    ap.add_argument('--fade', default=None, help='override fade-in images per level, e.g. 0,6000,5000,3000,2000')
    ap.add_argument('--stab', default=None, help='override stabilise images per level (resume may change '
                                                 'phases not yet finished)')
    ap.add_argument('--stage-samples', type=int, default=1000,
                    help='EMA samples dumped to <out>/samples/ for the FID-proxy at the start and at every '
                         'stabilise-phase end (0: none)')
    a = ap.parse_args(argv)
    ints = lambda t: tuple(int(v) for v in t.split(',')) if t else None  # noqa: E731
    cfg = get_config(a.config, data_limit=a.data_limit, seed=a.seed, fade=ints(a.fade), stab=ints(a.stab))
    return launch(ProganRun, cfg, a, a.config, stage_samples=a.stage_samples).done


if __name__ == '__main__':
    sys.exit(0 if main() else 3)
