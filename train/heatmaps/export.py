"""Export the distilled heatmap student to static/weights/heatmaps/ and write its parity fixture.

  /usr/bin/python3 -m train.heatmaps.export --run train/runs/heatmaps-cpu [--out static/weights/heatmaps]
      [--fixture test/fixtures/heatmaps-parity.json]

model.json + float16 shards (<= 4 MB, bytes + sha256 integrity) by train/common/export.py.
load_student() reads an export back as the frozen F_d of the progressive-SR training. Weight names (tfjs layouts: conv [kh,kw,in,out]):
  h/e1/{w,b}                 3x3 stride 2 pad 1, 3 -> c1     @32
  h/down{1,2,3}/{a,b}/{w,b}  a: 3x3 stride 2 pad 1; b: 3x3    @16, @8, @4
  h/up{1,2,3}/{w,b}          3x3 on concat(nearest x2 of the previous, the skip of that size)
  h/head/{w,b}               1x1 -> 68 heatmaps @32, then bilinear x2 (align_corners=False) -> @64
"""
import argparse
import base64
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

from train.common.export import (check_roundtrip, export_weights, load_run, n_shards, r6, read_exported, rel_err,
                                 utc_now, weights_field, write_fixture, write_json)
from train.common.layout import conv, put_conv
from train.common.paths import FIXTURES_DIR, WEIGHTS_DIR
from train.common.run_state import param_count
from train.heatmaps.model import N_LANDMARKS, SIGMA, SIZE, HeatmapStudent

GENERATED_BY = 'train/export_heatmaps.py'  # the name the shipped model.json and fixture carry; kept unchanged
UTK = ('UTKFace (Zhang, Song, Qi, CVPR 2017), faces64 train split — non-commercial research licence '
       '("The UTKFace dataset is available for non-commercial research purposes only")')
TEACHER = ('@vladmandic/face-api faceLandmark68Net (MIT-licensed package; its weights follow face-api.js / '
           'justadudewhohacks, trained on iBUG-300W-style 68-point data)')
PAPER = 'Kim, Kim, Kim, Kim, Choi, Lee: Progressive Face Super-Resolution via Attention to Facial Landmark, BMVC 2019, §3.3'


def named_convs(model):
    """(export name, conv module) of every student layer, in export order (fold and load_student)."""
    yield 'h/e1', model.e1
    for i, (a, b) in enumerate(model.down, 1):
        yield f'h/down{i}/a', a
        yield f'h/down{i}/b', b
    for i, c in enumerate(model.up, 1):
        yield f'h/up{i}', c
    yield 'h/head', model.head


def fold(model):
    out = {}
    for name, m in named_convs(model):
        put_conv(out, name, m)
    return out


def load_student(model_dir):
    """The shipped student (float16 weights read back, integrity-checked) as a frozen HeatmapStudent:
    F_d of paper 003 Eq. 5 for the progressive-SR training. Inverse of fold()."""
    mj, W = read_exported(model_dir)
    cfg = mj.get('modelConfig', mj.get('config', {}))
    model = HeatmapStudent(tuple(cfg.get('widths', (16, 32, 64, 96))), tuple(cfg.get('decoderWidths', (64, 32, 16))))
    convs = list(named_convs(model))
    with torch.no_grad():
        for name, m in convs:
            m.weight.copy_(torch.from_numpy(np.ascontiguousarray(W[f'{name}/w'])).permute(3, 2, 0, 1))
            m.bias.copy_(torch.from_numpy(W[f'{name}/b']))
    if len(W) != 2 * len(convs):
        raise ValueError(f'{model_dir}: {len(W)} arrays, expected {2 * len(convs)} for the student layout')
    model.eval().requires_grad_(False)
    return model


