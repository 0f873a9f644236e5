//! What an editor says about one article: the one action type the CLI, the
//! HTTP API, the store and the publish policy share.

use std::fmt;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

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
