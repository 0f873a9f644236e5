#!/usr/bin/env bash
# Reuters-21578 ingest, end to end into SQLite: newsdesk vs a straightforward
# Python importer (SGML parse + SQLite insert with an FTS5 table), same files,
# same run. Usage: bench/reuters.sh [--smoke]
set -euo pipefail
cd "$(dirname "$0")/.."
data=../shared/data/reuters-21578
files=("$data"/reut2-0*.sgm)
if [ "${1:-}" = "--smoke" ]; then files=("$data/reut2-000.sgm" "$data/reut2-001.sgm"); fi
cargo build --release --locked -q -p newsdesk
python3 - "${files[@]}" <<'PY'
import json, subprocess, sys, tempfile, time, os
files = sys.argv[1:]
docs = sum(open(f, "rb").read().count(b"<REUTERS ") for f in files)
rounds = 1 if len(files) < 5 else 3
ours = py = full = None
# Alternating rounds, best of each: the machine is shared and noisy.
for _ in range(rounds):
    with tempfile.TemporaryDirectory() as work:
        nd_dir = os.path.join(work, "nd")
        # Like for like with the peer: read, normalize, store (analysis deferred).
        t0 = time.perf_counter()
        subprocess.run(["target/release/newsdesk", "--data-dir", nd_dir, "ingest", "--quiet",
                        "--defer-analysis", *files],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        took = time.perf_counter() - t0
        ours = took if ours is None else min(ours, took)
        # The default: also find copies and stories (issue 3), into a fresh store.
        full_dir = os.path.join(work, "full")
        t0 = time.perf_counter()
        subprocess.run(["target/release/newsdesk", "--data-dir", full_dir, "ingest", "--quiet", *files],
                       check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        took = time.perf_counter() - t0
        full = took if full is None else min(full, took)
        stats = json.loads(subprocess.run(["target/release/newsdesk", "--data-dir", nd_dir, "stats", "--json"],
                                          check=True, capture_output=True).stdout)
        # Story 12793 (in reut2-012.sgm) has no text and is skipped, not stored.
        expected = docs - (1 if any(f.endswith("reut2-012.sgm") for f in files) else 0)
        if stats["articles"] != expected:
            sys.exit(f"newsdesk stored {stats['articles']} articles, expected {expected}")
        r = json.loads(subprocess.run([sys.executable, "bench/reuters_python_import.py",
                                       "--db", os.path.join(work, "py.sqlite3"), *files],
                                      check=True, capture_output=True).stdout)
        py = r if py is None or r["docs_per_s"] > py["docs_per_s"] else py
nd = docs / ours
print(f"reuters ingest: {docs} stories in {len(files)} files")
print(f"  newsdesk       {nd:10.0f} docs/s  ({ours:.2f} s: read, normalize, store in SQLite, analysis deferred; best of {rounds})")
print(f"  python import  {py['docs_per_s']:10.0f} docs/s  ({py['seconds']:.2f} s: parse, SQLite + FTS5; best of {rounds})")
print(f"  ratio          {nd / py['docs_per_s']:10.1f}x")
print(f"  newsdesk, with duplicate and story analysis: {docs / full:.0f} docs/s ({full:.2f} s), "
      f"{docs / full / py['docs_per_s']:.1f}x the importer")
PY
