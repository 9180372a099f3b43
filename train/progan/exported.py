"""The exported ProGAN generator as plain arrays: naming/layout conventions, the folding of
the equalised-LR scale, and a plain-conv PyTorch forward pass over those arrays that mirrors
src/models/progan.ts (the parity reference; read an export back with common.export.read_exported).

Weight names (tfjs layouts, equalised-LR scale already multiplied in):
  g/4/dense/w  [latent, 4*4*C0]   columns in HWC order, so matMul + reshape [N,4,4,C0]
  g/4/dense/b  [C0]
  g/4/conv/w   [3,3,C0,C0]        tfjs conv2d filter layout [kh,kw,in,out]
  g/{R}/conv1/w, g/{R}/conv2/w    for R = 8, 16, 32, 64 (after nearest x2 upsampling)
  g/{R}/torgb/w [1,1,C,3]         for every R (toRGB kept at every level)
  .../b                           biases [out]
"""
import torch
import torch.nn.functional as F

from train.common.layout import conv, conv_arrays, tensor
from train.progan.model import LRELU, RESOLUTIONS


def fold_generator(G):
    """Generator module -> ordered {name: float32 array} in tfjs layouts, He scale folded in."""
    c0, lat = G.widths[0], G.latent
    out = {}
    w = (G.dense.weight.detach().float() * G.dense.scale).cpu()  # [16*c0, lat], rows in (c, h, w) order
    out['g/4/dense/w'] = w.view(c0, 4, 4, lat).permute(3, 1, 2, 0).reshape(lat, 16 * c0).contiguous().numpy()
    out['g/4/dense/b'] = G.dense.bias.detach().float().cpu().numpy()
    out['g/4/conv/w'], out['g/4/conv/b'] = conv_arrays(G.conv0, G.conv0.scale)
    for i, (c1, c2) in enumerate(G.blocks, start=1):
        r = RESOLUTIONS[i]
        out[f'g/{r}/conv1/w'], out[f'g/{r}/conv1/b'] = conv_arrays(c1, c1.scale)
        out[f'g/{r}/conv2/w'], out[f'g/{r}/conv2/b'] = conv_arrays(c2, c2.scale)
    for i, m in enumerate(G.to_rgb):
        out[f'g/{RESOLUTIONS[i]}/torgb/w'], out[f'g/{RESOLUTIONS[i]}/torgb/b'] = conv_arrays(m, m.scale)
    return out


def _pn(x):
    return x * torch.rsqrt(x.pow(2).mean(dim=1, keepdim=True) + 1e-8)


@torch.no_grad()
def forward_exported(W, z, level_px, alpha=1.0):
    """Plain-conv generator over exported arrays; z [N, latent] -> NCHW in [-1, 1]-ish."""
    L = RESOLUTIONS.index(level_px)
    c0 = W['g/4/dense/b'].shape[0]
    x = _pn(torch.as_tensor(z, dtype=torch.float32))
    h = (x @ tensor(W['g/4/dense/w'])).view(-1, 4, 4, c0).permute(0, 3, 1, 2) + tensor(W['g/4/dense/b']).view(1, -1, 1, 1)
    h = _pn(F.leaky_relu(h, LRELU))
    h = _pn(F.leaky_relu(conv(W, h, 'g/4/conv'), LRELU))
    prev = h
    for i in range(1, L + 1):
        r = RESOLUTIONS[i]
        prev = h
        h = F.interpolate(h, scale_factor=2, mode='nearest')
        h = _pn(F.leaky_relu(conv(W, h, f'g/{r}/conv1'), LRELU))
        h = _pn(F.leaky_relu(conv(W, h, f'g/{r}/conv2'), LRELU))
    out = conv(W, h, f'g/{level_px}/torgb')
    if L > 0 and alpha < 1.0:
        low = F.interpolate(conv(W, prev, f'g/{RESOLUTIONS[L - 1]}/torgb'), scale_factor=2, mode='nearest')
        out = (1.0 - alpha) * low + alpha * out
    return out
