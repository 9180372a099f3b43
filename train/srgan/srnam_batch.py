"""SR-NAM (Lioutas, paper 000, §3.4, Eq. 6) for many LR faces at once, in PyTorch over the shipped
ProGAN weights: the evaluation twin of the Live SR-NAM notebook's search (src/lib/srnam/search.ts;
the timed reference step is bench/torch_ref.py's `steps`).

For every LR face i and restart k, z_ik ~ N(0, I) is optimised by Adam on

    loss_ik = mean over pixels and channels of |D(G(z_ik)) - I_LR,i|                 (Eq. 6)

with G the exported ProGAN generator at 64 px and D the degradation the LR was made with (here
bicubic x1/4, train/common/images.bicubic_down; the notebook's learned degrader can be passed
instead). The total is the SUM over faces and restarts and Adam is elementwise, so batching faces x
restarts in one tensor gives every z_ik the path it would follow alone (checked by
train/tests/test_plane.py). After the last step each face gets
    best = G(z_ik*) with k* = argmin_k loss_ik (the lowest LR loss of its K restarts),
    mean = the mean of its K candidates G(z_ik) (the "blurry mean" SRGAN's argument predicts).
"""
import time

import torch

from train.common.images import bicubic_down
from train.progan.exported import forward_exported as progan_forward

_G = getattr(progan_forward, '__wrapped__', progan_forward)  # the search needs gradients (no no_grad)


def start_latents(n_faces, k, latent, seed):
    """[n_faces, k, latent] z ~ N(0, I) from one seeded generator: face i's restarts are row i."""
    return torch.randn(n_faces, k, latent, generator=torch.Generator().manual_seed(seed))


def search(Wg, lr, z0, steps, lr_rate=0.05, betas=(0.9, 0.999), degrade=bicubic_down, log=None):
    """lr [N,3,16,16] in [-1,1], z0 [N,K,latent] -> dict with
         best [N,3,64,64] and mean [N,3,64,64] in [-1,1] (clamped), final_loss [N,K] (Eq. 6 at the
         final z), first_loss [N,K] (at z0), seconds, seconds_per_step."""
    n, k, latent = z0.shape
    z = z0.reshape(n * k, latent).clone().requires_grad_(True)
    target = lr.repeat_interleave(k, 0)  # row i*k + j is face i, restart j
    opt = torch.optim.Adam([z], lr=lr_rate, betas=betas, eps=1e-8)  # adam.ts copies this formula
    first = None
    t0 = time.perf_counter()
    for s in range(steps):
        opt.zero_grad(set_to_none=True)
        per = (degrade(_G(Wg, z, 64)) - target).abs().mean((1, 2, 3))
        if first is None:
            first = per.detach().view(n, k)
        per.sum().backward()
        opt.step()
        if log and (s + 1) % max(1, steps // 4) == 0:
            log(f'    step {s + 1}/{steps}: mean Eq. 6 loss {float(per.mean()):.4f}')
    seconds = time.perf_counter() - t0
    with torch.no_grad():
        imgs = _G(Wg, z, 64)
        final = (degrade(imgs) - target).abs().mean((1, 2, 3)).view(n, k)
        if first is None:
            first = final
        imgs = imgs.clamp(-1, 1).view(n, k, *imgs.shape[1:])
        best = imgs[torch.arange(n), final.argmin(1)]
        mean = imgs.mean(1)
    return {'best': best, 'mean': mean, 'final_loss': final, 'first_loss': first, 'seconds': seconds,
            'seconds_per_step': seconds / steps if steps else 0.0}


def search_in_chunks(Wg, lr, z0, steps, chunk, log=print, **kw):
    """search() over `chunk` faces at a time (progress, bounded memory); results concatenated."""
    parts = []
    for i in range(0, len(lr), chunk):
        t = time.perf_counter()
        parts.append(search(Wg, lr[i:i + chunk], z0[i:i + chunk], steps, **kw))
        if log:
            j = min(i + chunk, len(lr))
            log(f'  SR-NAM faces {i}..{j - 1}: {parts[-1]["seconds_per_step"]:.2f} s/step, '
                f'final loss {float(parts[-1]["final_loss"].min(1).values.mean()):.4f} '
                f'({time.perf_counter() - t:.0f} s)', flush=True)
    out = {key: torch.cat([p[key] for p in parts]) for key in ('best', 'mean', 'final_loss', 'first_loss')}
    out['seconds'] = sum(p['seconds'] for p in parts)
    out['seconds_per_step'] = out['seconds'] / steps / len(parts) if steps else 0.0
    return out
