"""Export a trained ProGAN generator to static/weights/progan/ for the browser.

  /usr/bin/python3 -m train.progan.export --run train/runs/cpu [--out static/weights/progan]

Writes model.json (train/common/export.py: tfjs weights manifest, float16 quantisation that
tf.io.decodeWeights understands, shards <= 4 MB, sha256 + byte size per shard), the shards,
card.json (facts from the run's run.json only: nothing estimated or invented) and the
training filmstrip (filmstrip.png / filmstrip.json) next to them.
"""
import argparse
import os
import shutil

import torch

from train.common.export import (check_roundtrip, export_weights, load_run, n_shards, rel_err, utc_now, weights_field,
                                 write_json)
from train.common.paths import RUNS_DIR, WEIGHTS_DIR
from train.common.run_state import param_count
from train.progan.exported import fold_generator, forward_exported
from train.progan.model import RESOLUTIONS, Generator

DATA_NOTE = 'UTKFace (Zhang, Song, Qi, CVPR 2017) — non-commercial research licence'
GENERATED_BY = 'train/export_tfjs.py'  # the name the shipped model.json carries; kept so a re-export is byte-identical


def model_config(G):
    return {
        'architecture': 'progan-generator', 'latent': G.latent, 'widths': list(G.widths),
        'levels': list(RESOLUTIONS), 'leakyReluSlope': 0.2, 'pixelNormEpsilon': 1e-8,
        'upsample': 'nearest x2', 'output': 'NHWC float32, tanh-free linear toRGB, trained range [-1, 1]',
        'fadeIn': 'out_L = (1-alpha)*up(toRGB_{L-1}(h_{L-1})) + alpha*toRGB_L(h_L)',
        'denseLayout': 'g/4/dense/w is [latent, 4*4*C0] with HWC column order',
        'equalizedLrFolded': True,
    }


def deviations(cfg):
    """Factual differences from Karras et al. / SR-NAM §4.1 settings, read from the run's config."""
    out = []
    if list(cfg['widths']) != [512, 512, 512, 256, 128]:
        out.append(f"channel widths {list(cfg['widths'])} instead of 512,512,512,256,128 (browser interactivity, training budget)")
    if cfg['lr'] != 1e-3:
        out.append(f"Adam lr {cfg['lr']:g} instead of 1e-3 (too few optimiser steps at 1e-3 in a short run)")
    if list(cfg['batch']) != [64, 64, 64, 32, 16]:
        out.append(f"batch per level {list(cfg['batch'])} instead of SR-NAM's 64,64,64,32,16")
    most = max(max(cfg['fade']), max(cfg['stab']))
    if most < 800_000:
        out.append(f'at most {most:,} images per fade/stabilise phase instead of 800k')
    return out


