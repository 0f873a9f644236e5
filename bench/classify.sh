#!/usr/bin/env bash
# Topic classification on Reuters-21578 ModApte (90 topics): `newsdesk topics`
# vs scikit-learn's LinearSVC on TF-IDF, the same JSON lines, the same run.
# Usage: bench/classify.sh [--smoke] [--threads N]
#   --smoke: every fourth story and one round (a quick check for CI).
#   --threads N: newsdesk trains on N threads (scikit-learn stays on one).
set -euo pipefail
cd "$(dirname "$0")/.."
smoke=""
threads=1
rounds=3
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke="--smoke"; rounds=1 ;;
    --threads) threads="$2"; shift ;;
    *) echo "usage: bench/classify.sh [--smoke] [--threads N]" >&2; exit 2 ;;
  esac
  shift
done
python3 -c "import sklearn" 2>/dev/null || python3 -m pip install -q -r bench/requirements.txt
target="${CARGO_TARGET_DIR:-target}"
cargo build --release --locked -q -p newsdesk -p newsdesk-classify --bin newsdesk --example reuters
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$target/release/examples/reuters" jsonl --reuters ../shared/data/reuters-21578 --out "$work" $smoke
python3 bench/classify.py "$work/train.jsonl" "$work/test.jsonl" "$target/release/newsdesk" \
  --rounds "$rounds" --threads "$threads"
