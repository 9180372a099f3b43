"""PSNR, SSIM and MS-SSIM (Wang et al. 2003/2004) for batches of RGB images in [0, 255].

Inputs are float tensors [N, 3, H, W] already rounded to 8-bit levels (common.images.to_u8_levels).
Conventions:
  PSNR    per image over all RGB pixels, peak 255, then averaged over images;
  SSIM    11x11 Gaussian window (sigma 1.5), K1 0.01, K2 0.03, valid convolution, per channel,
          mean over the map, channels and images;
  MS-SSIM Wang et al. 2003 with the first 4 of the 5 standard scale weights, renormalised
          (0.0448, 0.2856, 0.3001, 0.2363)/0.8668: five scales need >= 161 px with an 11-tap
          window and our outputs are 128 px; scales 128, 64, 32, 16 (2x2 average pooling).
"""
import torch
import torch.nn.functional as F

MS_WEIGHTS = (0.0448, 0.2856, 0.3001, 0.2363)


def psnr_each(x, y, peak=255.0):
    """[N] per-image PSNR (paired comparisons need the images, not only the mean)."""
    mse = (x - y).pow(2).flatten(1).mean(1)
    return 10 * torch.log10(peak * peak / mse.clamp_min(1e-10))


def psnr(x, y, peak=255.0):
    return psnr_each(x, y, peak).mean()


def _gauss1d(size=11, sigma=1.5, dtype=torch.float64):
    g = torch.arange(size, dtype=dtype) - (size - 1) / 2
    g = torch.exp(-g * g / (2 * sigma * sigma))
    return g / g.sum()


def _blur(x):
    """Valid 11x11 Gaussian window, applied separably (the window is an outer product)."""
    g = _gauss1d(dtype=x.dtype).to(x.device)
    x = F.conv2d(x, g.view(1, 1, 1, -1).expand(3, 1, 1, g.numel()).contiguous(), groups=3)
    return F.conv2d(x, g.view(1, 1, -1, 1).expand(3, 1, g.numel(), 1).contiguous(), groups=3)


def _ssim_parts(x, y, peak=255.0):
    c1, c2 = (0.01 * peak) ** 2, (0.03 * peak) ** 2
    mx, my = _blur(x), _blur(y)
    sxx = _blur(x * x) - mx * mx
    syy = _blur(y * y) - my * my
    sxy = _blur(x * y) - mx * my
    cs = (2 * sxy + c2) / (sxx + syy + c2)
    lum = (2 * mx * my + c1) / (mx * mx + my * my + c1)
    return lum * cs, cs


def ssim_each(x, y):
    s, _ = _ssim_parts(x.double(), y.double())
    return s.flatten(1).mean(1)


def ssim(x, y):
    return ssim_each(x, y).mean()  # every image has the same number of map entries


def ms_ssim(x, y):
    return ms_ssim_each(x, y).mean()


def ms_ssim_each(x, y):
    """[N] per image: prod_j cs_j^w_j (scales 1..M-1) * ssim_M^w_M."""
    x, y = x.double(), y.double()
    w = torch.tensor(MS_WEIGHTS, dtype=torch.float64)
    w = w / w.sum()
    vals = []
    for j in range(len(w)):
        s, cs = _ssim_parts(x, y)
        vals.append((s if j == len(w) - 1 else cs).flatten(1).mean(1).clamp_min(1e-8))
        if j < len(w) - 1:
            x, y = F.avg_pool2d(x, 2), F.avg_pool2d(y, 2)
    v = torch.stack(vals, 1)  # [N, scales]
    return torch.prod(v ** w, 1)
