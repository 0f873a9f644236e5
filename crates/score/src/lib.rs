//! The desk's editorial scores: quality, heat and the publish decision.
//!
//! Everything here is pure: no store, no clock (`now` is an argument), no I/O
//! except reading a configuration file when asked to. Each score comes as a
//! [`Breakdown`]: named components, each with signed points and a reason an
//! editor can read, summing to the score.
//!
//! # How the analysis step uses it
//!
//! One [`Scorer`] per desk (configuration + provider table). Per batch:
//!
//! 1. **quality, once per article** — [`QualityInput::from_article`], set
//!    `is_duplicate` from copy detection, then [`Scorer::quality`]. Store the
//!    score in `quality` and the breakdown with the analysis record.
//! 2. **heat, once per story the batch touched** — one [`StoryMember`] per
//!    member article ([`Scorer::member`]: provider key and credibility from the
//!    table, publication time), then [`Scorer::heat`] with the batch's `now`.
//! 3. **decision, once per article** — [`decide`] with the editor's
//!    override, the matched mute rule names, the original of a copy, the
//!    input record's own decision (when the desk keeps it), the topics, the
//!    matched keep rule names, the quality and the bars ([`Scorer::bars`] plus
//!    the topics file's `quality_bar`s). The desk's editorial step is the one
//!    caller in production; it stores the reasons rendered as text.
//!
//! Heat changes with time alone, so a published article's heat is only as
//! fresh as the last time its story was scored; re-score hot stories on a
//! schedule if the feed must show live heat.
//!
//! # Quality
//!
//! Typical range 0–150 (as on the seed site), clamped to
//! [`QualityConfig::min`]`..=`[`QualityConfig::max`]. Components:
//!
//! - **`source`** — `source.points` (50) × the provider's credibility from
//!   the [`ProviderTable`]: news agencies 1.0, national newspapers and major
//!   business/science titles 0.9, established tech and business press 0.75,
//!   trade/regional press and research news services 0.6, company newsrooms
//!   0.55, unlisted 0.5, open publishing platforms 0.4, press-release wires
//!   0.1. Who publishes is the strongest single prior of whether a piece was
//!   reported and checked. A press release is credited like a press-release
//!   wire (0.1) wherever it is hosted: one with a release dateline
//!   ("/PRNewswire/", "(BUSINESS WIRE)", "(The Expresswire)") or under a
//!   press-release section of its site's URLs (`/press-release/`,
//!   `/news-releases/`, `/mediareleases/`, AP's `/Wired Release/`). A
//!   newspaper that prints a release did not report it.
//! - **`depth`** — the body's substance: length on a log scale from 80 to
//!   1,000 words (20), structure: paragraphs and sentences (8), distinct
//!   figures (6), quoted passages (6). Reporting means facts, numbers and
//!   people on the record; a three-line teaser has none. With no body (a
//!   record with only title and excerpt) depth is unknown, not bad: a flat 12.
//! - **`originality`** — +15 for the desk's own text; −30 for a copy of an
//!   earlier article (the duplicate detector says so); −20 when the text
//!   points elsewhere: "originally appeared on", "first published in", "read
//!   the full story", a "via" credit, a feed footer "appeared first on" another
//!   site, or a body under 100 words that links out. The desk wants the
//!   original report, not its echoes.
//! - **`image`** — a lead image of at least 600×300: 15; smaller, or a logo
//!   or placeholder: 5; size unknown: 10; none: 0. Readers see the picture
//!   first, and outlets that invest in a story commission one.
//! - **`title`** — 10 for a plain title, less each problem: the title of a
//!   page that is not an article ("Become an FT subscriber to read", "Access
//!   denied", "E-Newsletter": −40), clickbait phrases
//!   ("you won't believe", "will blow your mind": −25), list titles ("7 ways
//!   to", "5 … stocks to": −10), most long words in capitals (−15), repeated
//!   `!`/`?` (−10), fewer than 4 words (−10), more than 120 characters or
//!   several `|` sections (−10). The title is the article's promise; one
//!   written to be clicked rather than to inform predicts the rest.
//! - **`spam`** — 0 unless: market-research press releases, −15 per distinct
//!   signal up to −70 (a "… Market 2021 … Forecast to 2027" title, "CAGR",
//!   "key players", "forecast period", "market size", "by regions",
//!   "competitive landscape", the research houses that issue them; a
//!   forecast horizon in a market title counts as one more); a link farm: at
//!   least 5 links and 5 per 100 words (−30; half from half that density);
//!   keyword stuffing: one content word over 6% of an 80+ word body (up to
//!   −25 at 12%). These are the patterns of text written for search engines
//!   rather than readers.
//!
//! # Heat
//!
//! The trending score of a story (see [`heat()`]): `coverage` rewards distinct
//! credible providers (the most credible counts 50 × credibility, each other
//! 15 ×, capped at 120; providers under credibility 0.3 — press-release wires —
//! do not count, so ten copies of one release stay cold); `velocity` (up to
//! 30) rewards coverage that arrived in the last 6 hours rather than before;
//! `age` takes away what time erodes: each provider's weight halves every 24
//! hours since its latest article in the story. More credible providers make a
//! story hotter, an older story is colder, and the result sits on the seed
//! scale (a fresh single-wire story 60, a fresh story across six major titles
//! near 150). Unpublished articles store −1 ([`UNPUBLISHED_HEAT`]).
//!
//! # Publish decision
//!
//! See [`decide`]: editor override > mute rules > copy > the input record's
//! own decision (`keep_given`) > no topic > keep rules > the quality bar (the
//! lowest among the article's topics). The deciding reason comes first, typed
//! ([`Reason`]); after an override, the facts it overrode follow.
//!
//! # Configuration
//!
//! [`ScoreConfig`] (weights; TOML, every field optional, defaults in code) and
//! [`ProviderTable`] (tiers; TOML, the default shipped as
//! `default-providers.toml`). Errors ([`ConfigError`]) name the file, line and
//! field.
//!
//! # Calibration
//!
//! `tests/it/calibration.rs` scores the everyday-ai corpus records (the seed
//! site's own records) and checks the rank agreement with the site's quality
//! and that every market-research press release falls below the default bar.

