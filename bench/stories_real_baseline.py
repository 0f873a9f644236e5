#!/usr/bin/env python3
"""The issue's peer on the real story sets: title TF-IDF (scikit-learn),
cosine distance, average-link agglomerative clustering, at every distance
threshold of a sweep. Prints, per set, the best threshold's B-cubed and
pairwise scores, then the best single threshold for both sets together
(the one maximizing the lower of the two sets' target ratios), as JSON
lines: the figures the desk is compared with in BENCHMARKS.md.

usage: bench/stories_real_baseline.py SHARED_DIR LABELS_TSV [--step S]
"""
import json
import sys
from collections import Counter, defaultdict

import numpy as np
from sklearn.cluster import AgglomerativeClustering
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.metrics.pairwise import cosine_distances


def scores(truth, pred):
    n = len(truth)
    both = Counter(zip(truth, pred))
    t, p = Counter(truth), Counter(pred)
    bp = sum(c * c / p[k[1]] for k, c in both.items()) / n
    br = sum(c * c / t[k[0]] for k, c in both.items()) / n
    pairs = lambda c: c * (c - 1) // 2
    tog = sum(pairs(c) for c in both.values())
    pp = sum(pairs(c) for c in p.values())
    tp = sum(pairs(c) for c in t.values())
    f = lambda a, b: 2 * a * b / (a + b) if a + b else 0.0
    prp = tog / pp if pp else 1.0
    prr = tog / tp if tp else 1.0
    return {"bcubed": {"precision": bp, "recall": br, "f1": f(bp, br)},
            "pairwise": {"precision": prp, "recall": prr, "f1": f(prp, prr)},
            "found": len(p), "true": len(t)}


def uci(shared):
    items = [json.loads(l) for l in open(f"{shared}/data/stories-dev/uci-news-aggregator/truth.jsonl")]
    return [i["title"] for i in items], [i["story"] for i in items]


def everyday(labels):
    titles, stories, seen = [], [], set()
    for line in open(labels, encoding="utf-8"):
        if line.startswith("#") or line.startswith("url\t"):
            continue
        url, story, dup, _path, title = line.rstrip("\n").split("\t")
        # A copy under its original's URL (query aside) is one stored article.
        key = url.split("?")[0].rstrip("/")
        if key in seen:
            continue
        seen.add(key)
        titles.append(title)
        stories.append(story)
    return titles, stories


def sweep(titles, truth, thresholds):
    x = TfidfVectorizer(stop_words="english").fit_transform(titles)
    d = cosine_distances(x)
    out = {}
    for t in thresholds:
        model = AgglomerativeClustering(
            n_clusters=None, metric="precomputed", linkage="average", distance_threshold=t
        )
        out[t] = scores(truth, list(model.fit_predict(d)))
    return out


def main():
    args = sys.argv[1:]
    step = 0.05
    if "--step" in args:
        i = args.index("--step")
        step = float(args[i + 1])
        del args[i : i + 2]
    if len(args) != 2:
        sys.exit(__doc__)
    shared, labels = args
    thresholds = [round(t, 4) for t in np.arange(step, 1.0, step)]
    sets = {"uci-dev": uci(shared), "everyday-ai": everyday(labels)}
    results = {name: sweep(t, s, thresholds) for name, (t, s) in sets.items()}
    for name, res in results.items():
        best = max(res, key=lambda t: res[t]["bcubed"]["f1"])
        best_pw = max(res, key=lambda t: res[t]["pairwise"]["f1"])
        print(json.dumps({"peer": "tfidf-average-link", "set": name, "items": len(sets[name][0]),
                          "best_b3_threshold": best, "at_best_b3": res[best],
                          "best_pairwise_threshold": best_pw, "at_best_pairwise": res[best_pw]}))
    # One threshold for both: the targets are UCI B3 0.70 and
    # everyday-ai pairwise 0.85; the threshold that best meets the lower
    # of the two ratios.
    def joint(t):
        return min(results["uci-dev"][t]["bcubed"]["f1"] / 0.70,
                   results["everyday-ai"][t]["pairwise"]["f1"] / 0.85)
    t = max(thresholds, key=joint)
    print(json.dumps({"peer": "tfidf-average-link", "set": "one threshold for both", "threshold": t,
                      "uci-dev": results["uci-dev"][t], "everyday-ai": results["everyday-ai"][t]}))


if __name__ == "__main__":
    main()
