-- newsdesk schema, version 6: the search outbox (issue 6). Every committed
-- change to what an article's search document holds leaves the article's id
-- here, written by triggers in the same transaction as the change, so the
-- full-text index can never miss one. The sync reads rows in `seq` order,
-- indexes the articles as they are now, commits the index, and only then
-- deletes the rows it read (`seq <= ` the last one): a crash in between only
-- indexes them again. An article has at most one row; a new change replaces
-- it with a higher `seq`, so a change made while the sync runs stays queued.

CREATE TABLE search_outbox (
    seq         INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id  INTEGER NOT NULL
);
CREATE INDEX search_outbox_by_article ON search_outbox (article_id);

-- The articles already stored are indexed by the first sync.
INSERT INTO search_outbox (article_id) SELECT id FROM articles ORDER BY id;

-- The article itself: new, changed in an indexed column, removed.
CREATE TRIGGER search_outbox_article_insert AFTER INSERT ON articles
BEGIN
    DELETE FROM search_outbox WHERE article_id = NEW.id;
    INSERT INTO search_outbox (article_id) VALUES (NEW.id);
END;

CREATE TRIGGER search_outbox_article_update
AFTER UPDATE OF id, stub, title, excerpt, body, provider_name, provider_domain, topics,
                published, published_at, quality, heat ON articles
WHEN OLD.id IS NOT NEW.id OR OLD.stub IS NOT NEW.stub OR OLD.title IS NOT NEW.title
  OR OLD.excerpt IS NOT NEW.excerpt OR OLD.body IS NOT NEW.body
  OR OLD.provider_name IS NOT NEW.provider_name OR OLD.provider_domain IS NOT NEW.provider_domain
  OR OLD.topics IS NOT NEW.topics OR OLD.published IS NOT NEW.published
  OR OLD.published_at IS NOT NEW.published_at OR OLD.quality IS NOT NEW.quality
  OR OLD.heat IS NOT NEW.heat
BEGIN
    DELETE FROM search_outbox WHERE article_id IN (OLD.id, NEW.id);
    INSERT INTO search_outbox (article_id) SELECT OLD.id WHERE OLD.id IS NOT NEW.id;
    INSERT INTO search_outbox (article_id) VALUES (NEW.id);
END;

CREATE TRIGGER search_outbox_article_delete AFTER DELETE ON articles
BEGIN
    DELETE FROM search_outbox WHERE article_id = OLD.id;
    INSERT INTO search_outbox (article_id) VALUES (OLD.id);
END;

-- The decision rows and the topic rows derived from them. The document is
-- read from the article's own columns, which the editorial step updates in
-- the same transaction; these keep the index in step should a decision ever
-- change without them.
CREATE TRIGGER search_outbox_editorial_insert AFTER INSERT ON article_editorial
BEGIN
    DELETE FROM search_outbox WHERE article_id = NEW.article_id;
    INSERT INTO search_outbox (article_id) VALUES (NEW.article_id);
END;
CREATE TRIGGER search_outbox_editorial_update AFTER UPDATE ON article_editorial
BEGIN
    DELETE FROM search_outbox WHERE article_id IN (OLD.article_id, NEW.article_id);
    INSERT INTO search_outbox (article_id) SELECT OLD.article_id WHERE OLD.article_id IS NOT NEW.article_id;
    INSERT INTO search_outbox (article_id) VALUES (NEW.article_id);
END;
CREATE TRIGGER search_outbox_editorial_delete AFTER DELETE ON article_editorial
BEGIN
    DELETE FROM search_outbox WHERE article_id = OLD.article_id;
    INSERT INTO search_outbox (article_id) VALUES (OLD.article_id);
END;

CREATE TRIGGER search_outbox_override_insert AFTER INSERT ON overrides
BEGIN
    DELETE FROM search_outbox WHERE article_id = NEW.article_id;
    INSERT INTO search_outbox (article_id) VALUES (NEW.article_id);
END;
CREATE TRIGGER search_outbox_override_update AFTER UPDATE ON overrides
BEGIN
    DELETE FROM search_outbox WHERE article_id IN (OLD.article_id, NEW.article_id);
    INSERT INTO search_outbox (article_id) SELECT OLD.article_id WHERE OLD.article_id IS NOT NEW.article_id;
    INSERT INTO search_outbox (article_id) VALUES (NEW.article_id);
END;
CREATE TRIGGER search_outbox_override_delete AFTER DELETE ON overrides
BEGIN
    DELETE FROM search_outbox WHERE article_id = OLD.article_id;
    INSERT INTO search_outbox (article_id) VALUES (OLD.article_id);
END;

CREATE TRIGGER search_outbox_topic_insert AFTER INSERT ON article_topics
BEGIN
    DELETE FROM search_outbox WHERE article_id = NEW.article_id;
    INSERT INTO search_outbox (article_id) VALUES (NEW.article_id);
END;
CREATE TRIGGER search_outbox_topic_update AFTER UPDATE ON article_topics
WHEN OLD.article_id IS NOT NEW.article_id OR OLD.topic IS NOT NEW.topic
  OR OLD.published IS NOT NEW.published OR OLD.pinned IS NOT NEW.pinned
  OR OLD.heat IS NOT NEW.heat OR OLD.published_at IS NOT NEW.published_at
BEGIN
    DELETE FROM search_outbox WHERE article_id IN (OLD.article_id, NEW.article_id);
    INSERT INTO search_outbox (article_id) SELECT OLD.article_id WHERE OLD.article_id IS NOT NEW.article_id;
    INSERT INTO search_outbox (article_id) VALUES (NEW.article_id);
END;
CREATE TRIGGER search_outbox_topic_delete AFTER DELETE ON article_topics
BEGIN
    DELETE FROM search_outbox WHERE article_id = OLD.article_id;
    INSERT INTO search_outbox (article_id) VALUES (OLD.article_id);
END;
