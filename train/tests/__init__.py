"""unittest suite of the training package: python3 -m unittest discover -s train/tests -t ."""
