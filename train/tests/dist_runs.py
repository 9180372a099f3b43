"""Runs several trainers one after another in the same processes, for test_distributed.py:

  torchrun --standalone --nproc_per_node 2 -m train.tests.dist_runs RUNS.json

RUNS.json: [[module, [argv...]], ...]; each module's main(argv) is called in turn (the process
group is joined once and kept), which saves a torchrun start per trainer.
"""
import importlib
import json
import sys


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    with open(argv[0]) as f:
        runs = json.load(f)
    for module, args in runs:
        importlib.import_module(module).main(args)


if __name__ == '__main__':
    main()
