"""Hashes what the desk decided about every article of a JSON-lines export
(`newsdesk export --format jsonl`): the publish decision and its reasons, the
story, the original of a copy, the related list, the quality and the heat.

Usage: python3 bench/fingerprint.py EXPORT.jsonl [--fields]
Prints `ARTICLES HASH`; with --fields, one `FIELD HASH` line per field after it
(to see which part changed when the total does).
"""

import hashlib
import json
import sys

FIELDS = ["decision", "published", "story", "duplicateOf", "related", "quality", "heat", "heatBreakdown"]


def canonical(value):
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def main(argv):
    if not argv or argv[0].startswith("-"):
        print(__doc__.strip(), file=sys.stderr)
        return 2
    path, show_fields = argv[0], "--fields" in argv[1:]
    total = hashlib.sha256()
    per_field = {f: hashlib.sha256() for f in FIELDS}
    n = 0
    with open(path, encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                record = json.loads(line)
            except json.JSONDecodeError as e:
                print(f"{path}:{lineno}: not a JSON object: {e}", file=sys.stderr)
                return 1
            key = canonical([record.get("id"), record.get("source"), record.get("guid")])
            picked = {f: record.get(f) for f in FIELDS}
            total.update((key + canonical(picked) + "\n").encode())
            for f in FIELDS:
                per_field[f].update((key + canonical(picked[f]) + "\n").encode())
            n += 1
    print(f"{n} {total.hexdigest()[:16]}")
    if show_fields:
        for f in FIELDS:
            print(f"  {f} {per_field[f].hexdigest()[:16]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
