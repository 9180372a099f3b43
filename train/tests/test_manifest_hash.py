"""card.json's weights_manifest_sha256 (issue 19 #2): the hash of model.json's canonical manifest
text (train/common/export.py manifest_text; src/models/manifestHash.ts writes the same text and
test/unit/reliability.weights.test.ts checks the same digests), written by every exporter and
checked by the browser's loader. Fast: no training.

  /usr/bin/python3 -m unittest train.tests.test_manifest_hash      (from the repository root)
"""
import json
import os
import shutil
import tempfile
import unittest

import numpy as np

from train.common.export import (MANIFEST_HASH_FIELD, export_weights, manifest_sha256, manifest_text, weights_field,
                                 write_json)
from train.common.paths import REPO_ROOT as REPO
from train.common.stamp_cards import stamp, stamped_text

WEIGHTS = os.path.join(REPO, 'static', 'weights')
DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'data')
FACE_API = os.path.join(REPO, 'node_modules', '@vladmandic', 'face-api', 'model')


def read_json(path):
    with open(path, encoding='utf-8') as f:
        return json.load(f)


class ShippedCards(unittest.TestCase):
    def test_every_shipped_card_names_its_model_json_manifest_hash(self):
        models = sorted(os.listdir(WEIGHTS))
        self.assertGreaterEqual(len(models), 7)
        for m in models:
            mj = read_json(os.path.join(WEIGHTS, m, 'model.json'))
            card = read_json(os.path.join(WEIGHTS, m, 'card.json'))
            self.assertEqual(card.get(MANIFEST_HASH_FIELD), manifest_sha256(mj), m)
            self.assertEqual(stamp(os.path.join(WEIGHTS, m), check=True)[1], 'ok', m)

    def test_renaming_reordering_or_swapping_changes_the_hash(self):
        mj = read_json(os.path.join(WEIGHTS, 'progan', 'model.json'))
        ws = mj['weightsManifest'][0]['weights']
        base = manifest_sha256(mj)
        i, j = 4, 6  # g/8/conv1/w, g/8/conv2/w: both 3x3x128x128
        self.assertEqual(ws[i]['shape'], ws[j]['shape'])
        ws[i]['name'], ws[j]['name'] = ws[j]['name'], ws[i]['name']
        self.assertNotEqual(manifest_sha256(mj), base)
        ws[i]['name'], ws[j]['name'] = ws[j]['name'], ws[i]['name']
        ws[2], ws[3] = ws[3], ws[2]
        self.assertNotEqual(manifest_sha256(mj), base)
        ws[2], ws[3] = ws[3], ws[2]
        self.assertEqual(manifest_sha256(mj), base)
        rec = mj['integrity']['group1-shard1of1.bin']
        rec['sha256'] = rec['sha256'].upper()  # the same record: hex case is not meaning
        self.assertEqual(manifest_sha256(mj), base)
        rec['sha256'] = '0' * 64
        self.assertNotEqual(manifest_sha256(mj), base)


class CanonicalText(unittest.TestCase):
    """The same digests as the TypeScript side computes (reliability.weights.test.ts)."""

    def test_edge_cases(self):
        mj = read_json(os.path.join(DATA, 'manifest_edge_cases.json'))
        self.assertEqual(
            manifest_text(mj),
            'srlab-weights-manifest 1\ngroup\nshard 10 ' + 'ab' * 32 + ' a b.bin\nshard 0 ' + '0' * 64 + ' c,d.bin\n'
            'weight float32 - - scalar one\n'
            'weight int32 0x2 uint8,scale=3ff0000000000000,min=0000000000000000 n\u00e4me w\u00efth spaces\n'
            'group\nweight float32 2x3 float16 ok \U0001F600\n')
        with open(os.path.join(DATA, 'manifest_edge_cases.sha256')) as f:
            self.assertEqual(manifest_sha256(mj), f.read().strip())

    @unittest.skipUnless(os.path.isdir(FACE_API), 'node_modules/@vladmandic/face-api not installed')
    def test_quantisation_scale_and_min(self):
        for model, digest in [('tiny_face_detector_model', '85307a65fd80cfa6f64810f9e42170e1d8d5bbaf90044f7b208620a434b3671d'),
                              ('face_landmark_68_model', '137713d8388566633e9027c8ecf1538e8fcb24ba497054d7477bcdd69d99b66c')]:
            manifest = read_json(os.path.join(FACE_API, f'{model}-weights_manifest.json'))
            mj = {'weightsManifest': manifest, 'integrity': {f'{model}.bin': {'bytes': 1, 'sha256': '0' * 64}}}
            self.assertEqual(manifest_sha256(mj), digest, model)

    def test_refuses_what_it_cannot_write_unambiguously(self):
        for bad in [{'name': 'a\nb'}, {'name': ''}, {'name': '\ud800x'}, {'dtype': 'float 32'}, {'shape': [1.5]},
                    {'shape': [-1]}, {'shape': [True]}, {'quantization': {'dtype': 'uint8', 'scale': 'x'}},
                    {'quantization': {'dtype': 'uint8', 'min': float('nan')}}]:
            spec = {'name': 'w', 'dtype': 'float32', 'shape': [1], **bad}
            with self.assertRaisesRegex(ValueError, 'cannot be hashed'):
                manifest_text({'weightsManifest': [{'paths': [], 'weights': [spec]}], 'integrity': {}})
        with self.assertRaisesRegex(ValueError, 'integrity record'):
            manifest_text({'weightsManifest': [{'paths': ['x.bin'], 'weights': []}], 'integrity': {}})


