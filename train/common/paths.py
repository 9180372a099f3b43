"""Where things are: the repository root and the folders the training code reads and writes."""
import os

REPO_ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WEIGHTS_DIR = os.path.join(REPO_ROOT, 'static', 'weights')  # exported models (what the browser loads)
FIXTURES_DIR = os.path.join(REPO_ROOT, 'test', 'fixtures')  # parity fixtures of the tfjs twins
RUNS_DIR = os.path.join(REPO_ROOT, 'train', 'runs')  # run directories (git-ignored)
LANDMARK_DIR = os.path.join(REPO_ROOT, '.cache', 'landmarks')  # teacher landmark cache (npm run cache:landmarks)
