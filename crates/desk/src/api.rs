//! The desk a server hands editor actions to ([`EditorDesk`]): overrides
//! and rules applied with the decision engine ([`Editorial`]) through one
//! writing connection, exactly as `newsdesk override` and `newsdesk rules`
//! do.

use std::path::PathBuf;
use std::sync::Mutex;

use chrono::Utc;
use newsdesk_model::{ActionOutcome, EditorAction, EditorDesk, EditorError, NewRule, RulePreview};
use newsdesk_store::{DeskStore, Rule, StoreError};
use newsdesk_topics::Query;

use crate::{actions, DeskError, DeskPaths, Detail, Editorial};

/// The editors' desk over one writing connection.
pub struct EditorService {
    data_dir: PathBuf,
    store: Mutex<Box<dyn DeskStore>>,
}

impl EditorService {
    /// Opens the writing connection (with the keyring, like every command).
    pub fn open(paths: &DeskPaths) -> Result<EditorService, DeskError> {
        Ok(EditorService {
            data_dir: paths.data_dir.clone(),
            store: Mutex::new(paths.open_store()?),
        })
    }
}

/// The desk's own trouble, as its message (logged by the server).
fn internal(e: DeskError) -> EditorError {
    EditorError::Internal(e.to_string())
}

fn store_internal(e: StoreError) -> EditorError {
    EditorError::Internal(e.to_string())
}

impl EditorDesk for EditorService {
    fn act(
        &self,
        article: i64,
        action: Option<EditorAction>,
        editor: &str,
        reason: Option<&str>,
    ) -> Result<ActionOutcome, EditorError> {
        let mut guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        let store: &mut dyn DeskStore = &mut **guard;
        match store.article(article).map_err(store_internal)? {
            None => {
                return Err(EditorError::NotFound(format!(
                    "there is no article {article}"
                )))
            }
            Some(a) if a.stub => {
                return Err(EditorError::NotFound(format!(
                    "article {article} is known only from a related list"
                )))
            }
            Some(_) => {}
        }
        let editorial = Editorial::load(&self.data_dir, &*store).map_err(internal)?;
        let after = actions::set_override(
            &mut *store,
            &editorial,
            article,
            action,
            editor,
            reason.map(str::to_string),
            Utc::now(),
        )
        .map_err(internal)?;
        let detail: Option<Detail> = after
            .editorial
            .as_deref()
            .and_then(|d| serde_json::from_str(d).ok());
        Ok(ActionOutcome {
            id: after.id,
            published: after.article.published,
            pinned: after.pinned,
            heat: after.article.heat,
            editor_override: after.editor_override,
            reasons: detail.map(|d| d.reasons).unwrap_or_default(),
        })
    }

    fn rules(&self) -> Result<Vec<Rule>, EditorError> {
        let store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        store.rules().map_err(store_internal)
    }

    fn add_rule(&self, new: &NewRule, editor: &str) -> Result<Rule, EditorError> {
        Query::parse(&new.query).map_err(|e| EditorError::Invalid(format!("query: {e}")))?;
        let mut guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        let store: &mut dyn DeskStore = &mut **guard;
        let now = Utc::now();
        let rule = Rule {
            name: new.name.clone(),
            action: new.action,
            topic: new.topic.clone(),
            query: new.query.clone(),
            editor: editor.to_string(),
            reason: new.reason.clone(),
            created_at: now,
        };
        if store
            .rules()
            .map_err(store_internal)?
            .iter()
            .any(|r| r.name == rule.name)
        {
            return Err(EditorError::Conflict(format!(
                "a rule named {:?} already exists",
                rule.name
            )));
        }
        actions::add_rule(store, &self.data_dir, &rule, now).map_err(|e| match e {
            DeskError::Store {
                source: StoreError::RuleExists { name },
                ..
            } => EditorError::Conflict(format!("a rule named {name:?} already exists")),
            e @ DeskError::Store { .. } => internal(e),
            other => EditorError::Invalid(other.to_string()),
        })?;
        Ok(rule)
    }

    fn remove_rule(
        &self,
        name: &str,
        editor: &str,
        reason: Option<&str>,
    ) -> Result<(), EditorError> {
        let mut guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        let store: &mut dyn DeskStore = &mut **guard;
        let now = Utc::now();
        let removed = actions::remove_rule(
            store,
            &self.data_dir,
            name,
            editor,
            reason.map(str::to_string),
            now,
        )
        .map_err(internal)?;
        if removed.is_none() {
            return Err(EditorError::NotFound(format!(
                "there is no rule named {name:?}"
            )));
        }
        Ok(())
    }

    fn preview_rule(&self, new: &NewRule, editor: &str) -> Result<RulePreview, EditorError> {
        Query::parse(&new.query).map_err(|e| EditorError::Invalid(format!("query: {e}")))?;
        let guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        let store: &dyn DeskStore = &**guard;
        let current = Editorial::load(&self.data_dir, store).map_err(internal)?;
        let rule = Rule {
            name: new.name.clone(),
            action: new.action,
            topic: new.topic.clone(),
            query: new.query.clone(),
            editor: editor.to_string(),
            reason: new.reason.clone(),
            created_at: Utc::now(),
        };
        let t = crate::editor::test_rule_in(store, &self.data_dir, &current, rule).map_err(
            |e| match e {
                e @ DeskError::Store { .. } => internal(e),
                other => EditorError::Invalid(other.to_string()),
            },
        )?;
        Ok(RulePreview {
            matched: t.matched,
            changed: t.changed,
        })
    }
}
