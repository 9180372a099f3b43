"""Training configurations for the ProGAN face generator.

A schedule is per level (4, 8, 16, 32, 64 px): images shown in the fade-in phase and in the
stabilise phase (Karras et al. §3 / App. A.1 used 800k + 800k per level), and a batch size
per level (SR-NAM §4.1: 64, 64, 64, 32, 16). Latent size is 512 everywhere (SR-NAM §4.1) so
the browser's latent search sees the same z-space whichever config shipped.

Widths: Karras use 512 channels up to 32 px; we use half that for `full` because SR-NAM
runs hundreds of generator passes (plus backprop) per candidate in the browser (DESIGN §3:
paper-size nets are ~25 s/step on tfjs-cpu), and ~5.7 M generator parameters still fit a
64x64 face model.
"""
from train.common.cli import make_cfg

CONFIGS = {
    # CI smoke test: a few steps at every level on a few hundred images (< 1 minute on CPU).
    'tiny': dict(
        widths=(32, 32, 32, 16, 16),
        batch=(8, 8, 8, 8, 8),
        fade=(0, 32, 32, 32, 32),
        stab=(32, 32, 32, 32, 32),
        data_limit=256,
        snapshot_every=64,  # images between filmstrip rows
        checkpoint_every=10**9,  # only at phase ends and the end
        ema_kimg=0.01,
    ),
    # 2-core CPU, 2 torch threads, ~36 minutes: the stand-in shipped until a GPU run exists.
    # Sized from measured step times (train/README.md): most images go to the cheap levels.
    'cpu': dict(
        # Measured alone on 1 thread (AMD EPYC, batch 8): 13.5/6/3.2/2.4/1.6 steps/s at 4..64 px.
        # Batch 8 costs the same per image as 16-32 here but gives 2-4x the optimiser steps,
        # which is what a ~20-minute GAN run is short of. Estimated ~1,200 s alone; the
        # shipped run took 1,305 s (5,700 steps) with the other core busy.
        widths=(128, 128, 64, 32, 16),
        batch=(8, 8, 8, 8, 8),
        # Second shipped run (2026-11-30): 3x the images at 16-64 px (the first run, 1.4k+1.4k at
        # 64 px, gave distorted faces), ~10.7k steps on 2 threads; the 64 px stabilise phase was
        # raised from 12k to 24k images mid-run (recorded in run.json) once the run proved faster.
        fade=(0, 7_200, 6_000, 6_000, 6_000),
        stab=(16_000, 7_200, 6_000, 6_000, 24_000),
        data_limit=None,
        snapshot_every=4_000,  # images between filmstrip rows (plus one at every phase end)
        checkpoint_every=4_000,
        ema_kimg=0.5,
        # ~5k optimiser steps in all, ~1% of a ProGAN run: with equalised LR a weight moves
        # ~lr per Adam step, and at 1e-3 the 4 px faces were still per-pixel noise after 1k
        # steps; 3e-3 gave coherent skin-toned blobs in 800 (1e-2 oscillated). Deviation
        # from Karras' 1e-3, for this config only.
        lr=3e-3,
    ),
    # One H100, ~15-25 minutes: ProGAN-style schedule scaled down ~4x from 800k/800k.
    'full': dict(
        widths=(256, 256, 256, 128, 64),
        batch=(64, 64, 64, 32, 32),
        fade=(0, 200_000, 200_000, 200_000, 200_000),
        stab=(200_000, 200_000, 200_000, 200_000, 300_000),
        data_limit=None,
        snapshot_every=50_000,
        checkpoint_every=100_000,
        ema_kimg=10.0,
    ),
}

COMMON = dict(
    latent=512,
    lr=1e-3, betas=(0.0, 0.99), eps=1e-8,  # Karras App. A.1
    gp_lambda=10.0, drift=1e-3,  # WGAN-GP (Gulrajani et al.) + epsilon-drift (Karras App. A.1)
    seed=20240601,
    filmstrip_count=16,
)


def get_config(name, **overrides):
    cfg = make_cfg(CONFIGS, COMMON, name, **overrides)
    for key in ('batch', 'fade', 'stab'):
        if len(cfg[key]) != len(cfg['widths']):
            raise ValueError(f'{key} needs one entry per level ({len(cfg["widths"])}), got {cfg[key]}')
    return cfg


def phases(cfg):
    """[(level, kind, images, batch)] in training order; level 0 has no fade-in."""
    out = []
    for lvl in range(len(cfg['widths'])):
        if lvl > 0 and cfg['fade'][lvl] > 0:
            out.append((lvl, 'fade', cfg['fade'][lvl], cfg['batch'][lvl]))
        if cfg['stab'][lvl] > 0:
            out.append((lvl, 'stab', cfg['stab'][lvl], cfg['batch'][lvl]))
    return out


def locate(cfg, images_seen):
    """Phase and fade-in alpha for a global image count; None once the schedule is done."""
    start = 0
    for lvl, kind, n, batch in phases(cfg):
        if images_seen < start + n:
            t = images_seen - start
            alpha = t / n if kind == 'fade' else 1.0
            return dict(level=lvl, kind=kind, alpha=alpha, batch=batch, phase_start=start, phase_images=n)
        start += n
    return None


def total_images(cfg):
    return sum(p[2] for p in phases(cfg))
