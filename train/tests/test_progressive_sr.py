"""Smoke + equation tests of the progressive face SR pipeline (paper 003; CPU, seconds).

  /usr/bin/python3 -m unittest train.tests.test_progressive_sr      (from the repository root)
"""
import json
import math
import os
import shutil
import tempfile
import unittest

import numpy as np
import torch
import torch.nn.functional as F

from train.common.export import read_exported
from train.common.landmarks import load_landmarks
from train.common.metrics import ms_ssim, psnr, psnr_each, ssim
from train.progressive_sr import eval as eval_progressive_sr
from train.progressive_sr import export as export_progressive_sr
from train.progressive_sr.losses import attention_loss, attention_map, heatmap_loss, minmax, pixel_loss, render_heatmaps
from train.progressive_sr.model import ProgressiveSRD, ProgressiveSRG
from train.progressive_sr.train import main as train_main, schedule

torch.set_num_threads(1)


class Equations(unittest.TestCase):
    def test_pixel_and_attention_losses_by_hand(self):
        hr = torch.zeros(1, 3, 2, 2)
        sr = torch.tensor([[[[1., 0], [0, 0]], [[0, 0], [0, 2]], [[0, 0], [0, 0]]]])
        self.assertAlmostEqual(float(pixel_loss(sr, hr)), (1 + 4) / 12, places=6)  # Eq. 2
        m = torch.tensor([[[[1., 0], [0, 0.5]]]])
        self.assertAlmostEqual(float(attention_loss(m, sr, hr)), (1 * 1 + 0.5 * 2) / 12, places=6)  # Eq. 1
        self.assertAlmostEqual(float(heatmap_loss(torch.ones(1, 2, 2, 2), torch.zeros(1, 2, 2, 2))), 1.0)  # Eq. 5

    def test_heatmaps_peak_at_landmarks_and_attention_is_normalised_max(self):
        pts = torch.tensor([[[10.5, 20.5], [100.5, 60.5]]])  # pixel centres (10, 20) and (100, 60)
        m = render_heatmaps(pts, 128, 3.0)
        self.assertEqual(tuple(m.shape), (1, 2, 128, 128))
        self.assertEqual(int(m[0, 0].argmax()), 20 * 128 + 10)
        self.assertEqual(int(m[0, 1].argmax()), 60 * 128 + 100)
        m64 = render_heatmaps(pts, 64, 3.0)  # same place at half size (pixel 5, 10)
        self.assertEqual(int(m64[0, 0].argmax()), 10 * 64 + 5)
        a = attention_map(m)
        self.assertEqual(tuple(a.shape), (1, 1, 128, 128))
        self.assertAlmostEqual(float(a.max()), 1.0, places=5)
        self.assertAlmostEqual(float(a.min()), 0.0, places=5)
        self.assertTrue(torch.allclose(a[0, 0], minmax(m)[0].max(0)[0]))

    def test_paired_difference_by_hand(self):
        a = {'psnr': torch.tensor([30.0, 31.0, 29.0, 30.0])}
        b = {'psnr': torch.tensor([29.0, 30.0, 29.0, 28.0])}  # differences 1, 1, 0, 2: mean 1, sd sqrt(2/3)
        d = eval_progressive_sr.paired(a, b)['psnr']
        self.assertAlmostEqual(d['mean'], 1.0)
        self.assertAlmostEqual(d['ci95'], 1.96 * (2 / 3) ** 0.5 / 2, places=4)
        x = torch.rand(3, 3, 32, 32) * 255
        self.assertAlmostEqual(float(psnr_each(x, x + 1).mean()), float(psnr(x, x + 1)), places=9)

    def test_fade_in_endpoints(self):
        torch.manual_seed(0)
        G = ProgressiveSRG((8, 8, 8, 8)).eval()
        lr = torch.rand(2, 3, 16, 16) * 2 - 1
        with torch.no_grad():
            raw, out0 = G(lr, 3, 0.0, all_steps=True)
            _, out1 = G(lr, 3, 1.0, all_steps=True)
        self.assertEqual([r.shape[-1] for r in raw], [32, 64, 128])
        self.assertTrue(torch.equal(out0, F.interpolate(raw[1], scale_factor=2, mode='nearest')))
        self.assertTrue(torch.equal(out1, raw[2]))
        D = ProgressiveSRD((8, 8, 8, 8))
        for step, px in ((1, 32), (2, 64), (3, 128)):
            self.assertEqual(tuple(D(torch.rand(3, 3, px, px), step, 0.5).shape), (3, 1))

    def test_schedule_alpha_rises_linearly(self):
        cfg = {'iters': (2, 4, 4), 'fade': 0.5}
        self.assertEqual([schedule(cfg, i) for i in range(10)],
                         [(1, 1.0), (1, 1.0), (2, 0.0), (2, 0.5), (2, 1.0), (2, 1.0), (3, 0.0), (3, 0.5), (3, 1.0), (3, 1.0)])
        self.assertIsNone(schedule(cfg, 10))

    def test_metrics(self):
        x = torch.rand(2, 3, 128, 128) * 255  # MS-SSIM's 4 scales need 128 px (train/common/metrics.py)
        self.assertAlmostEqual(float(ssim(x, x)), 1.0, places=6)
        self.assertAlmostEqual(float(ms_ssim(x, x)), 1.0, places=6)
        y = x + 5.0
        self.assertAlmostEqual(float(psnr(x, y)), 10 * math.log10(255 ** 2 / 25), places=4)
        a, b = torch.full((1, 3, 16, 16), 100.0), torch.full((1, 3, 16, 16), 120.0)  # flat: cs = 1, only luminance
        c1 = (0.01 * 255) ** 2
        self.assertAlmostEqual(float(ssim(a, b)), (2 * 100 * 120 + c1) / (100 ** 2 + 120 ** 2 + c1), places=9)
        z = torch.rand(2, 3, 128, 128) * 255
        self.assertLess(float(ssim(x, z)), 0.2)
        self.assertLess(float(ms_ssim(x, z)), float(ms_ssim(x, (x + z) / 2)))


