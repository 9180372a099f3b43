"""bench/torch_ref.py, the PyTorch side of `npm run bench`: its cached-layout forwards equal the
train/ parity references on the shipped weights, and its SR-NAM step (Eq. 6 + Adam) runs and
lowers the loss. Skips when the shipped weights are absent."""
import os
import unittest

import torch

from bench import torch_ref

HAVE = all(os.path.exists(os.path.join(torch_ref.WEIGHTS, m, 'model.json')) for m in ('progan', 'degrader', 'low2high'))


@unittest.skipUnless(HAVE, 'shipped progan/degrader/low2high weights are missing')
class BenchRefTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.set_num_threads(1)
        cls.ref = torch_ref.Ref()
        cls.loads = {m: cls.ref.load(m) for m in ('progan', 'degrader', 'low2high')}

    def test_cached_forwards_equal_train_references(self):
        for m, r in self.loads.items():
            self.assertEqual(r['kind'], m)
            self.assertLess(r['maxdiff'], 1e-6, m)

    def test_new_models_checked_against_train_references(self):
        # heatmaps (heatmaps/export.py forward_exported) and both progressive-sr sets
        # (progressive_sr/export.py forward_exported: every step's toRGB), each if shipped
        kinds = {'heatmaps': 'heatmaps', 'progressive-sr': 'progressive-sr', 'progressive-sr-noatt': 'progressive-sr'}
        for m, kind in kinds.items():
            if not os.path.exists(os.path.join(torch_ref.WEIGHTS, m, 'model.json')):
                continue
            r = self.ref.load(m)
            self.assertEqual(r['kind'], kind, m)
            self.assertLess(r['maxdiff'], 1e-6, m)
            self.assertGreater(self.ref.forward(m, 1)['ms'], 0)

    def test_forward_is_timed(self):
        self.assertGreater(self.ref.forward('progan', 1)['ms'], 0)

    def test_srnam_step_runs_and_descends(self):
        target = [0.3 * ((i % 7) / 7 - 0.5) for i in range(768)]
        self.ref.setup(K=2, seed=1, target=target, lr=1e-2)
        first = self.ref.steps(1)['last']
        for _ in range(3):
            last = self.ref.steps(2)['last']
        self.assertEqual(len(last), 2)
        self.assertLess(sum(last), sum(first))


if __name__ == '__main__':
    unittest.main()
