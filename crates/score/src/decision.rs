//! The publish decision: pure, from what the desk found and what the editor
//! said, with the reasons in order (the deciding one first).

use std::collections::BTreeMap;
use std::fmt;

use newsdesk_model::{EditorAction, EditorOverride};
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

/// What the decision is taken from. The caller finds the facts (topics,
/// quality, rules that matched, the record's own decision); this function
/// only weighs them.
#[derive(Debug, Clone, Copy)]
pub struct DecisionInput<'a> {
    pub editor: Option<&'a EditorOverride>,
    /// Names of the mute rules that matched.
    pub muted_by: &'a [String],
    /// The original's id, when the article is a copy.
    pub duplicate_of: Option<i64>,
    /// The publish decision the input record carried, when the desk keeps
    /// its inputs' decisions (`keep_given`); `None` otherwise.
    pub given: Option<bool>,
    /// The topics the article is in.
    pub topics: &'a [String],
    /// Names of the keep rules that matched.
    pub kept_by: &'a [String],
    pub quality: i64,
    pub bars: &'a QualityBars,
}

/// One reason of a decision.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Reason {
    /// An editor's override decided.
    Editor(EditorOverride),
    /// Mute rules matched.
    Muted { rules: Vec<String> },
    /// A copy of another article is never published.
    Duplicate { of: i64 },
    /// The input record's own decision, kept (`keep_given`).
    KeepGiven { published: bool },
    /// No topic of the desk matched.
    NoTopic,
    /// Keep rules matched: published below the bar.
    Kept { rules: Vec<String> },
    /// The quality is below the lowest bar among the article's topics.
    BelowBar { quality: i64, bar: i64 },
    /// The quality reaches the lowest bar among the article's topics.
    PassesBar {
        quality: i64,
        bar: i64,
        topics: Vec<String>,
    },
    /// After an editor's override: mute rules would have muted it.
    WouldMute { rules: Vec<String> },
    /// After an editor's override: the article is a copy.
    CopyOf { of: i64 },
}

/// Rule names as the reasons show them: quoted, comma-separated.
fn rule_names(rules: &[String]) -> String {
    rules
        .iter()
        .map(|r| format!("{r:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

impl fmt::Display for Reason {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Reason::Editor(o) => {
                let by = if o.editor.is_empty() {
                    "an editor"
                } else {
                    &o.editor
                };
                write!(
                    f,
                    "editor override: {} by {by} on {}",
                    o.action,
                    o.at.format("%Y-%m-%d %H:%M UTC")
                )?;
                match &o.reason {
                    Some(r) => write!(f, ": {r}"),
                    None => Ok(()),
                }
            }
            Reason::Muted { rules } => write!(f, "muted by rule {}", rule_names(rules)),
            Reason::Duplicate { of } => write!(
                f,
                "a copy of article {of}: copies are kept but not published"
            ),
            Reason::KeepGiven { published } => write!(
                f,
                "{} as the input record says (the desk keeps decisions its inputs carry)",
                if *published {
                    "published"
                } else {
                    "not published"
                }
            ),
            Reason::NoTopic => f.write_str("no topic of the desk matched"),
            Reason::Kept { rules } => write!(f, "kept by rule {}", rule_names(rules)),
            Reason::BelowBar { quality, bar } => {
                write!(f, "quality {quality} is below the bar {bar} of its topics")
            }
            Reason::PassesBar {
                quality,
                bar,
                topics,
            } => write!(
                f,
                "in {} with quality {quality} (bar {bar})",
                topics.join(", ")
            ),
            Reason::WouldMute { rules } => write!(f, "(rule {} would mute it)", rule_names(rules)),
            Reason::CopyOf { of } => write!(f, "(a copy of article {of})"),
        }
    }
}

/// The decision and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub published: bool,
    pub pinned: bool,
    /// The bar the quality was held to: the lowest among the article's
    /// topics (`None` when it has none).
    pub bar: Option<i64>,
    /// The deciding reason first; after an editor's override, the facts it
    /// overrode ([`Reason::WouldMute`], [`Reason::CopyOf`]).
    pub reasons: Vec<Reason>,
}

