"""Train SRResNet-MSE, SRResNet-content and SRGAN (Ledig et al. 2017, paper 004) on 16x16 -> 64x64 faces.

  /usr/bin/python3 -m train.srgan.train --loss mse --config tiny --out /tmp/srr-mse
  PYTHONUNBUFFERED=1 nohup /usr/bin/python3 -m train.srgan.train --loss mse --config cpu \
      > train/runs/srresnet-mse-cpu.log 2>&1 &
  PYTHONUNBUFFERED=1 nohup /usr/bin/python3 -m train.srgan.train --loss content --config cpu \
      --init train/runs/srresnet-mse-cpu > train/runs/srresnet-content-cpu.log 2>&1 &
  PYTHONUNBUFFERED=1 nohup /usr/bin/python3 -m train.srgan.train --loss gan --config cpu \
      --init train/runs/srresnet-mse-cpu > train/runs/srgan-cpu.log 2>&1 &

Same generator (model.SRResNet), same data (faces64 train, random flips; LR = bicubic x1/4 as
§3.2), batch and Adam (beta1 0.9, §3.2) for all three; they differ only in the loss:
  mse:     l_MSE (Eq. 4);
  content: l_X = Eq. 5 in the feature space of face-api's face-recognition network (VGG-19 is not
           available offline; train/common/face_net.py), at cfg['content_layer'];
  gan:     l_X + 1e-3 l_Gen (Eq. 3, 6), D trained on Eq. 2, alternating one D and one G update (k = 1).
As in §3.2 the content and GAN generators start from the trained SRResNet-MSE (--init), so their
total updates are the MSE net's plus their own; the card states both counts.
"""
import sys

import torch
import torch.nn.functional as F

from train.common import dist
from train.common.cli import launch, make_cfg, parser
from train.common.data import Batches, load_faces64, resolve_data_dir
from train.common.export import load_run
from train.common.images import bicubic_down, to_float
from train.common.loop import TrainingRun
from train.common.run_state import param_count
from train.srgan.model import Discriminator, SRResNet, d_loss, g_adv_loss

CONFIGS = {
    'tiny': dict(width=8, blocks=2, d_width=8, d_dense=16, batch=4, steps=3, hr_limit=32, history_every=1,
                 checkpoint_every=10**9),
    # This 2-core CPU, 1 torch thread (~1.5-3 s/step on a busy machine). Deviations for this config: B = 8 blocks
    # of width 48 (paper 16 x 64), D widths 32..256 with 512 dense units (paper 64..512, 1024), 1,200 MSE steps at
    # lr 5e-4 then 1,000 content/GAN steps at 1e-4 (paper 1e6 and 2e5 steps).
    'cpu': dict(width=48, blocks=8, d_width=32, d_dense=512, batch=16, hr_limit=None, history_every=20,
                checkpoint_every=100, steps_by_loss={'mse': 1200, 'content': 1000, 'gan': 1000},
                lr_by_loss={'mse': 5e-4, 'content': 1e-4, 'gan': 1e-4}),
    # The paper's generator and discriminator; 1e5 + 1e5 steps (§3.2 uses 1e6 for SRResNet, 1e5 + 1e5 for SRGAN).
    'full': dict(width=64, blocks=16, d_width=64, d_dense=1024, batch=16, hr_limit=None, history_every=100,
                 checkpoint_every=2000, steps_by_loss={'mse': 100_000, 'content': 100_000, 'gan': 100_000},
                 lr_by_loss={'mse': 1e-4, 'content': 1e-4, 'gan': 1e-4}),
}
# Content loss (Eq. 5): the face net was trained on 150 px faces, so both faces are bilinearly upsampled to
# 128 px first; conv128 is its highest stage with a spatial map there (7x7, like the paper's preference for the
# higher-level phi_5,4). Features are scaled by 1/5 so that l_X of the MSE-trained net (~0.38 unscaled at
# conv128) is of the order of its MSE (~0.015): Eq. 3's 1e-3 adversarial weight assumes a content loss on the
# MSE's scale, and the raw scale of l_X depends on the feature net.
COMMON = dict(kind='srgan', lr=1e-4, betas=(0.9, 0.999), seed=20260412, adv_weight=1e-3, content_layer='conv128',
              content_px=128, feature_scale=0.2)
