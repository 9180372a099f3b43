"""PyTorch reference for `npm run bench`: the same SR-NAM step (Lioutas Eq. 6: L1 between
D(G(z_k), n_k) and I_LR, summed over K restarts, backward to z, Adam) and the same model
forwards as srlab, over the SAME exported float16 weights (static/weights/<model>/), using the
plain-op forwards of train/progan/exported.py, train/degrader/export.py, train/low2high/export.py,
train/heatmaps/export.py and train/progressive_sr/export.py (the parity references of the TS
models). Driven over stdin/stdout, one JSON object per line, so the Node driver can
interleave srlab and PyTorch runs in one invocation (noise on a shared machine cancels in the
ratio).

Ops: info | load {model} | setup {K, seed, target} | steps {n} | forward {model, K} | close.
Every timed op answers {"ms": wall milliseconds}; errors answer {"error": message}.

The train/ helpers convert numpy weights to torch and permute conv filters on every call (they
are parity references, not fast paths). To time PyTorch at its best we cache those per-weight
conversions (same ops, same order; train.common.layout.override swaps them in), so the reference
is not slowed by layout glue srlab does not pay either. The cached forwards are checked against
the uncached ones at load.

  python3 -m bench.torch_ref      (from the repository root; bench/torch.js starts it so)
"""
import json
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

from train.common import layout
from train.common.export import read_exported
from train.common.paths import WEIGHTS_DIR as WEIGHTS
from train.degrader.export import degrader_forward
from train.heatmaps import export as export_heatmaps
from train.low2high.export import low2high_forward
from train.progan.exported import forward_exported as progan_forward
from train.progressive_sr import export as export_progressive_sr
from train.srgan.export import srresnet_forward

DEVICE = torch.device(os.environ.get('SRLAB_BENCH_TORCH_DEVICE', 'cpu'))

# --- cached layout conversions (same maths as train.common.layout's tensor() / conv()) ---
_cache = {}


def _cached(a, make):
    key = id(a)
    hit = _cache.get(key)
    if hit is None or hit[0] is not a:
        hit = (a, make())
        _cache[key] = hit
    return hit[1]


def _fast_t(a):
    return _cached(a, lambda: torch.from_numpy(np.ascontiguousarray(a)).to(DEVICE))


_fcache = {}


def _filter_cache(a):
    hit = _fcache.get(id(a))
    if hit is None or hit[0] is not a:
        hit = (a, torch.from_numpy(np.ascontiguousarray(a)).permute(3, 2, 0, 1).contiguous().to(DEVICE))
        _fcache[id(a)] = hit
    return hit[1]


