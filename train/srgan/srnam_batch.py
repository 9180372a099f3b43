"""SR-NAM (Lioutas, paper 000, §3.4, Eq. 6) for many LR faces at once, in PyTorch over the shipped
ProGAN weights: the evaluation twin of the Live SR-NAM notebook's search (src/lib/srnam/search.ts;
the timed reference step is bench/torch_ref.py's `steps`).

For every LR face i and restart k, z_ik ~ N(0, I) is optimised by Adam on

    loss_ik = mean over pixels and channels of |D(G(z_ik)) - I_LR,i|                 (Eq. 6)

with G the exported ProGAN generator at 64 px and D the degradation the LR was made with (here
bicubic x1/4, train/common/images.bicubic_down; the notebook's learned degrader can be passed
instead). The total is the SUM over faces and restarts and Adam is elementwise, so batching faces x
restarts in one tensor gives every z_ik the path it would follow alone (checked by
train/tests/test_plane.py).

Options, as in the notebook's search (src/lib/srnam/search.ts):
  noise0 [N,K,noise_dim]   the degrader's noise n_ik (§3.2: D is one-to-many); D is then called
                           as degrade(hr, noise) (learned_degrade(Wd)), else degrade(hr)
  joint_noise              optimise n_ik with z_ik (same Adam) instead of keeping it at noise0
  prior                    weight w of the latent-norm prior (an extension, not in the paper):
                           loss_ik += w * (mean_j z_ikj^2 - 1)^2
The prior and the noise are per row, so batching keeps every row's path its own. After the last
step each face gets
    best = G(z_ik*) with k* = argmin_k loss_ik (the lowest LR loss of its K restarts),
    mean = the mean of its K candidates G(z_ik) (the "blurry mean" SRGAN's argument predicts).
"""
import time

import torch

from train.common.images import bicubic_down
from train.degrader.export import degrader_forward
from train.progan.exported import forward_exported as progan_forward

_G = getattr(progan_forward, '__wrapped__', progan_forward)  # the search needs gradients (no no_grad)
_D = getattr(degrader_forward, '__wrapped__', degrader_forward)


def start_latents(n_faces, k, latent, seed):
    """[n_faces, k, latent] z ~ N(0, I) from one seeded generator: face i's restarts are row i."""
    return torch.randn(n_faces, k, latent, generator=torch.Generator().manual_seed(seed))


def learned_degrade(Wd):
    """The exported learned degrader (train/degrader/export.py) as D(hr, noise), with gradients."""
    return lambda hr, noise: _D(Wd, hr, noise)


def start_noise(n_faces, k, noise_dim, seed):
    """[n_faces, k, noise_dim] n ~ N(0, I), seeded like start_latents."""
    return torch.randn(n_faces, k, noise_dim, generator=torch.Generator().manual_seed(seed))


def latent_prior(z):
    """Per row (mean_j z_j^2 - 1)^2: 0 on the shell where N(0, I) puts its mass (search.ts's prior)."""
    return (z.pow(2).mean(1) - 1).pow(2)


def search(Wg, lr, z0, steps, lr_rate=0.05, betas=(0.9, 0.999), degrade=bicubic_down, log=None,
           noise0=None, joint_noise=False, prior=0.0, at_steps=(), on_step=None):
    """lr [N,3,16,16] in [-1,1], z0 [N,K,latent] -> dict with
         best [N,3,64,64] and mean [N,3,64,64] in [-1,1] (clamped), final_loss [N,K] (Eq. 6 at the
         final z, without the prior), first_loss [N,K] (at z0), candidates [N,K,3,64,64] (clamped),
         degraded [N,K,3,16,16] (D(G(z_ik), n_ik) at the end), z and noise at the end (noise: None
         without noise0), seconds, seconds_per_step. Options: see the module docstring. After each
         step count in at_steps, on_step(step, the same dict at that step) is called."""
    n, k, latent = z0.shape
    if joint_noise and noise0 is None:
        raise ValueError('joint_noise needs noise0 (a degrader that takes noise)')
    z = z0.reshape(n * k, latent).clone().requires_grad_(True)
    noise = None if noise0 is None else noise0.reshape(n * k, -1).clone().requires_grad_(joint_noise)
    D = degrade if noise is None else (lambda hr: degrade(hr, noise))
    target = lr.repeat_interleave(k, 0)  # row i*k + j is face i, restart j
    opt = torch.optim.Adam([z, noise] if joint_noise else [z], lr=lr_rate, betas=betas, eps=1e-8)  # adam.ts copies this formula
    first = None

    def result(seconds, done):
        with torch.no_grad():
            imgs = _G(Wg, z, 64)
            low = D(imgs)
            final = (low - target).abs().mean((1, 2, 3)).view(n, k)
            imgs = imgs.clamp(-1, 1).view(n, k, *imgs.shape[1:])
            return {'best': imgs[torch.arange(n), final.argmin(1)], 'mean': imgs.mean(1), 'final_loss': final,
                    'first_loss': final if first is None else first, 'candidates': imgs,
                    'degraded': low.clamp(-1, 1).view(n, k, *low.shape[1:]), 'z': z.detach().clone().view(n, k, latent),
                    'noise': None if noise is None else noise.detach().clone().view(n, k, -1),
                    'seconds': seconds, 'seconds_per_step': seconds / done if done else 0.0}

    t0 = time.perf_counter()
    for s in range(steps):
        opt.zero_grad(set_to_none=True)
        per = (D(_G(Wg, z, 64)) - target).abs().mean((1, 2, 3))
        if first is None:
            first = per.detach().view(n, k)
        total = per.sum() + (prior * latent_prior(z).sum() if prior > 0 else 0)
        total.backward()
        opt.step()
        if log and (s + 1) % max(1, steps // 4) == 0:
            log(f'    step {s + 1}/{steps}: mean Eq. 6 loss {float(per.mean()):.4f}')
        if on_step and s + 1 in at_steps and s + 1 < steps:
            on_step(s + 1, result(time.perf_counter() - t0, s + 1))
    return result(time.perf_counter() - t0, steps)


def search_in_chunks(Wg, lr, z0, steps, chunk, log=print, noise0=None, **kw):
    """search() over `chunk` faces at a time (progress, bounded memory); results concatenated."""
    parts = []
    for i in range(0, len(lr), chunk):
        t = time.perf_counter()
        parts.append(search(Wg, lr[i:i + chunk], z0[i:i + chunk], steps,
                            noise0=None if noise0 is None else noise0[i:i + chunk], **kw))
        if log:
            j = min(i + chunk, len(lr))
            log(f'  SR-NAM faces {i}..{j - 1}: {parts[-1]["seconds_per_step"]:.2f} s/step, '
                f'final loss {float(parts[-1]["final_loss"].min(1).values.mean()):.4f} '
                f'({time.perf_counter() - t:.0f} s)', flush=True)
    keys = ('best', 'mean', 'final_loss', 'first_loss', 'candidates', 'degraded', 'z') + (('noise',) if noise0 is not None else ())
    out = {key: torch.cat([p[key] for p in parts]) for key in keys}
    out['seconds'] = sum(p['seconds'] for p in parts)
    out['seconds_per_step'] = out['seconds'] / steps / len(parts) if steps else 0.0
    return out
