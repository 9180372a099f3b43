"""tfjs weight layouts: torch modules folded into named float32 arrays, and the plain-op
PyTorch forwards over such arrays that every model's export.py builds its parity reference from
(the TS twins in src/models/ compute the same thing, NHWC).

Layouts: conv [kh, kw, in, out] (tf.conv2d's filter), dense [in, out], batch norm folded from
its running statistics into a per-channel affine (scale = gamma/sqrt(var+eps),
shift = beta - mean*scale, applied as x*scale + shift). A conv named `n` is `n/w` + `n/b`.

`tensor` and `conv` are looked up at call time, so bench/torch_ref.py can swap in cached
versions (same ops, same order) with `override()` to time PyTorch without layout glue.
"""
import numpy as np
import torch
import torch.nn.functional as F


# --- folding modules -> {name: float32 array} ---------------------------------------------
def conv_arrays(m, scale=None):
    """Conv2d-like module -> (w [kh,kw,in,out], b); `scale` multiplies the weight first (ProGAN's
    equalised-LR runtime scale)."""
    w = m.weight.detach().float()
    if scale is not None:
        w = w * scale
    return w.permute(2, 3, 1, 0).contiguous().cpu().numpy(), m.bias.detach().float().cpu().numpy()


def bn_arrays(bn):
    scale = bn.weight.detach().double() / torch.sqrt(bn.running_var.double() + bn.eps)
    shift = bn.bias.detach().double() - bn.running_mean.double() * scale
    return scale.float().cpu().numpy(), shift.float().cpu().numpy()


def put_conv(out, name, m):
    out[f'{name}/w'], out[f'{name}/b'] = conv_arrays(m)


def put_bn(out, name, bn):
    out[f'{name}/scale'], out[f'{name}/shift'] = bn_arrays(bn)


def put_block(out, p, blk):
    """Pre-activation residual block (bn1, conv1, bn2, conv2, optional 1x1 `short`)."""
    put_bn(out, f'{p}/bn1', blk.bn1)
    put_conv(out, f'{p}/conv1', blk.conv1)
    put_bn(out, f'{p}/bn2', blk.bn2)
    put_conv(out, f'{p}/conv2', blk.conv2)
    if getattr(blk, 'short', None) is not None:  # progressive_sr's ResBlock has no projection
        put_conv(out, f'{p}/short', blk.short)


# --- plain-op forwards over exported arrays (NCHW inside) ---------------------------------
def _tensor(a):
    return torch.from_numpy(np.ascontiguousarray(a))


def _conv(W, x, name, stride=1):
    w = tensor(W[f'{name}/w']).permute(3, 2, 0, 1)  # [kh,kw,in,out] -> [out,in,kh,kw]
    return F.conv2d(x, w, tensor(W[f'{name}/b']), stride=stride, padding=w.shape[-1] // 2)


DEFAULTS = {'tensor': _tensor, 'conv': _conv}


def tensor(a):
    """numpy array -> torch tensor (shares memory)."""
    return _impl['tensor'](a)


def conv(W, x, name, stride=1):
    """'same'-padded conv (pad k//2 on every side, also for stride 2) with W[name/w], W[name/b]."""
    return _impl['conv'](W, x, name, stride)


_impl = dict(DEFAULTS)


def override(tensor=None, conv=None):
    """Use other implementations of tensor() / conv() (None: the defaults)."""
    _impl['tensor'] = tensor or DEFAULTS['tensor']
    _impl['conv'] = conv or DEFAULTS['conv']


def bn(W, x, name):
    return x * tensor(W[f'{name}/scale']).view(1, -1, 1, 1) + tensor(W[f'{name}/shift']).view(1, -1, 1, 1)


def preact_block(W, x, p):
    h = conv(W, F.relu(bn(W, x, f'{p}/bn1')), f'{p}/conv1')
    h = conv(W, F.relu(bn(W, h, f'{p}/bn2')), f'{p}/conv2')
    return h + (conv(W, x, f'{p}/short') if f'{p}/short/w' in W else x)


def n_blocks(W, prefix):
    """How many blocks {prefix}/b1, b2, ... the arrays hold."""
    n = 0
    while f'{prefix}/b{n + 1}/conv1/w' in W:
        n += 1
    return n
