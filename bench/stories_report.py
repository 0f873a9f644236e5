#!/usr/bin/env python3
"""Formats the JSON lines of the stories_eval example (see bench/stories.sh)."""
import json
import sys

lines = [json.loads(l) for l in sys.stdin if l.strip()]
for c in lines[:-1]:
    cpu = c.get("cpu_us_per_article")
    cpu = f", CPU {cpu:6.1f} us/article ({1e6 / cpu:8.0f}/s)" if cpu else ""
    print(f"  {c['indexed']:>8} indexed: {c['us_per_article']:6.1f} us/article "
          f"({c['articles_per_s']:8.0f}/s){cpu}, {c['bytes_per_article']:6.0f} B/article")
f = lines[-1]
s, d = f["stories"], f["duplicates"]
print(f"  stories: B-cubed P {s['bcubed']['precision']:.4f} R {s['bcubed']['recall']:.4f} "
      f"F1 {s['bcubed']['f1']:.4f}; pairwise F1 {s['pairwise']['f1']:.4f} "
      f"({s['predicted_clusters']} found, {s['truth_clusters']} true)")
print(f"  copies: P {d['scores']['precision']:.4f} R {d['scores']['recall']:.4f} "
      f"({d['predicted_copies']} marked, {d['truth_copies']} true)")
cpu = f", CPU {f['cpu_articles_per_s']:.0f} articles/s" if f.get("cpu_articles_per_s") else ""
print(f"  overall: {f['articles_per_s']:.0f} articles/s{cpu}")
print(json.dumps(f))
