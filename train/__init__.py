"""srlab's PyTorch training and export, run as modules from the repository root:

  python3 -m train.progan.train --config tiny --out /tmp/progan-tiny

One folder per model (progan, degrader, low2high, progressive_sr, heatmaps), the two-model
degradation pipeline's shared parts in degradation/, and what every model uses in common/.
See train/README.md.
"""