def _fast_conv(W, x, name, stride=1):
    wt = _filter_cache(W[f'{name}/w'])
    return F.conv2d(x, wt, _fast_t(W[f'{name}/b']), stride=stride, padding=wt.shape[-1] // 2)


def _plain(fn):
    """The train/ forwards are @torch.no_grad-decorated; the search needs their gradients."""
    return getattr(fn, '__wrapped__', fn)


def kind_of(W):
    names = list(W)
    if 'g/head/w' in W:  # before progan: both name their generator g/
        return 'srresnet'
    if any(n.startswith('g/') for n in names):
        return 'progan'
    if any(n.startswith('d/') for n in names):
        return 'degrader'
    if any(n.startswith('s/') for n in names):
        return 'low2high'
    if any(n.startswith('h/') for n in names):
        return 'heatmaps'
    if any(n.startswith('p/') for n in names):
        return 'progressive-sr'
    return None


class Ref:
    def __init__(self):
        self.W = {}
        self.search = None

    def info(self):
        return {'torch': torch.__version__, 'numpy': np.__version__, 'threads': torch.get_num_threads(),
                'python': sys.version.split()[0], 'mkldnn': bool(torch.backends.mkldnn.is_available()),
                'device': str(DEVICE), 'cuda': torch.cuda.is_available(),
                'gpu': torch.cuda.get_device_name(DEVICE) if DEVICE.type == 'cuda' else None}

    def load(self, model):
        t0 = time.perf_counter()
        _, W = read_exported(os.path.join(WEIGHTS, model))
        kind = kind_of(W)
        ms = (time.perf_counter() - t0) * 1000
        self.W[model] = (kind, W)
        if kind is None:
            return {'ms': ms, 'kind': None}
        # warm the caches and check them against the uncached train/ forward (same arrays; cpu,
        # since the train/ helpers make cpu tensors)
        x = self._input(kind, 2, seed=3)
        got = self._outputs(model, x, fast=True)
        if DEVICE.type != 'cpu':
            return {'ms': ms, 'kind': kind}
        ref = self._outputs(model, x, fast=False)
        return {'ms': ms, 'kind': kind, 'maxdiff': max(float((r - g).abs().max()) for r, g in zip(ref, got))}

    def _input(self, kind, K, seed):
        g = torch.Generator().manual_seed(seed)
        if kind == 'progan':
            xs = (torch.randn(K, self._latent(), generator=g),)
        elif kind == 'degrader':
            xs = (torch.rand(K, 3, 64, 64, generator=g) * 2 - 1, torch.randn(K, 100, generator=g))
        elif kind == 'heatmaps':
            xs = (torch.rand(K, 3, 64, 64, generator=g) * 2 - 1,)  # a 64x64 face in [-1, 1]
        else:  # low2high, progressive-sr: a 16x16 LR in [-1, 1]
            xs = (torch.rand(K, 3, 16, 16, generator=g) * 2 - 1,)
        return tuple(x.to(DEVICE) for x in xs)

    def _latent(self):
        return self.W['progan'][1]['g/4/dense/w'].shape[0]

    def _fns(self, fast):
        """Cached (fast) or plain layout ops for the train/ forwards; reset with layout.override()."""
        if fast:
            layout.override(tensor=_fast_t, conv=_fast_conv)
        else:
            layout.override()

    def _outputs(self, model, x, fast=True):
        """Every output of the forward (progressive-sr: each step's toRGB; the last is the one timed)."""
        kind, W = self.W[model]
        self._fns(fast)
        try:
            with torch.no_grad():
                if kind == 'progan':
                    return [_plain(progan_forward)(W, x[0], 64)]
                if kind == 'degrader':
                    return [_plain(degrader_forward)(W, *x)]
                if kind == 'heatmaps':
                    return [_plain(export_heatmaps.forward_exported)(W, *x)]
                if kind == 'progressive-sr':  # 16 -> 32 -> 64 -> 128, alpha = 1 (as srlab's bench)
                    raw, out = export_progressive_sr.forward_exported(W, *x, step=3, alpha=1.0)
                    return [*raw, out]
                if kind == 'srresnet':
                    return [_plain(srresnet_forward)(W, *x)]
                return [_plain(low2high_forward)(W, *x)]
        finally:
            layout.override()  # the train/ code outside the bench keeps the plain ops

    def _forward(self, model, x, fast=True):
        return self._outputs(model, x, fast)[-1]

    def forward(self, model, K):
        kind, _ = self.W[model]
        x = self._input(kind, K, seed=K)
        t0 = time.perf_counter()
        out = self._forward(model, x)
        out.cpu().numpy().sum()  # "readback": srlab times data() too
        return {'ms': (time.perf_counter() - t0) * 1000}

    def setup(self, K, seed, target, latent=512, noise=100, lr=1e-3):
        """target: flat NHWC [16*16*3] in [-1, 1] (the same array srlab gets)."""
        g = torch.Generator().manual_seed(seed)
        z = torch.randn(K, latent, generator=g).to(DEVICE).requires_grad_(True)
        n = torch.randn(K, noise, generator=g).to(DEVICE)
        tgt = torch.tensor(target, dtype=torch.float32).view(1, 16, 16, 3).permute(0, 3, 1, 2).contiguous().to(DEVICE)
        # torch.optim.Adam is the formula srlab's adam.ts copies (eps outside the sqrt)
        self.search = {'z': z, 'n': n, 'tgt': tgt, 'opt': torch.optim.Adam([z], lr=lr, betas=(0.9, 0.999), eps=1e-8)}
        return {'ok': True}

    def steps(self, n):
        s = self.search
        self._fns(True)
        G, D = _plain(progan_forward), _plain(degrader_forward)
        Wg, Wd = self.W['progan'][1], self.W['degrader'][1]
        t0 = time.perf_counter()
        rows = []
        try:
            for _ in range(n):
                s['opt'].zero_grad(set_to_none=True)
                per = (D(Wd, G(Wg, s['z'], 64), s['n']) - s['tgt']).abs().mean(dim=(1, 2, 3))  # Eq. 6 per restart
                per.sum().backward()
                s['opt'].step()
                rows.append(per.detach())
        finally:
            layout.override()
        losses = torch.stack(rows).cpu().numpy().tolist()  # one readback per call, as srlab's step(n)
        return {'ms': (time.perf_counter() - t0) * 1000, 'last': losses[-1]}


def main():
    threads = int(os.environ.get('SRLAB_BENCH_TORCH_THREADS', '0'))
    if threads > 0:
        torch.set_num_threads(threads)
    ref = Ref()
    for line in sys.stdin:
        if not line.strip():
            continue
        msg = json.loads(line)
        op = msg.pop('op')
        try:
            if op == 'close':
                break
            out = getattr(ref, op)(**msg)
        except Exception as e:  # report, keep serving
            out = {'error': f'{type(e).__name__}: {e}'}
        sys.stdout.write(json.dumps(out) + '\n')
        sys.stdout.flush()


if __name__ == '__main__':
    main()
