//! What editors do, for the command line and the HTTP API alike: overrides
//! and mute/keep rules, each audited and applied at once. Callers check the
//! request's shape (the rule's query, the editor's name) and word the
//! refusals for their medium.

use std::path::Path;

use chrono::{DateTime, Utc};
use newsdesk_model::{EditorAction, EditorOverride};
use newsdesk_store::{AuditEntry, DeskStore, Rule, StoredArticle};

use crate::error::store as store_err;
use crate::{Decided, DeskError, Editorial};

/// Sets (or, with `None`, clears) an editor's override of article `id`,
/// audits it and decides the article again at once; returns the article as
/// decided.
pub fn set_override(
    store: &mut dyn DeskStore,
    editorial: &Editorial,
    id: i64,
    action: Option<EditorAction>,
    editor: &str,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<StoredArticle, DeskError> {
    let a = article(store, id)?;
    if a.stub {
        return Err(DeskError::NotFound(format!(
            "article {id} is known only from another article's related list; ingest its own record first"
        )));
    }
    let value = action.map(|action| EditorOverride {
        action,
        editor: editor.to_string(),
        reason: reason.clone(),
        at: now,
    });
    let entry = AuditEntry {
        at: now,
        editor: editor.to_string(),
        action: action
            .map_or(newsdesk_model::editor::CLEAR, |a| a.as_str())
            .to_string(),
        article: Some(id),
        target: format!("article {id}: {}", a.article.title),
        reason,
    };
    store
        .set_override(id, value.as_ref(), &entry)
        .map_err(store_err("saving the override"))?;
    editorial.decide_ids(store, &[id], now)?;
    article(store, id)
}

/// Article `id`, or [`DeskError::NotFound`].
pub fn article(store: &dyn DeskStore, id: i64) -> Result<StoredArticle, DeskError> {
    store
        .article(id)
        .map_err(store_err("reading the article"))?
        .ok_or_else(|| {
            DeskError::NotFound(format!(
                "there is no article {id} (see `newsdesk export --format jsonl` for ids)"
            ))
        })
}

/// Adds a rule after checking it against the desk's configuration in
/// `data_dir` (its topic must exist), audits it and decides every article
/// again with it.
pub fn add_rule(
    store: &mut dyn DeskStore,
    data_dir: &Path,
    rule: &Rule,
    now: DateTime<Utc>,
) -> Result<Decided, DeskError> {
    let mut all = store.rules().map_err(store_err("reading the rules"))?;
    all.push(rule.clone());
    let editorial = Editorial::with_rules(data_dir, all)?;
    store
        .add_rule(
            rule,
            &AuditEntry {
                at: now,
                editor: rule.editor.clone(),
                action: format!("rule add ({})", rule.action.as_str()),
                article: None,
                target: format!("rule {}: {}", rule.name, rule.query),
                reason: rule.reason.clone(),
            },
        )
        .map_err(store_err("saving the rule"))?;
    editorial.decide_pending(store, now)
}

/// Removes the rule `name`, audits it and decides every article again
/// without it. `None`: there is no such rule.
pub fn remove_rule(
    store: &mut dyn DeskStore,
    data_dir: &Path,
    name: &str,
    editor: &str,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<Option<Decided>, DeskError> {
    let removed = store
        .remove_rule(
            name,
            &AuditEntry {
                at: now,
                editor: editor.to_string(),
                action: "rule remove".into(),
                article: None,
                target: format!("rule {name}"),
                reason,
            },
        )
        .map_err(store_err("removing the rule"))?;
    if !removed {
        return Ok(None);
    }
    let editorial = Editorial::load(data_dir, store)?;
    editorial.decide_pending(store, now).map(Some)
}
