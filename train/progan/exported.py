"""The exported ProGAN generator as plain arrays: naming/layout conventions, the folding of
the equalised-LR scale, reading model.json + shards back (with integrity checks), and a
plain-conv PyTorch forward pass over those arrays that mirrors src/models/progan.ts.

Weight names (tfjs layouts, equalised-LR scale already multiplied in):
  g/4/dense/w  [latent, 4*4*C0]   columns in HWC order, so matMul + reshape [N,4,4,C0]
  g/4/dense/b  [C0]
  g/4/conv/w   [3,3,C0,C0]        tfjs conv2d filter layout [kh,kw,in,out]
  g/{R}/conv1/w, g/{R}/conv2/w    for R = 8, 16, 32, 64 (after nearest x2 upsampling)
  g/{R}/torgb/w [1,1,C,3]         for every R (toRGB kept at every level)
  .../b                           biases [out]
"""
import hashlib
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

from train.progan.model import RESOLUTIONS, LRELU


def _conv(m):
    """EqConv -> (w [kh,kw,in,out], b) with the runtime He scale folded in."""
    w = (m.weight.detach().float() * m.scale).permute(2, 3, 1, 0).contiguous().cpu().numpy()
    return w, m.bias.detach().float().cpu().numpy()


def fold_generator(G):
    """Generator module -> ordered {name: float32 array} in tfjs layouts."""
    c0, lat = G.widths[0], G.latent
    out = {}
    w = (G.dense.weight.detach().float() * G.dense.scale).cpu()  # [16*c0, lat], rows in (c, h, w) order
    out['g/4/dense/w'] = w.view(c0, 4, 4, lat).permute(3, 1, 2, 0).reshape(lat, 16 * c0).contiguous().numpy()
    out['g/4/dense/b'] = G.dense.bias.detach().float().cpu().numpy()
    out['g/4/conv/w'], out['g/4/conv/b'] = _conv(G.conv0)
    for i, (c1, c2) in enumerate(G.blocks, start=1):
        r = RESOLUTIONS[i]
        out[f'g/{r}/conv1/w'], out[f'g/{r}/conv1/b'] = _conv(c1)
        out[f'g/{r}/conv2/w'], out[f'g/{r}/conv2/b'] = _conv(c2)
    for i, m in enumerate(G.to_rgb):
        out[f'g/{RESOLUTIONS[i]}/torgb/w'], out[f'g/{RESOLUTIONS[i]}/torgb/b'] = _conv(m)
    return out


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def read_exported(model_dir):
    """model.json + shards -> (model_json, {name: float32 array}); verifies bytes and sha256."""
    with open(os.path.join(model_dir, 'model.json')) as f:
        mj = json.load(f)
    arrays = {}
    for group in mj['weightsManifest']:
        blobs = []
        for p in group['paths']:
            with open(os.path.join(model_dir, p), 'rb') as f:
                data = f.read()
            rec = mj['integrity'][p]
            if len(data) != rec['bytes'] or sha256(data) != rec['sha256']:
                raise ValueError(f'{p}: shard does not match model.json integrity record')
            blobs.append(data)
        buf, off = b''.join(blobs), 0
        for spec in group['weights']:
            n = int(np.prod(spec['shape'])) if spec['shape'] else 1
            q = spec.get('quantization', {}).get('dtype')
            dt, size = (np.float16, 2) if q == 'float16' else (np.float32, 4)
            arrays[spec['name']] = np.frombuffer(buf, dt, n, off).astype(np.float32).reshape(spec['shape'])
            off += n * size
    return mj, arrays


def _t(a):
    return torch.from_numpy(np.ascontiguousarray(a))


def _pn(x):
    return x * torch.rsqrt(x.pow(2).mean(dim=1, keepdim=True) + 1e-8)


def _conv_apply(x, w, b):
    wt = _t(w).permute(3, 2, 0, 1)  # [kh,kw,in,out] -> [out,in,kh,kw]
    return F.conv2d(x, wt, _t(b), padding=wt.shape[-1] // 2)


@torch.no_grad()
def forward_exported(W, z, level_px, alpha=1.0):
    """Plain-conv generator over exported arrays; z [N, latent] -> NCHW in [-1, 1]-ish."""
    L = RESOLUTIONS.index(level_px)
    c0 = W['g/4/dense/b'].shape[0]
    x = _pn(torch.as_tensor(z, dtype=torch.float32))
    h = (x @ _t(W['g/4/dense/w'])).view(-1, 4, 4, c0).permute(0, 3, 1, 2) + _t(W['g/4/dense/b']).view(1, -1, 1, 1)
    h = _pn(F.leaky_relu(h, LRELU))
    h = _pn(F.leaky_relu(_conv_apply(h, W['g/4/conv/w'], W['g/4/conv/b']), LRELU))
    prev = h
    for i in range(1, L + 1):
        r = RESOLUTIONS[i]
        prev = h
        h = F.interpolate(h, scale_factor=2, mode='nearest')
        h = _pn(F.leaky_relu(_conv_apply(h, W[f'g/{r}/conv1/w'], W[f'g/{r}/conv1/b']), LRELU))
        h = _pn(F.leaky_relu(_conv_apply(h, W[f'g/{r}/conv2/w'], W[f'g/{r}/conv2/b']), LRELU))
    out = _conv_apply(h, W[f'g/{level_px}/torgb/w'], W[f'g/{level_px}/torgb/b'])
    if L > 0 and alpha < 1.0:
        rp = RESOLUTIONS[L - 1]
        low = F.interpolate(_conv_apply(prev, W[f'g/{rp}/torgb/w'], W[f'g/{rp}/torgb/b']), scale_factor=2, mode='nearest')
        out = (1.0 - alpha) * low + alpha * out
    return out
