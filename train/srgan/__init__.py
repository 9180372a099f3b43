"""SRResNet / SRGAN (Ledig et al. 2017, paper 004) for 16x16 -> 64x64 faces."""
