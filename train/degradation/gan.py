"""The training step both degradation-pipeline GANs share (degrader/train.py, low2high/train.py):
Eq. 1 loss l = alpha*l_pixel + beta*l_GAN with the SN hinge GAN (Eq. 2/3), Adam (lr 1e-4,
betas (0, 0.9)), n_dis discriminator steps per generator step (§3.6: 5). The loop, checkpoints
(bit-exact resume on CPU: models, Adam states, data streams and RNG state), time limits and
run.json are train/common/loop.py.

A model subclass provides: build() -> (G, D), setup_data(), sample_batch() -> (g_input tuple,
pixel target, D real batch: this rank's dist.shard of a global batch), and optionally
pixel_target_of(), data_state() / load_data_state() and facts() (extra run.json facts).
Under torchrun G and D train through DistributedDataParallel with global-batch batch norm
(train/common/dist.py); the generator step reads the critic unwrapped (it is frozen there).
"""
import numpy as np
import torch

from train.common import dist
from train.common.cli import parser
from train.common.loop import TrainingRun
from train.common.run_state import param_count
from train.degrader.model import hinge_d, hinge_g


class PairedGanRun(TrainingRun):
    name = 'gan'

    def __init__(self, cfg, out_dir, device, data_dir=None):
        super().__init__(cfg, out_dir, device)
        self.data_dir = data_dir
        self.G, self.D = self.build()
        self.G.to(device)
        self.D.to(device)
        self.optG = torch.optim.Adam(self.G.parameters(), lr=cfg['lr'], betas=tuple(cfg['betas']))
        self.optD = torch.optim.Adam(self.D.parameters(), lr=cfg['lr'], betas=tuple(cfg['betas']))
        self.d_steps = 0
        self.G_train, self.D_train = self.G, self.D  # what train_step trains through (wrap_models)
        self.setup_data()

    # subclass API ------------------------------------------------------------------------
    def build(self):
        raise NotImplementedError

    def setup_data(self):
        raise NotImplementedError

    def sample_batch(self, bs):
        """-> (g_input tuple, pixel target, real batch for D), all on self.device: this rank's
        dist.shard of a global batch of bs drawn from the (rank-independent) streams."""
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
    def state(self):
        return {'step': self.step, 'd_steps': self.d_steps, 'history': self.history,
                'G': self.G.state_dict(), 'D': self.D.state_dict(),
                'optG': self.optG.state_dict(), 'optD': self.optD.state_dict(), 'data': self.data_state()}

    def load_state(self, s):
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
        self.step, self.d_steps, self.history = s['step'], s['d_steps'], s['history']
        self.load_data_state(s['data'])

    # training ------------------------------------------------------------------------------
    def wrap_models(self):
        self.G_train, self.D_train = dist.wrap(self.G), dist.wrap(self.D)

    def phase(self):
        return True if self.step < self.cfg['steps'] else None

    def train_step(self, ph):
        cfg, bs = self.cfg, self.cfg['batch']
        self.G.train()
        for _ in range(cfg['n_dis']):
            g_in, _, real = self.sample_batch(bs)
            with torch.no_grad():
                fake = self.G(*g_in)
            ld = hinge_d(self.D_train(real), self.D_train(fake))
            self.optD.zero_grad(set_to_none=True)
            ld.backward()
            self.optD.step()
            self.d_steps += 1
        g_in, target, _ = self.sample_batch(bs)
        self.D.requires_grad_(False)
        fake = self.G_train(*g_in)
        pix = (fake - self.pixel_target_of(target)).pow(2).mean()  # Eq. 4 (mean over pixels and channels)
        adv = hinge_g(self.D(fake))
        lg = cfg['alpha'] * pix + cfg['beta'] * adv  # Eq. 1
        self.optG.zero_grad(set_to_none=True)
        lg.backward()
        self.optG.step()
        self.D.requires_grad_(True)
        return {'d_loss': float(ld), 'g_loss': float(lg), 'pixel': float(pix), 'adv': float(adv)}

    def advance(self, ph, seconds):
        self.record_history()

    def progress_line(self, ph, sps):
        cfg, l = self.cfg, self.last
        return (f"step {self.step}/{cfg['steps']} | D {l['d_loss']:.3f} G {l['g_loss']:.4f} pixel {l['pixel']:.4f} "
                f"adv {l['adv']:.3f} | {sps:.3f} s/step (n_dis {cfg['n_dis']}, bs {cfg['batch']}) | "
                f"{self.wall_s / 60:.1f} min, eta {(cfg['steps'] - self.step) * sps / 60:.1f} min")

    def banner(self):
        cfg = self.cfg
        return (f"{self.name} config {cfg['name']}: G {param_count(self.G):,} / D {param_count(self.D):,} params, "
                f"{cfg['steps']} G steps x bs {cfg['batch']}, n_dis {cfg['n_dis']}" + self.device_note())

    def summary(self):
        return {
            'model': self.name, 'config': self.cfg['name'], 'cfg': self.cfg, 'steps': self.step,
            'd_steps': self.d_steps, 'finished': self.step >= self.cfg['steps'],
            'wall_seconds': round(self.wall_s, 1), 'final_losses': self.last,
            'loss_history': self.history, **self.environment(),
            'params': {'G': param_count(self.G), 'D': param_count(self.D)}, **self.facts(),
        }


def gan_parser(doc, configs, out_default):
    """The shared options plus --steps / --n-dis / --batch."""
    ap = parser(doc, configs, out_default)
    ap.add_argument('--steps', type=int, default=None, help='override the number of generator steps')
    ap.add_argument('--n-dis', type=int, default=None, help='override D steps per G step (paper: 5)')
    ap.add_argument('--batch', type=int, default=None)
    return ap
