"""Low-to-High face SR GAN (Bulat et al. 2018 §3.4) and its bicubic twin: model, training, export."""
