-- newsdesk schema, version 8: what the web pages keep (a story's heat over
-- time, saved searches, editors' browser sessions).

-- A story's heat as the editorial step computed it, one sample per story per
-- ten-minute window of the clock: `slot` is the Unix time of `at` divided by
-- 600; a later heat in the same window replaces the sample. Written in the
-- transaction that writes `story_heat`.
CREATE TABLE story_heat_history (
    story_id  INTEGER NOT NULL,
    slot      INTEGER NOT NULL,
    at        TEXT NOT NULL,           -- RFC 3339 UTC, seconds
    heat      INTEGER NOT NULL,
    PRIMARY KEY (story_id, slot)
);
-- The history starts with each story's heat as last computed.
INSERT INTO story_heat_history (story_id, slot, at, heat)
SELECT story_id, CAST(strftime('%s', computed_at) AS INTEGER) / 600, computed_at, heat
FROM story_heat WHERE strftime('%s', computed_at) IS NOT NULL;

-- Searches a user keeps by name; the slug names its feed.
CREATE TABLE saved_searches (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    slug        TEXT NOT NULL UNIQUE,
    query       TEXT NOT NULL,           -- the API's search syntax
    filters     TEXT NOT NULL,           -- JSON: topic, provider, since, until, published
    owner       TEXT,                    -- the API key id that saved it
    created_at  TEXT NOT NULL
);

-- Editors signed in from a browser. The token is kept only as its SHA-256;
-- the CSRF secret is the session's own (64 hex digits).
CREATE TABLE web_sessions (
    token_hash  TEXT PRIMARY KEY,        -- sha256:<64 hex digits>
    api_key_id  TEXT NOT NULL REFERENCES api_keys(id),
    role        TEXT NOT NULL,
    csrf_secret TEXT NOT NULL,
    created     TEXT NOT NULL,
    expires     TEXT NOT NULL
);
CREATE INDEX web_sessions_by_expires ON web_sessions (expires);
