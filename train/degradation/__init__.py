"""The degradation pipeline (degrader -> low2high and its bicubic twin): the parts both models share
(GAN step, card, parity fixtures, sample sheets) and the evaluation of the paper's two claims."""
