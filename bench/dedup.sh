#!/usr/bin/env bash
# Near-duplicate detection: newsdesk's MinHash + LSH vs Python's datasketch
# MinHashLSH (128 permutations, threshold 0.8), same texts, same run, on two
# corpora: the Reuters-21578 bodies and a generated newsroom stream (wire
# copies, re-posts). Usage: bench/dedup.sh [--smoke]
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
cargo build --release --locked -q -p newsdesk-analyze --example dedup
bin="$target/release/examples/dedup"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
smoke=${1:-}
newsroom=20000
[ "$smoke" = "--smoke" ] && newsroom=2000

echo "== Reuters-21578 bodies"
ours=$("$bin" --reuters ../shared/data/reuters-21578 \
  --texts-out "$work/reuters.jsonl" --pairs-out "$work/pairs.tsv")
if [ "$smoke" = "--smoke" ]; then
  head -n 2000 "$work/reuters.jsonl" > "$work/small.jsonl"
  ours=$("$bin" --texts "$work/small.jsonl" --pairs-out "$work/pairs.tsv")
  python3 bench/dedup.py "$work/small.jsonl" "$work/pairs.tsv" "$ours"
else
  python3 bench/dedup.py "$work/reuters.jsonl" "$work/pairs.tsv" "$ours"
fi

echo "== generated newsroom stream ($newsroom articles)"
"$bin" --newsroom "$newsroom" --texts-out "$work/newsroom.jsonl" > /dev/null
ours=$("$bin" --texts "$work/newsroom.jsonl" --pairs-out "$work/pairs.tsv")
python3 bench/dedup.py "$work/newsroom.jsonl" "$work/pairs.tsv" "$ours"
