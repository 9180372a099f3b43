"""Shared loop for the two degradation-pipeline GANs (train_degrader.py, train_low2high.py):
Eq. 1 loss l = alpha*l_pixel + beta*l_GAN with the SN hinge GAN (Eq. 2/3), Adam
(lr 1e-4, betas (0, 0.9)), n_dis discriminator steps per generator step (§3.6: 5),
checkpoint/resume (bit-exact on CPU: models, Adam states, data streams and RNG state),
progress lines, --max-minutes / --budget-minutes / SIGTERM (all checkpoint first), and
run.json with the measured facts the model card is made from.

A task subclass provides: build() -> (G, D), data setup, sample_batch() -> (g_input tuple,
pixel target, D real batch) and fake(g_input) (G's output), plus extra run.json facts.
"""
import argparse
import os
import time

import numpy as np
import torch

from train.degrader.model import hinge_d, hinge_g, param_count
from train.common.run_state import (atomic_save, hardware, pick_device, restore_rng_states, rng_states,
                       should_resume, sigterm_stop, write_run_json)



class GanRun:
    name = 'gan'

    def __init__(self, cfg, out_dir, device, data_dir=None):
        self.cfg, self.out_dir, self.device, self.data_dir = cfg, out_dir, device, data_dir
        torch.manual_seed(cfg['seed'])
        self.G, self.D = self.build()
        self.G.to(device)
        self.D.to(device)
        self.optG = torch.optim.Adam(self.G.parameters(), lr=cfg['lr'], betas=tuple(cfg['betas']))
        self.optD = torch.optim.Adam(self.D.parameters(), lr=cfg['lr'], betas=tuple(cfg['betas']))
        self.step, self.wall_s, self.d_steps = 0, 0.0, 0
        self.last, self.history = {}, []
        self.setup_data()

    # subclass API ------------------------------------------------------------------------
    def build(self):
        raise NotImplementedError

    def setup_data(self):
        raise NotImplementedError

    def sample_batch(self, bs):
        """-> (g_input tuple, pixel target, real batch for D), all on self.device."""
        raise NotImplementedError

    def pixel_target_of(self, target):
        return target

    def data_state(self):
        return {}

    def load_data_state(self, s):
        pass

    def facts(self):
        return {}

    # checkpoints ---------------------------------------------------------------------------
    @property
    def ckpt_path(self):
        return os.path.join(self.out_dir, 'checkpoint.pt')

    def save(self):
        state = {'cfg': self.cfg, 'step': self.step, 'd_steps': self.d_steps, 'wall_s': self.wall_s,
                 'last': self.last, 'history': self.history, 'G': self.G.state_dict(), 'D': self.D.state_dict(),
                 'optG': self.optG.state_dict(), 'optD': self.optD.state_dict(), 'data': self.data_state(),
                 **rng_states(self.device)}
        atomic_save(state, self.ckpt_path)
        self.write_summary()

    def load(self):
        s = torch.load(self.ckpt_path, map_location=self.device, weights_only=False)
        for key in ('g_widths', 'd_widths', 'kind'):
            if key in self.cfg and list(np.ravel(s['cfg'].get(key))) != list(np.ravel(self.cfg[key])):
                raise SystemExit(f'checkpoint config differs in {key!r}; use a new --out directory')
        if self.cfg['steps'] != s['cfg']['steps']:
            print(f"schedule changed on resume: {s['cfg']['steps']} -> {self.cfg['steps']} generator steps", flush=True)
            self.cfg.setdefault('schedule_changes', list(s['cfg'].get('schedule_changes', [])))
            self.cfg['schedule_changes'].append({'at_step': s['step'], 'steps': self.cfg['steps'], 'was': s['cfg']['steps']})
        self.G.load_state_dict(s['G'])
        self.D.load_state_dict(s['D'])
        self.optG.load_state_dict(s['optG'])
        self.optD.load_state_dict(s['optD'])
        self.step, self.d_steps, self.wall_s = s['step'], s['d_steps'], s['wall_s']
        self.last, self.history = s['last'], s['history']
        self.load_data_state(s['data'])
        restore_rng_states(s, self.device)
        print(f'resumed at step {self.step} ({self.wall_s / 60:.1f} min so far)', flush=True)

    # training ------------------------------------------------------------------------------
    def train_iteration(self):
        cfg, bs = self.cfg, self.cfg['batch']
        self.G.train()
        for _ in range(cfg['n_dis']):
            g_in, _, real = self.sample_batch(bs)
            with torch.no_grad():
                fake = self.G(*g_in)
            ld = hinge_d(self.D(real), self.D(fake))
            self.optD.zero_grad(set_to_none=True)
            ld.backward()
            self.optD.step()
            self.d_steps += 1
        g_in, target, _ = self.sample_batch(bs)
        self.D.requires_grad_(False)
        fake = self.G(*g_in)
        pix = (fake - self.pixel_target_of(target)).pow(2).mean()  # Eq. 4 (mean over pixels and channels)
        adv = hinge_g(self.D(fake))
        lg = cfg['alpha'] * pix + cfg['beta'] * adv  # Eq. 1
        self.optG.zero_grad(set_to_none=True)
        lg.backward()
        self.optG.step()
        self.D.requires_grad_(True)
        return {'d_loss': float(ld), 'g_loss': float(lg), 'pixel': float(pix), 'adv': float(adv)}

    def run(self, max_minutes=None, log_every_s=15.0, budget_minutes=None):
        cfg = self.cfg
        stop = sigterm_stop()
        t_run, t_log, acc, wall0 = time.time(), time.time(), [], self.wall_s
        while self.step < cfg['steps'] and not stop['flag']:
            t0 = time.time()
            self.last = self.train_iteration()
            acc.append(time.time() - t0)
            if not all(np.isfinite(v) for v in self.last.values()):
                self.save()
                raise FloatingPointError(f'non-finite loss at step {self.step}: {self.last}')
            self.step += 1
            self.wall_s = wall0 + time.time() - t_run
            if self.step % cfg['history_every'] == 0 or self.step == cfg['steps']:
                self.history.append({'step': self.step, **{k: round(v, 5) for k, v in self.last.items()}})
            if time.time() - t_log >= log_every_s or self.step == cfg['steps']:
                sps = sum(acc) / len(acc)
                l = self.last
                print(f"step {self.step}/{cfg['steps']} | D {l['d_loss']:.3f} G {l['g_loss']:.4f} pixel {l['pixel']:.4f} "
                      f"adv {l['adv']:.3f} | {sps:.3f} s/step (n_dis {cfg['n_dis']}, bs {cfg['batch']}) | "
                      f"{self.wall_s / 60:.1f} min, eta {(cfg['steps'] - self.step) * sps / 60:.1f} min", flush=True)
                t_log, acc = time.time(), []
            if self.step % cfg['checkpoint_every'] == 0:
                self.save()
            if max_minutes is not None and time.time() - t_run > max_minutes * 60:
                print(f'--max-minutes {max_minutes} reached; checkpointing (resume with --resume)', flush=True)
                break
            if budget_minutes is not None and self.wall_s > budget_minutes * 60:
                print(f'--budget-minutes {budget_minutes} reached; checkpointing', flush=True)
                break
        self.save()
        done = self.step >= cfg['steps']
        print(('done' if done else 'stopped') + f' at step {self.step}, {self.wall_s / 60:.1f} min', flush=True)
        return done

    def write_summary(self):
        info = {
            'model': self.name, 'config': self.cfg['name'], 'cfg': self.cfg, 'steps': self.step,
            'd_steps': self.d_steps, 'finished': self.step >= self.cfg['steps'],
            'wall_seconds': round(self.wall_s, 1), 'final_losses': self.last,
            'loss_history': self.history, 'device': str(self.device), 'hardware': hardware(self.device),
            'torch': torch.__version__, 'threads': torch.get_num_threads(),
            'params': {'G': param_count(self.G), 'D': param_count(self.D)}, **self.facts(),
        }
        write_run_json(self.out_dir, info)


