"""Export of the degradation pipeline's models (High-to-Low `degrader`, Low-to-High `low2high`
and its bicubic twin) to static/weights/<model>/ for the browser, plus the plain-op PyTorch
forwards over the exported arrays that mirror src/models/degrader.ts and low2high.ts.

  /usr/bin/python3 train/export_common.py degrader --run train/runs/degrader-cpu
  /usr/bin/python3 train/export_common.py low2high --run train/runs/low2high-cpu
  /usr/bin/python3 train/export_common.py low2high --run train/runs/low2high-bicubic-cpu --out static/weights/low2high-bicubic

Reuses the ProGAN exporter's manifest writer (export_tfjs.write_manifest: float16 shards
<= 4 MB with bytes + sha256 "integrity") and reader (exported.read_exported).

Weight names (tfjs layouts: conv [kh,kw,in,out], dense [in,out]; batch norm folded from its
running statistics into a per-channel affine: scale = gamma/sqrt(var+eps),
shift = beta - mean*scale, applied as x*scale + shift):
  degrader  d/noise/{w [100,4096], b [4096]}   dense; 4096 = one 64x64 channel, row-major (h*64+w)
            d/stem/{w,b}                        3x3 conv, 4 input channels (R,G,B,noise)
            d/g{1..6}/b{1..k}/{bn1,bn2}/{scale,shift}, .../{conv1,conv2}/{w,b}, .../short/{w,b} (1x1, optional)
            d/out/bn/{scale,shift}, d/out/conv/{w,b}
  low2high  s/stem/{w,b}; s/g{1..3}/b{1..k}/... (as above); s/proj{1,2}/{w,b} (1x1 after each bilinear x2);
            s/out/bn/{scale,shift}, s/out/conv/{w,b}
"""
import argparse
import datetime
import json
import os

import numpy as np
import torch
import torch.nn.functional as F

from train.degrader.model import NOISE_DIM, DegraderG, ResD, param_count
from train.progan.export import write_manifest  # reused as is
from train.progan.exported import read_exported, sha256
from train.low2high.model import Low2HighG
from train.common.paths import REPO_ROOT

UTK = ('UTKFace (Zhang, Song, Qi, CVPR 2017), faces64 train split — non-commercial research licence '
       '("The UTKFace dataset is available for non-commercial research purposes only")')
WIDER = ('real-lr-faces: small faces cut from WIDER FACE val scenes (+ one Hu & Ramanan selfie), lr-faces TRAIN '
         'split only (765 of 869) — non-commercial research licence (WIDER FACE terms: "for non-commercial research '
         'purposes only"; selfie: academic/non-profit non-commercial research use only)')
PAPER = 'Bulat, Yang, Tzimiropoulos: To learn image super-resolution, use a GAN to learn how to do image degradation first, ECCV 2018'


# ---------------------------------------------------------------------------------------
# folding modules -> {name: float32 array}
def _conv(m):
    return (m.weight.detach().float().permute(2, 3, 1, 0).contiguous().cpu().numpy(),
            m.bias.detach().float().cpu().numpy())


def _bn(bn):
    scale = bn.weight.detach().double() / torch.sqrt(bn.running_var.double() + bn.eps)
    shift = bn.bias.detach().double() - bn.running_mean.double() * scale
    return scale.float().cpu().numpy(), shift.float().cpu().numpy()


def _put_conv(out, name, m):
    out[f'{name}/w'], out[f'{name}/b'] = _conv(m)


def _put_block(out, p, blk):
    out[f'{p}/bn1/scale'], out[f'{p}/bn1/shift'] = _bn(blk.bn1)
    _put_conv(out, f'{p}/conv1', blk.conv1)
    out[f'{p}/bn2/scale'], out[f'{p}/bn2/shift'] = _bn(blk.bn2)
    _put_conv(out, f'{p}/conv2', blk.conv2)
    if getattr(blk, 'short', None) is not None:  # progressive_sr.ResBlock has no projection
        _put_conv(out, f'{p}/short', blk.short)


