//! Read queries for serving: articles filtered by topic, provider, dates,
//! publication and quality, sorted by heat or time, walked with cursors; and
//! topic counts.
//!
//! A cursor is the sort key of the last article of a page, written as an
//! opaque token. Keyset pagination: a page costs the same at any depth, and
//! articles arriving between two requests never repeat or skip one already
//! seen in the same order.

use chrono::{DateTime, Utc};
use rusqlite::params_from_iter;
use rusqlite::types::Value;

use super::{db, read_row, ts, SqliteStore, FROM_ARTICLES, SELECT_COLUMNS};
use crate::{ArticleQueries, StoreError, StoredArticle};

/// How a list is ordered.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// Pinned first, then hottest, then newest id.
    #[default]
    Heat,
    /// Newest publication first (undated last), then newest id.
    Time,
}

impl Sort {
    fn tag(self) -> char {
        match self {
            Sort::Heat => 'h',
            Sort::Time => 't',
        }
    }
}

/// Where the previous page ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Cursor {
    Heat { pinned: bool, heat: i64, id: i64 },
    Time { published_at: String, id: i64 },
}

/// A cursor that is not one this store wrote, or one for another sort.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("invalid cursor: {0}")]
pub struct CursorError(pub String);

impl Cursor {
    /// The opaque token (hex of `h|pinned|heat|id` or `t|time|id`).
    pub fn encode(&self) -> String {
        let plain = match self {
            Cursor::Heat { pinned, heat, id } => format!("h|{}|{heat}|{id}", *pinned as u8),
            Cursor::Time { published_at, id } => format!("t|{published_at}|{id}"),
        };
        plain.bytes().map(|b| format!("{b:02x}")).collect()
    }

    /// Reads a token written by [`Cursor::encode`] for `sort`.
    pub fn decode(token: &str, sort: Sort) -> Result<Cursor, CursorError> {
        let bad = |why: &str| CursorError(why.to_string());
        if token.len() > 256 || !token.len().is_multiple_of(2) {
            return Err(bad("expected the `next` value of a previous page"));
        }
        let bytes = (0..token.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(token.get(i..i + 2).unwrap_or("zz"), 16))
            .collect::<Result<Vec<u8>, _>>()
            .map_err(|_| bad("expected the `next` value of a previous page"))?;
        let plain = String::from_utf8(bytes)
            .map_err(|_| bad("expected the `next` value of a previous page"))?;
        let parts: Vec<&str> = plain.split('|').collect();
        let tag = parts.first().and_then(|p| p.chars().next());
        if tag != Some(sort.tag()) {
            return Err(bad("the cursor belongs to another sort order"));
        }
        let num = |s: &str| {
            s.parse::<i64>()
                .map_err(|_| bad("expected the `next` value of a previous page"))
        };
        match (sort, parts.as_slice()) {
            (Sort::Heat, [_, pinned, heat, id]) => Ok(Cursor::Heat {
                pinned: match *pinned {
                    "1" => true,
                    "0" => false,
                    _ => return Err(bad("expected the `next` value of a previous page")),
                },
                heat: num(heat)?,
                id: num(id)?,
            }),
            (Sort::Time, [_, time, id]) => {
                if !time.is_empty() {
                    DateTime::parse_from_rfc3339(time)
                        .map_err(|_| bad("expected the `next` value of a previous page"))?;
                }
                Ok(Cursor::Time {
                    published_at: time.to_string(),
                    id: num(id)?,
                })
            }
            _ => Err(bad("expected the `next` value of a previous page")),
        }
    }
}

/// What to list.
#[derive(Debug, Clone, Default)]
pub struct ArticleQuery {
    /// Articles of this topic (by name).
    pub topic: Option<String>,
    /// Articles of this provider (by domain).
    pub provider: Option<String>,
    /// Published at or after.
    pub from: Option<DateTime<Utc>>,
    /// Published before.
    pub to: Option<DateTime<Utc>>,
    /// Only published (`Some(true)`) or only unpublished (`Some(false)`) ones.
    pub published: Option<bool>,
    pub min_quality: Option<i64>,
    /// Articles of this story.
    pub story: Option<i64>,
    pub sort: Sort,
    pub after: Option<Cursor>,
    /// At most this many (the caller caps it).
    pub limit: usize,
}

/// One page of a list.
#[derive(Debug, Clone)]
pub struct ArticlesPage {
    /// Without `related`/`similar` links, the full text (`secured`, `body`,
    /// `content_html`) and the decision's details: a list shows none of them.
    pub articles: Vec<StoredArticle>,
    /// The cursor of the next page, `None` on the last one.
    pub next: Option<String>,
}

/// A topic and how many articles carry it.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct TopicCount {
    pub name: String,
    pub articles: u64,
    pub published: u64,
}

