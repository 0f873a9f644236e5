//! What an editor says about one article: the one action type the CLI, the
//! HTTP API, the store and the publish policy share; and the seam between
//! the HTTP API and the desk ([`EditorDesk`]), typed.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::desk::{Rule, RuleAction};

/// An editor's decision on one article. Clearing an override is no action:
/// requests carry `Option<EditorAction>`, `None` meaning "clear" (see
/// [`EditorAction::parse_request`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EditorAction {
    /// Publish whatever the desk decided.
    Publish,
    /// Never publish.
    Unpublish,
    /// Publish and keep on top of its topics.
    Pin,
}

/// The word that clears an override in requests (`newsdesk override ID clear`,
/// `{"action": "clear"}`).
pub const CLEAR: &str = "clear";

impl EditorAction {
    pub const ALL: [EditorAction; 3] = [
        EditorAction::Publish,
        EditorAction::Unpublish,
        EditorAction::Pin,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            EditorAction::Publish => "publish",
            EditorAction::Unpublish => "unpublish",
            EditorAction::Pin => "pin",
        }
    }

    /// The action named `s` (`publish`, `unpublish`, `pin`).
    pub fn parse(s: &str) -> Option<EditorAction> {
        EditorAction::ALL.into_iter().find(|a| a.as_str() == s)
    }

    /// A request: an action, or `Some(None)` for [`CLEAR`]; `None` when `s`
    /// is neither.
    pub fn parse_request(s: &str) -> Option<Option<EditorAction>> {
        if s == CLEAR {
            Some(None)
        } else {
            EditorAction::parse(s).map(Some)
        }
    }

    /// Whether the article is published under this action.
    pub fn publishes(self) -> bool {
        self != EditorAction::Unpublish
    }
}

impl fmt::Display for EditorAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// An editor's override of the desk's decision on one article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct EditorOverride {
    pub action: EditorAction,
    pub editor: String,
    pub reason: Option<String>,
    pub at: DateTime<Utc>,
}

/// A new mute or keep rule, as an editor asks for it (the editor and the
/// time are the desk's to add).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewRule {
    /// A unique name.
    pub name: String,
    /// The query, in the topics query language.
    pub query: String,
    pub action: RuleAction,
    /// Only within this topic.
    pub topic: Option<String>,
    pub reason: Option<String>,
}

/// An article as an editor's action left it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActionOutcome {
    pub id: i64,
    pub published: Option<bool>,
    pub pinned: bool,
    pub heat: Option<i64>,
    /// The override now in effect (`None` after a clear).
    pub editor_override: Option<EditorOverride>,
    /// Why the desk decided as it did, the first reason first.
    pub reasons: Vec<String>,
}

/// Why the desk refused or failed an editor's request. Each carries the
/// message for the editor.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EditorError {
    /// No such article or rule.
    #[error("{0}")]
    NotFound(String),
    /// A request the desk cannot apply, e.g. a query that does not parse.
    #[error("{0}")]
    Invalid(String),
    /// A rule of that name exists.
    #[error("{0}")]
    Conflict(String),
    /// Anything else (the desk's own trouble).
    #[error("{0}")]
    Internal(String),
}

/// What an HTTP server (or any other front end) needs from the desk to let
/// editors act. The desk implements it (`newsdesk_desk::api`); the server
/// calls it, so neither depends on the other.
pub trait EditorDesk: Send + Sync {
    /// Applies an override (`None`: clears it), decides the article again at
    /// once and audits it; returns the article's new decision.
    fn act(
        &self,
        article: i64,
        action: Option<EditorAction>,
        editor: &str,
        reason: Option<&str>,
    ) -> Result<ActionOutcome, EditorError>;
    /// Every rule.
    fn rules(&self) -> Result<Vec<Rule>, EditorError>;
    /// Adds a rule and applies it; returns it as stored.
    fn add_rule(&self, rule: &NewRule, editor: &str) -> Result<Rule, EditorError>;
    /// Removes a rule and decides again without it.
    fn remove_rule(
        &self,
        name: &str,
        editor: &str,
        reason: Option<&str>,
    ) -> Result<(), EditorError>;
    /// What adding `rule` would change, without adding it (the `rules test`
    /// logic). A desk that cannot tell refuses ([`EditorError::Invalid`]).
    fn preview_rule(&self, rule: &NewRule, editor: &str) -> Result<RulePreview, EditorError> {
        let _ = (rule, editor);
        Err(EditorError::Invalid(
            "this desk cannot preview rules".to_string(),
        ))
    }
}

/// What a rule would change if it were added.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RulePreview {
    /// Articles the rule matches.
    pub matched: usize,
    /// Articles whose publication would change: id, published after, title.
    pub changed: Vec<(i64, bool, String)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for a in EditorAction::ALL {
            assert_eq!(EditorAction::parse(a.as_str()), Some(a));
            assert_eq!(EditorAction::parse_request(&a.to_string()), Some(Some(a)));
        }
        assert_eq!(EditorAction::parse_request(CLEAR), Some(None));
        assert_eq!(EditorAction::parse_request("Pin"), None);
        assert_eq!(EditorAction::parse("clear"), None);
    }
}
