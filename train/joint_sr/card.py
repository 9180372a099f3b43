"""card.json of the joint SR + deblurring models (paper 002): paper, data licence, deviations, training
facts from run.json, and the measured test quality (evaluate.py: PSNR / SSIM / FID-proxy of I^_HR and of
bicubic x8 on the first 500 faces128 test faces with seeded motion kernels), computed at export."""
from train.common.export import utc_now, weights_field
from train.common.run_state import param_count
from train.joint_sr.evaluate import FID_SEEDS, TEST_FACES, test_quality

PAPER = ('Yun, Park: Joint Face Super-Resolution and Deblurring Using a Generative Adversarial Network '
         '(paper 002 in ../shared/papers)')
UTK = ('UTKFace (Zhang, Song, Qi, CVPR 2017), faces128 train split indices 0..3999 — non-commercial research licence '
       '("The UTKFace dataset is available for non-commercial research purposes only")')
FACE_NET = ("face-api's face-recognition network (@vladmandic/face-api, dlib-style ResNet-34, MIT-licensed package; "
            'its weights follow face-api.js / dlib)')
TITLES = {'full': 'Joint face SR + deblurring: x8 (16 -> 128 px) with the blurred-HR branch, D_g and D_l',
          'noblur': 'Joint face SR + deblurring, ablation: without the blurred-HR branch (D_g and D_l)',
          'nolocal': 'Joint face SR + deblurring, ablation: without the local (face-region) discriminator'}
PERCEPTUAL_WHY = ('layers and scale chosen so that lambda2 L_perc is of the order of lambda1 L_pix at the start: on an '
                  'untrained width-16 generator and 16 training faces L_pix = 1.12 and the unscaled layer distances '
                  '1.14 + 1.13, so lambda1 L_pix = 112 and lambda2 L_perc = 22.8 x scale; scale 5 makes them equal')


def deviations(c, run):
    out = ['x8 from 16 x 16 to 128 x 128 UTKFace faces (paper: 32 -> 256 CelebA-HQ faces); the same x8 factor',
           'face-region mask from 68 landmarks (face-api landmark net on the sharp HR; jaw + brows lifted by 0.2 of '
           'the face height) instead of CelebA-HQ parsing masks',
           f"perceptual loss (Eq. 5) in the feature space of {FACE_NET} at {' + '.join(c['perceptual']['layers'])} "
           f"(mean absolute difference, features x {c['perceptual']['scale']:g}) instead of VGG-19 (not available "
           f'offline); {PERCEPTUAL_WHY}',
           'motion blur: one anti-aliased line kernel per image (length U[0,16] HR px, angle U[0,180) deg; '
           "src/lib/image/kernels.ts motionBlurKernel, reflect padding) instead of the paper's blur kernel set",
           'LSGAN losses written with D(x) = the mean of an 8 x 8 score map (patch discriminators)',
           f"D_l joins after {c['local_d_from']:.0%} of the steps (the paper adds networks gradually without a "
           'stated step)' if c['local_d'] else 'ablation: no local discriminator at any step']
    if not c['blur_branch']:
        out.append('ablation: no upper decoder (no I^_HRB, no I_f), Eq. 4 without its third term; lf takes cat(b1, I_LRf)')
    if c['width'] != 64:
        out.append(f"base width {c['width']} and discriminator width {c['d_width']} (paper: 64), for CPU training")
    out.append(f"{run['steps']:,} updates of batch {c['batch']} (the paper trains far longer); the three shipped "
               'variants have the same steps and batch')
    out.append('augmentation: random horizontal flips (image and mask together)')
    return out


def card(c, run, G, Dg, Dl, model_config, total_bytes, shards, out_name, W, note=None, test_faces=None, fid_seeds=None,
         data_dir=None):
    minutes = run['wall_seconds'] / 60
    cpu = run['device'] == 'cpu'
    quality = (f"CPU stand-in: trained on CPU ({run['hardware']}, {run['threads']} thread) for {minutes:.1f} minutes, "
               f"{run['steps']:,} updates; far from the paper's GPU schedule.") if cpu else \
        f"Trained on {run['hardware']} for {minutes:.1f} minutes."
    if not run['finished']:
        quality += f" The schedule did NOT finish ({run['steps']} of {c['steps']} steps)."
    if note:
        quality += ' ' + note
    params = {'G': param_count(G), 'D_g': param_count(Dg), **({'D_l': param_count(Dl)} if Dl is not None else {})}
    return {
        'model': out_name, 'title': TITLES[c['variant']], 'papers': [PAPER],
        'deviations_from_papers': deviations(c, run), 'quality_note': quality,
        'architecture': {**model_config, 'parameters': params},
        'data': UTK,
        'data_detail': f"HR: {run['hr_train_images']:,} faces128 train faces with cached landmarks, random flips; "
                       'per step and image a motion kernel; I_HRB = blur(I_HR); LR = bicubic (antialiased, a=-0.5) '
                       '128 -> 16 of I_HRB, clamped to [-1, 1]',
        'feature_net': FACE_NET,
        'license': 'Weights derived from non-commercial-research-only data (UTKFace): non-commercial research use only.',
        'training': {
            'config': run['config'], 'variant': c['variant'],
            'loss': 'L = L_GAN + lambda1 L_pix + lambda2 L_perc (Eq. 6); L_GAN = (D_g(I_LRf, I^_HR) - 1)^2 '
                    '[+ (D_l(M I^_HR) - 1)^2]; L_pix = |M I_HR - M I^_HR|_1 + |I_HR - I^_HR|_1 [+ |I_HRB - I^_HRB|_1] '
                    '(Eq. 4, means); L_perc: face-net layers (Eq. 5); D: (D(real) - 1)^2 + D(fake)^2 (Eq. 1, 2)',
            'lambda1': c['lambda1'], 'lambda2': c['lambda2'],
            'perceptual': {'layers': list(c['perceptual']['layers']), 'scale': c['perceptual']['scale']},
            'local_d_from_step': run['local_d_from_step'],
            'perceptual_scale_reason': PERCEPTUAL_WHY,
            'schedule': (f"G + D_g from step 0; D_l from step {run['local_d_from_step']}" if c['local_d']
                         else 'G + D_g only (no D_l)'),
            'optimizer': f"Adam lr {c['lr']:g}, betas {tuple(c['betas'])} (paper §4), G, D_g and D_l",
            'batch': c['batch'], 'steps': run['steps'], 'planned_steps': c['steps'], 'finished': run['finished'],
            'schedule_changes': c.get('schedule_changes', []), 'wall_minutes': round(minutes, 1),
            'seconds_per_step': round(run['wall_seconds'] / max(1, run['steps']), 3),
            'final_losses': run['final_losses'], 'loss_history_every': c['history_every'],
            'loss_history': run['loss_history'][-60:], 'seed': c['seed'],
            'hardware': run['hardware'], 'device': run['device'], 'threads': run['threads'], 'torch': run['torch'],
        },
        'test': test_quality(W, n=test_faces or TEST_FACES, fid_seeds=FID_SEEDS if fid_seeds is None else fid_seeds,
                             data_dir=data_dir),
        'weights': weights_field(total_bytes, shards),
        'exported_at': utc_now(),
    }
