//! The desk the server hands editor actions to: overrides and rules applied
//! with the decision engine ([`Editorial`]) through one writing connection,
//! exactly as `newsdesk override` and `newsdesk rules` do.

use std::path::{Path, PathBuf};
use std::sync::Mutex;

use chrono::Utc;
use newsdesk_model::EditorAction;
use newsdesk_server::{DeskError, EditorDesk, NewRule};
use newsdesk_store::{DeskStore, Rule, RuleAction, StoreError};
use newsdesk_topics::Query;
use serde_json::{json, Value};

use newsdesk_desk::{actions, DeskError as Refusal, Detail, Editorial};

pub struct Desk {
    data_dir: PathBuf,
    store: Mutex<Box<dyn DeskStore>>,
}

impl Desk {
    /// Opens the writing connection (with the keyring, like every command).
    pub fn open(data_dir: &Path) -> anyhow::Result<Desk> {
        Ok(Desk {
            data_dir: data_dir.to_path_buf(),
            store: Mutex::new(crate::keys::open_store(data_dir)?),
        })
    }
}

fn internal(e: impl std::fmt::Display) -> DeskError {
    DeskError::Internal(format!("{e:#}"))
}

fn rule_json(r: &Rule) -> Value {
    json!({
        "name": r.name,
        "query": r.query,
        "action": r.action.as_str(),
        "topic": r.topic,
        "editor": r.editor,
        "reason": r.reason,
        "createdAt": r.created_at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    })
}

impl EditorDesk for Desk {
    fn act(
        &self,
        article: i64,
        action: Option<EditorAction>,
        editor: &str,
        reason: Option<&str>,
    ) -> Result<Value, DeskError> {
        let mut guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        let store: &mut dyn DeskStore = &mut **guard;
        match store.article(article).map_err(internal)? {
            None => {
                return Err(DeskError::NotFound(format!(
                    "there is no article {article}"
                )))
            }
            Some(a) if a.stub => {
                return Err(DeskError::NotFound(format!(
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
        Ok(json!({
            "id": after.id,
            "published": after.article.published,
            "pinned": after.pinned,
            "heat": after.article.heat,
            "override": after.editor_override,
            "reasons": detail.map(|d| d.reasons).unwrap_or_default(),
        }))
    }

    fn rules(&self) -> Result<Vec<Value>, DeskError> {
        let store = self.store.lock().unwrap_or_else(|p| p.into_inner());
        Ok(store
            .rules()
            .map_err(internal)?
            .iter()
            .map(rule_json)
            .collect())
    }

    fn add_rule(&self, new: &NewRule, editor: &str) -> Result<Value, DeskError> {
        Query::parse(&new.query).map_err(|e| DeskError::Invalid(format!("query: {e}")))?;
        let mut guard = self.store.lock().unwrap_or_else(|p| p.into_inner());
        let store: &mut dyn DeskStore = &mut **guard;
        let now = Utc::now();
        let rule = Rule {
            name: new.name.clone(),
            action: if new.action == "keep" {
                RuleAction::Keep
            } else {
                RuleAction::Mute
            },
            topic: new.topic.clone(),
            query: new.query.clone(),
            editor: editor.to_string(),
            reason: new.reason.clone(),
            created_at: now,
        };
        if store
            .rules()
            .map_err(internal)?
            .iter()
            .any(|r| r.name == rule.name)
        {
            return Err(DeskError::Conflict(format!(
                "a rule named {:?} already exists",
                rule.name
            )));
        }
        actions::add_rule(store, &self.data_dir, &rule, now).map_err(|e| match e {
            Refusal::Store {
                source: StoreError::RuleExists { name },
                ..
            } => DeskError::Conflict(format!("a rule named {name:?} already exists")),
            e @ Refusal::Store { .. } => internal(e),
            other => DeskError::Invalid(format!("{other:#}")),
        })?;
        Ok(rule_json(&rule))
    }

    fn remove_rule(&self, name: &str, editor: &str, reason: Option<&str>) -> Result<(), DeskError> {
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
            return Err(DeskError::NotFound(format!(
                "there is no rule named {name:?}"
            )));
        }
        Ok(())
    }
}
