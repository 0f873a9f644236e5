//! The records of the desk's later stages, as the store keeps them and the
//! desk, the server and the commands pass them: the values an input carried
//! (`Given`), editorial decisions and story heats, mute and keep rules, the
//! audit log, followed sources and their polls, a story's heat history,
//! saved searches and a source's articles per day. Plain data.

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};

use crate::Article;

/// The store's id of an article.
pub type ArticleId = i64;

/// A source the desk follows on the web (a feed URL), with what its polls
/// left behind.
#[derive(Debug, Clone, PartialEq)]
pub struct FollowedSource {
    /// The feed's URL.
    pub locator: String,
    /// `subscription` until the first poll, then the feed's kind (`rss`, ...).
    pub kind: String,
    pub title: Option<String>,
    pub first_seen: DateTime<Utc>,
    /// When a batch from it was last stored.
    pub last_ingested: Option<DateTime<Utc>>,
    /// The fetcher's health record as JSON (opaque to the store); `None`
    /// before the first poll.
    pub health: Option<String>,
    /// When to poll next; `None`: due now (or never, when the health record
    /// says the source is dead).
    pub next_poll: Option<DateTime<Utc>>,
}

/// What one poll of a source leaves to remember.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct PollRecord {
    /// The fetcher's health record, as JSON.
    pub health: String,
    pub next_poll: Option<DateTime<Utc>>,
    /// The validators for the next conditional GET.
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    /// The HTTP status of the last response, when there was one.
    pub last_status: Option<u16>,
    /// The last error, in words (`None` after a success).
    pub last_error: Option<String>,
}

/// The editorial values an input record carried: another desk's decisions.
/// The article's own fields hold the values in effect.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Given {
    #[serde(default)]
    pub quality: Option<i64>,
    #[serde(default)]
    pub heat: Option<i64>,
    #[serde(default)]
    pub published: Option<bool>,
    #[serde(default)]
    pub topics: Vec<String>,
}

impl Given {
    /// What `article` carries.
    pub fn of(article: &Article) -> Given {
        Given {
            quality: article.quality,
            heat: article.heat,
            published: article.published,
            topics: article.topics.clone(),
        }
    }
}

/// What the editorial step decided about one article: the values in effect
/// and the desk's explanation (opaque to the store).
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub id: ArticleId,
    /// Fingerprint of the configuration that decided it.
    pub config: String,
    pub topics: Vec<String>,
    pub quality: i64,
    pub published: bool,
    pub pinned: bool,
    /// The story's heat when published, -1 otherwise.
    pub heat: i64,
    /// Breakdowns and reasons, as JSON.
    pub detail: String,
}

/// A story's heat and its explanation.
#[derive(Debug, Clone, PartialEq)]
pub struct StoryHeat {
    pub story: i64,
    pub heat: i64,
    /// The breakdown, as JSON.
    pub detail: String,
    /// The newest member's publication time.
    pub newest: Option<DateTime<Utc>>,
}

/// Mute (never publish) or keep (publish even below the quality bar).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum RuleAction {
    Mute,
    Keep,
}

impl RuleAction {
    pub fn as_str(self) -> &'static str {
        match self {
            RuleAction::Mute => "mute",
            RuleAction::Keep => "keep",
        }
    }

    pub fn parse(s: &str) -> Option<RuleAction> {
        match s {
            "mute" => Some(RuleAction::Mute),
            "keep" => Some(RuleAction::Keep),
            _ => None,
        }
    }
}

/// A mute or keep rule: a query in the topics language, for every article
/// or only within one topic.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Rule {
    pub name: String,
    pub action: RuleAction,
    /// `None`: every article; else only articles of this topic.
    pub topic: Option<String>,
    pub query: String,
    pub editor: String,
    pub reason: Option<String>,
    pub created_at: DateTime<Utc>,
}

/// One line of the audit log.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct AuditEntry {
    pub at: DateTime<Utc>,
    pub editor: String,
    /// `publish`, `unpublish`, `pin`, `clear`, `rule add`, `rule remove`, ...
    pub action: String,
    pub article: Option<ArticleId>,
    /// What was acted on, in words (`article 12`, `rule no-press-releases`).
    pub target: String,
    pub reason: Option<String>,
}

/// One point of a story's heat history: the heat the editorial step
/// computed for the story at `at`. The store keeps at most one sample per
/// story per window of time (see the store's `HEAT_SAMPLE_WINDOW_SECS`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct HeatSample {
    pub story: i64,
    pub at: DateTime<Utc>,
    pub heat: i64,
}

/// The filters of a search beside its query, as the search page offers
/// them. Every field is optional; an empty value filters nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SearchFilters {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub topic: Option<String>,
    /// A provider's domain (`sify.com`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provider: Option<String>,
    /// Published on or after this day (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub since: Option<NaiveDate>,
    /// Published on or before this day (UTC).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub until: Option<NaiveDate>,
    /// Only published (`true`) or only held back (`false`) articles.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub published: Option<bool>,
}

/// A search a user keeps under a name (each gets its own feed).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedSearch {
    /// Unique, as the user typed it.
    pub name: String,
    /// Unique too: the name made fit for a URL ([`SavedSearch::slug_of`]).
    pub slug: String,
    /// The query, in the search syntax of the API.
    pub query: String,
    pub filters: SearchFilters,
    /// The id of the API key that saved it; `None` when saved without one.
    pub owner: Option<String>,
    pub created_at: DateTime<Utc>,
}

impl SavedSearch {
    /// A saved search whose slug is made from its name.
    pub fn new(
        name: &str,
        query: &str,
        filters: SearchFilters,
        owner: Option<&str>,
        created_at: DateTime<Utc>,
    ) -> SavedSearch {
        SavedSearch {
            name: name.to_string(),
            slug: SavedSearch::slug_of(name),
            query: query.to_string(),
            filters,
            owner: owner.map(str::to_string),
            created_at,
        }
    }

    /// The slug of a name: lower case, letters and digits kept, spaces and
    /// dashes one `-` (as documents' file names; `untitled` when nothing is
    /// left).
    pub fn slug_of(name: &str) -> String {
        crate::document::slug(name)
    }
}

/// How many articles one source gave on one day (for a sparkline).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SourceDayCount {
    /// The source's locator, as [`FollowedSource::locator`] names it.
    pub source: String,
    /// The articles' publication day (UTC).
    pub day: NaiveDate,
    pub articles: u64,
}
