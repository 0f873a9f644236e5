#!/usr/bin/env bash
# The desk's behaviour in one line: ingest four inputs into fresh data folders
# with the release binary, export them, and hash every article's decision (with
# its reasons), story, duplicateOf, related list, quality and heat
# (bench/fingerprint.py). A refactoring must leave every hash as it was.
#
# Parts: the seeds (../shared/seeds), the everyday-ai corpus
# (../shared/corpus/everyday-ai), Reuters-21578 (../shared/data/reuters-21578)
# and a generated stream (`newsdesk generate`, seed 7, 300 events).
#
# Usage: bench/fingerprint.sh [--smoke] [--fields] [--bin PATH]...
#   --bin PATH  fingerprint this build instead of building this checkout's
#               (repeat to compare builds side by side; the last line says
#               whether they agree)
#   --fields    also one hash per field, to see which one changed
#   --smoke     Reuters' first two files only (CI)
#
# Heat is measured at the newest article's time when the input is older than
# now, so the hashes do not depend on the day they are computed.
#
# Recorded (full run, see BENCHMARKS.md), commit 1f330fb:
#   seeds        10 b42edb1b5dbdfed6
#   everyday-ai  198 9adadb48f39a757e
#   reuters      21577 17a312686ce32bbf
#   generated    1766 5bf52a69a45ac9f1
#   total        f7a9724ace6c8d3a
# main at bc69453 (new stories and dates):
#   seeds 10 bbcc5bf78ec1869b, everyday-ai 198 a6c5a39daea407ad,
#   reuters 21577 80a2ecde0607e673, generated 1766 bf4fef4f26111b88,
#   total c3259a9442f83622
# main at 5d2e3bf (stories): seeds bbcc5bf78ec1869b, everyday-ai
#   4b9e0dd04d3d1001, reuters 71474e219cfea633, generated 27752add8edd3fb4,
#   total 5bc9219e0273a76e
# (A change that means to alter decisions, stories or scores changes them:
# record the new values with the commit that does.)
set -euo pipefail
cd "$(dirname "$0")/.."
target=${CARGO_TARGET_DIR:-target}
shared=${NEWSDESK_SHARED:-../shared}
bins=()
smoke=0
fields=""
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) bins+=("$2"); shift ;;
    --smoke) smoke=1 ;;
    --fields) fields=--fields ;;
    *) echo "usage: bench/fingerprint.sh [--smoke] [--fields] [--bin PATH]..." >&2; exit 2 ;;
  esac
  shift
done
for need in "$shared/seeds" "$shared/corpus/everyday-ai" "$shared/data/reuters-21578"; do
  if [ ! -d "$need" ]; then
    echo "fingerprint: skipped, $need is missing" >&2
    exit 0
  fi
done
if [ ${#bins[@]} -eq 0 ]; then
  cargo build --release --locked -q -p newsdesk
  bins=("$target/release/newsdesk")
fi
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

shared_abs=$(cd "$shared" && pwd)

totals=()
for bin in "${bins[@]}"; do
  bin_abs=$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")
  echo "== $bin"
  run="$work/run"
  rm -rf "$run"
  mkdir -p "$run"
  ln -s "$shared_abs" "$run/shared"
  all=""
  for part in seeds everyday-ai reuters generated; do
    (
      # Inputs are read through fixed relative paths inside the run folder:
      # the source locators are the same wherever it runs.
      cd "$run"
      case $part in
        seeds) inputs=(shared/seeds) ;;
        everyday-ai) inputs=(shared/corpus/everyday-ai) ;;
        reuters) inputs=(shared/data/reuters-21578/reut2-*.sgm) ;;
        generated) inputs=(generated/feeds) ;;
      esac
      if [ $part = reuters ] && [ $smoke = 1 ]; then
        inputs=("${inputs[@]:0:2}")
      fi
      if [ $part = generated ]; then
        "$bin_abs" generate generated --events 300 --providers 30 --days 5 --seed 7 > /dev/null
      fi
      "$bin_abs" --data-dir "data-$part" ingest --quiet "${inputs[@]}" > /dev/null 2> "$part.log" || {
        echo "fingerprint: ingesting $part failed:" >&2
        cat "$part.log" >&2
        exit 1
      }
      "$bin_abs" --data-dir "data-$part" export --format jsonl > "$part.jsonl"
    )
    line=$(python3 bench/fingerprint.py "$run/$part.jsonl" $fields)
    printf '%-12s %s\n' "$part" "$(head -n 1 <<< "$line")"
    tail -n +2 <<< "$line"
    all="$all$part $(head -n 1 <<< "$line")\n"
  done
  total=$(printf "$all" | sha256sum | cut -c1-16)
  printf '%-12s %s\n' total "$total"
  totals+=("$total")
done
if [ ${#totals[@]} -gt 1 ]; then
  if [ "$(printf '%s\n' "${totals[@]}" | sort -u | wc -l)" = 1 ]; then
    echo "same fingerprint"
  else
    echo "DIFFERENT fingerprints" >&2
    exit 1
  fi
fi
