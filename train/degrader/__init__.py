"""High-to-Low degradation GAN (Bulat et al. 2018 §3.3; SR-NAM §3.2): model, training, export."""
