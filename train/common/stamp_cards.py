"""Stamp (or check) card.json's weights_manifest_sha256 for exported models without re-exporting:

  /usr/bin/python3 -m train.common.stamp_cards static/weights/*          # stamp
  /usr/bin/python3 -m train.common.stamp_cards --check static/weights/*  # exit 1 on a mismatch

The card's text is edited, not re-dumped: the field's value is replaced where it is, or the field
is added last, and every other byte stays as it was (hand-edited cards keep their formatting).
Exporters need none of this: write_json stamps every card.json it writes (train/common/export.py).
"""
import argparse
import json
import os
import re
import sys

from train.common.export import MANIFEST_HASH_FIELD, model_json_manifest_sha256

_FIELD = re.compile(r'("%s"\s*:\s*)"[^"]*"' % MANIFEST_HASH_FIELD)


def stamped_text(text, digest):
    """card.json text with weights_manifest_sha256 = digest (replaced in place, else added last)."""
    card = json.loads(text)
    if MANIFEST_HASH_FIELD in card:
        new, n = _FIELD.subn(lambda m: m.group(1) + json.dumps(digest), text)
        if n != 1:
            raise ValueError(f'{MANIFEST_HASH_FIELD} appears {n} times as a string in the card text')
    else:
        end = text.rstrip().rfind('}')
        body = text[:end].rstrip()
        sep = '' if body.endswith('{') else ','
        indent = re.search(r'\n([ \t]+)"', text)
        pad = indent.group(1) if indent else ' '
        new = f'{body}{sep}\n{pad}{json.dumps(MANIFEST_HASH_FIELD)}: {json.dumps(digest)}\n' + text[end:]
    if json.loads(new) != {**card, MANIFEST_HASH_FIELD: digest}:
        raise ValueError('stamping would change more than the one field')
    return new


def stamp(model_dir, check=False):
    """-> (digest, what happened: 'ok' | 'stamped' | 'mismatch')."""
    digest = model_json_manifest_sha256(model_dir)
    path = os.path.join(model_dir, 'card.json')
    with open(path, encoding='utf-8') as f:
        text = f.read()
    if json.loads(text).get(MANIFEST_HASH_FIELD) == digest:
        return digest, 'ok'
    if check:
        return digest, 'mismatch'
    with open(path, 'w', encoding='utf-8') as f:
        f.write(stamped_text(text, digest))
    return digest, 'stamped'


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    ap.add_argument('--check', action='store_true', help='only compare; exit 1 when a card is missing the hash or differs')
    ap.add_argument('model_dirs', nargs='+')
    args = ap.parse_args(argv)
    bad = 0
    for d in args.model_dirs:
        digest, what = stamp(d, args.check)
        print(f'{d}: {what} {digest}')
        bad += what == 'mismatch'
    return 1 if bad else 0


if __name__ == '__main__':
    sys.exit(main())
