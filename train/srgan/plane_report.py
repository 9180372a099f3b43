"""The perception-distortion report's parts besides the measuring (train/srgan/plane.py): metric
notes, the SR-NAM block, what the plane shows (computed from the rows), the cards' fid_proxy
fields, and the Markdown table for bench/NOTES.md."""
import json
import os

from train.common.export import weights_sha, write_json

METRIC_NOTES = {
    'psnr_db': 'PSNR in dB, RGB, peak 255, whole 64x64 face, 8-bit output vs 8-bit HR; mean ± sd over faces',
    'ssim': 'SSIM (11x11 Gaussian window, sigma 1.5), RGB, whole face; mean ± sd over faces',
    'fid_proxy': ('FID-proxy: Fréchet distance of face-api 128-D face-recognition descriptors (scripts/fid-proxy.js), '
                  'NOT Inception FID. Outputs vs the same faces\' HR; per seed the same seeded subset of fid_subsample '
                  'faces of both sets (paired); mean ± sd over the seeds. Lower = closer to real faces. Depends on the '
                  'set size: compare rows of one plane only.'),
}
PAPER_004 = ('srresnet-mse', 'srresnet-content', 'srgan')
CARD_METHODS = PAPER_004


def _spread(a):
    return {'mean': round(float(a.mean()), 5), 'sd': round(float(a.std(ddof=1)), 5) if a.size > 1 else None}


def srnam_block(cfg, res, cached, k, n):
    steps, K = cfg['steps'], cfg['restarts']
    ms = float(res['seconds']) / max(1, steps * k * K) * 1000
    return {'faces': k, 'subset_seed': cfg['subset_seed'], 'restarts': K, 'steps': steps,
            'adam': {'lr': cfg['lr'], 'betas': [0.9, 0.999], 'eps': 1e-8},
            'loss': 'Eq. 6 of paper 000: mean |bicubic/4(G(z)) - I_LR| over pixels and channels, per restart, summed',
            'degradation': 'bicubic x1/4 (antialiased): the degradation the LR was made with',
            'generator': 'shipped ProGAN (static/weights/progan) at 64 px',
            'z_seed': cfg['z_seed'], 'chunk_faces': cfg['chunk'],
            'seconds': round(float(res['seconds']), 1), 'seconds_per_step': round(float(res['seconds_per_step']), 3),
            'ms_per_candidate_step': round(ms, 2),
            'estimated_minutes_all_faces': round(ms * n * K * steps / 60000, 1),
            'first_loss': _spread(res['first_loss']), 'final_loss_best': _spread(res['final_loss'].min(1)),
            'final_loss_all': _spread(res['final_loss']), 'from_cache': cached}


def _best(rows, key, lowest=False):
    pick = min if lowest else max
    return pick(rows, key=lambda m: rows[m][key]['mean']) if rows else None


def findings(rows):
    """What the plane shows, computed from its rows (nothing hard-coded)."""
    out = {'best_psnr': _best(rows, 'psnr_db'), 'best_ssim': _best(rows, 'ssim'),
           'best_fid_proxy': _best(rows, 'fid_proxy', lowest=True)}
    trio = {m: rows[m] for m in PAPER_004 if m in rows}
    if 'srresnet-mse' in trio and 'srgan' in trio:
        a, b = trio['srgan']['fid_proxy'], trio['srresnet-mse']['fid_proxy']
        out['paper_direction'] = {
            'among': list(trio), 'best_psnr': _best(trio, 'psnr_db'), 'best_fid_proxy': _best(trio, 'fid_proxy', True),
            'mse_best_psnr': _best(trio, 'psnr_db') == 'srresnet-mse',
            'srgan_best_fid_proxy': _best(trio, 'fid_proxy', True) == 'srgan',
            'fid_proxy_srgan_minus_mse': round(a['mean'] - b['mean'], 4),
            'fid_proxy_seed_sd_of_difference': round(((a['sd'] or 0) ** 2 + (b['sd'] or 0) ** 2) ** 0.5, 4)}
    else:
        out['paper_direction'] = None
    if 'srnam-best' in rows and 'srnam-mean' in rows:
        b, m = rows['srnam-best'], rows['srnam-mean']
        out['srnam_mean_vs_best'] = {
            'psnr_db_mean_minus_best': round(m['psnr_db']['mean'] - b['psnr_db']['mean'], 3),
            'fid_proxy_mean_minus_best': round(m['fid_proxy']['mean'] - b['fid_proxy']['mean'], 4)}
    return out


def fill_cards(report, weights_dir, log=print):
    """fid_proxy of the srresnet-mse / srresnet-content / srgan cards from the full plane."""
    plane = report['planes']['all']
    for m in CARD_METHODS:
        row, d = plane['methods'].get(m), os.path.join(weights_dir, m)
        p = os.path.join(d, 'card.json')
        if row is None or not os.path.exists(p):
            continue
        if weights_sha(d) != report['weights_sha256'].get(m):
            log(f'{m}: weights changed since they were measured; card not updated', flush=True)
            continue
        with open(p) as f:
            card = json.load(f)
        f = row['fid_proxy']
        card['fid_proxy'] = {
            'metric': 'FID-proxy', 'value': f['mean'], 'sd': f['sd'], 'per_seed': f['per_seed'],
            'seeds': plane['fid_seeds'], 'faces': plane['n_faces'], 'n_per_side': plane['fid_subsample'],
            'vs': f"the same faces' HR ({plane['faces']}), paired seeded subsets", 'lr': report['lr_kinds'][row['lr']],
            'note': report['metric_notes']['fid_proxy'],
            'plane': {k: {'fid_proxy': r['fid_proxy']['mean'], 'psnr_db': r['psnr_db']['mean'], 'ssim': r['ssim']['mean']}
                      for k, r in plane['methods'].items()},
            'measured_at': report['measured_at'], 'weights_sha256': report['weights_sha256'][m],
            'by': 'train/srgan/plane.py (npm run eval:plane); the whole plane: static/eval/perception-distortion.json'}
        write_json(p, card)
        log(f'filled fid_proxy in {p}', flush=True)


def table(report):
    lines = []
    for name, plane in report['planes'].items():
        lines += [f"plane {name}: {plane['n_faces']} faces, FID-proxy on {plane['fid_subsample']} per side, "
                  f"seeds {','.join(map(str, plane['fid_seeds']))}", '',
                  '| method | LR | PSNR dB (± sd over faces) | SSIM (± sd) | FID-proxy (± sd over seeds) |',
                  '|---|---|---|---|---|']
        for m, r in plane['methods'].items():
            p, s, f = r['psnr_db'], r['ssim'], r['fid_proxy']
            lines.append(f"| {m} | {r['lr']} | {p['mean']:.2f} ± {p['sd'] or 0:.2f} | {s['mean']:.4f} ± {s['sd'] or 0:.4f} "
                         f"| {f['mean']:.4f} ± {f['sd'] or 0:.4f} |")
        lines.append('')
    for m, why in report['skipped'].items():
        lines.append(f'skipped {m}: {why}')
    return '\n'.join(lines)
