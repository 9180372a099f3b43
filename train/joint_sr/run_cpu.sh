#!/bin/sh
# The three cpu runs one after another (the same steps and batch: "same budget"), each python
# process's autogroup at nice -10 (plain nice does not work across sessions on this machine).
# Start from the repository root, in its own session:
#   setsid nohup sh train/joint_sr/run_cpu.sh > train/runs/joint-sr-driver.log 2>&1 &
# Extra arguments go to every run (e.g. --resume after an interruption).
set -u
for variant in full noblur nolocal; do
    case $variant in full) out=joint-sr-cpu ;; *) out=joint-sr-$variant-cpu ;; esac
    echo "$(date -u +%FT%TZ) start $variant -> train/runs/$out"
    PYTHONUNBUFFERED=1 /usr/bin/python3 -m train.joint_sr.train --variant "$variant" --config cpu \
        --out "train/runs/$out" "$@" > "train/runs/$out.log" 2>&1 &
    pid=$!
    echo -10 > "/proc/$pid/autogroup" 2>/dev/null || echo "could not raise the autogroup priority of $pid"
    wait "$pid"
    echo "$(date -u +%FT%TZ) end $variant: exit $?"
done