impl Decision {
    /// The reasons as text.
    pub fn reason_strings(&self) -> Vec<String> {
        self.reasons.iter().map(Reason::to_string).collect()
    }
}

/// Decides whether an article is published. The first that holds decides:
///
/// 1. an editor's override (publish, unpublish, pin);
/// 2. a mute rule that matches;
/// 3. a copy of another article is never published;
/// 4. the decision the input record carried, when the desk keeps it;
/// 5. a topic of the desk must match;
/// 6. a keep rule publishes it below the quality bar;
/// 7. the quality must reach the lowest bar among its topics (it is
///    published in the topics whose bar it reaches).
pub fn decide(input: &DecisionInput<'_>) -> Decision {
    let bar = input.topics.iter().map(|t| input.bars.bar(t)).min();
    let mut pinned = false;
    let mut reasons = Vec::with_capacity(1);
    let published = if let Some(o) = input.editor {
        reasons.push(Reason::Editor(o.clone()));
        if !input.muted_by.is_empty() {
            reasons.push(Reason::WouldMute {
                rules: input.muted_by.to_vec(),
            });
        }
        if let Some(of) = input.duplicate_of {
            reasons.push(Reason::CopyOf { of });
        }
        pinned = o.action == EditorAction::Pin;
        o.action.publishes()
    } else if !input.muted_by.is_empty() {
        reasons.push(Reason::Muted {
            rules: input.muted_by.to_vec(),
        });
        false
    } else if let Some(of) = input.duplicate_of {
        reasons.push(Reason::Duplicate { of });
        false
    } else if let Some(published) = input.given {
        reasons.push(Reason::KeepGiven { published });
        published
    } else if input.topics.is_empty() {
        reasons.push(Reason::NoTopic);
        false
    } else if !input.kept_by.is_empty() {
        reasons.push(Reason::Kept {
            rules: input.kept_by.to_vec(),
        });
        true
    } else {
        let quality = input.quality;
        let bar_in_effect = bar.unwrap_or(input.bars.default_bar);
        if quality < bar_in_effect {
            reasons.push(Reason::BelowBar {
                quality,
                bar: bar_in_effect,
            });
            false
        } else {
            reasons.push(Reason::PassesBar {
                quality,
                bar: bar_in_effect,
                topics: input.topics.to_vec(),
            });
            true
        }
    };
    Decision {
        published,
        pinned,
        bar,
        reasons,
    }
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[derive(Default)]
    struct Case {
        editor: Option<EditorOverride>,
        muted: Vec<String>,
        dup: Option<i64>,
        given: Option<bool>,
        topics: Vec<String>,
        kept: Vec<String>,
        quality: i64,
    }

    fn run(c: &Case) -> Decision {
        let bars = QualityBars::new(50).with_topic("AWS AI", 70);
        decide(&DecisionInput {
            editor: c.editor.as_ref(),
            muted_by: &c.muted,
            duplicate_of: c.dup,
            given: c.given,
            topics: &c.topics,
            kept_by: &c.kept,
            quality: c.quality,
            bars: &bars,
        })
    }

    fn ed(action: EditorAction, reason: Option<&str>) -> Option<EditorOverride> {
        Some(EditorOverride {
            action,
            editor: "alice".into(),
            reason: reason.map(str::to_string),
            at: Utc.with_ymd_and_hms(2026, 3, 1, 9, 30, 0).unwrap(),
        })
    }

    #[test]
    fn quality_bar_is_the_lowest_of_the_topics() {
        let d = run(&Case {
            quality: 42,
            topics: strings(&["AI"]),
            ..Case::default()
        });
        assert!(!d.published);
        assert_eq!(d.bar, Some(50));
        assert_eq!(
            d.reason_strings(),
            ["quality 42 is below the bar 50 of its topics"]
        );
        let d = run(&Case {
            quality: 60,
            topics: strings(&["AWS AI", "AI"]),
            ..Case::default()
        });
        assert!(d.published);
        assert_eq!(
            d.reason_strings(),
            ["in AWS AI, AI with quality 60 (bar 50)"]
        );
        let d = run(&Case {
            quality: 50,
            topics: strings(&["AI"]),
            ..Case::default()
        });
        assert!(d.published, "the bar is inclusive");
    }

    #[test]
    fn no_topic() {
        let d = run(&Case {
            quality: 120,
            ..Case::default()
        });
        assert!(!d.published);
        assert_eq!(d.bar, None);
        assert_eq!(d.reason_strings(), ["no topic of the desk matched"]);
        let d = run(&Case {
            quality: 120,
            kept: strings(&["K"]),
            ..Case::default()
        });
        assert!(!d.published, "a keep rule needs a topic to publish into");
    }

    #[test]
    fn duplicate_beats_keep_and_given() {
        let d = run(&Case {
            dup: Some(7),
            given: Some(true),
            quality: 120,
            topics: strings(&["AI"]),
            kept: strings(&["K"]),
            ..Case::default()
        });
        assert!(!d.published);
        assert_eq!(
            d.reason_strings(),
            ["a copy of article 7: copies are kept but not published"]
        );
    }

    #[test]
    fn given_beats_topics_and_the_bar() {
        for published in [true, false] {
            let d = run(&Case {
                given: Some(published),
                quality: if published { 0 } else { 150 },
                ..Case::default()
            });
            assert_eq!(d.published, published);
            assert_eq!(d.reasons, [Reason::KeepGiven { published }]);
        }
        assert_eq!(
            Reason::KeepGiven { published: false }.to_string(),
            "not published as the input record says (the desk keeps decisions its inputs carry)"
        );
    }

    #[test]
    fn keep_beats_the_bar() {
        let d = run(&Case {
            quality: 10,
            topics: strings(&["AI"]),
            kept: strings(&["K", "L"]),
            ..Case::default()
        });
        assert!(d.published);
        assert_eq!(d.reason_strings(), [r#"kept by rule "K", "L""#]);
    }

    #[test]
    fn mute_beats_keep_and_quality() {
        let d = run(&Case {
            quality: 140,
            topics: strings(&["AI"]),
            muted: strings(&["R"]),
            kept: strings(&["K"]),
            ..Case::default()
        });
        assert!(!d.published);
        assert_eq!(d.reason_strings(), [r#"muted by rule "R""#]);
    }

    #[test]
    fn override_wins_and_names_what_it_overrode() {
        let d = run(&Case {
            editor: ed(EditorAction::Publish, Some("checked")),
            dup: Some(3),
            quality: 5,
            muted: strings(&["R"]),
            ..Case::default()
        });
        assert!(d.published && !d.pinned);
        assert_eq!(
            d.reason_strings(),
            [
                "editor override: publish by alice on 2026-03-01 09:30 UTC: checked",
                r#"(rule "R" would mute it)"#,
                "(a copy of article 3)"
            ]
        );
        let d = run(&Case {
            editor: ed(EditorAction::Unpublish, None),
            quality: 140,
            topics: strings(&["AI"]),
            ..Case::default()
        });
        assert!(!d.published);
        assert_eq!(
            d.reason_strings(),
            ["editor override: unpublish by alice on 2026-03-01 09:30 UTC"]
        );
        let mut pin = ed(EditorAction::Pin, None);
        if let Some(p) = pin.as_mut() {
            p.editor.clear();
        }
        let d = run(&Case {
            editor: pin,
            ..Case::default()
        });
        assert!(d.published && d.pinned);
        assert!(d.reason_strings()[0].starts_with("editor override: pin by an editor on "));
    }

    #[test]
    fn reasons_serialize_with_their_kind() {
        let r = Reason::BelowBar { quality: 1, bar: 2 };
        let json = serde_json::to_string(&r).unwrap();
        assert_eq!(json, r#"{"kind":"below_bar","quality":1,"bar":2}"#);
    }
}
