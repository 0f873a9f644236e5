-- newsdesk schema, version 5: topic pages served in order from an index
-- (issue 6). Each (topic, article) pair carries the article's sort keys, so a
-- topic page sorted by heat or time is an index range, whatever the topic's
-- size. The editorial step keeps it in step with the articles.

ALTER TABLE articles ADD COLUMN pinned INTEGER NOT NULL DEFAULT 0;
UPDATE articles SET pinned = 1
 WHERE id IN (SELECT article_id FROM article_editorial WHERE pinned = 1);

CREATE TABLE article_topics (
    topic        TEXT NOT NULL,
    article_id   INTEGER NOT NULL REFERENCES articles(id),
    published    INTEGER NOT NULL,    -- 1 when published
    pinned       INTEGER NOT NULL,
    heat         INTEGER NOT NULL,    -- -1 when not published
    published_at TEXT NOT NULL,       -- '' when undated
    PRIMARY KEY (topic, article_id)
) WITHOUT ROWID;

INSERT INTO article_topics (topic, article_id, published, pinned, heat, published_at)
SELECT DISTINCT t.value, a.id, COALESCE(a.published, 0), a.pinned, COALESCE(a.heat, -1),
       COALESCE(a.published_at, '')
  FROM articles a, json_each(a.topics) t
 WHERE a.stub = 0 AND t.type = 'text';

CREATE INDEX article_topics_by_heat
    ON article_topics (topic, published, pinned DESC, heat DESC, article_id DESC);
CREATE INDEX article_topics_by_time
    ON article_topics (topic, published, published_at DESC, article_id DESC);
CREATE INDEX articles_by_pinned_heat ON articles (published, pinned, heat, id);
CREATE INDEX articles_by_published_time ON articles (published, published_at, id);
CREATE INDEX article_topics_by_article ON article_topics (article_id);
