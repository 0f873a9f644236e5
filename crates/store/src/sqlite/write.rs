//! The write path of ingest: matching an incoming article to a stored one,
//! inserting, updating and filling stubs, linking related lists, sealing full
//! text on the way in (`content_values`, the one function every write of an
//! article's content goes through), and the audit log.

use super::*;

pub(super) fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "[]".into())
}

pub(super) fn opt_text(v: &Option<String>) -> Value {
    v.clone().map(Value::Text).unwrap_or(Value::Null)
}

/// A full-text value as written: sealed for `identity` when there is a
/// sealer.
pub(super) fn text_value(
    sealer: Option<&dyn TextSealer>,
    identity: &str,
    column: &'static str,
    v: &Option<String>,
) -> Result<Value, StoreError> {
    match (v, sealer) {
        (None, _) => Ok(Value::Null),
        (Some(t), None) => Ok(Value::Text(t.clone())),
        (Some(t), Some(s)) => {
            s.seal(identity, t)
                .map(Value::Text)
                .map_err(|source| StoreError::Sealing {
                    identity: identity.to_string(),
                    column,
                    source,
                })
        }
    }
}

/// The values of [`CONTENT_COLUMNS`] for `a`; its full text sealed for
/// `identity` when there is a sealer.
pub(super) fn content_values(
    a: &Article,
    sealer: Option<&dyn TextSealer>,
    identity: &str,
) -> Result<Vec<Value>, StoreError> {
    let provider = a.provider.as_ref();
    Ok(vec![
        opt_text(&a.category),
        Value::Text(a.title.clone()),
        opt_text(&a.excerpt),
        a.published_at
            .map(|d| Value::Text(ts(&d)))
            .unwrap_or(Value::Null),
        opt_text(&a.original_url),
        opt_text(&a.web_url),
        opt_text(&a.amp_web_url),
        opt_text(&a.cdn_amp_web_url),
        opt_text(&a.kind),
        a.quality.map(Value::Integer).unwrap_or(Value::Null),
        a.heat.map(Value::Integer).unwrap_or(Value::Null),
        a.published
            .map(|b| Value::Integer(b as i64))
            .unwrap_or(Value::Null),
        provider
            .map(|p| Value::Text(p.name.clone()))
            .unwrap_or(Value::Null),
        provider
            .map(|p| Value::Text(p.domain.clone()))
            .unwrap_or(Value::Null),
        provider
            .filter(|p| !p.images.is_empty())
            .map(|p| Value::Text(json(&p.images)))
            .unwrap_or(Value::Null),
        Value::Text(json(&a.topics)),
        Value::Text(json(&a.images)),
        opt_text(&a.secured),
        text_value(sealer, identity, "body", &a.body)?,
        text_value(sealer, identity, "content_html", &a.content_html)?,
        opt_text(&a.author),
        opt_text(&a.language),
        Value::Text(json(&Given::of(a))),
    ])
}

pub(super) struct Existing {
    pub(super) id: ArticleId,
    pub(super) hash: String,
    pub(super) stub: bool,
}

pub(super) fn find_existing(
    tx: &Transaction<'_>,
    identity: &str,
    source_id: i64,
    guid: Option<&str>,
) -> Result<Option<Existing>, StoreError> {
    let row = |r: &Row<'_>| {
        Ok(Existing {
            id: r.get(0)?,
            hash: r.get(1)?,
            stub: r.get::<_, i64>(2)? != 0,
        })
    };
    let mut by_identity = tx
        .prepare_cached("SELECT id, content_hash, stub FROM articles WHERE identity = ?1")
        .map_err(db("looking up an article"))?;
    if let Some(e) = by_identity
        .query_row([identity], row)
        .optional()
        .map_err(db("looking up an article"))?
    {
        return Ok(Some(e));
    }
    let Some(guid) = guid else { return Ok(None) };
    let mut by_guid = tx
        .prepare_cached(
            "SELECT id, content_hash, stub FROM articles WHERE source_id = ?1 AND guid = ?2 LIMIT 1",
        )
        .map_err(db("looking up an article by guid"))?;
    by_guid
        .query_row(params![source_id, guid], row)
        .optional()
        .map_err(db("looking up an article by guid"))
}

