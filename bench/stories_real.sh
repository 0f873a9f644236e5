#!/usr/bin/env bash
# Stories and copies on real labelled news, beside the issue's peer in the
# same run: the desk (crates/analyze/examples/stories_real.rs, default
# configuration, in memory) on the UCI News Aggregator development half
# (../shared/data/stories-dev) and on the everyday-ai records
# (../shared/corpus/everyday-ai) with this repository's development labels
# (crates/analyze/tests/data/everyday_ai_stories.tsv); then title TF-IDF +
# average-link clustering (scikit-learn, bench/stories_real_baseline.py) at
# its best threshold per set and at the best single threshold for both.
# Usage: bench/stories_real.sh [--smoke]   (--smoke: a coarser threshold sweep)
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
shared=${NEWSDESK_SHARED:-../shared}
labels=crates/analyze/tests/data/everyday_ai_stories.tsv
step=0.01
[ "${1:-}" = "--smoke" ] && step=0.05
if [ ! -d "$shared/data/stories-dev/uci-news-aggregator" ]; then
  echo "error: the shared data is not at $shared (set NEWSDESK_SHARED)" >&2
  exit 1
fi
cargo build --release --locked -q -p newsdesk-analyze --example stories_real
echo "== the desk (default configuration)"
"$target/release/examples/stories_real" --shared "$shared" | python3 bench/stories_real_report.py
echo "== peer: title TF-IDF, average link (scikit-learn), threshold step $step"
python3 bench/stories_real_baseline.py "$shared" "$labels" --step "$step" | python3 bench/stories_real_report.py
