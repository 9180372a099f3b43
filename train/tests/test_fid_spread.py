"""The FID-proxy subsample spread (train/degradation/fid_spread.py): the Fréchet formula against
closed forms, and the paired spread's verdict on synthetic descriptors where the answer is known.

  /usr/bin/python3 -m unittest train.tests.test_fid_spread      (from the repository root)
"""
import os
import tempfile
import unittest

import numpy as np

from train.degradation import fid_spread
from train.degradation.fid_spread import frechet, spread


class Frechet(unittest.TestCase):
    def test_closed_forms(self):
        rng = np.random.default_rng(0)
        a = rng.standard_normal((400, 8))
        self.assertLess(abs(frechet(a, a)), 1e-8)
        self.assertAlmostEqual(frechet(a, a + 0.5), 8 * 0.25, places=8)  # a shift only moves the mean term
        b = a * 3.0
        ca = np.cov(a, rowvar=False)
        expect = float(((a.mean(0) * 2) ** 2).sum() + 4 * np.trace(ca))
        self.assertAlmostEqual(frechet(a, b), expect, places=6)


class Spread(unittest.TestCase):
    def test_verdict_on_known_answers(self):
        rng = np.random.default_rng(1)
        hr = rng.standard_normal((300, 4))
        faces = 60
        feats = {'bicubic': rng.standard_normal((faces, 4)) + 0.6,  # far from HR in mean
                 'good': rng.standard_normal((faces, 4)) * 1.0,  # HR-like
                 'worse': rng.standard_normal((faces, 4)) + 0.9}
        out = spread(feats, hr, 40, 40, draws=100, seed=3)
        self.assertTrue(out['methods']['good']['vs_bicubic']['beats'])
        self.assertEqual(out['methods']['good']['vs_bicubic']['share_lower'], 1.0)
        self.assertFalse(out['methods']['worse']['vs_bicubic']['beats'])
        self.assertLess(out['methods']['worse']['vs_bicubic']['share_lower'], 0.05)
        self.assertNotIn('vs_bicubic', out['methods']['bicubic'])
        again = spread(feats, hr, 40, 40, draws=100, seed=3)
        self.assertEqual(again, out)  # seeded

    def test_descriptor_cache_is_keyed_by_the_images(self):
        calls = []
        real = fid_spread.descriptors
        fid_spread.descriptors = lambda u8: calls.append(len(u8)) or np.full((len(u8), 2), float(u8.mean()))
        try:
            with tempfile.TemporaryDirectory() as d:
                p = os.path.join(d, 'c.npz')
                x = np.zeros((3, 4, 4, 3), np.uint8)
                fid_spread.cached_descriptors(x, p)
                fid_spread.cached_descriptors(x, p)
                self.assertEqual(calls, [3])
                y = x + 1
                self.assertEqual(float(fid_spread.cached_descriptors(y, p)[0, 0]), 1.0)
                self.assertEqual(calls, [3, 3])
        finally:
            fid_spread.descriptors = real


if __name__ == '__main__':
    unittest.main()
