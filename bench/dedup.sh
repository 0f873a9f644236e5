#!/usr/bin/env bash
# Near-duplicate detection over the Reuters bodies: newsdesk's MinHash + LSH vs
# Python's datasketch MinHashLSH, same texts, same run. Usage: bench/dedup.sh [--smoke]
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --locked -q -p newsdesk-analyze --example dedup
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
ours=$(target/release/examples/dedup --reuters ../shared/data/reuters-21578 \
  --texts-out "$work/texts.jsonl" --pairs-out "$work/pairs.tsv")
if [ "${1:-}" = "--smoke" ]; then
  head -n 2000 "$work/texts.jsonl" > "$work/small.jsonl"
  ours=$(target/release/examples/dedup --texts "$work/small.jsonl" --pairs-out "$work/pairs.tsv")
  python3 bench/dedup.py "$work/small.jsonl" "$work/pairs.tsv" "$ours"
else
  python3 bench/dedup.py "$work/texts.jsonl" "$work/pairs.tsv" "$ours"
fi
