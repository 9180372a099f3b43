"""Losses of the progressive face SR network (paper 003 §3.2, §3.4; paper numbering), and the
landmark heatmaps and attention map M* they are computed from. Eq. 4 (WGAN-GP) is
train/common/wgan.py; Eq. 6, the weighted sum, is progressive_sr/train.py."""
import torch


def pixel_loss(sr, hr):
    """Eq. 2: mean squared error over the r^2 W H pixels (and the 3 channels)."""
    return (hr - sr).pow(2).mean()


def feature_loss(phi, sr, hr):
    """Eq. 3: mean squared distance of phi features (over W_i H_i and channels)."""
    return (phi(hr) - phi(sr)).pow(2).mean()


def render_heatmaps(points, px, sigma_px, src_px=128):
    """Gaussian landmark heatmaps M [N, 68, px, px] from points [N, 68, 2] (x, y in src_px
    pixel coordinates, pixel centres at integer + 0.5); sigma scales with the size."""
    s = px / src_px
    p = points * s
    sig = sigma_px * s
    grid = torch.arange(px, dtype=p.dtype, device=p.device) + 0.5
    gx = (grid.view(1, 1, 1, px) - p[..., 0:1].unsqueeze(-1)) ** 2  # [N,68,1,px]
    gy = (grid.view(1, 1, px, 1) - p[..., 1:2].unsqueeze(-1)) ** 2  # [N,68,px,1]
    return torch.exp(-(gx + gy) / (2 * sig * sig))


def minmax(m, eps=1e-8):
    """Min-max normalise each heatmap channel into [0, 1] (§3.2)."""
    lo = m.flatten(2).min(-1)[0][..., None, None]
    hi = m.flatten(2).max(-1)[0][..., None, None]
    return (m - lo) / (hi - lo + eps)


def attention_map(m):
    """M*: channel-wise max of the min-max normalised heatmaps M (§3.2) -> [N, 1, H, W]."""
    return minmax(m).max(1, keepdim=True)[0]


def attention_loss(m_star, sr, hr):
    """Eq. 1: (1 / r^2 W H) sum M* . |I_HR - G(I_LR)|; the 3 channels are averaged too."""
    return (m_star * (hr - sr).abs()).mean()


def heatmap_loss(m, m_tilde):
    """Eq. 5: (1 / r^2 N W H) sum_n (M^n - M~^n)^2."""
    return (m - m_tilde).pow(2).mean()
