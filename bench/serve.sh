#!/usr/bin/env bash
# HTTP load on the desk over loopback with wrk: the topic page JSON
# (`/api/v1/articles?topic=...`), one article, and the topics list, each for a
# fixed time with a fixed number of connections. Reports requests/s, p50 and
# p99 latency, and the server's peak memory.
# Usage: bench/serve.sh [--smoke] [--data DIR]
#   --data DIR  use an existing data folder (for the full run: the Reuters
#               corpus plus a generated stream of >= 1M articles, see
#               BENCHMARKS.md); otherwise one is built (small with --smoke).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
target=${CARGO_TARGET_DIR:-target}
smoke=0
data=""
while [ $# -gt 0 ]; do
  case "$1" in
    --smoke) smoke=1 ;;
    --data) data=$2; shift ;;
    *) echo "usage: bench/serve.sh [--smoke] [--data DIR]" >&2; exit 2 ;;
  esac
  shift
done
if ! command -v wrk >/dev/null; then
  echo "error: wrk is missing (apt-get install -y wrk)" >&2
  exit 1
fi
cargo build --release --locked -q -p newsdesk
bin="$target/release/newsdesk"
work=$(mktemp -d)
server=""
cleanup() {
  [ -n "$server" ] && kill "$server" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

if [ -z "$data" ]; then
  data="$work/data"
  events=3000; days=20; secs=10
  [ $smoke = 1 ] && { events=150; days=3; secs=2; }
  "$bin" --data-dir "$data" generate "$work/newsroom" --events $events --days $days --providers 60 >/dev/null
  "$bin" --data-dir "$data" ingest --quiet "$work/newsroom/feeds" >/dev/null
else
  secs=15
fi
[ $smoke = 1 ] && secs=2

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$bin" --data-dir "$data" serve --addr "127.0.0.1:$port" --anonymous-rate 0 2>"$work/server.log" &
server=$!
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$port/healthz" >/dev/null 2>&1 && break
  sleep 0.1
done
base="http://127.0.0.1:$port"
topic=$(curl -fs "$base/api/v1/topics" | python3 -c 'import json,sys; t=json.load(sys.stdin)["topics"]; print(t[0]["slug"] if t else "")')
article=$(curl -fs "$base/api/v1/articles?limit=1" | python3 -c 'import json,sys; a=json.load(sys.stdin)["articles"]; print(a[0]["id"] if a else 1)')
articles=$(curl -fs "$base/api/v1/stats" | python3 -c 'import json,sys; print(json.load(sys.stdin)["articles"])')
echo "store: $articles articles; topic page: $topic; machine: $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"

run() {
  local name=$1 url=$2
  shift 2
  # Two wrk threads, 32 connections (conns=N before the call changes it):
  # the server shares the 2 cores with wrk. Extra arguments are wrk options
  # (e.g. -H 'Cache-Control: no-cache').
  wrk -t2 -c"${conns:-32}" -d"${secs}s" --latency "$@" "$url" >"$work/wrk.txt" 2>&1 || true
  python3 - "$name" "$work/wrk.txt" <<'PY'
import re, sys
name, path = sys.argv[1], sys.argv[2]
text = open(path).read()
def lat(p):
    m = re.search(r"^\s+%s%%\s+([\d.]+)(us|ms|s)" % p, text, re.M)
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
errors = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(f"{name:<36} {float(rps.group(1)) if rps else float('nan'):>10.0f} req/s   p50 {lat(50):7.2f} ms   p99 {lat(99):7.2f} ms   non-2xx {errors.group(1) if errors else 0}")
PY
}
fresh=(-H "Cache-Control: no-cache")
# Served from the response cache (what readers get between two commits).
run "topic page JSON (20)" "$base/api/v1/articles?topic=$topic&limit=20"
run "hottest page JSON (20)" "$base/api/v1/articles?limit=20"
run "one article" "$base/api/v1/articles/$article"
run "topics list" "$base/api/v1/topics"
run "topic feed (RSS)" "$base/topics/$topic/feed.rss"
# Every request answered from the store (the cost after each commit).
run "topic page JSON (20), uncached" "$base/api/v1/articles?topic=$topic&limit=20" "${fresh[@]}"
run "hottest page JSON (20), uncached" "$base/api/v1/articles?limit=20" "${fresh[@]}"
run "one article, uncached" "$base/api/v1/articles/$article" "${fresh[@]}"
# Search, when the server has it: a word, a phrase, a filtered query.
if curl -fs "$base/api/v1/search?q=market" >/dev/null 2>&1; then
  run "search: one word" "$base/api/v1/search?q=market"
  run "search: phrase" "$base/api/v1/search?q=%22interest%20rates%22"
  run "search: word + topic filter" "$base/api/v1/search?q=cloud&topic=$topic"
  # A mix: common and rare words, pairs, phrases, OR, exclusions, filters,
  # one per request in turn (each wrk thread walks the list).
  cat >"$work/mix.lua" <<LUA
local queries = {
  "market", "cloud", "outage", "takeover", "chatbot", "penalty", "denver",
  "%22language%20model%22", "expansion%20jobs", "service%20failure",
  "market%20OR%20cloud", "cloud%20-market", "oil", "%22interest%20rates%22",
  "study&topic=$topic", "partners&published=any", "fine&sort=newest",
  "quantum", "face-matching%20systems", "acquisition%20deal",
}
local i = 0
request = function()
  i = i + 1
  return wrk.format("GET", "/api/v1/search?q=" .. queries[(i % #queries) + 1])
end
LUA
  run "search: mix of 20 queries" "$base/" -s "$work/mix.lua"
  # The same mix at a lighter load: latency without 32 requests queued.
  conns=4 run "search: mix, 4 connections" "$base/" -s "$work/mix.lua"
fi
echo "server peak memory: $(grep VmHWM /proc/$server/status | awk '{print $2/1024 " MB"}')"
kill -INT "$server"
wait "$server" || true
server=""
