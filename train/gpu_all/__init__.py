"""Train and export every model's config in turn, in time slices that resume each other.

  python3 -m train.gpu_all --config full --slice-minutes 9 --out $OUT     # one slice (device machine)
  python3 -m train.gpu_all status                                         # where the chain stands
  python3 -m train.gpu_all plan [--stage .data]     # what the next slice needs carried (and stage its data)
  python3 -m train.gpu_all unpack --from DIR        # merge a slice's packed output into the work dir
  python3 -m train.gpu_all install [--to static/weights --fixtures test/fixtures]  # a person's decision

The chain, in dependency order (`STEPS`): ProGAN; the heatmap student; the High-to-Low degrader;
the Low-to-High twins (LR from the degrader just exported / bicubic) and the degradation sample
sheets; the progressive-SR twins (F_d = the student just exported), their evaluation and export.
Each step trains through its own train/<model>/train.py (a subprocess; under torchrun with
--nproc N > 1) with --resume when its run directory holds a checkpoint and --max-minutes set to
what is left of the slice, and is exported as soon as its schedule is finished. A slice ends
when its time is spent (or the chain is done); progress is in <work>/state.json.

Work directory (default train/runs/gpu-<config>, git-ignored): state.json, log.txt, runs/<step>/
(checkpoints, run.json, filmstrips, stage samples), weights/<model>/ (exports: model.json,
shards, card.json, ...), fixtures/ (parity fixtures; never test/fixtures), metrics/.

--out DIR receives what a device call can bring back: state.json, log.txt and pack.tgz.NNN, one
gzipped tar of every work-directory file this slice wrote, split into parts of --part-mb (at
most --out-mb in all; files that do not fit, largest and least needed last, stay behind and are
listed in state.json 'left_behind'). `unpack` joins the parts into the work directory here.
"""

from train.gpu_all.steps import BY_NAME, STEPS, Step
from train.gpu_all.chain import Chain
from train.gpu_all.cli import main

__all__ = ['BY_NAME', 'STEPS', 'Step', 'Chain', 'main']
