//! The read path: a row of `SELECT_COLUMNS` to a `StoredArticle`, stored
//! values that do not decode reported by column, and sealed full text opened
//! on the way out.

use super::*;

impl SqliteStore {
    /// A full-text column's value as read straight from SQL, made safe to
    /// use: a sealed value is opened when the store has a sealer and is
    /// `None` when it has none (never ciphertext as text); a clear value is
    /// returned as it is. For code that selects `body` or `content_html`
    /// itself rather than through the article readers.
    pub(super) fn open_text_inner(
        &self,
        identity: &str,
        column: &'static str,
        value: Option<String>,
    ) -> Result<Option<String>, StoreError> {
        match value {
            Some(v) if is_sealed(&v) => match &self.sealer {
                None => Ok(None),
                Some(s) => s
                    .open(identity, &v)
                    .map(Some)
                    .map_err(|source| StoreError::Sealing {
                        identity: identity.to_string(),
                        column,
                        source,
                    }),
            },
            other => Ok(other),
        }
    }

    /// Opens an article's sealed full text, when the store has a sealer.
    pub(super) fn open_texts(&self, s: &mut StoredArticle) -> Result<(), StoreError> {
        let Some(sealer) = &self.sealer else {
            return Ok(());
        };
        let open = |column: &'static str, v: &str| {
            sealer
                .open(&s.identity, v)
                .map_err(|source| StoreError::Sealing {
                    identity: s.identity.clone(),
                    column,
                    source,
                })
        };
        let body = s
            .sealed_body
            .as_deref()
            .map(|v| open("body", v))
            .transpose()?;
        let html = s
            .sealed_html
            .as_deref()
            .map(|v| open("content_html", v))
            .transpose()?;
        if body.is_some() {
            s.article.body = body;
        }
        if html.is_some() {
            s.article.content_html = html;
        }
        Ok(())
    }

    pub(super) fn finish(&self, mut s: StoredArticle) -> Result<StoredArticle, StoreError> {
        self.open_texts(&mut s)?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT to_id FROM article_links WHERE from_id = ?1 AND kind = 'related' ORDER BY position",
            )
            .map_err(db("reading related links"))?;
        s.related = stmt
            .query_map([s.id], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(db("reading related links"))?;
        let mut stmt = self
            .conn
            .prepare_cached(
                "SELECT to_id FROM article_links WHERE from_id = ?1 AND kind = 'similar' ORDER BY position",
            )
            .map_err(db("reading similar links"))?;
        s.similar = stmt
            .query_map([s.id], |r| r.get(0))
            .and_then(|rows| rows.collect())
            .map_err(db("reading similar links"))?;
        Ok(s)
    }

    /// Runs a listing query of [`SELECT_COLUMNS`] rows.
    pub(super) fn list(
        &self,
        sql: &str,
        params: impl rusqlite::Params,
        action: &'static str,
    ) -> Result<Vec<StoredArticle>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(db(action))?;
        let rows = stmt.query_map(params, read_row).map_err(db(action))?;
        let mut out = Vec::new();
        for r in rows {
            out.push(self.finish(r.map_err(db(action))??)?);
        }
        Ok(out)
    }
}

pub(super) fn parse_ts(
    id: ArticleId,
    column: &'static str,
    v: &str,
) -> Result<DateTime<Utc>, StoreError> {
    DateTime::parse_from_rfc3339(v)
        .map(|d| d.with_timezone(&Utc))
        .map_err(|e| StoreError::Corrupt {
            id,
            column,
            message: format!("expected an RFC 3339 time, found `{v}`: {e}"),
        })
}

pub(super) fn parse_json<T: serde::de::DeserializeOwned>(
    id: ArticleId,
    column: &'static str,
    v: &str,
) -> Result<T, StoreError> {
    serde_json::from_str(v).map_err(|e| StoreError::Corrupt {
        id,
        column,
        message: e.to_string(),
    })
}

