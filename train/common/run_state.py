"""Run bookkeeping for the training loop (train/common/loop.py): device choice, the hardware
string the model cards quote, atomic checkpoints with RNG state (bit-exact resume on CPU),
SIGTERM as a checkpoint-then-stop request, refusing to overwrite a run, run.json, parameter counts.
"""
import json
import os
import platform
import signal

import torch


def pick_device(name):
    """'auto' (or empty) -> cuda when available, else cpu; anything else is passed to torch."""
    if name and name != 'auto':
        return torch.device(name)
    return torch.device('cuda' if torch.cuda.is_available() else 'cpu')


def hardware(device):
    """GPU name, or the CPU model from /proc/cpuinfo: the card's 'trained on' wording."""
    if device.type == 'cuda':
        return torch.cuda.get_device_name(device)
    try:
        with open('/proc/cpuinfo') as f:
            for line in f:
                if line.startswith('model name'):
                    return line.split(':', 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or 'unknown CPU'


def rng_states(device):
    """Torch (and CUDA) generator states for a checkpoint; restore with restore_rng_states."""
    return {'torch_rng': torch.get_rng_state(),
            'cuda_rng': torch.cuda.get_rng_state_all() if device.type == 'cuda' else None}


def restore_rng_states(s, device):
    if s.get('torch_rng') is None:  # a checkpoint written before it kept RNG state (heatmaps)
        return
    torch.set_rng_state(s['torch_rng'].cpu())
    if s.get('cuda_rng') is not None and device.type == 'cuda':
        torch.cuda.set_rng_state_all(s['cuda_rng'])


def atomic_save(state, path):
    """torch.save to path.tmp then rename: a kill mid-save leaves the previous checkpoint."""
    tmp = path + '.tmp'
    torch.save(state, tmp)
    os.replace(tmp, path)


def write_run_json(out_dir, info):
    with open(os.path.join(out_dir, 'run.json'), 'w') as f:
        json.dump(info, f, indent=1)


def sigterm_stop():
    """-> {'flag': False}, set to True on SIGTERM so the loop can checkpoint before exiting."""
    stop = {'flag': False}
    try:
        signal.signal(signal.SIGTERM, lambda *_: stop.update(flag=True))
    except ValueError:  # not the main thread (e.g. a test runner's worker)
        pass
    return stop


def should_resume(ckpt_path, resume):
    """True when --resume and a checkpoint exists; refuses to overwrite one without --resume."""
    if not os.path.exists(ckpt_path):
        return False
    if not resume:
        raise SystemExit(f'{ckpt_path} exists: pass --resume, or choose another --out')
    return True


def param_count(module):
    return sum(p.numel() for p in module.parameters())
