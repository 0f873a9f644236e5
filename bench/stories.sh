#!/usr/bin/env bash
# Duplicate detection + story assignment on a generated newsroom stream, one
# thread, in memory: time per article and memory per article as the desk
# grows to 10k, 100k and 1M articles, then the scores against the stream's
# truth (B-cubed and pairwise F1 for stories, precision/recall for copies).
# Time is given twice: wall time around each Desk::add, and the thread's CPU
# time around batches of them (steadier when the machine is shared). The
# final JSON line carries fingerprints of the decisions and of the stored
# snapshots: equal fingerprints, equal results.
# Usage: bench/stories.sh [--smoke]   (the full run takes ~1M articles)
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
cargo build --release --locked -q -p newsdesk-analyze --example stories_eval
articles=1000000
[ "${1:-}" = "--smoke" ] && articles=20000
"$target/release/examples/stories_eval" --articles "$articles" --checkpoints 10000,100000 \
  | python3 bench/stories_report.py