/// Reads a row of [`SELECT_COLUMNS`]. The outer result is SQLite's, the inner
/// one ours (a stored value that does not decode).
pub(super) fn read_row(r: &Row<'_>) -> rusqlite::Result<Result<StoredArticle, StoreError>> {
    let id: ArticleId = r.get(0)?;
    let first_seen: String = r.get(2)?;
    let updated_at: String = r.get(3)?;
    let published_at: Option<String> = r.get(12)?;
    let provider_name: Option<String> = r.get(21)?;
    let provider_domain: Option<String> = r.get(22)?;
    let provider_images: Option<String> = r.get(23)?;
    let topics: String = r.get(24)?;
    let images: String = r.get(25)?;
    let given: Option<String> = r.get(32)?;
    let override_action: Option<String> = r.get(35)?;
    let override_at: Option<String> = r.get(38)?;
    let build = || -> Result<StoredArticle, StoreError> {
        let provider = match (provider_name.clone(), provider_domain.clone()) {
            (None, None) => None,
            (name, domain) => Some(Provider {
                name: name.unwrap_or_default(),
                domain: domain.unwrap_or_default(),
                images: match &provider_images {
                    Some(j) => parse_json::<Vec<Image>>(id, "provider_images", j)?,
                    None => Vec::new(),
                },
            }),
        };
        Ok(StoredArticle {
            id,
            identity: String::new(),
            sealed_body: None,
            sealed_html: None,
            stub: false,
            first_seen: parse_ts(id, "first_seen", &first_seen)?,
            updated_at: parse_ts(id, "updated_at", &updated_at)?,
            story: None,
            duplicate_of: None,
            related: Vec::new(),
            similar: Vec::new(),
            reason: None,
            given: match &given {
                Some(g) => parse_json(id, "given", g)?,
                None => Given::default(),
            },
            editor_override: match (&override_action, &override_at) {
                (Some(action), Some(at)) => Some(EditorOverride {
                    action: EditorAction::parse(action).ok_or_else(|| StoreError::Corrupt {
                        id,
                        column: "overrides.action",
                        message: format!("expected publish, unpublish or pin, found `{action}`"),
                    })?,
                    editor: String::new(),
                    reason: None,
                    at: parse_ts(id, "overrides.at", at)?,
                }),
                _ => None,
            },
            editorial: None,
            pinned: false,
            article: Article {
                published_at: published_at
                    .as_deref()
                    .map(|p| parse_ts(id, "published_at", p))
                    .transpose()?,
                provider,
                topics: parse_json(id, "topics", &topics)?,
                images: parse_json(id, "images", &images)?,
                ..Article::default()
            },
        })
    };
    let mut s = match build() {
        Ok(s) => s,
        Err(e) => return Ok(Err(e)),
    };
    s.stub = r.get::<_, i64>(1)? != 0;
    s.story = r.get(4)?;
    s.duplicate_of = r.get(5)?;
    let a = &mut s.article;
    a.origin = Origin {
        guid: r.get(6)?,
        format: r.get(7)?,
        source: r.get::<_, Option<String>>(8)?.unwrap_or_default(),
    };
    a.category = r.get(9)?;
    a.title = r.get(10)?;
    a.excerpt = r.get(11)?;
    a.original_url = r.get(13)?;
    a.web_url = r.get(14)?;
    a.amp_web_url = r.get(15)?;
    a.cdn_amp_web_url = r.get(16)?;
    a.kind = r.get(17)?;
    a.quality = r.get(18)?;
    a.heat = r.get(19)?;
    a.published = r.get::<_, Option<i64>>(20)?.map(|v| v != 0);
    a.secured = r.get(26)?;
    // Sealed full text stays sealed here; `finish` opens it when the store
    // has a sealer.
    a.body = r.get(27)?;
    a.content_html = r.get(28)?;
    if a.body.as_deref().is_some_and(is_sealed) {
        s.sealed_body = a.body.take();
    }
    if a.content_html.as_deref().is_some_and(is_sealed) {
        s.sealed_html = a.content_html.take();
    }
    s.identity = r.get(39)?;
    a.author = r.get(29)?;
    a.language = r.get(30)?;
    s.reason = r.get(31)?;
    s.editorial = r.get(33)?;
    s.pinned = r.get::<_, Option<i64>>(34)?.unwrap_or(0) != 0;
    if let Some(o) = &mut s.editor_override {
        o.editor = r.get::<_, Option<String>>(36)?.unwrap_or_default();
        o.reason = r.get(37)?;
    }
    Ok(Ok(s))
}
