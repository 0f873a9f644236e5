#!/usr/bin/env python3
"""Peer baseline for the ingest benchmark: a straightforward Python importer.

Reads Reuters-21578 .sgm files with the standard library only (regular
expressions and html.unescape), and stores every story in a fresh SQLite
database (WAL mode) with an FTS5 index over title and body, one transaction
per file. It is written the way a reasonable developer would write it in an
afternoon, not tuned: the point is to know what a plain script achieves.

Prints one JSON line: {"docs": N, "seconds": S, "docs_per_s": R}.

    python3 bench/reuters_python_import.py ../shared/data/reuters-21578/reut2-*.sgm
"""

import argparse
import html
import itertools
import json
import os
import re
import sqlite3
import sys
import tempfile
import time
from datetime import datetime, timezone

STORY_RE = re.compile(r"<REUTERS([^>]*)>(.*?)</REUTERS>", re.S)
ATTR_RE = re.compile(r'(\w+)="([^"]*)"')
DATE_RE = re.compile(r"<DATE>(.*?)</DATE>", re.S)
TITLE_RE = re.compile(r"<TITLE>(.*?)</TITLE>", re.S)
BODY_RE = re.compile(r"<BODY>(.*?)</BODY>", re.S)
TEXT_RE = re.compile(r"<TEXT[^>]*>(.*?)</TEXT>", re.S)
TOPICS_RE = re.compile(r"<TOPICS>(.*?)</TOPICS>", re.S)
PLACES_RE = re.compile(r"<PLACES>(.*?)</PLACES>", re.S)
D_RE = re.compile(r"<D>(.*?)</D>", re.S)
CONTROL_RE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
SIGN_OFF_RE = re.compile(r"(?:^|\n)[ \t]*reuters?\W*$", re.I)
DATE_PREFIX_RE = re.compile(r"\s*(\d{1,2}-[A-Z]{3}-\d{4})\s+(\d{1,2}:\d\d:\d\d)")

SCHEMA = """
CREATE TABLE stories (
    id INTEGER PRIMARY KEY,
    date TEXT,
    title TEXT,
    body TEXT,
    topics TEXT,
    places TEXT
);
CREATE VIRTUAL TABLE stories_fts USING fts5(title, body, content='stories', content_rowid='id');
"""


def clean(text):
    """Entities decoded, control characters dropped."""
    return CONTROL_RE.sub("", html.unescape(text))


def first(regex, text):
    m = regex.search(text)
    return m.group(1) if m else None


def parse_date(raw):
    m = DATE_PREFIX_RE.match(raw or "")
    if not m:
        return None
    try:
        dt = datetime.strptime(m.group(1) + " " + m.group(2), "%d-%b-%Y %H:%M:%S")
    except ValueError:
        return None
    return dt.replace(tzinfo=timezone.utc).isoformat()


def body_text(raw):
    """Joins wrapped lines; an indented line starts a new paragraph."""
    text = SIGN_OFF_RE.sub("", clean(raw).rstrip())
    paragraphs = []
    for line in text.split("\n"):
        if not line.strip():
            continue
        if line.startswith((" ", "\t")) or not paragraphs:
            paragraphs.append(line.strip())
        else:
            paragraphs[-1] += " " + line.strip()
    return "\n\n".join(paragraphs)


def parse_file(path):
    with open(path, "rb") as f:
        # The files are ASCII apart from a stray byte or two.
        data = f.read().decode("cp1252", errors="replace")
    for m in STORY_RE.finditer(data):
        attrs = dict(ATTR_RE.findall(m.group(1)))
        inner = m.group(2)
        title = first(TITLE_RE, inner)
        body = first(BODY_RE, inner)
        if body is None and 'TYPE="UNPROC"' in inner:
            body = first(TEXT_RE, inner)
        topics = D_RE.findall(first(TOPICS_RE, inner) or "")
        places = D_RE.findall(first(PLACES_RE, inner) or "")
        yield (
            int(attrs["NEWID"]),
            parse_date(first(DATE_RE, inner)),
            " ".join(clean(title).split()) if title else None,
            body_text(body) if body else None,
            json.dumps(topics),
            json.dumps(places),
        )


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("files", nargs="+", help="reut2-*.sgm files")
    ap.add_argument("--db", help="SQLite file to create (default: a temporary file)")
    ap.add_argument("--limit", type=int, help="stop after this many stories")
    args = ap.parse_args()

    tmpdir = None
    if args.db:
        db_path = args.db
        for suffix in ("", "-wal", "-shm"):
            if os.path.exists(db_path + suffix):
                os.remove(db_path + suffix)
    else:
        tmpdir = tempfile.TemporaryDirectory(prefix="reuters-import-")
        db_path = os.path.join(tmpdir.name, "reuters.db")

    start = time.perf_counter()
    con = sqlite3.connect(db_path, isolation_level=None)
    con.execute("PRAGMA journal_mode=WAL")
    con.executescript(SCHEMA)
    docs = 0
    for path in args.files:
        if args.limit is not None and docs >= args.limit:
            break
        remaining = None if args.limit is None else args.limit - docs
        rows = list(itertools.islice(parse_file(path), remaining))
        con.execute("BEGIN")
        con.executemany("INSERT INTO stories VALUES (?, ?, ?, ?, ?, ?)", rows)
        con.executemany(
            "INSERT INTO stories_fts(rowid, title, body) VALUES (?, ?, ?)",
            [(r[0], r[2], r[3]) for r in rows],
        )
        con.execute("COMMIT")
        docs += len(rows)
    con.close()
    seconds = time.perf_counter() - start

    if tmpdir is not None:
        tmpdir.cleanup()
    print(json.dumps({"docs": docs, "seconds": round(seconds, 3),
                      "docs_per_s": round(docs / seconds, 1) if seconds > 0 else None}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
