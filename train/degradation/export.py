"""The export flow both degradation-pipeline models share (train/degrader/export.py,
train/low2high/export.py hold their folds, plain-op forwards and model configs): load the run,
write model.json + float16 shards (train/common/export.py), check that the exported weights
reproduce the generator, write card.json (train/degradation/card.py)."""
import argparse
import os

import torch

from train.common.export import (check_roundtrip, export_weights, load_run, n_shards, rel_err, write_json)
from train.common.paths import WEIGHTS_DIR
from train.common.run_state import param_count
from train.degradation.card import card
from train.degrader.model import DegraderG, ResD
from train.low2high.model import Low2HighG

GENERATED_BY = 'train/export_common.py'  # the name the shipped model.json files carry; kept so a re-export is byte-identical


def load_models(run_dir):
    """-> (kind, G in eval mode, D, run.json) of a degrader or low2high run."""
    ck, run = load_run(run_dir)
    c = ck['cfg']
    if c['kind'] == 'degrader':
        G = DegraderG(c['g_widths'], c['noise_dim'], global_skip=c.get('global_skip', False))
        D = ResD(16, c['d_widths'], c['d_pools'])
    else:
        G, D = Low2HighG(c['g_widths']), ResD(64, c['d_widths'], c['d_pools'])
    G.load_state_dict(ck['G'])
    D.load_state_dict(ck['D'])
    return c['kind'], G.eval(), D, run


def export_gan(kind, run_dir, out_dir, fold, forward, model_config, test_inputs, note=None, name=None):
    """Export a `kind` run's generator to out_dir (named after out_dir unless `name`)."""
    k, G, D, run = load_models(run_dir)
    if k != kind:
        raise SystemExit(f'{run_dir} is a {k} run, not {kind}')
    name = name or os.path.basename(os.path.normpath(out_dir))
    config = model_config(G)
    model, nbytes, W = export_weights(fold(G), out_dir, config, name, GENERATED_BY)
    x = test_inputs(torch.Generator().manual_seed(0))
    with torch.no_grad():
        err = check_roundtrip(rel_err(forward(W, *x), G(*x)))
    write_json(os.path.join(out_dir, 'card.json'), card(kind, run, G, D, config, nbytes, n_shards(model), name, note))
    print(f'exported {kind} ({param_count(G):,} params, {nbytes / 1e6:.2f} MB float16, {n_shards(model)} shard(s)) '
          f'to {out_dir}; float16 round-trip rel err {err:.2e}')
    return model


def export_cli(doc, kind, export, argv=None):
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--run', required=True, help='run dir with checkpoint.pt + run.json')
    ap.add_argument('--out', default=os.path.join(WEIGHTS_DIR, kind))
    ap.add_argument('--note', default=None, help="a person's observation of the samples, appended to quality_note")
    a = ap.parse_args(argv)
    torch.set_num_threads(1)
    export(a.run, a.out, a.note)
