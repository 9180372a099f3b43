import sys

from train.gpu_all.cli import main

if __name__ == "__main__":
    r = main()
    sys.exit(0 if r is not False else 1)