impl ArticleQueries for SqliteStore {
    /// One page of articles (stubs never listed).
    ///
    /// A topic page reads the `article_topics` index in order (its rows carry
    /// the sort keys), so its cost does not grow with the topic or the
    /// store; the published list without a topic reads the articles' own
    /// (published, pinned, heat) index.
    fn query_articles(&self, q: &ArticleQuery) -> Result<ArticlesPage, StoreError> {
        // A list never shows the full text or the decision's details: leave
        // the widest columns out (they read as empty).
        let columns = SELECT_COLUMNS
            .replace("a.secured, a.body, a.content_html", "NULL, NULL, NULL")
            .replace("e.detail", "NULL");
        debug_assert!(
            columns.matches("NULL").count() == 4,
            "SELECT_COLUMNS changed"
        );
        let mut args: Vec<Value> = Vec::new();
        let mut sql = match &q.topic {
            Some(t) => {
                args.push(Value::Text(t.clone()));
                format!(
                    "SELECT {columns} FROM article_topics t JOIN {FROM_ARTICLES} \
                     WHERE t.topic = ?1 AND a.id = t.article_id AND a.stub = 0"
                )
            }
            None => format!("SELECT {columns} FROM {FROM_ARTICLES} WHERE a.stub = 0"),
        };
        let mut bind = |sql: &mut String, clause: &str, v: Value| {
            args.push(v);
            sql.push_str(&clause.replace('?', &format!("?{}", args.len())));
        };
        if let Some(p) = &q.provider {
            bind(
                &mut sql,
                " AND a.provider_domain = ?",
                Value::Text(p.clone()),
            );
        }
        if let Some(f) = &q.from {
            bind(&mut sql, " AND a.published_at >= ?", Value::Text(ts(f)));
        }
        if let Some(t) = &q.to {
            bind(&mut sql, " AND a.published_at < ?", Value::Text(ts(t)));
        }
        let on_topic = q.topic.is_some();
        match (q.published, on_topic) {
            (Some(true), true) => sql.push_str(" AND t.published = 1"),
            (Some(false), true) => sql.push_str(" AND t.published = 0"),
            (Some(true), false) => sql.push_str(" AND a.published = 1"),
            (Some(false), false) => sql.push_str(" AND COALESCE(a.published, 0) = 0"),
            (None, _) => {}
        }
        if let Some(m) = q.min_quality {
            bind(&mut sql, " AND a.quality >= ?", Value::Integer(m));
        }
        if let Some(s) = q.story {
            bind(&mut sql, " AND a.story_id = ?", Value::Integer(s));
        }
        // The sort keys: the topic index's own columns, the articles'
        // indexed columns for the published list, expressions otherwise.
        let indexed = q.published == Some(true);
        let (pinned, heat, id, time) = if on_topic {
            ("t.pinned", "t.heat", "t.article_id", "t.published_at")
        } else if indexed {
            ("a.pinned", "a.heat", "a.id", "COALESCE(a.published_at, '')")
        } else {
            (
                "a.pinned",
                "COALESCE(a.heat, -1)",
                "a.id",
                "COALESCE(a.published_at, '')",
            )
        };
        match (&q.after, q.sort) {
            (
                Some(Cursor::Heat {
                    pinned: p,
                    heat: h,
                    id: i,
                }),
                Sort::Heat,
            ) => {
                args.push(Value::Integer(*p as i64));
                args.push(Value::Integer(*h));
                args.push(Value::Integer(*i));
                let n = args.len();
                sql.push_str(&format!(
                    " AND ({pinned}, {heat}, {id}) < (?{}, ?{}, ?{})",
                    n - 2,
                    n - 1,
                    n
                ));
            }
            (
                Some(Cursor::Time {
                    published_at,
                    id: i,
                }),
                Sort::Time,
            ) => {
                args.push(Value::Text(published_at.clone()));
                args.push(Value::Integer(*i));
                let n = args.len();
                sql.push_str(&format!(" AND ({time}, {id}) < (?{}, ?{})", n - 1, n));
            }
            // A cursor of the other order: decoded against its sort, so it
            // cannot get here; start over rather than guess.
            _ => {}
        }
        sql.push_str(&match q.sort {
            Sort::Heat => format!(" ORDER BY {pinned} DESC, {heat} DESC, {id} DESC"),
            Sort::Time => format!(" ORDER BY {time} DESC, {id} DESC"),
        });
        let limit = q.limit.max(1);
        args.push(Value::Integer(limit as i64 + 1));
        sql.push_str(&format!(" LIMIT ?{}", args.len()));

        let mut stmt = self
            .conn
            .prepare_cached(&sql)
            .map_err(db("listing articles"))?;
        let rows = stmt
            .query_map(params_from_iter(args), read_row)
            .map_err(db("listing articles"))?;
        let mut articles = Vec::with_capacity(limit + 1);
        for r in rows {
            articles.push(r.map_err(db("listing articles"))??);
        }
        let next = if articles.len() > limit {
            articles.truncate(limit);
            articles.last().map(|a| {
                match q.sort {
                    Sort::Heat => Cursor::Heat {
                        pinned: a.pinned,
                        heat: a.article.heat.unwrap_or(-1),
                        id: a.id,
                    },
                    Sort::Time => Cursor::Time {
                        published_at: a.article.published_at.as_ref().map(ts).unwrap_or_default(),
                        id: a.id,
                    },
                }
                .encode()
            })
        } else {
            None
        };
        Ok(ArticlesPage { articles, next })
    }

    /// Every topic articles carry, with counts, most published first.
    fn topic_counts(&self) -> Result<Vec<TopicCount>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT t.value, COUNT(*), SUM(CASE WHEN a.published = 1 THEN 1 ELSE 0 END) \
                 FROM articles a, json_each(a.topics) t WHERE a.stub = 0 \
                 GROUP BY t.value ORDER BY 3 DESC, 2 DESC, 1",
            )
            .map_err(db("counting topics"))?;
        let rows = stmt
            .query_map([], |r| {
                Ok(TopicCount {
                    name: r.get(0)?,
                    articles: r.get::<_, i64>(1)? as u64,
                    published: r.get::<_, i64>(2)? as u64,
                })
            })
            .map_err(db("counting topics"))?;
        rows.collect::<Result<Vec<_>, _>>()
            .map_err(db("counting topics"))
    }
}