class Pipeline(unittest.TestCase):
    def test_tiny_train_eval_export_with_attention(self):
        tmp = tempfile.mkdtemp(prefix='psr-test-')
        try:
            lm = os.path.join(tmp, 'landmarks')
            os.makedirs(lm)
            rng = np.random.default_rng(0)  # synthetic points: the pipeline, not a face, is under test
            rng.uniform(20, 108, (16, 68, 2)).astype(np.float32).tofile(os.path.join(lm, 'faces-train.f32'))
            with open(os.path.join(lm, 'faces-train.json'), 'w') as f:
                json.dump({'count': 16, 'order': {'first': 0, 'count': 16, 'subset': None}, 'sigma_px': 3}, f)
            pts, order, sigma, _ = load_landmarks('train', lm)
            self.assertEqual((pts.shape, list(order[:3]), sigma), ((16, 68, 2), [0, 1, 2], 3.0))
            runs = os.path.join(tmp, 'runs')
            for tag, extra in (('progressive-sr-cpu', []), ('progressive-sr-noatt-cpu', ['--no-attention'])):
                self.assertTrue(train_main(['--config', 'tiny', '--out', os.path.join(runs, tag), '--landmark-dir', lm,
                                            '--log-every', '1000'] + extra))
            with open(os.path.join(runs, 'progressive-sr-cpu', 'run.json')) as f:
                run = json.load(f)
            self.assertTrue(run['finished'])
            self.assertIn('attention', run['final_losses'])  # Eq. 1 active at step 3
            self.assertGreater(run['final_losses']['attention'], 0)
            self.assertGreater(run['final_losses']['heatmap'], 0)  # Eq. 5 with the shipped student as F_d
            self.assertTrue(run['heatmap_loss'].startswith('on, l = 10'))
            m = eval_progressive_sr.evaluate([os.path.join(runs, t) for t in ('progressive-sr-cpu', 'progressive-sr-noatt-cpu')], n=4)
            self.assertEqual(m['n_test_faces'], 4)
            self.assertGreater(m['bicubic']['psnr'], 10)
            self.assertEqual(set(m['paired']) - {'what'}, {'psnr', 'ssim', 'ms_ssim'})
            self.assertAlmostEqual(m['paired']['psnr']['mean'], m['runs']['progressive-sr-cpu']['psnr'] -
                                   m['runs']['progressive-sr-noatt-cpu']['psnr'], delta=2e-3)
            mpath = os.path.join(tmp, 'metrics.json')
            with open(mpath, 'w') as f:
                json.dump(m, f)
            out, fx = os.path.join(tmp, 'w', 'progressive-sr'), os.path.join(tmp, 'fx')
            os.makedirs(fx)
            export_progressive_sr.export(os.path.join(runs, 'progressive-sr-cpu'), out, mpath, fx)
            mj, W = read_exported(out)
            with open(os.path.join(out, 'card.json')) as f:
                card = json.load(f)
            self.assertIn('CPU-trained stand-in', card['quality_note'])
            self.assertIn('non-commercial', card['license'])
            self.assertEqual(set(card['metrics']['all_runs']), {'progressive-sr-cpu', 'progressive-sr-noatt-cpu'})
            with open(os.path.join(fx, 'progressive-sr-parity.json')) as f:
                fixture = json.load(f)
            self.assertEqual(fixture['weights_integrity'], mj['integrity'])
            self.assertEqual(len(fixture['cases']), 5)
        finally:
            shutil.rmtree(tmp, ignore_errors=True)


if __name__ == '__main__':
    unittest.main()