@torch.no_grad()
def forward_exported(W, x):
    """Plain ops over exported arrays, mirroring src/models/heatmaps.ts: x [N,3,64,64] -> [N,68,64,64]."""
    feats = [F.relu(conv(W, torch.as_tensor(x, dtype=torch.float32), 'h/e1', 2))]
    h = feats[0]
    for i in (1, 2, 3):
        h = F.relu(conv(W, F.relu(conv(W, h, f'h/down{i}/a', 2)), f'h/down{i}/b'))
        feats.append(h)
    for i, skip in zip((1, 2, 3), reversed(feats[:-1])):
        h = F.relu(conv(W, torch.cat([F.interpolate(h, scale_factor=2, mode='nearest'), skip], 1), f'h/up{i}'))
    return F.interpolate(conv(W, h, 'h/head'), scale_factor=2, mode='bilinear', align_corners=False)


def model_config(model, sigma):
    return {'architecture': 'heatmap-student', 'paper': PAPER, 'landmarks': N_LANDMARKS,
            'widths': list(model.widths), 'decoderWidths': list(model.dec),
            'input': 'NHWC [N,64,64,3] in [-1,1]', 'output': 'NHWC [N,64,64,68] heatmaps (linear; targets in [0,1])',
            'sigmaPx': sigma, 'sigmaNote': 'width of the Gaussians the student was trained to output, px at 64x64',
            'layers': 'e1 conv3x3 stride 2 pad 1 + relu @32; down{1,2,3}: conv3x3 stride 2 pad 1 + relu, conv3x3 + relu; '
                      'up{1,2,3}: nearest x2, concat skip (same size), conv3x3 + relu; head conv1x1 @32; '
                      'bilinear x2 (half-pixel centres, edge clamp = torch align_corners=False) -> 64',
            'padding': 'every 3x3 conv pads 1 pixel on every side (explicit; not tfjs "same" for stride 2)',
            'landmarkOrder': '68-point iBUG/dlib: jaw 0-16, brows 17-26, nose 27-35, eyes 36-47, mouth 48-67'}


def card(run, model, nbytes, shards):
    c, minutes = run['cfg'], run['wall_seconds'] / 60
    cpu = run['device'] == 'cpu'
    quality = (f"CPU-trained stand-in: {run['steps']:,} Adam steps of batch {c['batch']} on CPU ({run['hardware']}, "
               f"{run['threads']} thread) in {minutes:.1f} minutes (paper 003: 100k iterations on a GPU). NME against "
               f"the teacher on {run['test_faces']} test faces: {run['nme_test']:.4f} of the image size "
               f"({run['nme_test'] * SIZE:.2f} px at 64x64).") if cpu else \
        f"Trained on {run['hardware']} for {minutes:.1f} minutes; NME vs teacher {run['nme_test']:.4f}."
    return {
        'model': 'heatmaps', 'title': 'Distilled 68-landmark heatmap student (64x64 face -> 68 heatmaps)',
        'papers': [PAPER], 'quality_note': quality,
        'teacher': TEACHER,
        'deviations_from_papers': [
            'teacher is face-api\'s 68-point landmark regressor, not FAN (FAN weights cannot be fetched here); its '
            f"points are rendered as Gaussians of sigma {c.get('sigma', SIGMA):g} px at 64x64 as the student's targets",
            'distillation at the output only (heatmap regression), not hint-based on a hidden layer: the teacher '
            'has no spatial hidden heatmaps to hint from',
            f"Adam lr {c['lr']:g} instead of 1e-4 and {run['steps']:,} iterations instead of 100k (CPU budget)",
            'the student works at 32x32 and below and ends with a fixed bilinear x2 to 64x64 (CPU budget)',
            f"foreground-weighted MSE (weight 1 + {c['fg_weight']:g} * target) plus {c.get('coord_weight', 0):g} x a "
            'soft-argmax coordinate L1 (integral regression) instead of plain MSE',
        ],
        'architecture': {**model_config(model, c.get('sigma', SIGMA)), 'parameters': param_count(model)},
        'data': {'faces': UTK, 'teacher_points': '.cache/landmarks (npm run cache:landmarks), not shipped'},
        'data_detail': (f"{run['train_faces']:,} faces64 train faces (split indices 0..{run['train_faces'] - 1}) "
                        f"with teacher points, random horizontal flips with mirrored landmark indices; NME on "
                        f"{run['test_faces']} faces64 test faces (indices 0..{run['test_faces'] - 1}); cache: "
                        f"{json.dumps(run['cache'])}"),
        'license': 'Weights derived from UTKFace (non-commercial research only): non-commercial research use only.',
        'evaluation': {'nme_vs_teacher_test': run['nme_test'], 'nme_definition': 'paper 003 §4.2: mean over the 68 '
                       'points of ||teacher - student||_2 / image size (64), averaged over the test faces; student '
                       'points decoded from its heatmaps by argmax + log-parabola sub-pixel refinement',
                       'nme_untrained_first_subset': run['nme_untrained_subset'], 'test_faces': run['test_faces']},
        'training': {'config': run['config'], 'steps': run['steps'], 'batch': c['batch'], 'images_seen': run['images_seen'],
                     'planned_steps': c['steps'], 'stopped_by_time_budget': run['stopped_by_time_budget'],
                     'optimizer': f"Adam lr {c['lr']:g}, betas {tuple(c['betas'])}", 'seed': c['seed'],
                     'wall_minutes': round(minutes, 1), 'hardware': run['hardware'], 'device': run['device'],
                     'threads': run['threads'], 'torch': run['torch'], 'history': run['history'][-40:]},
        'weights': weights_field(nbytes, shards),
        'exported_at': utc_now(),
    }