#[allow(clippy::too_many_arguments)]
pub(super) fn insert(
    tx: &Transaction<'_>,
    sealer: Option<&dyn TextSealer>,
    a: &Article,
    identity: &str,
    source_id: i64,
    stub: bool,
    hash: &str,
    now: &str,
) -> Result<ArticleId, StoreError> {
    static SQL: LazyLock<String> = LazyLock::new(|| {
        format!(
            "INSERT INTO articles (identity, source_id, guid, format, stub, content_hash, first_seen, updated_at, {}) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?7, {})",
            CONTENT_COLUMNS.join(", "),
            (0..CONTENT_COLUMNS.len())
                .map(|i| format!("?{}", i + 8))
                .collect::<Vec<_>>()
                .join(", ")
        )
    });
    let mut values = vec![
        Value::Text(identity.to_string()),
        Value::Integer(source_id),
        opt_text(&a.origin.guid),
        Value::Text(a.origin.format.clone()),
        Value::Integer(stub as i64),
        Value::Text(hash.to_string()),
        Value::Text(now.to_string()),
    ];
    values.extend(content_values(a, sealer, identity)?);
    let mut stmt = tx.prepare_cached(&SQL).map_err(db("storing an article"))?;
    stmt.execute(params_from_iter(values))
        .map_err(db("storing an article"))?;
    Ok(tx.last_insert_rowid())
}

#[allow(clippy::too_many_arguments)]
pub(super) fn update(
    tx: &Transaction<'_>,
    sealer: Option<&dyn TextSealer>,
    id: ArticleId,
    a: &Article,
    identity: &str,
    source_id: i64,
    hash: &str,
    now: &str,
) -> Result<(), StoreError> {
    // A changed URL under the same GUID moves the identity, unless another
    // article already holds the new one.
    let taken: Option<i64> = tx
        .prepare_cached("SELECT id FROM articles WHERE identity = ?1")
        .and_then(|mut s| s.query_row([identity], |r| r.get(0)).optional())
        .map_err(db("checking an identity"))?;
    let sets = CONTENT_COLUMNS
        .iter()
        .enumerate()
        .map(|(i, c)| match *c {
            // An update never moves the first publication later (a corrected
            // article is still first published when it first was).
            "published_at" => format!(
                "published_at = CASE WHEN published_at IS NOT NULL AND stub = 0 \
                 AND (?{k} IS NULL OR ?{k} > published_at) THEN published_at ELSE ?{k} END",
                k = i + 7
            ),
            _ => format!("{c} = ?{}", i + 7),
        })
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE articles SET identity = CASE WHEN ?2 THEN ?3 ELSE identity END, source_id = ?4, guid = ?5, \
         format = ?6, stub = 0, content_hash = ?{h}, updated_at = ?{n}, {sets} WHERE id = ?1",
        h = CONTENT_COLUMNS.len() + 7,
        n = CONTENT_COLUMNS.len() + 8,
    );
    let moves = taken.is_none_or(|t| t == id);
    // Sealed text is bound to the identity the row keeps.
    let kept: String = if moves || sealer.is_none() {
        identity.to_string()
    } else {
        tx.prepare_cached("SELECT identity FROM articles WHERE id = ?1")
            .and_then(|mut s| s.query_row([id], |r| r.get(0)))
            .map_err(db("reading an identity"))?
    };
    let mut values = vec![
        Value::Integer(id),
        Value::Integer(moves as i64),
        Value::Text(identity.to_string()),
        Value::Integer(source_id),
        opt_text(&a.origin.guid),
        Value::Text(a.origin.format.clone()),
    ];
    values.extend(content_values(a, sealer, &kept)?);
    values.push(Value::Text(hash.to_string()));
    values.push(Value::Text(now.to_string()));
    let mut stmt = tx.prepare_cached(&sql).map_err(db("updating an article"))?;
    stmt.execute(params_from_iter(values))
        .map_err(db("updating an article"))?;
    forget_analysis(tx, id)
}

