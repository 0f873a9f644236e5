-- newsdesk schema, version 2: what the desk's analysis decided and what it
-- needs to rebuild its memory on start (issue 3: duplicates and stories).

-- One row per analysed article. An article without a row (or with an older
-- `version`) is analysed on the next ingest; an update of the article's
-- content deletes its row.
CREATE TABLE article_analysis (
    article_id  INTEGER PRIMARY KEY REFERENCES articles(id),
    version     INTEGER NOT NULL,
    signature   BLOB,                  -- MinHash, 128 little-endian u32; NULL: no words
    terms       BLOB NOT NULL,         -- story terms: (u64 term, f32 weight) little-endian
    time        INTEGER NOT NULL,      -- Unix seconds the desk ordered it by
    credibility INTEGER NOT NULL,
    provider    INTEGER NOT NULL,      -- hash of the provider's domain
    reason      TEXT NOT NULL,         -- why it was placed as it was
    analysed_at TEXT NOT NULL
);

CREATE INDEX articles_by_story ON articles (story_id);
CREATE INDEX articles_by_duplicate ON articles (duplicate_of);
