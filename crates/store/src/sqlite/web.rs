//! What the web pages keep: a story's heat history (written by
//! `apply_editorial`), saved searches, browser sessions, and the sources'
//! articles per day.

use chrono::{DateTime, Days, NaiveDate, Utc};
use rusqlite::{params, OptionalExtension};

use super::{db, parse_ts, ts, SqliteStore};
use crate::{
    HeatHistory, HeatSample, NewWebSession, SavedSearch, SavedSearches, SearchFilters,
    SourceActivity, SourceDayCount, StoreError, WebSession, WebSessionRecord, WebSessionToken,
    WebSessions,
};

impl HeatHistory for SqliteStore {
    fn story_heat_history(&self, story: i64, limit: usize) -> Result<Vec<HeatSample>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT at, heat FROM story_heat_history WHERE story_id = ?1 \
                 ORDER BY slot DESC LIMIT ?2",
            )
            .map_err(db("reading a story's heat history"))?;
        let rows = stmt
            .query_map(params![story, limit as i64], |r| {
                Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?))
            })
            .map_err(db("reading a story's heat history"))?;
        let mut out = Vec::new();
        for row in rows {
            let (at, heat) = row.map_err(db("reading a story's heat history"))?;
            out.push(HeatSample {
                story,
                at: parse_ts(story, "story_heat_history.at", &at)?,
                heat,
            });
        }
        out.reverse();
        Ok(out)
    }
}

const SEARCH_COLUMNS: &str = "id, name, slug, query, filters, owner, created_at";

type SearchRow = (i64, String, String, String, String, Option<String>, String);

fn search_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<SearchRow> {
    Ok((
        r.get(0)?,
        r.get(1)?,
        r.get(2)?,
        r.get(3)?,
        r.get(4)?,
        r.get(5)?,
        r.get(6)?,
    ))
}

fn saved_search(row: SearchRow) -> Result<SavedSearch, StoreError> {
    let (id, name, slug, query, filters, owner, created_at) = row;
    let filters: SearchFilters =
        serde_json::from_str(&filters).map_err(|e| StoreError::Corrupt {
            id,
            column: "saved_searches.filters",
            message: e.to_string(),
        })?;
    Ok(SavedSearch {
        name,
        slug,
        query,
        filters,
        owner,
        created_at: parse_ts(id, "saved_searches.created_at", &created_at)?,
    })
}

impl SavedSearches for SqliteStore {
    fn add_saved_search(&mut self, s: &SavedSearch) -> Result<(), StoreError> {
        if s.name.trim().is_empty() || s.slug.is_empty() || s.query.trim().is_empty() {
            return Err(StoreError::EmptySavedSearch {
                name: s.name.clone(),
            });
        }
        let filters = serde_json::to_string(&s.filters).map_err(|e| StoreError::Backend {
            action: "encoding a saved search's filters",
            kind: crate::ErrorKind::Other,
            message: e.to_string(),
        })?;
        let tx = self
            .conn
            .transaction()
            .map_err(db("starting to save a search"))?;
        let taken: Option<i64> = tx
            .query_row(
                "SELECT id FROM saved_searches WHERE name = ?1 OR slug = ?2 LIMIT 1",
                params![s.name, s.slug],
                |r| r.get(0),
            )
            .optional()
            .map_err(db("checking a saved search's name"))?;
        if taken.is_some() {
            return Err(StoreError::SavedSearchExists {
                name: s.name.clone(),
                slug: s.slug.clone(),
            });
        }
        tx.execute(
            "INSERT INTO saved_searches (name, slug, query, filters, owner, created_at) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![s.name, s.slug, s.query, filters, s.owner, ts(&s.created_at)],
        )
        .map_err(db("saving a search"))?;
        tx.commit().map_err(db("committing a saved search"))
    }

    fn saved_searches(&self) -> Result<Vec<SavedSearch>, StoreError> {
        let mut stmt = self
            .conn
            .prepare_cached(&format!(
                "SELECT {SEARCH_COLUMNS} FROM saved_searches ORDER BY slug"
            ))
            .map_err(db("listing saved searches"))?;
        let rows = stmt
            .query_map([], search_row)
            .map_err(db("listing saved searches"))?;
        let mut out = Vec::new();
        for row in rows {
            out.push(saved_search(row.map_err(db("listing saved searches"))?)?);
        }
        Ok(out)
    }

    fn saved_search(&self, name_or_slug: &str) -> Result<Option<SavedSearch>, StoreError> {
        let row = self
            .conn
            .prepare_cached(&format!(
                "SELECT {SEARCH_COLUMNS} FROM saved_searches WHERE name = ?1 OR slug = ?1 \
                 ORDER BY name = ?1 DESC LIMIT 1"
            ))
            .and_then(|mut s| s.query_row([name_or_slug], search_row).optional())
            .map_err(db("reading a saved search"))?;
        row.map(saved_search).transpose()
    }

    fn remove_saved_search(&mut self, name_or_slug: &str) -> Result<bool, StoreError> {
        // The row `saved_search` would return, so that a name wins over
        // another search's slug here too.
        let n = self
            .conn
            .execute(
                "DELETE FROM saved_searches WHERE id = (SELECT id FROM saved_searches \
                 WHERE name = ?1 OR slug = ?1 ORDER BY name = ?1 DESC LIMIT 1)",
                [name_or_slug],
            )
            .map_err(db("removing a saved search"))?;
        Ok(n > 0)
    }
}

