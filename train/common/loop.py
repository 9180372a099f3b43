"""The training loop every model runs (progan, degrader, low2high, progressive_sr, heatmaps).

One optimiser step at a time until the model's schedule is done, with
  * a stop on a non-finite loss (checkpointed first, so the run can be inspected);
  * progress lines every `log_every_s` seconds and at phase ends (the model words them);
  * checkpoints every `cfg['checkpoint_every']` units of progress (images for ProGAN, steps
    elsewhere; none when the config has no such key), at phase ends where the model says so,
    and always at the end;
  * `--stop-at`, `--max-minutes` (this invocation), `--budget-minutes` (summed over resumes) and
    SIGTERM: each ends the loop with a checkpoint, so `--resume` continues it bit-exactly on CPU
    (models, optimisers, data streams and RNG state are in checkpoint.pt);
  * run.json, the measured facts a model card is made from, rewritten at every checkpoint;
  * under torchrun, data parallelism (train/common/dist.py): wrap_models() puts the trained modules
    through DistributedDataParallel, losses are averaged over ranks, stop decisions agreed, and
    rank 0 alone writes checkpoints and run.json.

A model subclasses TrainingRun: it builds its nets and data in __init__ (after calling
TrainingRun.__init__, which seeds torch), and provides phase(), train_step(), state(),
load_state() and summary(); the other methods are hooks with defaults. A model's train_step
draws its global batch and keeps dist.shard() of it, and wrap_models() sets the modules it
trains through (dist.wrap); both are no-ops in a single process.
"""
import os
import time

import numpy as np
import torch

from train.common import dist
from train.common.run_state import atomic_save, hardware, restore_rng_states, rng_states, sigterm_stop, write_run_json


