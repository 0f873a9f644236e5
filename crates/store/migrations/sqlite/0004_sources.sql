-- newsdesk schema, version 4: the sources the desk follows on the web
-- (issue 5: `newsdesk sources add`, `newsdesk run`).

-- 1 while `newsdesk run` polls the source. Sources registered by ingesting
-- files (and OPML lists read by `ingest`) stay 0 until followed.
ALTER TABLE sources ADD COLUMN active INTEGER NOT NULL DEFAULT 0;
-- The fetcher's health record (JSON: last attempt and success, consecutive
-- errors, last error, validators, activity, dead); NULL before the first poll.
-- `etag`, `last_modified`, `last_status` and `last_error` of version 1 mirror
-- it for a reader with plain SQL.
ALTER TABLE sources ADD COLUMN health TEXT;
-- When to poll next (RFC 3339 UTC); NULL: due now, or never when dead.
ALTER TABLE sources ADD COLUMN next_poll TEXT;

CREATE INDEX sources_by_next_poll ON sources (active, next_poll);
