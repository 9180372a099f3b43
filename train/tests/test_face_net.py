"""train/common/face_net.py: face-api's face-recognition net in PyTorch.

Descriptors are compared with face-api's own FaceRecognitionNet on the synthetic faces of
test/fixtures/face-net-descriptors.json (made by `node scripts/face-net-fixture.js`; the Node unit
test test/unit/faceNet.test.ts re-runs face-api on them). Also: feature map shapes, gradients to
the input, the legacy resize and pad-to-square conventions.

  /usr/bin/python3 -m unittest train.tests.test_face_net      (from the repository root)
"""
import base64
import json
import os
import tempfile
import unittest

import numpy as np
import torch

from train.common.face_net import (CHANNELS, DESCRIPTOR_DIM, FEATURE_LAYERS, MANIFEST, MODEL_DIR, feature_size,
                                   legacy_resize_bilinear, load_face_net, pad_to_square)
from train.common.paths import FIXTURES_DIR

FIXTURE = os.path.join(FIXTURES_DIR, 'face-net-descriptors.json')


def fixture_faces():
    """-> [(x NCHW [-1, 1] float32, expected descriptor float64 [128])] from the fixture."""
    with open(FIXTURE) as f:
        fx = json.load(f)
    out = []
    for im, desc in zip(fx['images'], fx['descriptors']):
        a = np.frombuffer(base64.b64decode(im['rgb_base64']), np.uint8).reshape(im['height'], im['width'], 3)
        x = torch.from_numpy(a.copy()).permute(2, 0, 1)[None].float() / 127.5 - 1
        out.append((x, np.asarray(desc, np.float64)))
    return out


@unittest.skipUnless(os.path.isfile(os.path.join(MODEL_DIR, MANIFEST)), 'face-api weights missing (npm ci)')
class FaceNetTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        torch.manual_seed(0)
        cls.net = load_face_net()

    def test_descriptors_equal_face_api(self):
        faces = fixture_faces()
        self.assertEqual(len(faces), 3)
        for x, expected in faces:
            with torch.no_grad():
                got = self.net.descriptor(x)[0].double().numpy()
            self.assertEqual(got.shape, (DESCRIPTOR_DIM,))
            rel = np.linalg.norm(got - expected) / np.linalg.norm(expected)
            self.assertLess(rel, 1e-4, f'{tuple(x.shape)}: relative error {rel:.2e}')

    def test_descriptor_is_the_pooled_last_stage_at_150px(self):
        x = torch.rand(2, 3, 150, 150) * 2 - 1
        with torch.no_grad():
            last = self.net.features(x, ('conv256_out',))['conv256_out']
            torch.testing.assert_close(self.net.descriptor(x), last.mean((2, 3)) @ self.net.fc)

    def test_feature_shapes(self):
        for side, sides in ((64, (14, 7, 3, 1)), (128, (30, 15, 7, 3, 1))):
            layers = FEATURE_LAYERS[:len(sides)]
            with torch.no_grad():
                maps = self.net.features(torch.zeros(2, 3, side, side), layers)
            self.assertEqual(list(maps), list(layers))
            for layer, s in zip(layers, sides):
                self.assertEqual(tuple(maps[layer].shape), (2, CHANNELS[layer], s, s), (side, layer))
                self.assertEqual(feature_size(side, layer), s)
        with self.assertRaisesRegex(ValueError, 'too small'):
            self.net.features(torch.zeros(1, 3, 64, 64), ('conv256_out',))
        with self.assertRaisesRegex(ValueError, 'unknown layer'):
            self.net.features(torch.zeros(1, 3, 64, 64), ('fc7',))

    def test_features_backpropagate_to_the_input_only(self):
        self.assertEqual(list(self.net.parameters()), [])  # nothing for an optimiser to update
        x = (torch.rand(2, 3, 64, 64) * 2 - 1).requires_grad_(True)
        target = torch.rand(2, 3, 64, 64) * 2 - 1
        with torch.no_grad():
            t = self.net.features(target, ('conv64', 'conv128'))
        f = self.net.features(x, ('conv64', 'conv128'))
        loss = sum(((f[k] - t[k]) ** 2).mean() for k in f)
        loss.backward()
        self.assertTrue(torch.isfinite(x.grad).all())
        self.assertGreater(x.grad.abs().sum().item(), 0)
        self.assertTrue(all(b.grad is None and not b.requires_grad for b in self.net.buffers()))
        # a step against the gradient lowers the content loss
        with torch.no_grad():
            y = x - 0.05 * x.grad / x.grad.abs().max()
            g = self.net.features(y, ('conv64', 'conv128'))
            self.assertLess(sum(((g[k] - t[k]) ** 2).mean() for k in g).item(), loss.item())

    def test_missing_weights_name_npm_ci(self):
        with tempfile.TemporaryDirectory() as empty:
            with self.assertRaisesRegex(FileNotFoundError, 'npm ci'):
                load_face_net(model_dir=empty)


class ResizeConventionTest(unittest.TestCase):
    def test_legacy_bilinear_has_no_half_pixel_shift(self):
        # tf.image.resizeBilinear(alignCorners=false, halfPixelCenters=false): source = dst * in/out
        x = torch.tensor([[0., 10.], [20., 30.]]).view(1, 1, 2, 2)
        y = legacy_resize_bilinear(x, 4)[0, 0]
        row = torch.tensor([0., 5., 10., 10.])
        torch.testing.assert_close(y, torch.stack([row, row + 10, row + 20, row + 20]))

    def test_pad_to_square_is_centred_with_the_odd_pixel_after(self):
        x = torch.ones(1, 1, 2, 5)  # diff 3: Math.round(1.5) = 2 rows after, 1 before
        y = pad_to_square(x)[0, 0]
        self.assertEqual(tuple(y.shape), (5, 5))
        self.assertEqual(y.sum(1).tolist(), [0, 5, 5, 0, 0])
        y = pad_to_square(torch.ones(1, 1, 4, 1))[0, 0]  # columns: diff 3, 1 before, 2 after
        self.assertEqual(y.sum(0).tolist(), [0, 4, 0, 0])


if __name__ == '__main__':
    unittest.main()