pub mod breakdown;
pub mod config;
pub mod decision;
pub mod error;
pub mod heat;
pub mod providers;
pub mod quality;
mod text;

pub use breakdown::{Breakdown, Component};
pub use config::{
    DepthWeights, HeatConfig, ImageWeights, OriginalityWeights, PublishConfig, QualityConfig,
    ScoreConfig, SourceWeights, SpamWeights, TitleWeights, CONFIG_FORMAT_VERSION,
    DEFAULT_QUALITY_BAR,
};
pub use decision::{decide, Decision, DecisionInput, QualityBars, Reason};
pub use error::{ConfigError, ConfigErrorKind};
pub use heat::{heat, stored_heat, StoryMember, UNPUBLISHED_HEAT};
pub use providers::{Credibility, ProviderTable, Tier, DEFAULT_PROVIDERS};
pub use quality::{count_links, quality, LeadImage, QualityInput};

use chrono::{DateTime, Utc};

/// A desk's scoring setup: the weights and the provider table.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Scorer {
    pub config: ScoreConfig,
    pub providers: ProviderTable,
}

impl Scorer {
    pub fn new(config: ScoreConfig, providers: ProviderTable) -> Scorer {
        Scorer { config, providers }
    }

    /// The quality of one article.
    pub fn quality(&self, input: &QualityInput<'_>) -> Breakdown {
        quality(input, &self.config.quality, &self.providers)
    }

    /// A story member, its credibility from the provider table.
    pub fn member(
        &self,
        name: Option<&str>,
        domain: Option<&str>,
        published_at: DateTime<Utc>,
    ) -> StoryMember {
        StoryMember::from_table(&self.providers, name, domain, published_at)
    }

    /// The heat of a story at `now`.
    pub fn heat(&self, members: &[StoryMember], now: DateTime<Utc>) -> Breakdown {
        heat(members, now, &self.config.heat)
    }

    /// The configured default bar, with no per-topic bars yet.
    pub fn bars(&self) -> QualityBars {
        QualityBars::new(self.config.publish.default_bar)
    }
}
