"""SR-NAM (paper 000) evaluations: its search settings on real low-resolution faces."""