def common_args(description):
    ap = argparse.ArgumentParser(description=description, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--config', default='tiny', help='tiny | cpu | full')
    ap.add_argument('--out', default=None, help='run directory (default train/runs/<model>-<config>)')
    ap.add_argument('--data-dir', default=None, help='default: repo/.data if present, else ../shared/data')
    ap.add_argument('--device', default='auto', help='auto | cpu | cuda | cuda:N')
    ap.add_argument('--threads', type=int, default=1, help='torch CPU threads (shared machine: keep 1)')
    ap.add_argument('--resume', action='store_true', help='continue from <out>/checkpoint.pt')
    ap.add_argument('--max-minutes', type=float, default=None, help='checkpoint and stop after this long')
    ap.add_argument('--budget-minutes', type=float, default=None, help='stop once total wall time (over resumes) exceeds this')
    ap.add_argument('--steps', type=int, default=None, help='override the number of generator steps')
    ap.add_argument('--n-dis', type=int, default=None, help='override D steps per G step (paper: 5)')
    ap.add_argument('--batch', type=int, default=None)
    ap.add_argument('--seed', type=int, default=None)
    ap.add_argument('--log-every', type=float, default=15.0, help='seconds between progress lines')
    return ap


def make_cfg(configs, common, name, a, **extra):
    if name not in configs:
        raise SystemExit(f'unknown config {name!r}; choose from {sorted(configs)}')
    cfg = dict(common)
    cfg.update(configs[name])
    for k, v in dict(steps=a.steps, n_dis=a.n_dis, batch=a.batch, seed=a.seed, **extra).items():
        if v is not None:
            cfg[k] = v
    cfg['name'] = name
    return cfg


def launch(run_cls, cfg, a, default_out):
    torch.set_num_threads(a.threads)
    out = a.out or default_out
    os.makedirs(out, exist_ok=True)
    device = pick_device(a.device)
    if device.type == 'cuda':
        torch.backends.cudnn.benchmark = True
    r = run_cls(cfg, out, device, a.data_dir)
    print(f"{r.name} config {cfg['name']}: G {param_count(r.G):,} / D {param_count(r.D):,} params, "
          f"{cfg['steps']} G steps x bs {cfg['batch']}, n_dis {cfg['n_dis']}, device {device} ({hardware(device)}), "
          f"threads {torch.get_num_threads()}", flush=True)
    if should_resume(r.ckpt_path, a.resume):
        r.load()
    return r.run(a.max_minutes, a.log_every, a.budget_minutes)
