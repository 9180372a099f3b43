"""Image conversions and resampling shared by the models: uint8 NHWC (numpy, what the data
readers return and what .npy dumps / PNGs hold) <-> float [-1, 1] NCHW torch tensors."""
import numpy as np
import torch
import torch.nn.functional as F


def to_float(batch_u8, device=None):
    """uint8 NHWC (numpy) -> float32 NCHW torch tensor in [-1, 1]."""
    t = torch.from_numpy(np.ascontiguousarray(batch_u8)).to(device)
    return t.permute(0, 3, 1, 2).float().div_(127.5).sub_(1.0)


def to_u8_levels(t):
    """[-1, 1] float -> float in [0, 255] rounded to 8-bit levels (what a PNG would hold)."""
    return ((t.clamp(-1, 1) + 1) * 127.5).round()


def to_u8(x_nchw):
    """[-1, 1] float NCHW tensor -> uint8 NHWC numpy array (clamped, rounded)."""
    return to_u8_levels(x_nchw).to(torch.uint8).permute(0, 2, 3, 1).contiguous().cpu().numpy()


def box_downsample(x, factor):
    """uint8 NHWC mean-pool (the same box filter ProGAN uses to make low-res reals)."""
    n, h, w, c = x.shape
    y = x.reshape(n, h // factor, factor, w // factor, factor, c).astype(np.float32).mean((2, 4))
    return np.clip(np.rint(y), 0, 255).astype(np.uint8)


def bicubic_down(hr, factor=4):
    """HR [N,3,H,W] in [-1,1] -> bicubic (antialiased, PIL-like a=-0.5) downsampled, clamped to [-1,1]."""
    h, w = hr.shape[-2:]
    return F.interpolate(hr, size=(h // factor, w // factor), mode='bicubic', align_corners=False,
                         antialias=True).clamp(-1, 1)


def bilinear_down(x, px):
    """Bilinear downsampling to px x px (paper 003 §4.1), antialiased where torch has it."""
    if x.shape[-1] == px:
        return x
    try:
        return F.interpolate(x, size=(px, px), mode='bilinear', align_corners=False, antialias=True)
    except TypeError:  # torch < 1.11 has no antialias; area is the closest plain filter
        return F.interpolate(x, size=(px, px), mode='area')


def nearest_to(x, size):
    """NCHW nearest-neighbour resize to size x size (lower ProGAN levels shown at 64 px)."""
    return x if x.shape[-1] == size else F.interpolate(x, size=(size, size), mode='nearest')