RUN_TAG = {'mse': 'srresnet-mse', 'content': 'srresnet-content', 'gan': 'srgan'}


class SrganRun(TrainingRun):
    def __init__(self, cfg, out_dir, device, data_dir=None):
        super().__init__(cfg, out_dir, device)
        c = cfg
        self.name = RUN_TAG[c['loss']]
        self.G = SRResNet(c['width'], c['blocks']).to(device)
        self.D = Discriminator(c['d_width'], c['d_dense']).to(device) if c['loss'] == 'gan' else None
        self.init_steps = 0
        if c.get('init'):
            ck, _ = load_run(c['init'])
            if ck['cfg']['loss'] != 'mse' or (ck['cfg']['width'], ck['cfg']['blocks']) != (c['width'], c['blocks']):
                raise SystemExit(f"--init must be an SRResNet-MSE run of the same generator ({c['init']})")
            self.G.load_state_dict(ck['G'])
            self.init_steps = ck['step']
        self.optG = torch.optim.Adam(self.G.parameters(), lr=c['lr'], betas=tuple(c['betas']))
        self.optD = torch.optim.Adam(self.D.parameters(), lr=c['lr'], betas=tuple(c['betas'])) if self.D else None
        self.face_net = None
        if c['loss'] != 'mse':
            from train.common.face_net import load_face_net  # needs node_modules/@vladmandic/face-api
            self.face_net = load_face_net(device)
        self.G_train, self.D_train = self.G, self.D
        root = resolve_data_dir(data_dir)
        hr = load_faces64(root, 'train', c['hr_limit'], seed=c['seed'])
        self.n_hr, self.data_root = len(hr), root
        self.hr = Batches(hr, seed=c['seed'])
        print(f'data: {self.n_hr} HR faces64-train from {root}; LR bicubic x1/4', flush=True)

    def wrap_models(self):
        self.G_train = dist.wrap(self.G)
        self.D_train = dist.wrap(self.D) if self.D else None

    def phase(self):
        return True if self.step < self.cfg['steps'] else None

    def features(self, x):
        c = self.cfg
        px, layer = c['content_px'], c['content_layer']
        if x.shape[-1] != px:
            x = F.interpolate(x, size=(px, px), mode='bilinear', align_corners=False)
        return self.face_net.features(x, layers=(layer,))[layer] * c['feature_scale']

    def content_loss(self, sr, hr):
        """Eq. 5: mean squared distance of (scaled) face-net feature maps of the SR and HR faces."""
        fs = self.features(sr)
        with torch.no_grad():
            fh = self.features(hr)
        return (fs - fh).pow(2).mean()

    def train_step(self, ph):
        c = self.cfg
        hr = to_float(dist.shard(self.hr.next(c['batch'])), self.device)
        lr = bicubic_down(hr)
        self.G.train()
        out = {}
        if self.D is not None:
            with torch.no_grad():
                fake = self.G(lr)
            ld = d_loss(self.D_train(hr), self.D_train(fake))
            self.optD.zero_grad(set_to_none=True)
            ld.backward()
            self.optD.step()
            out['d_loss'] = float(ld)
            self.D.requires_grad_(False)
        sr = self.G_train(lr)
        mse = (sr - hr).pow(2).mean()  # Eq. 4
        if c['loss'] == 'mse':
            loss = mse
        else:
            content = self.content_loss(sr, hr)
            loss = content
            out['content'] = float(content)
            if self.D is not None:
                adv = g_adv_loss(self.D(sr))
                loss = content + c['adv_weight'] * adv  # Eq. 3
                out['adv'] = float(adv)
        self.optG.zero_grad(set_to_none=True)
        loss.backward()
        self.optG.step()
        if self.D is not None:
            self.D.requires_grad_(True)
        out.update(g_loss=float(loss), mse=float(mse))
        return out

    def advance(self, ph, seconds):
        self.record_history()

    def state(self):
        s = {'step': self.step, 'history': self.history, 'G': self.G.state_dict(), 'optG': self.optG.state_dict(),
             'data': self.hr.state_dict(), 'init_steps': self.init_steps}
        if self.D is not None:
            s.update(D=self.D.state_dict(), optD=self.optD.state_dict())
        return s

    def load_state(self, s):
        keys = ('loss', 'width', 'blocks', 'd_width') + (('content_layer', 'content_px', 'feature_scale')
                                                         if self.cfg['loss'] != 'mse' else ())
        for key in keys:
            if s['cfg'].get(key) != self.cfg.get(key):
                raise SystemExit(f'checkpoint config differs in {key!r}; use a new --out directory')
        if self.cfg['steps'] != s['cfg']['steps']:  # a shortened or longer schedule is part of the card
            print(f"schedule changed on resume: {s['cfg']['steps']} -> {self.cfg['steps']} steps", flush=True)
            self.cfg['schedule_changes'] = list(s['cfg'].get('schedule_changes', [])) + [
                {'at_step': s['step'], 'steps': self.cfg['steps'], 'was': s['cfg']['steps']}]
        self.G.load_state_dict(s['G'])
        self.optG.load_state_dict(s['optG'])
        if self.D is not None:
            self.D.load_state_dict(s['D'])
            self.optD.load_state_dict(s['optD'])
        self.step, self.history, self.init_steps = s['step'], s['history'], s.get('init_steps', 0)
        self.hr.load_state_dict(s['data'])

    def progress_line(self, ph, sps):
        c, l = self.cfg, self.last
        parts = ' '.join(f'{k} {v:.4f}' for k, v in l.items())
        return (f"step {self.step}/{c['steps']} | {parts} | {sps:.3f} s/step (bs {c['batch']}) | "
                f"{self.wall_s / 60:.1f} min, eta {(c['steps'] - self.step) * sps / 60:.1f} min")

    def banner(self):
        c = self.cfg
        d = f' / D {param_count(self.D):,}' if self.D else ''
        return (f"{self.name} config {c['name']}: G {param_count(self.G):,}{d} params, {c['steps']} steps x bs "
                f"{c['batch']}, lr {c['lr']}" + (f", from {c['init']} ({self.init_steps} MSE steps)" if c.get('init') else '')
                + self.device_note())

    def summary(self):
        c = self.cfg
        return {
            'model': self.name, 'config': c['name'], 'cfg': c, 'steps': self.step, 'init_steps': self.init_steps,
            'finished': self.step >= c['steps'], 'wall_seconds': round(self.wall_s, 1), 'final_losses': self.last,
            'loss_history': self.history, **self.environment(),
            'params': {'G': param_count(self.G), **({'D': param_count(self.D)} if self.D else {})},
            'hr_train_images': self.n_hr, 'data_dir': self.data_root,
        }


def main(argv=None):
    ap = parser(__doc__, CONFIGS, 'srresnet-<loss>-<config>')
    ap.add_argument('--loss', choices=['mse', 'content', 'gan'], required=True)
    ap.add_argument('--init', default=None, help='SRResNet-MSE run dir to start the generator from (§3.2)')
    ap.add_argument('--steps', type=int, default=None)
    ap.add_argument('--batch', type=int, default=None)
    a = ap.parse_args(argv)
    base = CONFIGS[a.config]
    steps = a.steps or base.get('steps') or base['steps_by_loss'][a.loss]
    lr = base.get('lr_by_loss', {}).get(a.loss)
    cfg = make_cfg(CONFIGS, COMMON, a.config, steps=steps, batch=a.batch, seed=a.seed, hr_limit=a.data_limit,
                   loss=a.loss, init=a.init, lr=lr)
    cfg.pop('steps_by_loss', None)
    cfg.pop('lr_by_loss', None)
    return launch(SrganRun, cfg, a, f'{RUN_TAG[a.loss]}-{a.config}').done


if __name__ == '__main__':
    sys.exit(0 if main() else 3)