def fold_degrader(G):
    out = {'d/noise/w': G.noise_fc.weight.detach().float().t().contiguous().cpu().numpy(),
           'd/noise/b': G.noise_fc.bias.detach().float().cpu().numpy()}
    _put_conv(out, 'd/stem', G.stem)
    for g, grp in enumerate(G.groups, 1):
        for b, blk in enumerate(grp, 1):
            _put_block(out, f'd/g{g}/b{b}', blk)
    out['d/out/bn/scale'], out['d/out/bn/shift'] = _bn(G.bn_out)
    _put_conv(out, 'd/out/conv', G.conv_out)
    if G.skip_gain is not None:
        out['d/skip/gain'] = G.skip_gain.detach().float().cpu().numpy()
    return out


def fold_low2high(G):
    out = {}
    _put_conv(out, 's/stem', G.stem)
    for g, grp in enumerate(G.groups, 1):
        for b, blk in enumerate(grp, 1):
            _put_block(out, f's/g{g}/b{b}', blk)
    for i, p in enumerate(G.proj, 1):
        _put_conv(out, f's/proj{i}', p)
    out['s/out/bn/scale'], out['s/out/bn/shift'] = _bn(G.bn_out)
    _put_conv(out, 's/out/conv', G.conv_out)
    return out


# ---------------------------------------------------------------------------------------
# plain-op forwards over exported arrays (NCHW inside; the tfjs twins are NHWC)
def _t(a):
    return torch.from_numpy(np.ascontiguousarray(a))


