"""Train the ProGAN face generator (SR-NAM §3.3/§4.1; Karras et al. 2018).

  /usr/bin/python3 train/train_progan.py --config tiny            # CPU smoke run (< 1 min)
  /usr/bin/python3 train/train_progan.py --config cpu --resume    # continue a stopped run
  python3 train/train_progan.py --config full --device cuda       # GPU machine

Progress is a global image counter; configs.locate() maps it to (level, phase, alpha), so a
checkpoint needs only that counter plus model/optimiser/data-stream state to resume exactly.
"""
import argparse
import copy
import os
import sys
import time

import numpy as np
import torch

from train.progan.configs import get_config, locate, phases, total_images
from train.common.data import Batches, load_faces64, resolve_data_dir, to_float
from train.progan.filmstrip import Filmstrip, fixed_latents, render_row
from train.common.wgan import d_loss, g_loss
from train.progan.model import RESOLUTIONS, Discriminator, Generator, param_count, real_at_level
from train.common.run_state import (atomic_save, hardware, pick_device, restore_rng_states, rng_states,
                       should_resume, sigterm_stop, write_run_json)
from train.progan.stage_samples import StageSamples, stage_points
from train.common.paths import REPO_ROOT



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


class Trainer:
    def __init__(self, cfg, out_dir, device, data_dir=None, stage_samples=1000):
        self.cfg, self.out_dir, self.device = cfg, out_dir, device
        torch.manual_seed(cfg['seed'])
        self.G = Generator(cfg['latent'], cfg['widths']).to(device)
        self.D = Discriminator(cfg['widths']).to(device)
        self.G_ema = copy.deepcopy(self.G).eval().requires_grad_(False)
        self.opt_level = -1
        self.images_seen, self.step, self.wall_s = 0, 0, 0.0
        self.per_level = {r: {'images': 0, 'steps': 0, 'seconds': 0.0} for r in RESOLUTIONS}
        self.last, self.schedule_changes = {}, []
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

    # --- checkpoints -------------------------------------------------------------------
    @property
    def ckpt_path(self):
        return os.path.join(self.out_dir, 'checkpoint.pt')

    def save(self):
        state = {
            'cfg': self.cfg, 'images_seen': self.images_seen, 'step': self.step, 'wall_s': self.wall_s,
            'per_level': self.per_level, 'last': self.last, 'opt_level': self.opt_level,
            'sample_seconds': self.sample_seconds,
            'G': self.G.state_dict(), 'D': self.D.state_dict(), 'G_ema': self.G_ema.state_dict(),
            'optG': self.optG.state_dict() if self.opt_level >= 0 else None,
            'optD': self.optD.state_dict() if self.opt_level >= 0 else None,
            'batches': self.batches.state_dict(), 'film': self.film.state_dict(),
            'schedule_changes': self.schedule_changes, **rng_states(self.device),
        }
        atomic_save(state, self.ckpt_path)
        self.film.save(self.out_dir)
        self.write_summary()

    def load(self):
        s = torch.load(self.ckpt_path, map_location=self.device, weights_only=False)
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
        self.images_seen, self.step, self.wall_s = s['images_seen'], s['step'], s['wall_s']
        self.per_level, self.last = s['per_level'], s['last']
        self.sample_seconds = s.get('sample_seconds', 0.0)
        self.batches.load_state_dict(s['batches'])
        self.film = Filmstrip(**s['film'])
        restore_rng_states(s, self.device)
        if s['opt_level'] >= 0:
            self.new_optimisers(s['opt_level'])
            self.optG.load_state_dict(s['optG'])
            self.optD.load_state_dict(s['optD'])
        print(f'resumed at {self.images_seen} images (step {self.step}, {self.wall_s / 60:.1f} min so far)', flush=True)

    def new_optimisers(self, level):
        # Karras' code resets Adam state whenever a new level starts (new layers, new scale).
        self.optG = make_opt(self.G.parameters(), self.cfg)
        self.optD = make_opt(self.D.parameters(), self.cfg)
        self.opt_level = level

    # --- training ------------------------------------------------------------------------
    def ema_beta(self, batch):
        # EMA half-life in images (StyleGAN2 convention) so short CPU runs still average well.
        return 0.5 ** (batch / max(self.cfg['ema_kimg'] * 1000.0, 1e-8))

    def train_step(self, ph):
        lvl, alpha, bs = ph['level'], ph['alpha'], ph['batch']
        real = real_at_level(to_float(self.batches.next(bs), self.device), lvl, alpha)
        lat = self.cfg['latent']
        with torch.no_grad():
            fake = self.G(torch.randn(bs, lat, device=self.device), lvl, alpha)
        ld, parts = d_loss(self.D, real, fake, lvl, alpha, self.cfg['gp_lambda'], self.cfg['drift'])
        self.optD.zero_grad(set_to_none=True)
        ld.backward()
        self.optD.step()

        self.D.requires_grad_(False)
        lg = g_loss(self.D, self.G(torch.randn(bs, lat, device=self.device), lvl, alpha), lvl, alpha)
        self.optG.zero_grad(set_to_none=True)
        lg.backward()
        self.optG.step()
        self.D.requires_grad_(True)

        beta = self.ema_beta(bs)
        with torch.no_grad():
            for pe, p in zip(self.G_ema.parameters(), self.G.parameters()):
                pe.copy_(p.detach().lerp(pe, beta))
        return {'d_loss': float(ld), 'g_loss': float(lg), 'wdist': float(parts['wdist']), 'gp': float(parts['gp'])}

    def snapshot(self, ph):
        row = render_row(self.G_ema, self.z_film, ph['level'], ph['alpha'])
        self.film.add(row, step=self.step, level=RESOLUTIONS[ph['level']], alpha=float(ph['alpha']),
                      g_loss=self.last.get('g_loss'), d_loss=self.last.get('d_loss'), images_seen=self.images_seen)

    def dump_stage(self, level_index, phase):
        """1,000 (--stage-samples) EMA samples at this level; returns the seconds it took."""
        if not self.stages.enabled:
            return 0.0
        e = self.stages.dump(self.G_ema, level_index, self.images_seen, self.step, phase)
        self.sample_seconds += e['seconds']
        print(f"stage samples: {e['count']} at {e['level']}px ({phase}, {self.images_seen} images) -> "
              f"samples/{e['file']} in {e['seconds']:.1f}s", flush=True)
        return e['seconds']

    def catch_up_stage_samples(self):
        """Fresh run: dump the untrained G. Resume: dump a stage end the checkpoint sits exactly on
        if its dump is missing (killed between checkpoint and dump, or an older run); say which
        earlier ones are missing (their weights are gone). Returns the seconds spent."""
        if not self.stages.enabled:
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

    def run(self, max_minutes=None, log_every_s=15.0, budget_minutes=None):
        cfg, total = self.cfg, total_images(self.cfg)
        stop = sigterm_stop()
        t_run, t_log, acc = time.time(), time.time(), []
        wall0 = self.wall_s
        if not self.film.rows and self.images_seen == 0:
            self.snapshot(locate(cfg, 0))
        t_run += self.catch_up_stage_samples()
        points = stage_points(cfg)
        next_snap = (self.images_seen // cfg['snapshot_every'] + 1) * cfg['snapshot_every']
        next_ckpt = (self.images_seen // cfg['checkpoint_every'] + 1) * cfg['checkpoint_every']
        while not stop['flag']:
            ph = locate(cfg, self.images_seen)
            if ph is None:
                break
            if self.opt_level != ph['level']:
                self.new_optimisers(ph['level'])
            t0 = time.time()
            self.last = self.train_step(ph)
            dt = time.time() - t0
            if not all(np.isfinite(v) for v in self.last.values()):
                self.save()
                raise FloatingPointError(f'non-finite loss at step {self.step}: {self.last}')
            self.step += 1
            self.images_seen += ph['batch']
            pl = self.per_level[RESOLUTIONS[ph['level']]]
            pl['images'] += ph['batch']
            pl['steps'] += 1
            pl['seconds'] += dt
            acc.append(dt)
            self.wall_s = wall0 + time.time() - t_run
            nxt = locate(cfg, self.images_seen)
            phase_end = nxt is None or nxt['phase_start'] != ph['phase_start']
            if self.images_seen >= next_snap or phase_end:
                done_frac = (self.images_seen - ph['phase_start']) / ph['phase_images']
                self.snapshot(dict(ph, alpha=min(1.0, done_frac) if ph['kind'] == 'fade' else 1.0))
                next_snap = (self.images_seen // cfg['snapshot_every'] + 1) * cfg['snapshot_every']
            if phase_end and self.images_seen in points:  # before save(): a checkpoint implies its dump
                t_run += self.dump_stage(points[self.images_seen], 'stab_end')
                self.wall_s = wall0 + time.time() - t_run
            if time.time() - t_log >= log_every_s or phase_end:
                eta = (total - self.images_seen) / ph['batch'] * (sum(acc) / len(acc))
                print(f"img {self.images_seen}/{total} {RESOLUTIONS[ph['level']]}px {ph['kind']} a={ph['alpha']:.2f} "
                      f"bs={ph['batch']} | D {self.last['d_loss']:.3f} G {self.last['g_loss']:.3f} "
                      f"W {self.last['wdist']:.3f} gp {self.last['gp']:.3f} | {sum(acc) / len(acc):.3f} s/step "
                      f"| {self.wall_s / 60:.1f} min, eta at this speed {eta / 60:.1f} min", flush=True)
                t_log, acc = time.time(), []
            if self.images_seen >= next_ckpt or phase_end:
                self.save()
                next_ckpt = (self.images_seen // cfg['checkpoint_every'] + 1) * cfg['checkpoint_every']
            if max_minutes is not None and time.time() - t_run > max_minutes * 60:
                print(f'--max-minutes {max_minutes} reached; checkpointing (resume with --resume)', flush=True)
                break
            if budget_minutes is not None and self.wall_s > budget_minutes * 60:
                print(f'--budget-minutes {budget_minutes} (all sessions of this run) reached; checkpointing', flush=True)
                break
        self.save()
        done = locate(cfg, self.images_seen) is None
        print(('done' if done else 'stopped') + f' at {self.images_seen} images, {self.wall_s / 60:.1f} min', flush=True)
        return done

    def write_summary(self):
        """run.json: the facts export_tfjs.py copies into card.json (nothing estimated)."""
        info = {
            'config': self.cfg['name'], 'cfg': self.cfg, 'images_seen': self.images_seen, 'steps': self.step,
            'finished': locate(self.cfg, self.images_seen) is None, 'wall_seconds': round(self.wall_s, 1),
            'per_level': {str(k): {**v, 'seconds': round(v['seconds'], 1),
                                   's_per_step': round(v['seconds'] / v['steps'], 4) if v['steps'] else None}
                          for k, v in self.per_level.items()},
            'final_losses': self.last, 'device': str(self.device), 'hardware': hardware(self.device),
            'torch': torch.__version__, 'threads': torch.get_num_threads(), 'train_images': self.num_images,
            'data_dir': self.data_dir, 'params': {'G': param_count(self.G), 'D': param_count(self.D)},
            'schedule_changes': self.schedule_changes,
            'stage_samples': {'count': self.stages.count, 'dir': 'samples', 'seconds': round(self.sample_seconds, 1),
                              'note': 'seconds spent rendering the FID-proxy stage dumps; not included in wall_seconds'},
            'schedule': [{'level_px': RESOLUTIONS[lv], 'phase': k, 'images': n, 'batch': b} for lv, k, n, b in phases(self.cfg)],
        }
        write_run_json(self.out_dir, info)


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--config', default='tiny', help='tiny | cpu | full (train/configs.py)')
    ap.add_argument('--out', default=None, help='run directory (default train/runs/<config>)')
    ap.add_argument('--data-dir', default=None, help='default: repo/.data if present, else ../shared/data')
    ap.add_argument('--device', default='auto', help='auto | cpu | cuda | cuda:N')
    ap.add_argument('--threads', type=int, default=1, help='torch CPU threads (shared machine: keep 1)')
    ap.add_argument('--resume', action='store_true', help='continue from <out>/checkpoint.pt')
    ap.add_argument('--max-minutes', type=float, default=None, help='checkpoint and stop after this long')
    ap.add_argument('--budget-minutes', type=float, default=None,
                    help='stop once the run\'s total wall time (summed over resumes) exceeds this')
    ap.add_argument('--data-limit', type=int, default=None, help='override the number of training faces')
    ap.add_argument('--seed', type=int, default=None)
    ap.add_argument('--fade', default=None, help='override fade-in images per level, e.g. 0,6000,5000,3000,2000')
    ap.add_argument('--stab', default=None, help='override stabilise images per level (resume may change '
                                                 'phases not yet finished)')
    ap.add_argument('--stage-samples', type=int, default=1000,
                    help='EMA samples dumped to <out>/samples/ for the FID-proxy at the start and at every '
                         'stabilise-phase end (0: none)')
    ap.add_argument('--log-every', type=float, default=15.0, help='seconds between progress lines')
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    ints = lambda t: tuple(int(v) for v in t.split(',')) if t else None  # noqa: E731
    cfg = get_config(a.config, data_limit=a.data_limit, seed=a.seed, fade=ints(a.fade), stab=ints(a.stab))
    out = a.out or os.path.join(REPO_ROOT, 'train', 'runs', a.config)
    os.makedirs(out, exist_ok=True)
    device = pick_device(a.device)
    if device.type == 'cuda':  # fixed shapes per level: let cuDNN pick kernels; TF32 matmuls are fine for a GAN
        torch.backends.cudnn.benchmark = True
        torch.backends.cuda.matmul.allow_tf32 = True
    tr = Trainer(cfg, out, device, a.data_dir, a.stage_samples)
    print(f"config {a.config}: widths {cfg['widths']}, G {param_count(tr.G):,} / D {param_count(tr.D):,} params, "
          f"{total_images(cfg):,} images, device {device} ({hardware(device)}), threads {torch.get_num_threads()}", flush=True)
    if should_resume(tr.ckpt_path, a.resume):
        tr.load()
    return tr.run(a.max_minutes, a.log_every, a.budget_minutes)


if __name__ == '__main__':
    sys.exit(0 if main() else 3)
