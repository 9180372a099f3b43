"""The committed samples.png sheets show generated faces only: HR inputs come from the shipped
ProGAN generator, and each card's `samples` field describes the rows that were drawn.

  /usr/bin/python3 -m unittest train.tests.test_degradation_samples      (from the repository root)
"""
import json
import os
import shutil
import tempfile
import unittest

import numpy as np
import torch
from PIL import Image

from train.common.paths import WEIGHTS_DIR as WEIGHTS
from train.degradation import samples as ds
from train.degradation.card import sample_rows, samples_field


class DegradationSamplesTest(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp()
        for name in ('progan', 'degrader', 'low2high'):
            shutil.copytree(os.path.join(WEIGHTS, name), os.path.join(self.tmp, name))

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_sheets_start_with_progan_faces_and_cards_say_so(self):
        ds.main(self.tmp)
        hr = ((ds.progan_faces(self.tmp) + 1) * 127.5).round().byte().permute(0, 2, 3, 1).numpy()
        expected_first_row = np.concatenate(list(hr), axis=1)
        for name, kind in (('degrader', 'degrader'), ('low2high', 'low2high')):
            img = np.asarray(Image.open(os.path.join(self.tmp, name, 'samples.png')))
            rows = sample_rows(kind)
            self.assertEqual(img.shape, (64 * len(rows), 64 * 8, 3))
            # the PNG round-trip is lossless, so the first row is exactly the generated faces
            self.assertTrue(np.array_equal(img[:64], expected_first_row))
            with open(os.path.join(self.tmp, name, 'card.json')) as f:
                card = json.load(f)
            self.assertEqual(card['samples']['rows'], rows)
            self.assertIn('ProGAN', card['samples']['rows'][0])
            self.assertFalse(any('real-LR' in r or 'test HR' in r for r in card['samples']['rows']))

    def test_shipped_cards_describe_their_sheets(self):
        for name, kind in (('degrader', 'degrader'), ('low2high', 'low2high'), ('low2high-bicubic', 'low2high')):
            with open(os.path.join(WEIGHTS, name, 'card.json')) as f:
                self.assertEqual(json.load(f)['samples'], samples_field(kind))
            h = Image.open(os.path.join(WEIGHTS, name, 'samples.png')).size[1]
            self.assertEqual(h, 64 * len(sample_rows(kind)))


if __name__ == '__main__':
    torch.set_num_threads(1)
    unittest.main()
