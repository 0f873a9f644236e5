"""What Python's feedparser (a real feed client) reads from feed files.

Used by crates/render/tests/it/feeds.rs. Usage:

    python3 feedparser_dump.py FILE...

prints one JSON object per file (one per line): the parse status (bozo), the
feed header and, per entry, what a reader shows: id, title, links, dates (as
UTC RFC 3339 strings from feedparser's parsed time tuples), summary, content,
tags, author and media. The Rust test does the comparing.

feedparser 6.0 reads RSS and Atom but not JSON Feed; a `.json` file is read
with Python's json module instead and checked against the JSON Feed 1.1
rules that a reader relies on (see check_json_feed).
"""

import datetime
import json
import sys
import time

import feedparser


def when(parsed):
    if not parsed:
        return None
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", parsed)


def detail_type(entry, key):
    detail = entry.get(key + "_detail")
    return detail.get("type") if detail else None


def dump_xml(path):
    d = feedparser.parse(path)
    feed = d.feed
    out = {
        "file": path,
        "version": d.get("version"),
        "bozo": int(d.get("bozo", 0)),
        "bozo_exception": str(d.get("bozo_exception")) if d.get("bozo") else None,
        "feed": {
            "title": feed.get("title"),
            "link": feed.get("link"),
            "id": feed.get("id"),
            "language": feed.get("language"),
            "subtitle": feed.get("subtitle"),
            "updated": when(feed.get("updated_parsed")),
            "links": [
                {"rel": l.get("rel"), "href": l.get("href"), "type": l.get("type")}
                for l in feed.get("links", [])
            ],
        },
        "entries": [],
    }
    for e in d.entries:
        out["entries"].append(
            {
                "id": e.get("id"),
                "title": e.get("title"),
                "title_type": detail_type(e, "title"),
                "link": e.get("link"),
                "links": [
                    {"rel": l.get("rel"), "href": l.get("href"), "type": l.get("type")}
                    for l in e.get("links", [])
                ],
                "guidislink": e.get("guidislink"),
                "published": when(e.get("published_parsed")),
                "updated": when(e.get("updated_parsed")),
                "summary": e.get("summary"),
                "summary_type": detail_type(e, "summary"),
                "content": [
                    {"type": c.get("type"), "value": c.get("value")}
                    for c in e.get("content", [])
                ],
                "tags": [t.get("term") for t in e.get("tags", [])],
                "author": e.get("author"),
                "media": [
                    {
                        "url": m.get("url"),
                        "medium": m.get("medium"),
                        "width": m.get("width"),
                        "height": m.get("height"),
                    }
                    for m in e.get("media_content", [])
                ],
            }
        )
    return out


def rfc3339(value):
    """A JSON Feed date as UTC RFC 3339 with seconds, or None when absent."""
    if value is None:
        return None
    parsed = datetime.datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is None:
        raise ValueError("date without a time zone: %r" % value)
    return parsed.astimezone(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def check_json_feed(d):
    """The JSON Feed 1.1 rules a reader depends on; returns the problems."""
    problems = []
    if d.get("version") != "https://jsonfeed.org/version/1.1":
        problems.append("version is %r" % d.get("version"))
    if not isinstance(d.get("title"), str):
        problems.append("no title")
    if not isinstance(d.get("items"), list):
        problems.append("no items list")
        return problems
    for i, item in enumerate(d["items"]):
        if not isinstance(item.get("id"), str) or not item["id"]:
            problems.append("item %d: id must be a non-empty string" % i)
        if "content_html" not in item and "content_text" not in item:
            problems.append("item %d: neither content_html nor content_text" % i)
        for key in ("date_published", "date_modified"):
            try:
                rfc3339(item.get(key))
            except ValueError as err:
                problems.append("item %d: %s: %s" % (i, key, err))
        for a in item.get("authors", []):
            if not isinstance(a, dict) or not a.get("name"):
                problems.append("item %d: an author without a name" % i)
        if "tags" in item and not all(isinstance(t, str) for t in item["tags"]):
            problems.append("item %d: tags must be strings" % i)
    return problems


def dump_json(path):
    with open(path, "rb") as f:
        raw = f.read()
    try:
        d = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as err:
        return {"file": path, "version": None, "bozo": 1, "bozo_exception": str(err)}
    problems = check_json_feed(d)
    entries = []
    for item in d.get("items", []):
        try:
            published = rfc3339(item.get("date_published"))
            updated = rfc3339(item.get("date_modified"))
        except ValueError:
            published = updated = None
        entries.append(
            {
                "id": item.get("id"),
                "title": item.get("title"),
                "link": item.get("url"),
                "published": published,
                "updated": updated,
                "summary": item.get("summary"),
                "content": [
                    {"type": t, "value": item[k]}
                    for k, t in (("content_html", "text/html"), ("content_text", "text/plain"))
                    if k in item
                ],
                "tags": item.get("tags", []),
                "author": ", ".join(a.get("name", "") for a in item.get("authors", [])) or None,
                "media": [{"url": item["image"]}] if "image" in item else [],
            }
        )
    return {
        "file": path,
        "version": "json11" if d.get("version") == "https://jsonfeed.org/version/1.1" else None,
        "bozo": 1 if problems else 0,
        "bozo_exception": "; ".join(problems) or None,
        "feed": {
            "title": d.get("title"),
            "link": d.get("home_page_url"),
            "id": d.get("feed_url"),
            "language": d.get("language"),
            "subtitle": d.get("description"),
            "updated": None,
            "links": [],
        },
        "entries": entries,
    }


def main(paths):
    for path in paths:
        out = dump_json(path) if path.endswith(".json") else dump_xml(path)
        print(json.dumps(out, ensure_ascii=False))


if __name__ == "__main__":
    main(sys.argv[1:])