class TrainingRun:
    unit = 'step'  # what self.step counts, as messages say it
    cudnn_benchmark = True  # on CUDA: fixed shapes, let cuDNN pick kernels
    allow_tf32 = False  # on CUDA: TF32 matmuls

    def __init__(self, cfg, out_dir, device):
        self.cfg, self.out_dir, self.device = cfg, out_dir, device
        self.step, self.wall_s, self.last, self.history = 0, 0.0, {}, []
        self.done = False
        torch.manual_seed(cfg['seed'])

    # --- what a model provides -------------------------------------------------------------
    def phase(self):
        """What the next step trains (passed to train_step and the hooks); None once done."""
        raise NotImplementedError

    def train_step(self, ph):
        """One optimiser step -> {name: float} losses."""
        raise NotImplementedError

    def state(self):
        """The model's part of checkpoint.pt (cfg, wall_s, last and RNG state are added)."""
        raise NotImplementedError

    def load_state(self, s):
        """Restore state(); raise SystemExit when the checkpoint cannot continue with this config."""
        raise NotImplementedError

    def summary(self):
        """run.json."""
        raise NotImplementedError

    # --- hooks -------------------------------------------------------------------------------
    def banner(self):
        return f'{type(self).__name__}{self.device_note()}'

    def device_note(self):
        n = dist.world_size()
        return (f', device {self.device} ({hardware(self.device)}), threads {torch.get_num_threads()}'
                + (f', {n} processes (each batch split {n} ways)' if n > 1 else ''))

    def where(self):
        """Where the run stands, for the resumed / done / stopped lines."""
        return f'{self.unit} {self.step}'

    def progress(self):
        """The count cfg['checkpoint_every'] is measured in."""
        return self.step

    def wrap_models(self):
        """Called once before the first step (after any resume): set the modules train_step trains
        through, dist.wrap(module) (DistributedDataParallel under torchrun, else the module)."""

    def before_run(self):
        """Called once before the first step; returns seconds to keep out of the wall time."""
        return 0.0

    def advance(self, ph, seconds):
        """Bookkeeping after a step (self.step is already incremented); seconds: its duration."""

    def after_step(self, ph):
        """-> (phase_end, seconds to keep out of the wall time); phase_end logs and checkpoints."""
        return False, 0.0

    def progress_line(self, ph, s_per_step):
        """The progress line, or None for none."""
        return None

    def finish(self):
        """Called once after the loop, before the final checkpoint."""

    # --- checkpoints and run.json -------------------------------------------------------------
    @property
    def ckpt_path(self):
        return os.path.join(self.out_dir, 'checkpoint.pt')

    def save(self):
        """checkpoint.pt and run.json (rank 0 writes; every rank computes the same state)."""
        if dist.is_main():
            atomic_save({'cfg': self.cfg, 'wall_s': self.wall_s, 'last': self.last, **self.state(),
                         **rng_states(self.device)}, self.ckpt_path)
        self.write_summary()

    def load(self):
        s = torch.load(self.ckpt_path, map_location=self.device, weights_only=False)
        self.wall_s, self.last = s.get('wall_s', 0.0), s.get('last', {})
        self.load_state(s)
        restore_rng_states(s, self.device)
        print(f'resumed at {self.where()} ({self.wall_s / 60:.1f} min so far)', flush=True)

    def write_summary(self):
        self.info = self.summary()
        if dist.is_main():
            write_run_json(self.out_dir, self.info)

    def environment(self):
        """run.json facts about where the run ran (processes: torchrun's data-parallel process count)."""
        return {'device': str(self.device), 'hardware': hardware(self.device), 'torch': torch.__version__,
                'threads': torch.get_num_threads(), 'processes': dist.world_size()}

    def record_history(self, key='step'):
        """Loss history for the card: every cfg['history_every'] steps and at the last one."""
        if self.step % self.cfg['history_every'] == 0 or self.phase() is None:
            self.history.append({key: self.step, **{k: round(v, 5) for k, v in self.last.items()}})

    # --- the loop ------------------------------------------------------------------------------
    def _next_checkpoint(self):
        every = self.cfg.get('checkpoint_every')
        return (self.progress() // every + 1) * every if every else None

    def run(self, max_minutes=None, log_every_s=15.0, budget_minutes=None):
        stop = sigterm_stop()
        self.wrap_models()
        t_run, t_log, acc, wall0 = time.time(), time.time(), [], self.wall_s
        t_run += self.before_run()
        next_ckpt = self._next_checkpoint()
        halt = dist.any_rank(stop['flag'])[0]
        while not halt:
            ph = self.phase()
            if ph is None:
                break
            t0 = time.time()
            self.last = dist.mean_losses(self.train_step(ph))
            dt = time.time() - t0
            acc.append(dt)
            if not all(np.isfinite(v) for v in self.last.values()):
                self.save()
                raise FloatingPointError(f'non-finite loss at {self.unit} {self.step}: {self.last}')
            self.step += 1
            self.advance(ph, dt)
            self.wall_s = wall0 + time.time() - t_run
            phase_end, excluded = self.after_step(ph)
            if excluded:
                t_run += excluded
                self.wall_s = wall0 + time.time() - t_run
            if time.time() - t_log >= log_every_s or phase_end or self.phase() is None:
                line = self.progress_line(ph, sum(acc) / len(acc))
                if line:
                    print(line, flush=True)
                t_log, acc = time.time(), []
            if (next_ckpt is not None and self.progress() >= next_ckpt) or phase_end:
                self.save()
                next_ckpt = self._next_checkpoint()
            if self.cfg.get('stop_at') and self.step >= self.cfg['stop_at']:
                print(f"--stop-at {self.cfg['stop_at']} reached; checkpointing", flush=True)
                break
            # time limits and SIGTERM, agreed by all ranks (each measures its own clock)
            over_max, over_budget, halt = dist.any_rank(
                max_minutes is not None and time.time() - t_run > max_minutes * 60,
                budget_minutes is not None and self.wall_s > budget_minutes * 60, stop['flag'])
            if over_max:
                print(f'--max-minutes {max_minutes} reached; checkpointing (resume with --resume)', flush=True)
                break
            if over_budget:
                print(f'--budget-minutes {budget_minutes} (all sessions of this run) reached; checkpointing', flush=True)
                break
        self.finish()
        self.save()
        self.done = self.phase() is None
        print(('done' if self.done else 'stopped') + f' at {self.where()}, {self.wall_s / 60:.1f} min', flush=True)
        return self.done
