-- newsdesk schema, version 7 (issue 6): API keys and the desk's settings.
-- (Version 6 is the search outbox.)
--
-- An API key is kept as the SHA-256 of its secret (bound to its id), never
-- the token itself. `scopes` are names separated by commas; `rate_per_min`
-- is the key's own request budget (NULL: the server's default).

CREATE TABLE api_keys (
    id           TEXT PRIMARY KEY,        -- 16 hex digits, the token's id part
    name         TEXT NOT NULL,
    secret_hash  TEXT NOT NULL,           -- sha256:<64 hex digits>
    role         TEXT NOT NULL,           -- reader, editor, admin
    scopes       TEXT NOT NULL DEFAULT '',
    created      TEXT NOT NULL,
    last_used    TEXT,
    revoked      TEXT,
    rate_per_min INTEGER
);

-- Small named settings of the desk, e.g. `sealed` = 'true' once full text is
-- kept sealed (a keyring is then required to write).
CREATE TABLE desk_settings (
    name  TEXT PRIMARY KEY,
    value TEXT NOT NULL
);
