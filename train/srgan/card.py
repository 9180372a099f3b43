"""card.json of the SRResNet / SRGAN models (paper 004): paper, data licence, deviations, training
facts from run.json, and measured test quality (PSNR / SSIM on the first TEST_FACES faces64 test
faces, computed here at export; FID-proxy filled in by train/srgan/plane.py, which measures every
SR method on the same faces)."""
import torch

from train.common.data import load_faces64, resolve_data_dir
from train.common.export import utc_now, weights_field
from train.common.images import bicubic_down, to_float, to_u8_levels
from train.common.metrics import psnr_each, ssim_each
from train.common.run_state import param_count

PAPER = ('Ledig, Theis, Huszár, Caballero, Cunningham, Acosta, Aitken, Tejani, Totz, Wang, Shi: Photo-Realistic '
         'Single Image Super-Resolution Using a Generative Adversarial Network, CVPR 2017')
UTK = ('UTKFace (Zhang, Song, Qi, CVPR 2017), faces64 train split — non-commercial research licence '
       '("The UTKFace dataset is available for non-commercial research purposes only")')
FACE_NET = ("face-api's face-recognition network (@vladmandic/face-api, dlib-style ResNet-34, MIT-licensed package; "
            'its weights follow face-api.js / dlib)')
TEST_FACES = 500
TITLES = {'mse': 'SRResNet-MSE: 4x face SR (16x16 -> 64x64) trained on pixel MSE (Eq. 4)',
          'content': 'SRResNet-content: 4x face SR trained on a feature-space content loss (Eq. 5, face-net features)',
          'gan': 'SRGAN: 4x face SR trained on content + 1e-3 adversarial loss (Eq. 3, 5, 6)'}
LOSSES = {'mse': 'l = l_MSE (Eq. 4): mean over pixels and channels of (I_HR - G(I_LR))^2, images in [-1, 1]',
          'content': 'l = l_X (Eq. 5): mean squared difference of face-net feature maps at {layer}',
          'gan': 'l = l_X (Eq. 5, face-net {layer}) + 1e-3 * l_Gen (Eq. 6, -log D(G(I_LR))); D on Eq. 2'}
LAYER = '{layer} of the {px} px (bilinear x2) faces, features x {scale:g}'


@torch.no_grad()
def test_quality(G, n=TEST_FACES, data_dir=None):
    """PSNR / SSIM (RGB, 8-bit levels, whole 64x64 face) of G on the first n faces64 test faces."""
    hr = to_float(load_faces64(resolve_data_dir(data_dir), 'test', None)[:n])
    sr = torch.cat([G(bicubic_down(hr[i:i + 100])) for i in range(0, len(hr), 100)])
    a, b = to_u8_levels(sr), to_u8_levels(hr)
    return {'faces': len(hr), 'split': 'faces64 test (first n)', 'lr': 'bicubic x1/4 of the HR (antialiased, a=-0.5)',
            'psnr_db': round(float(psnr_each(a, b).mean()), 3), 'ssim': round(float(ssim_each(a, b).mean()), 4),
            'note': 'RGB PSNR/SSIM on the whole 64x64 face (the paper: y channel, 4-px border removed)'}


def deviations(c, run):
    out = ['faces instead of ImageNet: 16x16 -> 64x64 whole aligned faces (UTKFace), not 96x96 crops of natural images',
           'tanh on the output (images in [-1, 1] everywhere in srlab)',
           "discriminator's two dense layers applied per location (1x1 convs): a 4x4 logit map whose mean is the logit"]
    if c['loss'] != 'mse':
        out.append(f"content loss in the feature space of {FACE_NET} at {c['content_layer']} of the faces upsampled to "
                   f"{c['content_px']} px, instead of VGG-19 phi_5,4 (VGG weights are not available offline); features "
                   f"scaled by {c['feature_scale']:g} so that l_X of the MSE net is of the order of its MSE")
    if c['width'] != 64 or c['blocks'] != 16:
        out.append(f"generator B = {c['blocks']} blocks of width {c['width']} (paper: 16 x 64), for CPU training")
    if c['loss'] == 'gan' and (c['d_width'] != 64 or c['d_dense'] != 1024):
        out.append(f"discriminator widths {c['d_width']}..{8 * c['d_width']}, {c['d_dense']} dense units "
                   '(paper: 64..512, 1024)')
    total = run['steps'] + run.get('init_steps', 0)
    out.append(f"{run['steps']:,} updates at lr {c['lr']:g}" +
               (f" after {run['init_steps']:,} SRResNet-MSE updates (its initialisation, §3.2)" if run.get('init_steps') else '') +
               f" = {total:,} in all (paper: 1e6 for SRResNet, 1e5 + 1e5 for SRGAN)")
    out.append('augmentation: random horizontal flips only')
    return out


def card(c, run, G, D, model_config, total_bytes, shards, out_name, note=None, metrics=None):
    minutes = run['wall_seconds'] / 60
    cpu = run['device'] == 'cpu'
    quality = (f"Trained on CPU ({run['hardware']}, {run['threads']} thread) for {minutes:.1f} minutes, {run['steps']:,} "
               'updates: a low-quality stand-in for the paper\'s GPU schedule.') if cpu else \
        f"Trained on {run['hardware']} for {minutes:.1f} minutes."
    if not run['finished']:
        quality += f" The schedule did NOT finish ({run['steps']} of {c['steps']} steps)."
    if note:
        quality += ' ' + note
    arch = {**model_config, 'parameters': param_count(G)}
    if D is not None:
        arch['discriminator'] = {**model_config['discriminator'], 'parameters': param_count(D)}
    return {
        'model': out_name, 'title': TITLES[c['loss']], 'papers': [PAPER],
        'deviations_from_papers': deviations(c, run), 'quality_note': quality, 'architecture': arch,
        'data': UTK, 'data_detail': f"HR: {run['hr_train_images']:,} faces64 train faces, random flips; LR: bicubic "
                                    '(antialiased, a=-0.5) 64 -> 16 of the same HR, clamped to [-1, 1]',
        'feature_net': FACE_NET if c['loss'] != 'mse' else None,
        'license': 'Weights derived from non-commercial-research-only data (UTKFace): non-commercial research use only.',
        'training': {
            'config': run['config'],
            'loss': LOSSES[c['loss']].format(layer=LAYER.format(layer=c['content_layer'], px=c['content_px'], scale=c['feature_scale'])),
            'content': {k: c[k] for k in ('content_layer', 'content_px', 'feature_scale')} if c['loss'] != 'mse' else None,
            'adv_weight': c['adv_weight'] if c['loss'] == 'gan' else None,
            'optimizer': f"Adam lr {c['lr']:g}, betas {tuple(c['betas'])}", 'batch': c['batch'],
            'steps': run['steps'], 'init_steps': run.get('init_steps', 0), 'planned_steps': c['steps'],
            'finished': run['finished'], 'schedule_changes': c.get('schedule_changes', []), 'wall_minutes': round(minutes, 1), 'final_losses': run['final_losses'],
            'loss_history_every': c['history_every'], 'loss_history': run['loss_history'][-60:], 'seed': c['seed'],
            'hardware': run['hardware'], 'device': run['device'], 'threads': run['threads'], 'torch': run['torch'],
        },
        'test': metrics if metrics is not None else test_quality(G),
        'weights': weights_field(total_bytes, shards),
        'fid_proxy': None,
        'fid_proxy_note': 'Filled in by train/srgan/plane.py (npm run eval:plane) with the measured FID-proxy '
                          '(face-api descriptors, NOT Inception FID) on the same test faces; null until measured.',
        'exported_at': utc_now(),
    }
