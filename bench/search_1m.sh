#!/usr/bin/env bash
# Search at desk scale: the tantivy index the server answers from against
# SQLite FTS5 over the same texts and the same queries, in one process
# (crates/newsdesk/examples/search_vs_fts5.rs). Reports p50/p99 per engine,
# the ratio, sizes on disk and memory.
# Usage: bench/search_1m.sh DIR [WORK] [-- EXTRA...]
#          DIR: a data folder (the store and its search/ index, e.g. the
#          >= 1M-article one bench/serve_data.sh builds), only read.
#          WORK: where the FTS5 table is built once and kept (default: an
#          fts5-cache folder beside DIR). EXTRA: more options for the
#          example (--rounds R, --count-cap N, --fts5-filter column, ...).
#        bench/search_1m.sh --smoke
#          builds a small store in a temporary folder and runs 2 rounds.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
run=(cargo run --release --locked -q -p newsdesk --example search_vs_fts5 --)
if [ "${1:-}" = "--smoke" ]; then
  cargo build --release --locked -q -p newsdesk
  bin="$target/release/newsdesk"
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  reuters=../shared/data/reuters-21578/reut2-000.sgm
  [ -f "$reuters" ] && "$bin" --data-dir "$work/data" ingest --quiet "$reuters" >/dev/null
  "$bin" generate "$work/newsroom" --events 300 --days 5 --providers 40 >/dev/null
  "$bin" --data-dir "$work/data" ingest --quiet "$work/newsroom/feeds" >/dev/null
  "${run[@]}" --data-dir "$work/data" --work "$work/fts5" --rounds 2
  exit 0
fi
dir=${1:?usage: bench/search_1m.sh DIR [WORK] [-- EXTRA...] | --smoke}
shift
cache="$(cd "$(dirname "$dir")" && pwd)/fts5-cache"
if [ $# -gt 0 ] && [ "$1" != "--" ]; then
  cache=$1
  shift
fi
[ "${1:-}" = "--" ] && shift
echo "$(date -u '+%Y-%m-%d %H:%M UTC'); $(uname -srm); $(nproc) cores; $(free -g | awk '/^Mem:/ {print $2 " GB RAM"}'); uptime:$(uptime)"
"${run[@]}" --data-dir "$dir" --work "$cache" "$@"
