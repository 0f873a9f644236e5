#!/usr/bin/env python3
"""Compares two builds of the stories_eval example on a shared machine.

On a machine other work also runs on, two runs of the same build an hour
apart differ by ±20% (CPU time included: other work takes the shared caches
and memory bandwidth, and a virtual CPU's stolen time counts as run). This
runs both builds side by side, only one at a time: the other is stopped
(SIGSTOP) and they swap every SLICE seconds, so that both meet the same
load. Only their difference is worth reading; the absolute numbers are as
good as the machine was.

usage: bench/stories_paired.py [--slice S] OLD_BINARY NEW_BINARY [stories_eval args...]
e.g.   bench/stories_paired.py /tmp/old target/release/examples/stories_eval \\
           --articles 1000000 --checkpoints 10000,100000
"""
import json
import signal
import subprocess
import sys
import time

args = sys.argv[1:]
slice_s = 1.0
if args[:1] == ["--slice"]:
    slice_s = float(args[1])
    args = args[2:]
if len(args) < 2:
    sys.exit(__doc__)
binaries, rest = args[:2], args[2:]
procs = [subprocess.Popen([b, *rest], stdout=subprocess.PIPE, text=True) for b in binaries]
procs[1].send_signal(signal.SIGSTOP)
running = 0
while any(p.poll() is None for p in procs):
    time.sleep(slice_s)
    other = 1 - running
    if procs[other].poll() is None:
        if procs[running].poll() is None:
            procs[running].send_signal(signal.SIGSTOP)
        procs[other].send_signal(signal.SIGCONT)
        running = other
for name, p in zip(["old", "new"], procs):
    lines = [json.loads(x) for x in p.stdout.read().splitlines() if x.strip()]
    stretches = " ".join(
        f"{c['indexed']}: {c['cpu_us_per_article']:.1f} us ({c['bytes_per_article']:.0f} B)"
        for c in lines[:-1]
    )
    final = lines[-1]
    print(f"{name}: CPU per article {stretches}; placements {final['fingerprint']['placements']}")
