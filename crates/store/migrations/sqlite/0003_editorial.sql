-- newsdesk schema, version 3: the editorial decisions (issue 4): topics,
-- quality, heat, published, and what editors did about them.

-- The editorial values the input record itself carried (another desk's
-- decisions: quality, heat, published, topics), as JSON. The article's own
-- columns hold the values in effect, which the desk's decision replaces.
ALTER TABLE articles ADD COLUMN given TEXT;
UPDATE articles SET given = json_object(
    'quality', quality, 'heat', heat,
    'published', CASE published WHEN 1 THEN json('true') WHEN 0 THEN json('false') END,
    'topics', json(topics));

-- One row per decided article. A row whose `config` differs from the desk's
-- current configuration (topics, scoring, rules) is decided again; a change
-- of the article's content or placement deletes the row.
CREATE TABLE article_editorial (
    article_id  INTEGER PRIMARY KEY REFERENCES articles(id),
    config      TEXT NOT NULL,     -- fingerprint of what decided it
    pinned      INTEGER NOT NULL,
    detail      TEXT NOT NULL,     -- JSON: breakdowns and reasons (the desk's encoding)
    decided_at  TEXT NOT NULL
);
CREATE INDEX article_editorial_by_config ON article_editorial (config);

-- A story's heat and why, recomputed in batches as the story grows.
CREATE TABLE story_heat (
    story_id     INTEGER PRIMARY KEY,
    heat         INTEGER NOT NULL,
    detail       TEXT NOT NULL,    -- JSON breakdown
    newest       TEXT,             -- newest member's publication time
    computed_at  TEXT NOT NULL
);

-- An editor's word on one article; it outlives re-analysis.
CREATE TABLE overrides (
    article_id  INTEGER PRIMARY KEY REFERENCES articles(id),
    action      TEXT NOT NULL CHECK (action IN ('publish', 'unpublish', 'pin')),
    editor      TEXT NOT NULL,
    reason      TEXT,
    at          TEXT NOT NULL
);

-- Mute and keep rules, global or for one topic, in the topics query language.
CREATE TABLE rules (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    action      TEXT NOT NULL CHECK (action IN ('mute', 'keep')),
    topic       TEXT,
    query       TEXT NOT NULL,
    editor      TEXT NOT NULL,
    reason      TEXT,
    created_at  TEXT NOT NULL
);

-- Who changed what, when and why. Append only.
CREATE TABLE audit (
    id          INTEGER PRIMARY KEY,
    at          TEXT NOT NULL,
    editor      TEXT NOT NULL,
    action      TEXT NOT NULL,
    article_id  INTEGER,
    target      TEXT NOT NULL,
    reason      TEXT
);
CREATE INDEX audit_by_article ON audit (article_id);
CREATE INDEX articles_by_published_heat ON articles (published, heat);
