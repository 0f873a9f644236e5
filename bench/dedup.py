#!/usr/bin/env python3
"""Near-duplicate detection: datasketch MinHashLSH vs newsdesk, same texts, same run.

Usage: dedup.py TEXTS.jsonl NEWSDESK_PAIRS.tsv NEWSDESK_JSON [--limit N]

datasketch: MinHash with 128 permutations over word 5-gram shingles (lower-cased
runs of letters and digits, as newsdesk tokenizes), MinHashLSH with threshold
0.8; each text is queried against the earlier ones, then inserted. The pairs
both found are compared, and every pair either found is checked against the
exact Jaccard similarity of the two shingle sets.
"""
import json
import re
import subprocess
import sys
import time

try:
    from datasketch import MinHash, MinHashLSH
except ImportError:
    subprocess.check_call([sys.executable, "-m", "pip", "install", "-q", "datasketch"])
    from datasketch import MinHash, MinHashLSH

WORD = re.compile(r"[^\W_]+")
K = 5


def shingles(text):
    words = [w.lower() for w in WORD.findall(text)]
    k = min(K, len(words))
    if k == 0:
        return set()
    return {" ".join(words[i : i + k]) for i in range(len(words) - k + 1)}


def main():
    texts_path, pairs_path, ours_json = sys.argv[1:4]
    limit = None
    if "--limit" in sys.argv:
        limit = int(sys.argv[sys.argv.index("--limit") + 1])
    texts = [json.loads(l)["text"] for l in open(texts_path, encoding="utf-8")][:limit]
    ours = json.loads(ours_json)

    lsh = MinHashLSH(threshold=0.8, num_perm=128)
    theirs = set()
    start = time.perf_counter()
    for i, t in enumerate(texts):
        sh = shingles(t)
        if not sh:
            continue
        m = MinHash(num_perm=128)
        for s in sh:
            m.update(s.encode("utf-8"))
        for key in lsh.query(m):
            theirs.add((i, key))
        lsh.insert(i, m)
    seconds = time.perf_counter() - start
    py_rate = len(texts) / seconds

    mine = set()
    for line in open(pairs_path):
        a, b = line.split()
        if limit is None or int(a) < limit:
            mine.add((int(a), int(b)))

    cache = {}

    def sh(i):
        if i not in cache:
            cache[i] = shingles(texts[i])
        return cache[i]

    def exact(p):
        a, b = sh(p[0]), sh(p[1])
        return len(a & b) / len(a | b) if a or b else 1.0

    union = mine | theirs
    truth = {p for p in union if exact(p) >= 0.8}
    both = mine & theirs

    def share(x, y):
        return len(x) / len(y) if y else 1.0

    result = {
        "texts": len(texts),
        "datasketch": {"docs_per_s": py_rate, "seconds": seconds, "pairs": len(theirs),
                       "precision": share(theirs & truth, theirs), "recall_of_union_truth": share(theirs & truth, truth)},
        "newsdesk": {"docs_per_s": ours["docs_per_s"], "seconds": ours["seconds"], "pairs": len(mine),
                     "precision": share(mine & truth, mine), "recall_of_union_truth": share(mine & truth, truth),
                     "bytes_per_doc": ours["bytes_per_doc"], "layout": f"{ours['bands']}x{ours['rows']}"},
        "agreement": share(both, union),
        "ratio": ours["docs_per_s"] / py_rate,
    }
    print(f"near-duplicates over {len(texts)} texts (threshold 0.8, word 5-grams, 128 hashes)")
    for name in ("newsdesk", "datasketch"):
        r = result[name]
        print(f"  {name:<10} {r['docs_per_s']:9.0f} docs/s  pairs {r['pairs']:5d}  "
              f"precision {r['precision']:.3f}  recall {r['recall_of_union_truth']:.3f}")
    print(f"  agreement on pairs (both / either): {result['agreement']:.3f}")
    print(f"  ratio: {result['ratio']:.1f}x")
    print(json.dumps(result))


if __name__ == "__main__":
    main()
