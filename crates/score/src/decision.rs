//! The publish decision: pure, from what the desk found and what the editor
//! said, with the reasons in order (the deciding one first).

use std::collections::BTreeMap;
use std::fmt;

use serde::{Deserialize, Serialize};

use crate::config::DEFAULT_QUALITY_BAR;

/// Per-topic quality bars and the bar of topics without their own.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QualityBars {
    pub default_bar: i64,
    /// Topic name → the quality an article needs to be published under it.
    pub topics: BTreeMap<String, i64>,
}

impl Default for QualityBars {
    fn default() -> Self {
        QualityBars::new(DEFAULT_QUALITY_BAR)
    }
}

impl QualityBars {
    pub fn new(default_bar: i64) -> QualityBars {
        QualityBars {
            default_bar,
            topics: BTreeMap::new(),
        }
    }

    /// Sets a topic's own bar.
    pub fn with_topic(mut self, topic: impl Into<String>, bar: i64) -> QualityBars {
        self.topics.insert(topic.into(), bar);
        self
    }

    /// The bar of a topic: its own, else the default.
    pub fn bar(&self, topic: &str) -> i64 {
        self.topics.get(topic).copied().unwrap_or(self.default_bar)
    }
}

/// What an editor decided for one article.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EditorAction {
    Publish,
    Unpublish,
    /// Publish and keep at the top of its topics.
    Pin,
}

impl fmt::Display for EditorAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            EditorAction::Publish => "publish",
            EditorAction::Unpublish => "unpublish",
            EditorAction::Pin => "pin",
        })
    }
}

/// An editor's override and who gave it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EditorOverride {
    pub action: EditorAction,
    pub editor: String,
}

/// What the decision is taken from.
#[derive(Debug, Clone, Copy)]
pub struct DecisionInput<'a> {
    /// The original, when the article is a copy (its title, id or URL: it is
    /// shown as given).
    pub duplicate_of: Option<&'a str>,
    pub quality: i64,
    /// The topics the article matched (any order; the reasons follow it).
    pub topics: &'a [String],
    pub bars: &'a QualityBars,
    /// Names of the mute rules that matched.
    pub muted_by: &'a [String],
    /// Names of the keep rules that matched.
    pub kept_by: &'a [String],
    pub editor: Option<&'a EditorOverride>,
}

/// One reason of a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    Editor {
        action: EditorAction,
        editor: String,
    },
    Muted {
        rule: String,
    },
    Duplicate {
        of: String,
    },
    NoTopic,
    Kept {
        rule: String,
    },
    /// The quality meets the bar of `topic` (the lowest bar among the matched topics).
    PassesBar {
        quality: i64,
        bar: i64,
        topic: String,
    },
    /// The quality is below the bar of every matched topic; `topic` has the lowest.
    BelowBar {
        quality: i64,
        bar: i64,
        topic: String,
    },
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Editor { action, editor } => write!(f, "editor override: {action} by {editor}"),
            Reason::Muted { rule } => write!(f, "muted by rule {rule}"),
            Reason::Duplicate { of } => write!(f, "duplicate of {of}"),
            Reason::NoTopic => write!(f, "no topic matched"),
            Reason::Kept { rule } => write!(f, "kept by rule {rule}"),
            Reason::PassesBar {
                quality,
                bar,
                topic,
            } => write!(f, "quality {quality} meets the bar {bar} of topic {topic}"),
            Reason::BelowBar {
                quality,
                bar,
                topic,
            } => write!(f, "quality {quality} below the bar {bar} of topic {topic}"),
        }
    }
}

/// The decision and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Decision {
    pub published: bool,
    pub pinned: bool,
    /// The matched topics whose bar the article meets (all matched topics
    /// when a keep rule or an editor publishes it; none when unpublished):
    /// the topic feeds it appears in.
    pub topics: Vec<String>,
    /// The deciding reason first, then the others that held, in the order
    /// editor, mute, duplicate, topic, keep, quality.
    pub reasons: Vec<Reason>,
}

impl Decision {
    /// The reasons as text.
    pub fn reason_strings(&self) -> Vec<String> {
        self.reasons.iter().map(Reason::to_string).collect()
    }
}

