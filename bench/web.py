#!/usr/bin/env python3
"""Pages of any site: publication dates and main text, newsdesk side by side
with htmldate and trafilatura on the same pages in the same run.

Usage: web.py [--smoke] WEB_DEV_DIR

WEB_DEV_DIR is ../shared/data/web-dev (see its README). Needs the release
build of the `web_pages` example (bench/web.sh builds it).

- Dates (dates/): accuracy of the YYYY-MM-DD publication day, the page's URL
  given. htmldate: find_date(html, url=url, original_date=True,
  extensive_search=True). newsdesk: the page's `published_day`.
- Main text (extraction/): each `with` segment found in the text is a true
  positive, each missing one a false negative, each `without` segment found
  a false positive (trafilatura's own evaluation); an empty result counts all
  `with` segments as missed. Precision, recall and F1 over all segments.
  Both sides get the page bytes and no URL (trafilatura defaults).
- Speed: pages per second on the text pages, one thread each, decompression
  not timed.
"""
import gzip
import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
EXAMPLES = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")), "release", "examples")
EXAMPLE = os.path.join(EXAMPLES, "web_pages")
# Another build of the example (an earlier commit's, to compare): WEB_PAGES=path.
EXAMPLE = os.environ.get("WEB_PAGES", EXAMPLE)
SMOKE_PAGES = 12


def newsdesk(labels, pages_dir, limit, no_url=False, repeat=1):
    cmd = [EXAMPLE, "--repeat", str(repeat)]
    if limit:
        cmd += ["--limit", str(limit)]
    if no_url:
        cmd.append("--no-url")
    out = subprocess.check_output(cmd + [labels, pages_dir], text=True).strip().splitlines()
    rows = [json.loads(l) for l in out[:-1]]
    return {r["url"]: r for r in rows}, json.loads(out[-1])


def load(labels, pages_dir, limit):
    data = json.load(open(labels, encoding="utf-8"))
    urls = sorted(data)
    if limit:
        urls = urls[:limit]
    html = {u: gzip.open(os.path.join(pages_dir, data[u]["file"])).read() for u in urls}
    return data, urls, html


def score_text(text, item, counts):
    text = text or ""
    for seg in item["with"]:
        counts["tp" if text and seg in text else "fn"] += 1
    for seg in item["without"]:
        if text and seg in text:
            counts["fp"] += 1


def prf(c):
    p = c["tp"] / max(c["tp"] + c["fp"], 1)
    r = c["tp"] / max(c["tp"] + c["fn"], 1)
    f = 2 * p * r / max(p + r, 1e-9)
    return p, r, f