def card(run, G, total_bytes, shards, which, note=None):
    cpu = run['device'] == 'cpu'
    minutes = run['wall_seconds'] / 60
    quality = (f'Trained on CPU ({run["hardware"]}, {run["threads"]} thread(s)) for {minutes:.1f} minutes '
               f'({run["images_seen"]:,} images shown in total): a low-quality stand-in until GPU training; '
               'see filmstrip.png for what it produces.') if cpu else \
        f'Trained on {run["hardware"]} for {minutes:.1f} minutes.'
    if note:
        quality += ' ' + note
    if not run['finished']:
        quality += ' The schedule did NOT finish (stopped early); see training.per_level.'
    return {
        'model': 'progan', 'title': 'ProGAN face generator (64x64)',
        'deviations_from_papers': deviations(run['cfg']),
        'papers': ['Karras, Aila, Laine, Lehtinen: Progressive Growing of GANs, ICLR 2018',
                   'Lioutas: SR-NAM §3.3 (HR generative model), §4.1, Fig. 5'],
        'quality_note': quality,
        'architecture': {**model_config(G), 'parameters': param_count(G),
                         'generator_details': 'pixel norm on z and after every conv; dense to 4x4 then 3x3 conv; '
                                              'per level: nearest x2, two 3x3 convs; 1x1 toRGB at every level',
                         'discriminator': 'mirrored, fromRGB at every level, minibatch stddev before the final block '
                                          '(not exported)',
                         'exported_weights': which},
        'data': DATA_NOTE, 'data_detail': f'faces64 train split (UTKFace aligned & cropped, 64x64), '
                                          f'{run["train_images"]:,} images, random horizontal flips',
        'license': 'Weights derived from UTKFace: non-commercial research use only.',
        'training': {
            'config': run['config'], 'loss': 'WGAN-GP (lambda=10) + epsilon-drift 0.001',
            'optimizer': f"Adam lr {run['cfg']['lr']:g}, betas {tuple(run['cfg']['betas'])}, eps {run['cfg']['eps']:g}, "
                         'state reset at each new level; exported weights are the EMA generator'
                         if which == 'G_ema' else 'Adam (see cfg)',
            'batch_per_level': dict(zip(map(str, RESOLUTIONS), run['cfg']['batch'])),
            'schedule_changes': run.get('schedule_changes', []),
            'ema_half_life_kimg': run['cfg']['ema_kimg'], 'schedule': run['schedule'],
            'per_level': run['per_level'], 'images_seen': run['images_seen'], 'steps': run['steps'],
            'finished': run['finished'], 'wall_minutes': round(minutes, 1), 'final_losses': run['final_losses'],
            'seed': run['cfg']['seed'], 'hardware': run['hardware'], 'device': run['device'],
            'threads': run['threads'], 'torch': run['torch'],
            'stage_samples': run.get('stage_samples'),
        },
        'weights': weights_field(total_bytes, shards),
        'filmstrip': {'png': 'filmstrip.png', 'json': 'filmstrip.json', 'face_px': 64,
                      'faces_per_row': run['cfg']['filmstrip_count'],
                      'note': 'one row per snapshot of 16 fixed latents (EMA generator), lower levels nearest-upsampled'},
        'fid_proxy': None,
        'fid_proxy_note': 'Not computed here: scripts/card-fid.js measures the FID-proxy of the run\'s stage dumps '
                          '(samples/: untrained G and each level\'s stage end) against the faces64 test split and '
                          'fills this in. No number is given until it has been measured.',
        'exported_at': utc_now(),
    }


def export(run_dir, out_dir, which='G_ema', note=None):
    ck, run = load_run(run_dir)
    G = Generator(ck['cfg']['latent'], ck['cfg']['widths'])
    G.load_state_dict(ck[which])
    G.eval()
    model, nbytes, W = export_weights(fold_generator(G), out_dir, model_config(G), 'progan', GENERATED_BY)
    # Round trip: the shards decode to weights that reproduce the module (float16 tolerance).
    z = torch.randn(4, G.latent, generator=torch.Generator().manual_seed(0))
    with torch.no_grad():
        err = check_roundtrip(rel_err(forward_exported(W, z, 64), G(z, 4, 1.0)))
    write_json(os.path.join(out_dir, 'card.json'), card(run, G, nbytes, n_shards(model), which, note))
    for name in ('filmstrip.png', 'filmstrip.json'):
        if os.path.exists(os.path.join(run_dir, name)):
            shutil.copyfile(os.path.join(run_dir, name), os.path.join(out_dir, name))
    print(f'exported {which} ({param_count(G):,} params, {nbytes / 1e6:.2f} MB float16, '
          f'{n_shards(model)} shard(s)) to {out_dir}; float16 round-trip rel err {err:.2e}')
    return model


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--run', default=os.path.join(RUNS_DIR, 'cpu'), help='run dir with checkpoint.pt')
    ap.add_argument('--out', default=os.path.join(WEIGHTS_DIR, 'progan'))
    ap.add_argument('--which', default='G_ema', choices=['G_ema', 'G'], help='EMA weights (Karras App. A.1) or raw')
    ap.add_argument('--threads', type=int, default=1)
    ap.add_argument('--note', default=None, help='a person\'s observation of the samples, appended to quality_note')
    a = ap.parse_args(argv)
    torch.set_num_threads(a.threads)
    export(a.run, a.out, a.which, a.note)


if __name__ == '__main__':
    main()
