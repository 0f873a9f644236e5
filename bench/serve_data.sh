#!/usr/bin/env bash
# Builds the data folder the full HTTP benchmark (bench/serve.sh --data DIR)
# runs against: the Reuters-21578 corpus plus a generated newsroom stream of
# about ARTICLES articles, ingested in chunks through the normal pipeline
# (parse, normalize, analysis, editorial), so the store holds what a desk
# that had run for months would hold.
# Usage: bench/serve_data.sh DIR [ARTICLES]   (default 1000000)
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:?usage: bench/serve_data.sh DIR [ARTICLES]}
want=${2:-1000000}
target=${CARGO_TARGET_DIR:-target}
cargo build --release --locked -q -p newsdesk
bin="$target/release/newsdesk"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
reuters=../shared/data/reuters-21578
if [ -d "$reuters" ]; then
  "$bin" --data-dir "$dir" ingest --quiet "$reuters"/reut2-0*.sgm >/dev/null
else
  echo "note: $reuters is missing; the store holds generated articles only" >&2
fi
# About 12 articles per generated event; 10,000 events per chunk.
seed=1
while :; do
  have=$("$bin" --data-dir "$dir" stats --json | python3 -c 'import json,sys; print(json.load(sys.stdin)["articles"])')
  echo "$(date +%T) $have articles" >&2
  [ "$have" -ge "$want" ] && break
  left=$(( (want - have) / 12 + 1 ))
  events=$(( left < 10000 ? left : 10000 ))
  rm -rf "$work/newsroom"
  "$bin" generate "$work/newsroom" --events "$events" --days 60 --providers 120 --seed "$seed" >/dev/null
  "$bin" --data-dir "$dir" ingest --quiet "$work/newsroom/feeds" >/dev/null
  seed=$((seed + 1))
done