def main():
    args = sys.argv[1:]
    smoke = "--smoke" in args
    if smoke:
        args.remove("--smoke")
    limit = SMOKE_PAGES if smoke else 0
    try:
        import htmldate
        import trafilatura
    except ImportError:
        subprocess.check_call(
            [sys.executable, "-m", "pip", "install", "-q", "-r", os.path.join(ROOT, "bench", "requirements.txt")]
        )
        import htmldate
        import trafilatura
    from htmldate import find_date

    web = args[0]
    report = {}

    # Dates.
    labels = os.path.join(web, "dates", "dates.json")
    pages_dir = os.path.join(web, "dates", "pages")
    data, urls, html = load(labels, pages_dir, limit)
    ours, _ = newsdesk(labels, pages_dir, limit)
    ok_ours = ok_peer = found_ours = 0
    start = time.perf_counter()
    peer = {}
    for u in urls:
        try:
            peer[u] = find_date(html[u], url=u, original_date=True, extensive_search=True)
        except Exception:  # the peer's failures count as misses
            peer[u] = None
    peer_s = time.perf_counter() - start
    misses = []
    for u in urls:
        # A page labelled NaN has no date: right when none is found.
        want = data[u]["date"] if isinstance(data[u]["date"], str) else None
        got = ours[u]["day"]
        found_ours += got is not None
        ok_ours += got == want
        ok_peer += (peer[u][:10] if peer[u] else None) == want
        if got != want:
            misses.append((u, want, got, peer[u]))
    n = len(urls)
    report["dates"] = {
        "pages": n,
        "newsdesk": ok_ours / n,
        "newsdesk_found": found_ours / n,
        "htmldate": ok_peer / n,
        "htmldate_seconds": peer_s,
    }
    print(f"dates, {n} pages of web-dev/dates (URL given):")
    print(f"  newsdesk            accuracy {ok_ours / n:.3f} (a date on {found_ours / n:.3f})")
    print(f"  htmldate {htmldate.__version__:<10} accuracy {ok_peer / n:.3f}")
    if os.environ.get("WEB_SHOW_MISSES"):
        for m in misses:
            print("  miss", *m)

    # Main text.
    labels = os.path.join(web, "extraction", "evaldata.json")
    pages_dir = os.path.join(web, "extraction", "pages")
    data, urls, html = load(labels, pages_dir, limit)
    ours, timing = newsdesk(labels, pages_dir, limit, no_url=True, repeat=1 if smoke else 5)
    c_ours = {"tp": 0, "fn": 0, "fp": 0}
    c_peer = {"tp": 0, "fn": 0, "fp": 0}
    start = time.perf_counter()
    peer = {}
    for u in urls:
        peer[u] = trafilatura.extract(html[u])
    peer_s = time.perf_counter() - start
    worst = []
    for u in urls:
        score_text(ours[u]["text"], data[u], c_ours)
        score_text(peer[u], data[u], c_peer)
        one = {"tp": 0, "fn": 0, "fp": 0}
        score_text(ours[u]["text"], data[u], one)
        if one["fn"] or one["fp"]:
            worst.append((one["fn"] + one["fp"], u, one))
    n = len(urls)
    p, r, f = prf(c_ours)
    pp, pr, pf = prf(c_peer)
    ours_pps = timing["pages_per_s"]
    peer_pps = n / peer_s
    report["text"] = {
        "pages": n,
        "newsdesk": {"precision": p, "recall": r, "f1": f, "pages_per_s": ours_pps},
        "trafilatura": {"precision": pp, "recall": pr, "f1": pf, "pages_per_s": peer_pps},
        "speed_ratio": ours_pps / peer_pps,
    }
    print(f"main text, {n} pages of web-dev/extraction (segments that must / must not appear):")
    print(f"  newsdesk            F1 {f:.3f} (P {p:.3f}, R {r:.3f}), {ours_pps:.1f} pages/s")
    print(f"  trafilatura {trafilatura.__version__:<7} F1 {pf:.3f} (P {pp:.3f}, R {pr:.3f}), {peer_pps:.1f} pages/s")
    print(f"  speed ratio (one thread each): {ours_pps / peer_pps:.1f}x")
    if os.environ.get("WEB_SHOW_MISSES"):
        for _, u, one in sorted(worst, reverse=True):
            print("  text", one, u, data[u]["file"])

    # The extraction benchmark stays in the same report.
    bench = os.path.join(os.path.dirname(web), "extraction", "article-extraction-benchmark")
    truth = os.path.join(bench, "ground-truth.json")
    ids = sorted(json.load(open(truth, encoding="utf-8")))
    if smoke:
        ids = ids[:10]
    files = [os.path.join(bench, "html", f"{i}.html.gz") for i in ids]
    out = subprocess.check_output(
        [os.path.join(EXAMPLES, "extract_pages"), "--score", truth] + files, text=True
    )
    line = next(l for l in out.splitlines() if l.startswith("F1 "))
    report["extraction_benchmark"] = {"pages": len(ids), "f1": float(line.split()[1])}
    print(f"article-extraction-benchmark, {len(ids)} pages: newsdesk {line}")
    print(json.dumps(report))


if __name__ == "__main__":
    main()