/// Decides whether an article is published.
///
/// Precedence, strongest first: an editor override (publish, pin, unpublish)
/// wins over everything; a mute rule unpublishes anything else; a copy is
/// never published (keep rules do not change that); an article matching no
/// topic has no feed to appear in; a keep rule publishes regardless of the
/// quality bar; otherwise the article is published when its quality meets the
/// bar of at least one matched topic.
pub fn decide(input: &DecisionInput<'_>) -> Decision {
    // Everything that holds, in precedence order.
    let mut reasons = Vec::new();
    if let Some(e) = input.editor {
        reasons.push(Reason::Editor {
            action: e.action,
            editor: e.editor.clone(),
        });
    }
    for rule in input.muted_by {
        reasons.push(Reason::Muted { rule: rule.clone() });
    }
    if let Some(of) = input.duplicate_of {
        reasons.push(Reason::Duplicate { of: of.to_string() });
    }
    if input.topics.is_empty() {
        reasons.push(Reason::NoTopic);
    }
    for rule in input.kept_by {
        reasons.push(Reason::Kept { rule: rule.clone() });
    }
    let passing: Vec<String> = input
        .topics
        .iter()
        .filter(|t| input.quality >= input.bars.bar(t))
        .cloned()
        .collect();
    // The most lenient matched topic explains the quality verdict.
    let lenient = input
        .topics
        .iter()
        .map(|t| (input.bars.bar(t), t))
        .min_by_key(|(bar, _)| *bar);
    let passes = !passing.is_empty();
    if let Some((bar, topic)) = lenient {
        let (quality, topic) = (input.quality, topic.clone());
        reasons.push(if passes {
            Reason::PassesBar {
                quality,
                bar,
                topic,
            }
        } else {
            Reason::BelowBar {
                quality,
                bar,
                topic,
            }
        });
    }

    let (published, pinned) = match input.editor.map(|e| e.action) {
        Some(EditorAction::Publish) => (true, false),
        Some(EditorAction::Pin) => (true, true),
        Some(EditorAction::Unpublish) => (false, false),
        None => {
            let blocked = !input.muted_by.is_empty()
                || input.duplicate_of.is_some()
                || input.topics.is_empty();
            (!blocked && (!input.kept_by.is_empty() || passes), false)
        }
    };
    let topics = if !published {
        Vec::new()
    } else if input.editor.is_some() || !input.kept_by.is_empty() {
        input.topics.to_vec()
    } else {
        passing
    };
    Decision {
        published,
        pinned,
        topics,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn run(
        dup: Option<&str>,
        quality: i64,
        topics: &[&str],
        muted: &[&str],
        kept: &[&str],
        editor: Option<EditorOverride>,
    ) -> Decision {
        let bars = QualityBars::new(50).with_topic("AWS AI", 70);
        let (topics, muted, kept) = (strings(topics), strings(muted), strings(kept));
        decide(&DecisionInput {
            duplicate_of: dup,
            quality,
            topics: &topics,
            bars: &bars,
            muted_by: &muted,
            kept_by: &kept,
            editor: editor.as_ref(),
        })
    }

    fn ed(action: EditorAction) -> Option<EditorOverride> {
        Some(EditorOverride {
            action,
            editor: "alice".into(),
        })
    }

    #[test]
    fn quality_bar() {
        let d = run(None, 42, &["AI"], &[], &[], None);
        assert!(!d.published);
        assert_eq!(
            d.reason_strings(),
            ["quality 42 below the bar 50 of topic AI"]
        );
        let d = run(None, 60, &["AWS AI", "AI"], &[], &[], None);
        assert!(d.published);
        assert_eq!(d.topics, ["AI"]);
        assert_eq!(
            d.reason_strings(),
            ["quality 60 meets the bar 50 of topic AI"]
        );
        let d = run(None, 75, &["AWS AI", "AI"], &[], &[], None);
        assert_eq!(d.topics, ["AWS AI", "AI"]);
        let d = run(None, 50, &["AI"], &[], &[], None);
        assert!(d.published, "the bar is inclusive");
    }

    #[test]
    fn no_topic() {
        let d = run(None, 120, &[], &[], &[], None);
        assert!(!d.published);
        assert_eq!(d.reason_strings(), ["no topic matched"]);
        let d = run(None, 120, &[], &[], &["K"], None);
        assert!(!d.published, "a keep rule needs a topic to publish into");
    }

    #[test]
    fn duplicate_beats_keep() {
        let d = run(Some("article 7"), 120, &["AI"], &[], &["K"], None);
        assert!(!d.published);
        assert_eq!(
            d.reason_strings(),
            [
                "duplicate of article 7",
                "kept by rule K",
                "quality 120 meets the bar 50 of topic AI"
            ]
        );
    }

    #[test]
    fn keep_beats_the_bar() {
        let d = run(None, 10, &["AI"], &[], &["K"], None);
        assert!(d.published);
        assert_eq!(d.topics, ["AI"]);
        assert_eq!(
            d.reason_strings(),
            ["kept by rule K", "quality 10 below the bar 50 of topic AI"]
        );
    }

    #[test]
    fn mute_beats_keep_and_quality() {
        let d = run(None, 140, &["AI"], &["R"], &["K"], None);
        assert!(!d.published);
        assert_eq!(d.reasons[0], Reason::Muted { rule: "R".into() });
        assert!(d.topics.is_empty());
    }

    #[test]
    fn override_wins() {
        let d = run(Some("x"), 5, &[], &["R"], &[], ed(EditorAction::Publish));
        assert!(d.published && !d.pinned);
        assert_eq!(
            d.reason_strings(),
            [
                "editor override: publish by alice",
                "muted by rule R",
                "duplicate of x",
                "no topic matched"
            ]
        );
        let d = run(None, 140, &["AI"], &[], &["K"], ed(EditorAction::Unpublish));
        assert!(!d.published);
        assert_eq!(d.reason_strings()[0], "editor override: unpublish by alice");
        let d = run(None, 10, &["AI"], &[], &[], ed(EditorAction::Pin));
        assert!(d.published && d.pinned);
        assert_eq!(d.topics, ["AI"]);
    }

    #[test]
    fn reasons_serialize_with_their_kind() {
        let r = Reason::BelowBar {
            quality: 1,
            bar: 2,
            topic: "AI".into(),
        };
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(
            json,
            r#"{"kind":"below_bar","quality":1,"bar":2,"topic":"AI"}"#
        );
    }
}
