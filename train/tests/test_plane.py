"""The perception-distortion plane (`npm run eval:plane`, train/srgan/plane.py) and its SR-NAM search.

  * SR-NAM batching: faces x restarts in one batch follow the paths they follow alone (Adam is
    elementwise and the loss a sum), the search lowers the Eq. 6 loss, best/mean are what they say;
  * smoke run (8 faces, --skip-srnam, 1 FID-proxy seed, ~30-60 s): through scripts/eval-plane.js with a
    weights folder missing one shipped model, so the skip path runs whatever has been exported: the
    report's shape, a row per available method and a skip line per missing one, finite numbers,
    bicubic's PSNR in a sane range.

  /usr/bin/python3 -m unittest train.tests.test_plane      (from the repository root)
"""
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

import torch

from train.common.paths import REPO_ROOT, WEIGHTS_DIR
from train.srgan.plane_methods import LR_KINDS, METHODS

HAVE_PROGAN = os.path.isfile(os.path.join(WEIGHTS_DIR, 'progan', 'model.json'))
HAVE_NODE = shutil.which('node') and os.path.isdir(os.path.join(REPO_ROOT, 'node_modules', '@vladmandic', 'face-api'))
DROPPED = 'low2high-bicubic'  # shipped; left out of the smoke run's weights folder to exercise the skip


@unittest.skipUnless(HAVE_PROGAN, 'shipped ProGAN weights missing')
class SrnamBatch(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from train.common.export import read_exported
        _, cls.W = read_exported(os.path.join(WEIGHTS_DIR, 'progan'))
        g = torch.Generator().manual_seed(5)
        cls.lr = torch.rand(3, 3, 16, 16, generator=g) * 1.6 - 0.8

    def test_batched_faces_and_restarts_follow_their_own_paths(self):
        from train.srgan.srnam_batch import search, start_latents
        torch.set_num_threads(1)
        z0 = start_latents(3, 2, self.W['g/4/dense/w'].shape[0], seed=3)
        together = search(self.W, self.lr, z0, steps=4)
        for i in range(3):
            alone = search(self.W, self.lr[i:i + 1], z0[i:i + 1], steps=4)
            torch.testing.assert_close(together['final_loss'][i:i + 1], alone['final_loss'], rtol=1e-4, atol=1e-5)
            torch.testing.assert_close(together['best'][i:i + 1], alone['best'], rtol=1e-3, atol=1e-4)
        self.assertLess(float(together['final_loss'].mean()), float(together['first_loss'].mean()))
        # best is the lowest-loss candidate of its face; mean lies inside the candidates' range
        self.assertEqual(together['best'].shape, (3, 3, 64, 64))
        self.assertTrue(bool((together['mean'].abs() <= 1).all()))

    def test_one_restart_mean_is_best(self):
        from train.srgan.srnam_batch import search, start_latents
        r = search(self.W, self.lr[:2], start_latents(2, 1, self.W['g/4/dense/w'].shape[0], seed=4), steps=2)
        torch.testing.assert_close(r['mean'], r['best'])


@unittest.skipUnless(HAVE_NODE, 'node + node_modules needed for the FID-proxy (scripts/fid-proxy.js)')
class PlaneSmoke(unittest.TestCase):
    def test_tiny_plane(self):
        with tempfile.TemporaryDirectory() as tmp:
            weights = os.path.join(tmp, 'weights')
            os.makedirs(weights)
            for d in os.listdir(WEIGHTS_DIR):
                if d != DROPPED:
                    os.symlink(os.path.join(WEIGHTS_DIR, d), os.path.join(weights, d))
            out = os.path.join(tmp, 'plane.json')
            r = subprocess.run(['node', os.path.join('scripts', 'eval-plane.js'), '--limit', '8', '--skip-srnam', '--seeds', '0',
                                '--weights', weights, '--cache', os.path.join(tmp, 'cache'), '--out', out],
                               cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
                               env={**os.environ, 'SRLAB_PYTHON': sys.executable})
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            with open(out) as f:
                rep = json.load(f)
            self.assertTrue(os.path.isfile(os.path.join(tmp, 'cache', 'sets-limit8', 'contact-sheet.png')))
            available = [m for m in METHODS
                         if METHODS[m][2] is None or os.path.isfile(os.path.join(weights, METHODS[m][2], 'model.json'))]
        self.assertEqual(rep['schema'], 'srlab-perception-distortion/1')
        self.assertEqual(list(rep['planes']), ['all'])  # --skip-srnam: no subset plane, no srnam block
        self.assertNotIn('srnam', rep)
        plane = rep['planes']['all']
        self.assertEqual(list(plane['methods']), available)
        self.assertEqual(set(rep['skipped']), set(METHODS) - set(available))
        self.assertIn(DROPPED, rep['skipped'])
        self.assertIn(f'skip {DROPPED}: ', r.stdout)
        self.assertEqual((plane['n_faces'], plane['face_indices'], plane['fid_seeds']), (8, [0, 8], [0]))
        for name, row in plane['methods'].items():
            self.assertIn(row['lr'], LR_KINDS)
            nums = [row['psnr_db']['mean'], row['psnr_db']['sd'], row['ssim']['mean'], row['ssim']['sd'],
                    row['fid_proxy']['mean'], *row['fid_proxy']['per_seed']]
            self.assertEqual(len(row['fid_proxy']['per_seed']), 1, name)
            for v in nums:
                self.assertTrue(isinstance(v, float) and math.isfinite(v), (name, nums))
            self.assertTrue(0 < row['ssim']['mean'] <= 1, name)
            self.assertGreaterEqual(row['fid_proxy']['mean'], 0, name)
        self.assertTrue(20 < plane['methods']['bicubic']['psnr_db']['mean'] < 40)
        self.assertIn(rep['findings']['all']['best_psnr'], available)


if __name__ == '__main__':
    unittest.main()
