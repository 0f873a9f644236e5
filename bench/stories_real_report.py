#!/usr/bin/env python3
"""Prints the JSON lines of bench/stories_real.sh's two runs (the desk's
stories_real example and bench/stories_real_baseline.py) as text lines."""
import json
import sys


def fmt(r):
    b, p = r["bcubed"], r["pairwise"]
    found = r.get("found", r.get("predicted_clusters"))
    true = r.get("true", r.get("truth_clusters"))
    return (f"B3 P {b['precision']:.4f} R {b['recall']:.4f} F1 {b['f1']:.4f}, "
            f"pairwise P {p['precision']:.4f} R {p['recall']:.4f} F1 {p['f1']:.4f} "
            f"({found} found, {true} true)")


for line in sys.stdin:
    d = json.loads(line)
    if "peer" not in d:
        c = d["copies"]
        if c["truth_copies"] == 0:
            copies = f"copies: {c['predicted_copies']} marked (the set labels none)"
        else:
            copies = (f"copies P {c['scores']['precision']:.4f} R {c['scores']['recall']:.4f} "
                      f"F1 {c['scores']['f1']:.4f} ({c['predicted_copies']} marked, {c['truth_copies']} true)")
        print(f"desk {d['set']}: {d['labelled']} articles; stories {fmt(d['stories'])}; {copies}; "
              f"{d['seconds'] * 1000:.0f} ms")
    elif "threshold" in d:
        print(f"peer, one threshold for both (distance {d['threshold']}): "
              f"uci-dev {fmt(d['uci-dev'])}; everyday-ai {fmt(d['everyday-ai'])}")
    else:
        print(f"peer {d['set']}, best B3 (distance {d['best_b3_threshold']}): {fmt(d['at_best_b3'])}")
        print(f"peer {d['set']}, best pairwise (distance {d['best_pairwise_threshold']}): "
              f"{fmt(d['at_best_pairwise'])}")