fn session_time(column: &'static str, v: &str) -> Result<DateTime<Utc>, StoreError> {
    parse_ts(0, column, v)
}

impl WebSessions for SqliteStore {
    fn create_web_session(
        &mut self,
        new: &NewWebSession,
    ) -> Result<(WebSessionToken, WebSession), StoreError> {
        let (token, record) = WebSessionRecord::issue(new)?;
        let tx = self
            .conn
            .transaction()
            .map_err(db("starting a web session"))?;
        let usable: Option<i64> = tx
            .query_row(
                "SELECT 1 FROM api_keys WHERE id = ?1 AND revoked IS NULL",
                [&new.api_key_id],
                |r| r.get(0),
            )
            .optional()
            .map_err(db("checking a session's API key"))?;
        if usable.is_none() {
            return Err(StoreError::NoApiKey {
                id: new.api_key_id.clone(),
            });
        }
        let s = &record.session;
        tx.execute(
            "INSERT INTO web_sessions (token_hash, api_key_id, role, csrf_secret, created, expires) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
            params![
                record.token_hash,
                s.api_key_id,
                s.role,
                s.csrf_secret,
                ts(&s.created),
                ts(&s.expires)
            ],
        )
        .map_err(db("storing a web session"))?;
        tx.commit().map_err(db("committing a web session"))?;
        // As stored: times to the second.
        let mut session = record.session;
        session.created = session_time("web_sessions.created", &ts(&session.created))?;
        session.expires = session_time("web_sessions.expires", &ts(&session.expires))?;
        Ok((token, session))
    }

    fn web_session(
        &self,
        token: &str,
        now: DateTime<Utc>,
    ) -> Result<Option<WebSession>, StoreError> {
        let row = self
            .conn
            .prepare_cached(
                "SELECT w.api_key_id, w.role, w.csrf_secret, w.created, w.expires \
                 FROM web_sessions w JOIN api_keys k ON k.id = w.api_key_id \
                 WHERE w.token_hash = ?1 AND k.revoked IS NULL",
            )
            .and_then(|mut s| {
                s.query_row([WebSessionToken::hash_of(token)], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, String>(1)?,
                        r.get::<_, String>(2)?,
                        r.get::<_, String>(3)?,
                        r.get::<_, String>(4)?,
                    ))
                })
                .optional()
            })
            .map_err(db("reading a web session"))?;
        let Some((api_key_id, role, csrf_secret, created, expires)) = row else {
            return Ok(None);
        };
        let session = WebSession {
            api_key_id,
            role,
            csrf_secret,
            created: session_time("web_sessions.created", &created)?,
            expires: session_time("web_sessions.expires", &expires)?,
        };
        Ok((!session.is_expired(now)).then_some(session))
    }

    fn delete_web_session(&mut self, token: &str) -> Result<bool, StoreError> {
        let n = self
            .conn
            .execute(
                "DELETE FROM web_sessions WHERE token_hash = ?1",
                [WebSessionToken::hash_of(token)],
            )
            .map_err(db("ending a web session"))?;
        Ok(n > 0)
    }

    fn purge_web_sessions(&mut self, now: DateTime<Utc>) -> Result<usize, StoreError> {
        // Times are stored in one fixed-width form, so text order is time order.
        self.conn
            .execute(
                "DELETE FROM web_sessions WHERE expires <= ?1 OR api_key_id IN \
                 (SELECT id FROM api_keys WHERE revoked IS NOT NULL)",
                [ts(&now)],
            )
            .map_err(db("purging web sessions"))
    }
}

impl SourceActivity for SqliteStore {
    fn source_daily_counts(
        &self,
        since_day: NaiveDate,
        until_day: NaiveDate,
    ) -> Result<Vec<SourceDayCount>, StoreError> {
        if until_day < since_day {
            return Ok(Vec::new());
        }
        // Publication times are stored as `YYYY-MM-DDTHH:MM:SSZ`: the day
        // after `until_day` bounds the range as text.
        let from = since_day.format("%Y-%m-%d").to_string();
        let to = until_day
            .checked_add_days(Days::new(1))
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "\u{10ffff}".into());
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT s.locator, substr(a.published_at, 1, 10) AS day, COUNT(*) \
                 FROM articles a JOIN sources s ON s.id = a.source_id \
                 WHERE a.published_at >= ?1 AND a.published_at < ?2 AND a.stub = 0 \
                 GROUP BY s.locator, day ORDER BY s.locator, day",
            )
            .map_err(db("counting articles per source and day"))?;
        let rows = stmt
            .query_map(params![from, to], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, i64>(2)?,
                ))
            })
            .map_err(db("counting articles per source and day"))?;
        let mut out = Vec::new();
        for row in rows {
            let (source, day, n) = row.map_err(db("counting articles per source and day"))?;
            let day = NaiveDate::parse_from_str(&day, "%Y-%m-%d").map_err(|e| {
                StoreError::CorruptSource {
                    locator: source.clone(),
                    column: "articles.published_at",
                    message: format!("expected a date, found `{day}`: {e}"),
                }
            })?;
            out.push(SourceDayCount {
                source,
                day,
                articles: n as u64,
            });
        }
        Ok(out)
    }
}
