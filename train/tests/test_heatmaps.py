"""Smoke test of the distilled heatmap student (paper 003 §3.3): tiny config on a synthetic
teacher cache (CI has no face-api landmark cache), export, exported-forward parity, decoding."""
import json
import os
import shutil
import tempfile
import time
import unittest

import numpy as np
import torch

from train.common.export import read_exported
from train.heatmaps.export import export, fold, forward_exported, load_student, make_fixture
from train.heatmaps.model import FLIP, HeatmapStudent, decode, flip_batch, nme, render
from train.heatmaps.train import main as train_main
from train.tests.landmark_cache import fake_caches

torch.set_num_threads(1)


class HeatmapStudentSmoke(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.tmp = tempfile.mkdtemp(prefix='heatmaps-test-')
        cache = fake_caches(os.path.join(cls.tmp, 'cache'))
        t = time.time()
        cls.info = train_main(['--config', 'tiny', '--cache', cache, '--out', os.path.join(cls.tmp, 'run')])
        cls.seconds = time.time() - t

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp, ignore_errors=True)

    def test_tiny_run_finishes_fast_with_facts(self):
        self.assertLess(self.seconds, 60)
        self.assertEqual(self.info['steps'], 3)
        self.assertTrue(np.isfinite(self.info['nme_test']))
        self.assertEqual(self.info['test_faces'], 8)

    def test_resume_continues_the_count(self):
        out = os.path.join(self.tmp, 'resumed')
        cache = os.path.join(self.tmp, 'cache')
        train_main(['--config', 'tiny', '--cache', cache, '--out', out])
        info = train_main(['--config', 'tiny', '--cache', cache, '--out', out, '--resume'])
        self.assertEqual(info['steps'], 3)  # tiny's 3 steps were already done: nothing more to do
        self.assertEqual(info['sessions'], 2)

    def test_export_and_exported_forward_match(self):
        out = os.path.join(self.tmp, 'export')
        err = export(os.path.join(self.tmp, 'run'), out, os.path.join(self.tmp, 'fx.json'))
        self.assertLess(err, 2e-2)  # float16 rounding only
        with open(os.path.join(out, 'card.json')) as f:
            card = json.load(f)
        self.assertIn('non-commercial', card['license'])
        self.assertIn('CPU-trained stand-in', card['quality_note'])
        fx = make_fixture(out)
        self.assertEqual(fx['shape'], [2, 4, 4, 68])
        # read back as the frozen F_d of paper 003 Eq. 5: same outputs as the plain-op forward
        fd = load_student(out)
        self.assertFalse(any(p.requires_grad for p in fd.parameters()))
        _, W = read_exported(out)
        x = torch.rand(2, 3, 64, 64) * 2 - 1
        with torch.no_grad():
            self.assertLess(float((fd(x) - forward_exported(W, x)).abs().max()), 1e-5)

    def test_render_decode_roundtrip_and_flip(self):
        p = torch.tensor([[[10.3, 20.7]] * 68])
        self.assertLess(nme(decode(render(p)), p, 64), 1e-4)
        self.assertEqual(sorted(FLIP), list(range(68)))
        x = torch.zeros(1, 3, 64, 64)
        x[..., 5] = 1
        fx, fp = flip_batch(x, p)
        self.assertEqual(float(fx[0, 0, 0, 58]), 1.0)
        self.assertAlmostEqual(float(fp[0, 0, 0]), 64 - 10.3, places=5)

    def test_student_forward_equals_plain_op_forward(self):
        m = HeatmapStudent((4, 4, 8, 8), (8, 4, 4)).eval()
        W = fold(m)
        x = torch.rand(1, 3, 64, 64) * 2 - 1
        with torch.no_grad():
            self.assertLess(float((m(x) - forward_exported(W, x)).abs().max()), 1e-5)


if __name__ == '__main__':
    unittest.main()