def _conv_apply(W, x, name):
    w = _t(W[f'{name}/w']).permute(3, 2, 0, 1)
    return F.conv2d(x, w, _t(W[f'{name}/b']), padding=w.shape[-1] // 2)


def _bn_apply(W, x, name):
    return x * _t(W[f'{name}/scale']).view(1, -1, 1, 1) + _t(W[f'{name}/shift']).view(1, -1, 1, 1)


def _block_apply(W, x, p):
    h = _conv_apply(W, F.relu(_bn_apply(W, x, f'{p}/bn1')), f'{p}/conv1')
    h = _conv_apply(W, F.relu(_bn_apply(W, h, f'{p}/bn2')), f'{p}/conv2')
    return h + (_conv_apply(W, x, f'{p}/short') if f'{p}/short/w' in W else x)


def _n_blocks(W, prefix):
    n = 0
    while f'{prefix}/b{n + 1}/conv1/w' in W:
        n += 1
    return n


def pixel_shuffle_nhwc_reference(x, r=2):
    """What the TS twin does (reshape + transpose) written for NCHW torch: equals F.pixel_shuffle."""
    n, c, h, w = x.shape
    return x.view(n, c // (r * r), r, r, h, w).permute(0, 1, 4, 2, 5, 3).reshape(n, c // (r * r), h * r, w * r)


@torch.no_grad()
def degrader_forward(W, hr, z):
    """hr [N,3,64,64] in [-1,1], z [N,100] -> [N,3,16,16] in [-1,1] (batch norm in inference mode)."""
    hr = torch.as_tensor(hr, dtype=torch.float32)
    z = torch.as_tensor(z, dtype=torch.float32)
    zmap = (z @ _t(W['d/noise/w']) + _t(W['d/noise/b'])).view(-1, 1, 64, 64)
    h = _conv_apply(W, torch.cat([hr, zmap], 1), 'd/stem')
    for g in range(1, 7):
        for b in range(1, _n_blocks(W, f'd/g{g}') + 1):
            h = _block_apply(W, h, f'd/g{g}/b{b}')
        h = F.avg_pool2d(h, 2) if g <= 4 else pixel_shuffle_nhwc_reference(h, 2)
    logits = _conv_apply(W, F.relu(_bn_apply(W, h, 'd/out/bn')), 'd/out/conv')
    if 'd/skip/gain' in W:
        logits = logits + _t(W['d/skip/gain']) * F.avg_pool2d(hr, 4)
    return torch.tanh(logits)


@torch.no_grad()
def low2high_forward(W, lr):
    """lr [N,3,16,16] in [-1,1] -> [N,3,64,64] in [-1,1]."""
    h = _conv_apply(W, torch.as_tensor(lr, dtype=torch.float32), 's/stem')
    for g in range(1, 4):
        if g > 1:
            h = _conv_apply(W, F.interpolate(h, scale_factor=2, mode='bilinear', align_corners=False), f's/proj{g - 1}')
        t = h
        for b in range(1, _n_blocks(W, f's/g{g}') + 1):
            t = _block_apply(W, t, f's/g{g}/b{b}')
        h = h + t
    return torch.tanh(_conv_apply(W, F.relu(_bn_apply(W, h, 's/out/bn')), 's/out/conv'))


def bicubic_down(hr, factor=4):
    """HR [N,3,H,W] in [-1,1] -> bicubic (antialiased, PIL-like a=-0.5) downsampled, clamped to [-1,1]."""
    h, w = hr.shape[-2:]
    return F.interpolate(hr, size=(h // factor, w // factor), mode='bicubic', align_corners=False,
                         antialias=True).clamp(-1, 1)


# ---------------------------------------------------------------------------------------
def model_config(kind, G, cfg):
    if kind == 'degrader':
        return {'architecture': 'high-to-low-generator', 'paper': 'Bulat et al. 2018 §3.3 Fig. 4a; SR-NAM §3.2',
                'noiseDim': G.noise_dim, 'groupWidths': list(G.widths), 'blocksPerGroup': G.bpg,
                'input': 'hr NHWC [N,64,64,3] in [-1,1] and noise [N,100] ~ N(0,1)',
                'output': 'NHWC [N,16,16,3], tanh, in [-1,1]',
                'noiseMap': 'dense 100 -> 4096 reshaped to one 64x64 channel, concatenated after RGB (4 channels)',
                'groups': 'g1@64 avgpool g2@32 avgpool g3@16 avgpool g4@8 avgpool g5@4 pixelshuffle g6@8 pixelshuffle -> 16',
                'block': 'pre-activation: x*scale+shift, relu, conv3x3, x*scale+shift, relu, conv3x3, + (1x1 conv shortcut if widths differ)',
                'pixelShuffle': 'torch.nn.PixelShuffle(2) channel order: out[c, 2h+i, 2w+j] = in[4c+2i+j, h, w]',
                'batchNorm': 'inference mode, folded from running stats into scale/shift', 'bnEpsilon': 1e-5,
                'globalSkip': bool(G.global_skip),
                'globalSkipRule': 'if d/skip/gain exists: tanh(conv_out(...) + gain * avgpool4(hr)) (not in Fig. 4a)'}
    return {'architecture': 'low-to-high-generator', 'paper': 'Bulat et al. 2018 §3.4 Fig. 4b',
            'groupWidths': list(G.widths), 'groupBlocks': list(G.group_blocks), 'groupResolutions': [16, 32, 64],
            'input': 'lr NHWC [N,16,16,3] in [-1,1]', 'output': 'NHWC [N,64,64,3], tanh, in [-1,1]',
            'upsample': 'bilinear x2 (align_corners=False / half-pixel centres, edge-clamped) then 1x1 conv, twice',
            'groupSkip': 'h = h + blocks(h) for every group',
            'block': 'pre-activation: x*scale+shift, relu, conv3x3, x*scale+shift, relu, conv3x3, + x',
            'batchNorm': 'inference mode, folded from running stats into scale/shift', 'bnEpsilon': 1e-5}


def deviations(kind, run):
    c, out = run['cfg'], []
    if c['lr'] != 1e-4:
        out.append(f"Adam lr {c['lr']:g} instead of 1e-4 (§3.6): a short CPU run has ~0.1-0.5% of the paper's updates, "
                   'and at 1e-4 the degrader was still producing colour speckle after 300 updates')
    if c['n_dis'] != 5:
        out.append(f"{c['n_dis']} discriminator step(s) per generator step instead of 5 (§3.6): more generator updates in a short CPU run")
    out.append(f"{run['steps']:,} generator updates (batch {c['batch']}) instead of ~570,000 (§3.6)")
    out.append('augmentation: random horizontal flips only (the paper also used scaling, rotation and colour jitter)')
    if c.get('global_skip'):
        out.append('global skip (not in Fig. 4a): the generator adds gain * avgpool4(hr) (learned scalar gain) before its '
                   'tanh, i.e. predicts a residual over average pooling; without it a ~20-minute CPU run lost the face '
                   'identity (the plain net must pass all content through its 4x4 bottleneck)')
    out.append(f"channel widths {list(c['g_widths'])} (per group) — small, for interactive browser use; the paper does not state its widths")
    if kind == 'low2high':
        out.append('residual groups 12 @16 px, 3 @32 px, 2 @64 px: the paper gives group sizes 2, 3, 12 without their resolutions')
        out.append('no joint fine-tuning of High-to-Low and Low-to-High (§3.6 fine-tuned them together for 2,000 updates)')
        if c.get('lr_source') == 'degrader':
            out.append('LR inputs from the frozen EXPORTED degrader (float16 weights, batch norm in inference mode), fresh N(0,1) noise per batch')
    else:
        out.append('HR dataset: UTKFace aligned faces (the paper used VGGFace2/CelebA/AFLW/LS3D-W), real-LR: 765 WIDER FACE crops (the paper: >50,000)')
    return out


def card(kind, run, G, D, total_bytes, n_shards, out_name, note=None):
    from train.degradation.samples import samples_field  # local: that module imports this one
    c = run['cfg']
    minutes = run['wall_seconds'] / 60
    cpu = run['device'] == 'cpu'
    quality = (f"Trained on CPU ({run['hardware']}, {run['threads']} thread) for {minutes:.1f} minutes, {run['steps']:,} "
               f"generator updates: a low-quality stand-in (the paper trains ~570k updates on a GPU).") if cpu else \
        f"Trained on {run['hardware']} for {minutes:.1f} minutes."
    if not run['finished']:
        quality += f" The schedule did NOT finish ({run['steps']} of {c['steps']} steps)."
    if note:
        quality += ' ' + note
    if kind == 'degrader':
        title, data = 'High-to-Low degradation generator (64x64 + noise -> 16x16)', {'hr': UTK, 'real_lr': WIDER}
        data_detail = (f"HR: {run['hr_train_images']:,} faces64 train faces in [-1,1], random flips; real LR: "
                       f"{run['real_lr_train_images']} lr-faces train crops (indices {run['real_lr_indices']['min']}.."
                       f"{run['real_lr_indices']['max']}, test split [765, 869) never read), random flips")
        loss = 'l = 1 * ||G(hr,z) - avgpool4(hr)||^2 (Eq. 4) + 0.05 * hinge GAN (Eq. 2), spectral-norm D (Eq. 3)'
    else:
        src = c['lr_source']
        title = ('Low-to-High face SR (16x16 -> 64x64), trained on ' +
                 ('High-to-Low (learned degradation) LR' if src == 'degrader' else 'bicubic-downsampled LR (baseline twin)'))
        data = {'hr': UTK}
        if src == 'degrader':
            data['degrader'] = f"LR made on the fly by static/weights/degrader (shards sha256 {run.get('degrader_sha256', '?')}), itself trained with {WIDER}"
        data_detail = (f"HR: {run['hr_train_images']:,} faces64 train faces, random flips; LR: " +
                       ('degrader(HR, z ~ N(0,I)) with fresh noise every batch' if src == 'degrader'
                        else 'bicubic (antialiased, a=-0.5) 64 -> 16 of the same HR, clamped to [-1,1]'))
        loss = 'l = 1 * ||G(lr) - hr||^2 (Eq. 4, F = identity) + 0.05 * hinge GAN (Eq. 2), spectral-norm D (Eq. 3)'
    return {
        'model': out_name, 'title': title, 'papers': [PAPER, 'Lioutas: SR-NAM §3.2 (degradation model)'],
        'deviations_from_papers': deviations(kind, run), 'quality_note': quality,
        'architecture': {**model_config(kind, G, c), 'parameters': param_count(G),
                         'discriminator': {'widths': list(D.widths), 'maxPoolBlocks': D.pools, 'input_px': D.in_px,
                                           'parameters': param_count(D),
                                           'details': '6 residual blocks without batch norm (Fig. 5/6a), spectral norm on '
                                                      'every conv and the dense layer, max-pool in the last blocks, '
                                                      'ReLU + dense -> 1 (not exported)'}},
        'data': data, 'data_detail': data_detail,
        'license': 'Weights derived from non-commercial-research-only data (UTKFace' +
                   (', WIDER FACE' if kind == 'degrader' or c.get('lr_source') == 'degrader' else '') +
                   '): non-commercial research use only.',
        'training': {
            'config': run['config'], 'loss': loss, 'alpha': c['alpha'], 'beta': c['beta'],
            'optimizer': f"Adam lr {c['lr']:g}, betas {tuple(c['betas'])}", 'batch': c['batch'], 'n_dis': c['n_dis'],
            'steps': run['steps'], 'd_steps': run['d_steps'], 'planned_steps': c['steps'], 'finished': run['finished'],
            'schedule_changes': c.get('schedule_changes', []),
            'wall_minutes': round(minutes, 1), 'final_losses': run['final_losses'],
            'loss_history_every': c['history_every'], 'loss_history': run['loss_history'][-60:],
            'seed': c['seed'], 'hardware': run['hardware'], 'device': run['device'], 'threads': run['threads'],
            'torch': run['torch'],
        },
        'weights': {'dtype': 'float16', 'bytes': total_bytes, 'shards': n_shards},
        'samples': samples_field(kind),
        'fid_proxy': None,
        'fid_proxy_note': 'Filled in only by train/eval_claims.py with measured FID-proxy values (face-api descriptors, '
                          'NOT Inception FID); null until measured.',
        'exported_at': datetime.datetime.now(datetime.timezone.utc).strftime('%Y-%m-%dT%H:%M:%SZ'),
    }


def load_run(run_dir):
    ck = torch.load(os.path.join(run_dir, 'checkpoint.pt'), map_location='cpu', weights_only=False)
    with open(os.path.join(run_dir, 'run.json')) as f:
        run = json.load(f)
    c = ck['cfg']
    if c['kind'] == 'degrader':
        G = DegraderG(c['g_widths'], c['noise_dim'], global_skip=c.get('global_skip', False))
        D = ResD(16, c['d_widths'], c['d_pools'])
    else:
        G, D = Low2HighG(c['g_widths']), ResD(64, c['d_widths'], c['d_pools'])
    G.load_state_dict(ck['G'])
    D.load_state_dict(ck['D'])
    return c['kind'], G.eval(), D, run


def export(run_dir, out_dir, note=None, name=None):
    kind, G, D, run = load_run(run_dir)
    name = name or os.path.basename(os.path.normpath(out_dir))
    os.makedirs(out_dir, exist_ok=True)
    for old in os.listdir(out_dir):
        if old.startswith('group1-shard') and old.endswith('.bin'):
            os.remove(os.path.join(out_dir, old))
    arrays = fold_degrader(G) if kind == 'degrader' else fold_low2high(G)
    model, nbytes = write_manifest(arrays, out_dir, model_config(kind, G, run['cfg']), name=name)
    model['generatedBy'] = 'train/export_common.py'
    with open(os.path.join(out_dir, 'model.json'), 'w') as f:
        json.dump(model, f, indent=1)
    _, W = read_exported(out_dir)
    g = torch.Generator().manual_seed(0)
    with torch.no_grad():
        if kind == 'degrader':
            hr, z = torch.rand(4, 3, 64, 64, generator=g) * 2 - 1, torch.randn(4, NOISE_DIM, generator=g)
            ref, got = G(hr, z), degrader_forward(W, hr, z)
        else:
            lr = torch.rand(4, 3, 16, 16, generator=g) * 2 - 1
            ref, got = G(lr), low2high_forward(W, lr)
    err = float((got - ref).abs().max() / ref.abs().max())
    if err > 2e-2:
        raise RuntimeError(f'exported weights do not reproduce the generator (rel err {err:.3g})')
    paths = model['weightsManifest'][0]['paths']
    with open(os.path.join(out_dir, 'card.json'), 'w') as f:
        json.dump(card(kind, run, G, D, nbytes, len(paths), name, note), f, indent=1, ensure_ascii=False)
    print(f'exported {kind} ({param_count(G):,} params, {nbytes / 1e6:.2f} MB float16, {len(paths)} shard(s)) '
          f'to {out_dir}; float16 round-trip rel err {err:.2e}')
    return model


def weights_sha(model_dir):
    """One digest for a whole exported weight set (sha256 over its shard sha256s, in order)."""
    with open(os.path.join(model_dir, 'model.json')) as f:
        mj = json.load(f)
    return sha256(''.join(mj['integrity'][p]['sha256'] for g in mj['weightsManifest'] for p in g['paths']).encode())


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('kind', choices=['degrader', 'low2high'])
    ap.add_argument('--run', required=True, help='run dir with checkpoint.pt + run.json')
    ap.add_argument('--out', default=None, help='default static/weights/<kind>')
    ap.add_argument('--note', default=None, help="a person's observation of the samples, appended to quality_note")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    export(a.run, a.out or os.path.join(REPO_ROOT, 'static', 'weights', a.kind), a.note)


if __name__ == '__main__':
    main()
