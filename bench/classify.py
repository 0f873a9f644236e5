#!/usr/bin/env python3
"""Topic classification: scikit-learn LinearSVC vs newsdesk, same JSON lines, same run.

Usage: classify.py TRAIN.jsonl TEST.jsonl NEWSDESK_BIN [--rounds N] [--threads N]

Both sides start from the same files (one article per line: id, title, body,
topics) and their clocks cover the same work: reading the JSON lines, features,
training every topic, predicting the test articles.

scikit-learn: TfidfVectorizer() with its defaults over title + newline + body,
OneVsRestClassifier(LinearSVC()) with the default C=1, one thread; timed inside
this process (its interpreter start and imports are not counted).
newsdesk: `newsdesk topics train` then `newsdesk topics predict` as two
processes, timed from outside (process starts, writing and reading the model
folder and writing the predictions are counted).

Rounds alternate between the two sides; each side's best round is reported.
Both sides' predictions are scored here by the same code: micro-F1 over all
(article, topic) decisions and macro-F1 as the mean of per-topic F1 over the
topics that occur in both files (the standard 90 on the full ModApte split); a
topic's F1 is 2tp / (2tp + fp + fn), and 0/0 counts as 0.
"""
import os

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"

import json
import subprocess
import sys
import tempfile
import time
import warnings


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def sklearn_round(train_path, test_path):
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.multiclass import OneVsRestClassifier
    from sklearn.preprocessing import MultiLabelBinarizer
    from sklearn.svm import LinearSVC

    warnings.filterwarnings("ignore", category=ConvergenceWarning)
    start = time.perf_counter()
    train, test = read(train_path), read(test_path)
    text = lambda a: (a.get("title") or "") + "\n" + (a.get("body") or "")
    mlb = MultiLabelBinarizer()
    y = mlb.fit_transform([a.get("topics") or [] for a in train])
    vec = TfidfVectorizer()
    x = vec.fit_transform([text(a) for a in train])
    clf = OneVsRestClassifier(LinearSVC()).fit(x, y)
    pred = mlb.inverse_transform(clf.predict(vec.transform([text(a) for a in test])))
    elapsed = time.perf_counter() - start
    return elapsed, {a["id"]: list(p) for a, p in zip(test, pred)}


def newsdesk_round(bin_path, train_path, test_path, threads):
    with tempfile.TemporaryDirectory() as tmp:
        model = os.path.join(tmp, "model")
        out = os.path.join(tmp, "pred.jsonl")
        start = time.perf_counter()
        train = subprocess.run(
            [bin_path, "topics", "train", "--input", train_path, "--model", model,
             "--threads", str(threads)],
            stderr=subprocess.PIPE,
        )
        with open(out, "w") as f:
            predict = subprocess.run(
                [bin_path, "topics", "predict", "--model", model, "--input", test_path],
                stdout=f,
                stderr=subprocess.PIPE,
            )
        elapsed = time.perf_counter() - start
        for step in (train, predict):
            if step.returncode != 0:
                sys.exit(f"newsdesk failed: {step.stderr.decode(errors='replace')}")
        return elapsed, {p["id"]: p["topics"] for p in read(out)}


def scores(truth, pred, topics):
    counts = {t: [0, 0, 0] for t in topics}
    for doc_id, want in truth.items():
        want = set(want) & counts.keys()
        got = set(pred.get(doc_id, [])) & counts.keys()
        for t in want & got:
            counts[t][0] += 1
        for t in got - want:
            counts[t][1] += 1
        for t in want - got:
            counts[t][2] += 1
    f1 = lambda tp, fp, fn: 0.0 if 2 * tp + fp + fn == 0 else 2 * tp / (2 * tp + fp + fn)
    tp, fp, fn = (sum(c[i] for c in counts.values()) for i in range(3))
    macro = sum(f1(*c) for c in counts.values()) / max(len(counts), 1)
    return f1(tp, fp, fn), macro


def main():
    train_path, test_path, bin_path = sys.argv[1:4]
    rounds = int(sys.argv[sys.argv.index("--rounds") + 1]) if "--rounds" in sys.argv else 3
    threads = int(sys.argv[sys.argv.index("--threads") + 1]) if "--threads" in sys.argv else 1
    train, test = read(train_path), read(test_path)
    topics = sorted({t for a in train for t in a.get("topics") or []}
                    & {t for a in test for t in a.get("topics") or []})
    truth = {a["id"]: a.get("topics") or [] for a in test}

    import sklearn

    best = {"sklearn": None, "newsdesk": None}
    preds = {}
    for _ in range(rounds):
        for side in ("sklearn", "newsdesk"):
            if side == "sklearn":
                t, p = sklearn_round(train_path, test_path)
            else:
                t, p = newsdesk_round(bin_path, train_path, test_path, threads)
            preds[side] = p
            best[side] = t if best[side] is None else min(best[side], t)
    print(f"{len(train)} train and {len(test)} test articles, {len(topics)} topics; "
          f"best of {rounds} alternating rounds, newsdesk threads: {threads}")
    for side, label in (("sklearn", f"scikit-learn {sklearn.__version__} LinearSVC"),
                        ("newsdesk", "newsdesk topics")):
        micro, macro = scores(truth, preds[side], topics)
        print(f"{label:>34}: micro-F1 {micro:.4f}  macro-F1 {macro:.4f}  "
              f"train+predict {best[side]:.3f} s")
    print(f"{'speed ratio (sklearn / newsdesk)':>34}: {best['sklearn'] / best['newsdesk']:.2f}x")


if __name__ == "__main__":
    main()
