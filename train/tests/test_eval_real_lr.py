"""Smoke test of `npm run eval:real-lr` (scripts/eval-real-lr.js -> train/degradation/real_lr_eval.py)
on a tiny subset: 8 real-LR test faces, 1 FID-proxy subsample. Checks the report's shape, that
every number is finite, that bicubic x4 degraded back by bicubic /4 is close to its input, and
that the contact sheet has one row per shown face and one column per method (+ the input).

  /usr/bin/python3 -m unittest train.tests.test_eval_real_lr      (from the repository root)
"""
import json
import math
import os
import shutil
import subprocess
import sys
import tempfile
import unittest

from train.common.paths import REPO_ROOT, WEIGHTS_DIR
from train.degradation.real_lr_eval import METHODS, SHEET_ROWS

HAVE = all(os.path.isfile(os.path.join(WEIGHTS_DIR, m, 'model.json')) for m in ('degrader', *METHODS[1:]))


@unittest.skipUnless(HAVE, 'shipped weights missing')
@unittest.skipUnless(shutil.which('node') and os.path.isdir(os.path.join(REPO_ROOT, 'node_modules', '@vladmandic', 'face-api')),
                     'node + node_modules needed for the FID-proxy (scripts/fid-proxy.js)')
class EvalRealLR(unittest.TestCase):
    def test_tiny_report(self):
        from PIL import Image
        with tempfile.TemporaryDirectory() as out:
            r = subprocess.run(['node', os.path.join('scripts', 'eval-real-lr.js'), '--limit', '8', '--seeds', '0', '--out', out,
                                '--spread-draws', '0'],
                               cwd=REPO_ROOT, capture_output=True, text=True, timeout=240,
                               env={**os.environ, 'SRLAB_PYTHON': sys.executable})
            self.assertEqual(r.returncode, 0, r.stdout + r.stderr)
            with open(os.path.join(out, 'report.json')) as f:
                rep = json.load(f)
            self.assertEqual(rep['n_faces'], 8)
            self.assertEqual(len(rep['real_lr_test_indices']), 8)
            self.assertTrue(all(765 <= i < 869 for i in rep['real_lr_test_indices']))  # the test split
            self.assertEqual(rep['seeds'], [0])
            self.assertEqual(list(rep['methods']), list(METHODS))
            self.assertIn('sr-nam', rep['not_evaluated'])
            self.assertNotIn('fid_proxy_spread', rep)  # --spread-draws 0 (the spread is train/tests/test_fid_spread.py)
            for name in METHODS[1:]:  # the learned methods carry the seed verdict against bicubic
                v = rep['methods'][name]['vs_bicubic']
                self.assertEqual(len(v['per_seed']), 1)
                self.assertFalse(v['beats_bicubic'])  # one seed has no spread: never a win
            for name, m in rep['methods'].items():
                self.assertEqual(len(m['fid_proxy']['per_seed']), 1, name)
                nums = [m['fid_proxy']['mean'], *m['fid_proxy']['per_seed']]
                for how in ('by_degrader', 'by_bicubic'):
                    c = m['lr_consistency'][how]
                    nums += [c['mean'], c['sd']]
                for v in nums:
                    self.assertTrue(isinstance(v, float) and math.isfinite(v), (name, nums))
                self.assertGreaterEqual(min(nums), 0, name)
            self.assertLess(rep['methods']['bicubic']['lr_consistency']['by_bicubic']['mean'], 0.02)
            sheet = Image.open(os.path.join(out, 'contact-sheet.png'))
            self.assertEqual(sheet.size, ((len(METHODS) + 1) * 128, 16 + SHEET_ROWS * 128))


if __name__ == '__main__':
    unittest.main()