class Exporter(unittest.TestCase):
    def setUp(self):
        self.tmp = tempfile.mkdtemp(prefix='manifest-hash-')

    def tearDown(self):
        shutil.rmtree(self.tmp, ignore_errors=True)

    def test_a_tiny_export_writes_the_hash_into_its_card(self):
        rng = np.random.default_rng(0)
        arrays = {'a/w': rng.standard_normal((3, 3, 2, 4)).astype(np.float32), 'a/b': np.zeros(4, np.float32),
                  'b/w': rng.standard_normal((3, 3, 2, 4)).astype(np.float32)}
        out = os.path.join(self.tmp, 'tiny')
        model, nbytes, _ = export_weights(arrays, out, {'kind': 'test'}, 'tiny', 'test_manifest_hash')
        write_json(os.path.join(out, 'card.json'), {'model': 'tiny', 'weights': weights_field(nbytes, 1)})
        card = read_json(os.path.join(out, 'card.json'))
        self.assertEqual(card[MANIFEST_HASH_FIELD], manifest_sha256(model))
        self.assertEqual(card[MANIFEST_HASH_FIELD], manifest_sha256(read_json(os.path.join(out, 'model.json'))))
        self.assertEqual(list(card), ['model', 'weights', MANIFEST_HASH_FIELD])
        # a tool rewriting the card (claims, samples) keeps it bound, replacing a stale value in place
        write_json(os.path.join(out, 'card.json'), {**card, MANIFEST_HASH_FIELD: '0' * 64, 'later': 1})
        again = read_json(os.path.join(out, 'card.json'))
        self.assertEqual(list(again), ['model', 'weights', MANIFEST_HASH_FIELD, 'later'])
        self.assertEqual(again[MANIFEST_HASH_FIELD], manifest_sha256(model))
        # a re-export with other weights changes the hash
        arrays['a/w'], arrays['b/w'] = arrays['b/w'], arrays['a/w']
        model2, _, _ = export_weights(arrays, out, {'kind': 'test'}, 'tiny', 'test_manifest_hash')
        self.assertNotEqual(manifest_sha256(model2), manifest_sha256(model))

    def test_a_card_without_a_model_json_beside_it_is_written_as_given(self):
        write_json(os.path.join(self.tmp, 'card.json'), {'model': 'x'})
        self.assertEqual(read_json(os.path.join(self.tmp, 'card.json')), {'model': 'x'})

    def test_stamping_an_existing_card_changes_only_the_field(self):
        text = '{\n "model": "x",\n "eps": 1e-8,\n "w": [\n  1\n ]\n}'
        digest = 'ab' * 32
        once = stamped_text(text, digest)
        self.assertEqual(once, '{\n "model": "x",\n "eps": 1e-8,\n "w": [\n  1\n ],\n "weights_manifest_sha256": "' + digest + '"\n}')
        self.assertEqual(stamped_text(once, 'cd' * 32), once.replace(digest, 'cd' * 32))
        self.assertEqual(stamped_text('{}', digest), '{\n "weights_manifest_sha256": "' + digest + '"\n}')


if __name__ == '__main__':
    unittest.main()
