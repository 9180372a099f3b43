"""ProGAN face generator (Karras et al. 2018; SR-NAM §3.3, §4.1): model, schedule, training, export."""
