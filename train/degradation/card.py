"""card.json of the two degradation-pipeline models (degrader; low2high and its bicubic twin): the
papers, data licences, deviations from Bulat et al. and the training facts, all read from the run's
run.json; and the `samples` field describing the sample sheet (train/degradation/samples.py)."""
from train.common.export import utc_now, weights_field
from train.common.run_state import param_count

UTK = ('UTKFace (Zhang, Song, Qi, CVPR 2017), faces64 train split — non-commercial research licence '
       '("The UTKFace dataset is available for non-commercial research purposes only")')
WIDER = ('real-lr-faces: small faces cut from WIDER FACE val scenes (+ one Hu & Ramanan selfie), lr-faces TRAIN '
         'split only (765 of 869) — non-commercial research licence (WIDER FACE terms: "for non-commercial research '
         'purposes only"; selfie: academic/non-profit non-commercial research use only)')
CELEBA = ('CelebA (Liu, Luo, Wang, Tang, ICCV 2015), 9,000 aligned faces cropped to 64x64 (celeba64 train split) — '
          'CelebA agreement: "available for non-commercial research purposes only"; no reproduction or distribution '
          'of the images or of any portion of derived data for commercial purposes')
HR_SET_NAMES = {'faces64': 'faces64 train (UTKFace)', 'celeba64': 'celeba64 train (CelebA)'}
PAPER = 'Bulat, Yang, Tzimiropoulos: To learn image super-resolution, use a GAN to learn how to do image degradation first, ECCV 2018'
HR_SEED = 2024  # torch seed of the eight ProGAN latents of the sample sheets
SAMPLES_MADE_BY = 'train/degradation_samples.py (exported weights)'  # as the shipped cards say; kept unchanged

_HR_ROW = 'ProGAN-generated HR faces (static/weights/progan, 8 seeded latents; no dataset faces)'
SAMPLE_ROWS = {
    'degrader': [_HR_ROW, 'bicubic 64->16 of them (nearest x4)', 'this degrader, noise draw z1',
                 'this degrader, noise draw z2', 'this degrader, noise draw z3'],
    'low2high': [_HR_ROW, 'their degrader LR (nearest x4)', 'this model on it',
                 'their bicubic LR (nearest x4)', 'this model on it'],
}


def sample_rows(kind):
    """The row captions of a model's samples.png (kind: 'degrader' or 'low2high')."""
    return list(SAMPLE_ROWS['degrader' if kind == 'degrader' else 'low2high'])


def samples_field(kind):
    return {'png': 'samples.png', 'made_by': SAMPLES_MADE_BY,
            'hr_source': f'ProGAN generator (static/weights/progan), torch.manual_seed({HR_SEED}) latents',
            'rows': sample_rows(kind)}


def deviations(kind, run):
    c, out = run['cfg'], []
    if c['lr'] != 1e-4:
        out.append(f"Adam lr {c['lr']:g} instead of 1e-4 (§3.6): a short CPU run has ~0.1-0.5% of the paper's updates, "
                   'and at 1e-4 the degrader was still producing colour speckle after 300 updates')
    if c['n_dis'] != 5:
        out.append(f"{c['n_dis']} discriminator step(s) per generator step instead of 5 (§3.6): more generator updates in a short CPU run")
    if c.get('lr_decay_from'):
        out.append(f"learning rate schedule: {c['lr']:g} for the first {c['lr_decay_from']:.0%} of the updates, then linearly "
                   f"down to {c['lr_final']:g} at the end (the paper keeps 1e-4 throughout, §3.6): a short run settles at the end")
    out.append(f"{run['steps']:,} generator updates (batch {c['batch']}) instead of ~570,000 (§3.6), trained from scratch")
    aug = run.get('augment')
    if aug:
        out.append(f"augmentation as §3.6 but small: random flips, zoom ±{aug['scale']:.0%}, rotation ±{aug['rotate_deg']:g}°, "
                   f"brightness ±{aug['brightness']:g}, contrast ×(1 ± {aug['contrast']:g}), saturation ×(1 ± {aug['saturation']:g}) "
                   '(the paper gives no ranges; the faces are already aligned crops like the real-LR faces)')
    else:
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


def card(kind, run, G, D, model_config, total_bytes, shards, out_name, note=None):
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
        hr_sets = run.get('hr_sets') or {'faces64': run['hr_train_images']}
        data = {'hr': UTK} if 'celeba64' not in hr_sets else {'hr': UTK, 'hr_celeba': CELEBA}
        if src == 'degrader':
            data['degrader'] = f"LR made on the fly by static/weights/degrader (shards sha256 {run.get('degrader_sha256', '?')}), itself trained with {WIDER}"
        hr_words = ' + '.join(f"{n:,} {HR_SET_NAMES.get(k, k)}" for k, n in hr_sets.items()) if len(hr_sets) > 1 \
            else f"{run['hr_train_images']:,} faces64 train faces"
        data_detail = (f"HR: {hr_words}, random flips{' and the augmentation above' if run.get('augment') else ''}; LR: " +
                       ('degrader(HR, z ~ N(0,I)) with fresh noise every batch' if src == 'degrader'
                        else 'bicubic (antialiased, a=-0.5) 64 -> 16 of the same HR, clamped to [-1,1]'))
        loss = 'l = 1 * ||G(lr) - hr||^2 (Eq. 4, F = identity) + 0.05 * hinge GAN (Eq. 2), spectral-norm D (Eq. 3)'
    return {
        'model': out_name, 'title': title, 'papers': [PAPER, 'Lioutas: SR-NAM §3.2 (degradation model)'],
        'deviations_from_papers': deviations(kind, run), 'quality_note': quality,
        'architecture': {**model_config, 'parameters': param_count(G),
                         'discriminator': {'widths': list(D.widths), 'maxPoolBlocks': D.pools, 'input_px': D.in_px,
                                           'parameters': param_count(D),
                                           'details': '6 residual blocks without batch norm (Fig. 5/6a), spectral norm on '
                                                      'every conv and the dense layer, max-pool in the last blocks, '
                                                      'ReLU + dense -> 1 (not exported)'}},
        'data': data, 'data_detail': data_detail,
        'license': 'Weights derived from non-commercial-research-only data (UTKFace' +
                   (', CelebA' if kind != 'degrader' and 'celeba64' in (run.get('hr_sets') or {}) else '') +
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
        'weights': weights_field(total_bytes, shards),
        'samples': samples_field(kind),
        'fid_proxy': None,
        'fid_proxy_note': 'Filled in only by train/eval_claims.py with measured FID-proxy values (face-api descriptors, '
                          'NOT Inception FID); null until measured.',
        'exported_at': utc_now(),
    }