/// Fills the empty fields of a stub from another related entry; never
/// overwrites what is there.
pub(super) fn fill_stub(
    tx: &Transaction<'_>,
    sealer: Option<&dyn TextSealer>,
    id: ArticleId,
    identity: &str,
    a: &Article,
) -> Result<(), StoreError> {
    let sets = CONTENT_COLUMNS
        .iter()
        .enumerate()
        .filter(|(_, c)| !matches!(**c, "title" | "topics" | "images"))
        .map(|(i, c)| format!("{c} = COALESCE({c}, ?{})", i + 2))
        .collect::<Vec<_>>()
        .join(", ");
    let sql = format!(
        "UPDATE articles SET {sets}, \
         images = CASE WHEN images = '[]' THEN ?{img} ELSE images END WHERE id = ?1 AND stub = 1",
        img = CONTENT_COLUMNS
            .iter()
            .position(|c| *c == "images")
            .unwrap_or(0)
            + 2,
    );
    let mut values = vec![Value::Integer(id)];
    values.extend(content_values(a, sealer, identity)?);
    let mut stmt = tx
        .prepare_cached(&sql)
        .map_err(db("completing a related article"))?;
    let changed = stmt
        .execute(params_from_iter(values))
        .map_err(db("completing a related article"))?;
    if changed > 0 {
        forget_analysis(tx, id)?;
    }
    Ok(())
}

/// Drops an article's analysis so that its new content is analysed again
/// (and decided again after that).
pub(super) fn forget_analysis(tx: &Transaction<'_>, id: ArticleId) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM article_analysis WHERE article_id = ?1")
        .and_then(|mut s| s.execute([id]))
        .map_err(db("forgetting an analysis"))?;
    forget_decision(tx, id)
}

/// Drops an article's editorial decision so that it is decided again.
pub(super) fn forget_decision(tx: &Transaction<'_>, id: ArticleId) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM article_editorial WHERE article_id = ?1")
        .and_then(|mut s| s.execute([id]))
        .map_err(db("forgetting a decision"))?;
    Ok(())
}

pub(super) fn audit(tx: &Transaction<'_>, e: &AuditEntry) -> Result<(), StoreError> {
    tx.prepare_cached(
        "INSERT INTO audit (at, editor, action, article_id, target, reason) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )
    .and_then(|mut s| {
        s.execute(params![
            ts(&e.at),
            e.editor,
            e.action,
            e.article,
            e.target,
            e.reason
        ])
    })
    .map_err(db("writing the audit log"))?;
    Ok(())
}

pub(super) fn upsert_source(
    tx: &Transaction<'_>,
    batch: &Batch,
    now: &str,
) -> Result<i64, StoreError> {
    let s = &batch.source;
    tx.prepare_cached(
        "INSERT INTO sources (locator, kind, title, first_seen, last_ingested) VALUES (?1, ?2, ?3, ?4, ?4) \
         ON CONFLICT (locator) DO UPDATE SET kind = excluded.kind, \
         title = COALESCE(excluded.title, sources.title), last_ingested = excluded.last_ingested",
    )
    .and_then(|mut st| st.execute(params![s.locator, s.kind, s.title, now]))
    .map_err(db("recording the source"))?;
    tx.prepare_cached("SELECT id FROM sources WHERE locator = ?1")
        .and_then(|mut st| st.query_row([&s.locator], |r| r.get(0)))
        .map_err(db("reading the source"))
}

pub(super) fn link_related(
    tx: &Transaction<'_>,
    from: ArticleId,
    related: &[ArticleId],
) -> Result<(), StoreError> {
    tx.prepare_cached("DELETE FROM article_links WHERE from_id = ?1 AND kind = 'related'")
        .and_then(|mut s| s.execute([from]))
        .map_err(db("replacing related links"))?;
    let mut ins = tx
        .prepare_cached(
            "INSERT INTO article_links (from_id, to_id, kind, position) VALUES (?1, ?2, 'related', ?3) \
             ON CONFLICT DO NOTHING",
        )
        .map_err(db("linking related articles"))?;
    for (pos, to) in related.iter().enumerate() {
        if *to != from {
            ins.execute(params![from, to, pos as i64])
                .map_err(db("linking related articles"))?;
        }
    }
    Ok(())
}