def make_fixture(weights_dir, seed=1234):
    """Run the EXPORTED (float16-rounded) weights on a fixed uint8 input (stored as base64, the
    values are u8 / 127.5 - 1); keep a centre crop of every channel plus per-channel maxima."""
    mj, W = read_exported(weights_dir)
    u8 = np.random.default_rng(seed).integers(0, 256, (2, SIZE, SIZE, 3), dtype=np.uint8)  # NHWC
    x = u8.astype(np.float32) / 127.5 - 1
    y = forward_exported(W, torch.from_numpy(x).permute(0, 3, 1, 2)).permute(0, 2, 3, 1).numpy()  # NHWC
    crop = y[:, 30:34, 30:34, :]  # centre 4x4, all 68 channels
    return {'model': 'heatmaps', 'generated_by': GENERATED_BY, 'weights_integrity': mj['integrity'],
            'layout': 'NHWC', 'seed': seed, 'input_shape': list(x.shape),
            'input_u8_base64': base64.b64encode(u8.tobytes()).decode(), 'input_rule': 'x = u8 / 127.5 - 1',
            'crop': {'y': 30, 'x': 30, 'h': 4, 'w': 4}, 'shape': list(crop.shape), 'values': r6(crop),
            'channel_max': r6(y.max(axis=(1, 2))), 'channel_argmax': y.reshape(2, -1, N_LANDMARKS).argmax(1).tolist(),
            'tolerance': 'max|tfjs - torch| / max|torch| <= 1e-3'}


def export(run_dir, out_dir, fixture=None):
    ck, run = load_run(run_dir)
    model = HeatmapStudent(ck['cfg']['widths'], ck['cfg']['dec'])
    model.load_state_dict(ck['model'])
    model.eval()
    config = model_config(model, ck['cfg'].get('sigma', SIGMA))
    mj, nbytes, W = export_weights(fold(model), out_dir, config, 'heatmaps', GENERATED_BY)
    x = torch.rand(2, 3, SIZE, SIZE, generator=torch.Generator().manual_seed(0)) * 2 - 1
    with torch.no_grad():
        err = check_roundtrip(rel_err(forward_exported(W, x), model(x)), 'student')
    write_json(os.path.join(out_dir, 'card.json'), card(run, model, nbytes, n_shards(mj)))
    if fixture:
        write_fixture(fixture, make_fixture(out_dir))
    print(f'exported heatmaps ({param_count(model):,} params, {nbytes / 1e6:.2f} MB float16) to {out_dir}; '
          f'float16 round-trip rel err {err:.2e}' + (f'; fixture {fixture}' if fixture else ''))
    return err


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--run', required=True)
    ap.add_argument('--out', default=os.path.join(WEIGHTS_DIR, 'heatmaps'))
    ap.add_argument('--fixture', default=os.path.join(FIXTURES_DIR, 'heatmaps-parity.json'))
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    export(a.run, a.out, a.fixture)


if __name__ == '__main__':
    main()
