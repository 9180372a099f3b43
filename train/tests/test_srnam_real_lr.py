"""SR-NAM's search options in the PyTorch twin (train/srgan/srnam_batch.py), the candidate measures
(train/srnam_eval/candidates.py) and a smoke run of `npm run eval:srnam-real-lr` (2 faces, K 2,
2 steps, ~30 s) that checks the report's shape.

  /usr/bin/python3 -m unittest train.tests.test_srnam_real_lr      (from the repository root)
"""
import json
import math
import os
import subprocess
import sys
import tempfile
import unittest

import torch

from train.common.paths import REPO_ROOT, WEIGHTS_DIR
from train.srnam_eval.candidates import distinct, face_measures, pairwise

HAVE = all(os.path.isfile(os.path.join(WEIGHTS_DIR, m, 'model.json')) for m in ('progan', 'degrader'))


class CandidateMeasures(unittest.TestCase):
    def test_distinct_merges_close_pairs_transitively(self):
        d = torch.tensor([[0, .5, .01], [.5, 0, .01], [.01, .01, 0]])
        self.assertEqual(distinct(d, 0.02), 1)  # 0 and 1 both close to 2: one face
        self.assertEqual(distinct(d, 0.005), 3)
        self.assertEqual(distinct(torch.tensor([[0, .0201], [.0201, 0]]), 0.02), 2)

    def test_face_measures(self):
        a = torch.zeros(3, 8, 8)
        cands = torch.stack([a, a + 0.02, a + 1.0])  # [-1,1] scale: 0.02 is 0.01 on [0, 1]
        self.assertAlmostEqual(float(pairwise(cands)[0, 2]), 0.5, places=6)
        lr = torch.zeros(3, 2, 2)
        deg = torch.stack([lr + 0.4, lr + 0.2, lr - 0.1])
        m = face_measures(cands, deg, lr)
        self.assertEqual(m['lr_l1'], [0.2, 0.1, 0.05])
        self.assertAlmostEqual(m['best_lr_l1'], 0.05, places=6)
        self.assertEqual(m['distinct'], 2)
        self.assertEqual(len(m['pairwise']), 3)


@unittest.skipUnless(HAVE, 'shipped ProGAN / degrader weights missing')
class SearchOptions(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        from train.common.export import read_exported
        torch.set_num_threads(1)
        _, cls.Wg = read_exported(os.path.join(WEIGHTS_DIR, 'progan'))
        _, cls.Wd = read_exported(os.path.join(WEIGHTS_DIR, 'degrader'))
        cls.lr = torch.rand(2, 3, 16, 16, generator=torch.Generator().manual_seed(7)) * 1.6 - 0.8

    def run_search(self, lr, z0, n0, **kw):
        from train.srgan.srnam_batch import learned_degrade, search
        return search(self.Wg, lr, z0, 3, degrade=learned_degrade(self.Wd), noise0=n0, **kw)

    def test_joint_noise_moves_the_noise_fixed_keeps_it_rows_stay_independent(self):
        from train.srgan.srnam_batch import start_latents, start_noise
        z0, n0 = start_latents(2, 2, 512, 1), start_noise(2, 2, 100, 2)
        fixed = self.run_search(self.lr, z0, n0)
        joint = self.run_search(self.lr, z0, n0, joint_noise=True, prior=0.5)
        torch.testing.assert_close(fixed['noise'], n0)
        self.assertGreater(float((joint['noise'] - n0).abs().max()), 1e-3)
        alone = self.run_search(self.lr[1:], z0[1:], n0[1:], joint_noise=True, prior=0.5)
        torch.testing.assert_close(joint['final_loss'][1:], alone['final_loss'], rtol=1e-4, atol=1e-5)
        torch.testing.assert_close(joint['noise'][1:], alone['noise'], rtol=1e-4, atol=1e-5)
        self.assertEqual(joint['candidates'].shape, (2, 2, 3, 64, 64))
        self.assertEqual(joint['degraded'].shape, (2, 2, 3, 16, 16))

    def test_prior_formula_and_pull(self):
        from train.srgan.srnam_batch import latent_prior, start_latents, start_noise
        z = torch.tensor([[1., 1., 1., 1.], [2., 0., 0., 0.]])  # mean z^2: 1 and 1
        torch.testing.assert_close(latent_prior(z), torch.tensor([0., 0.]))
        torch.testing.assert_close(latent_prior(torch.tensor([[3., 1.]])), torch.tensor([16.]))  # (10/2 - 1)^2
        # a strong prior keeps mean z^2 closer to 1 than the plain search (ProGAN pixel-normalises z,
        # so Eq. 6 is blind to |z| and its gradient, orthogonal to z, lets the norm drift)
        z0, n0 = start_latents(2, 2, 512, 3) * 1.5, start_noise(2, 2, 100, 4)
        plain = self.run_search(self.lr, z0, n0)
        pulled = self.run_search(self.lr, z0, n0, prior=50.0)
        dev = lambda r: float((r['z'].pow(2).mean(2) - 1).abs().mean())
        self.assertLess(dev(pulled), dev(plain))


@unittest.skipUnless(HAVE, 'shipped ProGAN / degrader weights missing')
class EvalSmoke(unittest.TestCase):
    def test_tiny_report(self):
        with tempfile.TemporaryDirectory() as out:
            r = subprocess.run(['node', os.path.join('scripts', 'eval-srnam-real-lr.js'), '--limit', '2', '--restarts', '2',
                                '--steps', '2', '--out', out], cwd=REPO_ROOT, capture_output=True, text=True, timeout=300,
                               env={**os.environ, 'SRLAB_PYTHON': sys.executable})
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            with open(os.path.join(out, 'report.json')) as f:
                rep = json.load(f)
            self.assertEqual(rep['real_lr_test_indices'], [765, 766])  # the first test faces
            self.assertEqual((rep['n_faces'], rep['restarts'], rep['steps']), (2, 2, 2))
            self.assertEqual(list(rep['settings']), ['default', 'joint', 'prior'])
            for name, s in rep['settings'].items():
                c, d = s['lr_consistency'], s['diversity']
                nums = [c[w][b][k] for w in ('by_search_degrader', 'by_bicubic') for b in ('best', 'mean') for k in ('mean', 'sd')]
                nums += [d['mean_pairwise']['mean'], s['z_norm'], s['seconds']]
                self.assertTrue(all(isinstance(v, float) and math.isfinite(v) and v >= 0 for v in nums), (name, nums))
                self.assertLessEqual(c['by_search_degrader']['best']['mean'], c['by_search_degrader']['mean']['mean'])
                self.assertEqual(d['candidates_total'], 4)
                self.assertTrue(2 <= d['distinct_total'] <= 4)
                self.assertEqual(len(s['per_face']), 2)
                for f in s['per_face']:
                    self.assertEqual((len(f['lr_l1']), len(f['pairwise'])), (2, 1))
            with open(os.path.join(out, 'table.md')) as f:
                self.assertEqual(len(f.read().strip().splitlines()), 2 + 3)


if __name__ == '__main__':
    unittest.main()
