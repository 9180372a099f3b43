"""The command line every training entry point shares (train/<model>/train.py adds its own
options to `parser()`), config assembly, and `launch()`: threads, run directory, device, the
refusal to overwrite a run without --resume, the loop of train/common/loop.py, and under
torchrun the process group (train/common/dist.py; a plain single process without it)."""
import argparse
import os

import torch

from train.common import dist
from train.common.paths import RUNS_DIR
from train.common.run_state import pick_device, should_resume


def parser(doc, configs, out_default):
    """Options of every model: --config --out --data-dir --device --threads --resume --max-minutes
    --budget-minutes --seed --data-limit --log-every."""
    ap = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--config', default='tiny', choices=sorted(configs), help='tiny (CI smoke) | cpu | full (GPU)')
    ap.add_argument('--out', default=None, help=f'run directory (default train/runs/{out_default})')
    ap.add_argument('--data-dir', default=None, help='default: repo/.data if present, else ../shared/data')
    ap.add_argument('--device', default='auto', help='auto | cpu | cuda | cuda:N')
    ap.add_argument('--threads', type=int, default=1, help='torch CPU threads (shared machine: keep 1)')
    ap.add_argument('--resume', action='store_true', help='continue from <out>/checkpoint.pt')
    ap.add_argument('--max-minutes', type=float, default=None, help='checkpoint and stop after this long')
    ap.add_argument('--budget-minutes', type=float, default=None,
                    help='stop once the run\'s total wall time (summed over resumes) exceeds this')
    ap.add_argument('--seed', type=int, default=None)
    ap.add_argument('--data-limit', type=int, default=None, help='override the number of training faces')
    ap.add_argument('--log-every', type=float, default=15.0, help='seconds between progress lines')
    return ap


def make_cfg(configs, common, name, name_key='name', **overrides):
    """common < configs[name] < the overrides that are not None; the config's name under name_key."""
    if name not in configs:
        raise KeyError(f'unknown config {name!r}; choose from {sorted(configs)}')
    cfg = dict(common)
    cfg.update(configs[name])
    cfg.update({k: v for k, v in overrides.items() if v is not None})
    cfg[name_key] = name
    return cfg


def default_out(tag):
    return os.path.join(RUNS_DIR, tag)


def launch(run_cls, cfg, a, out_tag, **kwargs):
    """Build run_cls(cfg, out, device, data_dir, **kwargs), resume it if asked, run it; -> the run.
    Under torchrun every process does this; all read the same checkpoint on --resume (the run
    directory must be one every process sees), rank 0 writes, and all meet at a barrier at the end."""
    torch.set_num_threads(a.threads)
    out = a.out or default_out(out_tag)
    os.makedirs(out, exist_ok=True)
    device = dist.init(pick_device(a.device))
    if device.type == 'cuda':
        torch.backends.cudnn.benchmark = run_cls.cudnn_benchmark
        if run_cls.allow_tf32:
            torch.backends.cuda.matmul.allow_tf32 = True
    r = run_cls(cfg, out, device, a.data_dir, **kwargs)
    print(r.banner(), flush=True)
    if should_resume(r.ckpt_path, a.resume):
        r.load()
    r.run(a.max_minutes if a.max_minutes is not None else cfg.get('max_minutes'), a.log_every, a.budget_minutes)
    dist.barrier()
    return r
