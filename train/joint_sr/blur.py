"""Motion blur exactly as the browser makes it (paper 002 §1: camera or subject motion).

motion_blur_kernel is a line-by-line port of motionBlurKernel(length, angleDeg) in
src/lib/image/kernels.ts (float64 accumulation, normalised, float32 result), and blur_batch
applies kernels like blur() in src/lib/image/tensor.ts: a true convolution (kernel flipped,
anchor at (floor(h/2), floor(w/2))), reflect padding (edge pixel not repeated; repeated
reflection when the pad reaches the image size), each channel on its own. The only addition:
every image of a batch may have its own kernel (they are odd-sized, so a smaller kernel centred in
a bigger zero frame is the same convolution).
"""
import math

import numpy as np
import torch
import torch.nn.functional as F


def _snap(v):
    """Tiny floating error snapped away so 0/90 degree lines stay on one row/column (JS Math.round)."""
    k = np.floor(v + 0.5)
    return np.where(np.abs(v - k) < 1e-9, k, v)


def motion_blur_kernel(length, angle_deg):
    """-> float32 [n, n], n = 2 ceil(L/2) + 1, sums to 1; the identity [[1]] for length <= 0.
    A segment of `length` px through the centre at `angle_deg` counter-clockwise from +x on screen
    (y down), densely sampled and each sample splatted bilinearly (the line convolved with a tent)."""
    if not length > 0:
        return np.ones((1, 1), np.float32)
    r = math.ceil(length / 2)
    n = 2 * r + 1
    th = angle_deg * math.pi / 180
    ux, uy = math.cos(th), -math.sin(th)
    samples = max(2, math.ceil(length * 16)) + 1  # odd count: symmetric about 0
    t = (np.arange(samples, dtype=np.float64) / (samples - 1) - 0.5) * length
    x = r + _snap(t * ux)
    y = r + _snap(t * uy)
    x0, y0 = np.floor(x).astype(np.int64), np.floor(y).astype(np.int64)
    fx, fy = x - x0, y - y0
    w = np.zeros((n, n), np.float64)
    for dx, dy, v in ((0, 0, (1 - fx) * (1 - fy)), (1, 0, fx * (1 - fy)), (0, 1, (1 - fx) * fy), (1, 1, fx * fy)):
        xs, ys = x0 + dx, y0 + dy
        ok = (v > 0) & (xs >= 0) & (ys >= 0) & (xs < n) & (ys < n)
        np.add.at(w, (ys[ok], xs[ok]), v[ok])
    s = w.sum()
    if not s > 0:
        return np.ones((1, 1), np.float32)
    return (w / s).astype(np.float32)


def reflect_pad(x, pad):
    """Reflect-pad the last two dims by `pad` on every side; pads >= the size reflect repeatedly
    (as mirrorPadSafe in tensor.ts)."""
    left = pad
    while left > 0:
        step = min(left, x.shape[-1] - 1, x.shape[-2] - 1)
        x = F.pad(x, (step, step, step, step), mode='reflect')
        left -= step
    return x


def stack_kernels(kernels):
    """list of odd [k, k] arrays -> float32 tensor [N, K, K], each centred in a K x K zero frame."""
    size = max(k.shape[0] for k in kernels)
    out = np.zeros((len(kernels), size, size), np.float32)
    for i, k in enumerate(kernels):
        o = (size - k.shape[0]) // 2
        out[i, o:o + k.shape[0], o:o + k.shape[1]] = k
    return torch.from_numpy(out)


def blur_batch(x, kernels):
    """x [N, C, H, W], kernels float tensor [N, K, K] (K odd; or one [K, K] for all) -> [N, C, H, W]:
    each image convolved (true convolution) with its kernel, reflect padding, 'same' size."""
    n, c, h, w = x.shape
    if kernels.dim() == 2:
        kernels = kernels.expand(n, *kernels.shape)
    size = kernels.shape[-1]
    if size == 1:
        return x * kernels.view(n, 1, 1, 1).to(x)
    flipped = kernels.flip(-1, -2).to(x)
    weight = flipped.repeat_interleave(c, 0).unsqueeze(1)  # [N*C, 1, K, K], one group per channel
    y = F.conv2d(reflect_pad(x.reshape(1, n * c, h, w), size // 2), weight, groups=n * c)
    return y.reshape(n, c, h, w)


def draw_kernel_params(rng, n, length_max=16.0, angle_max=180.0):
    """Training kernels (the joint spec): length ~ U[0, length_max] HR px, angle ~ U[0, angle_max) deg,
    one per image, from a numpy Generator -> (lengths [n], angles [n]) float64."""
    return rng.uniform(0.0, length_max, n), rng.uniform(0.0, angle_max, n)


def kernels_for(lengths, angles):
    return stack_kernels([motion_blur_kernel(float(l), float(a)) for l, a in zip(lengths, angles)])
