"""The SRResNet / SRGAN parity-fixture writer (train/srgan/parity.py): from an export of a randomly
initialised generator and discriminator (batch-norm statistics made non-trivial so folding
matters), the fixture is small, names the export's shards, and its recorded values are the
modules' own outputs up to float16 weight rounding. No data or training needed.

  /usr/bin/python3 -m unittest train.tests.test_srgan_parity      (from the repository root)
"""
import json
import os
import shutil
import tempfile
import unittest

import numpy as np
import torch

from train.common.export import export_weights
from train.srgan.export import fold_d, fold_g
from train.srgan.model import Discriminator, SRResNet
from train.srgan.parity import make_fixture, u8_to_nchw

torch.set_num_threads(1)


def randomise_bn(m, g):
    for bn in (x for x in m.modules() if isinstance(x, torch.nn.BatchNorm2d)):
        bn.running_mean.copy_(torch.randn(bn.num_features, generator=g) * 0.1)
        bn.running_var.copy_(torch.rand(bn.num_features, generator=g) + 0.5)
        bn.weight.data.copy_(torch.rand(bn.num_features, generator=g) + 0.5)
        bn.bias.data.copy_(torch.randn(bn.num_features, generator=g) * 0.1)


class ParityFixture(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        g = torch.Generator().manual_seed(3)
        torch.manual_seed(3)
        cls.G, cls.D = SRResNet(8, 2).eval(), Discriminator(8, 16).eval()
        randomise_bn(cls.G, g)
        randomise_bn(cls.D, g)
        cls.tmp = tempfile.mkdtemp()
        cls.dir = os.path.join(cls.tmp, 'srgan-test')
        export_weights({**fold_g(cls.G), **fold_d(cls.D)}, cls.dir, {'width': 8, 'blocks': 2}, 'srgan-test', 'test')
        cls.lr_u8 = np.random.default_rng(5).integers(0, 256, (2, 16, 16, 3), dtype=np.uint8)
        cls.name, cls.fx = make_fixture(cls.dir, cls.lr_u8)

    @classmethod
    def tearDownClass(cls):
        shutil.rmtree(cls.tmp)

    def test_small_and_names_its_weights(self):
        self.assertEqual(self.name, 'srgan-test')
        self.assertLess(len(json.dumps(self.fx, separators=(',', ':'))), 20_000)
        self.assertEqual(self.fx['lr_shape'], [2, 16, 16, 3])
        with open(os.path.join(self.dir, 'model.json')) as f:
            self.assertEqual(self.fx['weights_integrity'], json.load(f)['integrity'])

    @torch.no_grad()
    def test_recorded_values_are_the_modules_outputs(self):
        lr = u8_to_nchw(self.lr_u8)
        sr = self.G(lr).permute(0, 2, 3, 1).numpy()
        scale = np.abs(sr).max()
        for c in self.fx['cases']:
            y, x, h, w = (c['crop'][k] for k in 'yxhw')
            want = sr[c['samples'], y:y + h, x:x + w, :].ravel()
            self.assertLess(np.abs(np.array(c['values']) - want).max() / scale, 2e-2)  # float16 weights
        logits = self.D.logit_map(u8_to_nchw(self.lr_u8, 4)).permute(0, 2, 3, 1).numpy().ravel()
        self.assertEqual(len(self.fx['d_logits_nearest']), 2 * 4 * 4)
        self.assertLess(np.abs(np.array(self.fx['d_logits_nearest']) - logits).max() / np.abs(logits).max(), 2e-2)
        self.assertEqual(len(self.fx['d_logits_sr']), 2 * 4 * 4)

    def test_generator_only_weights_record_no_discriminator(self):
        d = os.path.join(self.tmp, 'srresnet-test')
        export_weights(fold_g(self.G), d, {'width': 8, 'blocks': 2}, 'srresnet-test', 'test')
        _, fx = make_fixture(d, self.lr_u8)
        self.assertNotIn('d_logits_sr', fx)


if __name__ == '__main__':
    unittest.main()
