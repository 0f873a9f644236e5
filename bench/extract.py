#!/usr/bin/env python3
"""Main-text extraction throughput: Python trafilatura vs newsdesk's extractor,
same pages, same run, one thread each.

Usage: extract.py [--smoke] [--rounds N] BENCHMARK_DIR
BENCHMARK_DIR is the article-extraction-benchmark folder (html/*.html.gz and
ground-truth.json). Needs the release build of the `extract_pages` example
(bench/extract.sh builds it). Both sides get the decompressed page bytes and
the page URL; decompression is not timed.
"""
import gzip
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLE = os.path.join(
    os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "examples", "extract_pages"
)


def main():
    args = sys.argv[1:]
    smoke = "--smoke" in args
    if smoke:
        args.remove("--smoke")
    rounds = 1 if smoke else 5
    if "--rounds" in args:
        i = args.index("--rounds")
        rounds = int(args[i + 1])
        del args[i : i + 2]
    try:
        import trafilatura
    except ImportError:
        subprocess.check_call(
            [sys.executable, "-m", "pip", "install", "-q", "-r", os.path.join(ROOT, "bench", "requirements.txt")]
        )
        import trafilatura

    bench = args[0]
    truth = json.load(open(os.path.join(bench, "ground-truth.json"), encoding="utf-8"))
    ids = sorted(truth)
    if smoke:
        ids = ids[:10]
    files = [os.path.join(bench, "html", f"{i}.html.gz") for i in ids]
    pages = [gzip.open(f).read() for f in files]
    urls = [truth[i].get("url") for i in ids]
    total = sum(len(p) for p in pages)

    # The machine is shared and noisy: alternate the two sides round by round
    # and keep each side's best round, so a burst of load on one side does not
    # decide the ratio. The Rust side repeats the pages enough times to time
    # reliably.
    rust_repeat = 2 if smoke else 10
    py = rs = None
    for _ in range(rounds):
        start = time.perf_counter()
        chars = 0
        for html, url in zip(pages, urls):
            text = trafilatura.extract(html, url=url)
            chars += len(text or "")
        py_s = time.perf_counter() - start
        round_py = {
            "pages": len(pages),
            "bytes": total,
            "seconds": py_s,
            "pages_per_s": len(pages) / py_s,
            "mb_per_s": total / py_s / 1e6,
            "text_chars": chars,
        }
        if py is None or round_py["pages_per_s"] > py["pages_per_s"]:
            py = round_py
        out = subprocess.check_output(
            [EXAMPLE, "--repeat", str(rust_repeat), "--urls", os.path.join(bench, "ground-truth.json")] + files,
            text=True,
        )
        round_rs = json.loads(out.strip().splitlines()[-1])
        if rs is None or round_rs["pages_per_s"] > rs["pages_per_s"]:
            rs = round_rs

    print(f"pages: {len(pages)}, bytes: {total}")
    print(
        f"trafilatura {trafilatura.__version__}: {py['pages_per_s']:.1f} pages/s, {py['mb_per_s']:.2f} MB/s"
        f" (best of {rounds} rounds)"
    )
    print(
        f"newsdesk, 1 thread: {rs['pages_per_s']:.1f} pages/s, {rs['mb_per_s']:.2f} MB/s"
        f" (best of {rounds} rounds of {rust_repeat} passes)"
    )
    ratio = rs["pages_per_s"] / py["pages_per_s"]
    print(f"ratio (single thread, newsdesk vs trafilatura): {ratio:.1f}x")
    print(json.dumps({"trafilatura": py, "newsdesk": rs, "ratio": ratio}))


if __name__ == "__main__":
    main()
