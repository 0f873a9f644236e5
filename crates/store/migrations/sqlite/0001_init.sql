-- newsdesk schema, version 1. Portable SQL: the PostgreSQL backend keeps the
-- same tables in its own folder; differences are types only.

CREATE TABLE sources (
    id              INTEGER PRIMARY KEY,
    locator         TEXT NOT NULL UNIQUE,   -- file path or URL
    kind            TEXT NOT NULL,          -- document, rss, atom, json-feed, opml, text, reuters
    title           TEXT,
    first_seen      TEXT NOT NULL,
    last_ingested   TEXT,
    -- fetch metadata (filled by the fetcher)
    etag            TEXT,
    last_modified   TEXT,
    last_status     INTEGER,
    last_error      TEXT
);

CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    identity        TEXT NOT NULL UNIQUE,   -- url:<canonical> or guid:<id>
    source_id       INTEGER REFERENCES sources(id),
    guid            TEXT,
    format          TEXT NOT NULL,
    -- 1 while the article is known only from another record's related list
    stub            INTEGER NOT NULL DEFAULT 0,
    category        TEXT,
    title           TEXT NOT NULL,
    excerpt         TEXT,
    published_at    TEXT,                   -- RFC 3339 UTC, seconds
    original_url    TEXT,
    web_url         TEXT,
    amp_web_url     TEXT,
    cdn_amp_web_url TEXT,
    kind            TEXT,
    quality         INTEGER,
    heat            INTEGER,
    published       INTEGER,                -- 0/1, NULL when undecided
    provider_name   TEXT,
    provider_domain TEXT,
    provider_images TEXT,                   -- JSON list of images
    topics          TEXT NOT NULL,          -- JSON list of names
    images          TEXT NOT NULL,          -- JSON list of images
    secured         TEXT,
    body            TEXT,
    content_html    TEXT,
    author          TEXT,
    language        TEXT,
    content_hash    TEXT NOT NULL,          -- xxh3-64 of the article's content
    first_seen      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    story_id        INTEGER,
    duplicate_of    INTEGER REFERENCES articles(id)
);

CREATE INDEX articles_by_guid ON articles (source_id, guid);
CREATE INDEX articles_by_published_at ON articles (published_at);
CREATE INDEX articles_by_provider ON articles (provider_domain);

-- Links between articles: `related` lists, in their order.
CREATE TABLE article_links (
    from_id   INTEGER NOT NULL REFERENCES articles(id),
    to_id     INTEGER NOT NULL REFERENCES articles(id),
    kind      TEXT NOT NULL,
    position  INTEGER NOT NULL,
    PRIMARY KEY (from_id, kind, to_id)
);
CREATE INDEX article_links_to ON article_links (to_id);
