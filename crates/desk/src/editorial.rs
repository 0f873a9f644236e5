//! The editorial step: each analysed article's topics, quality, heat and
//! publish decision, with the reasons, written back to the store.
//!
//! It runs after the analysis (duplicates and stories), per ingested batch and
//! on start for whatever is due. A decision records the fingerprint of the
//! configuration that made it (topics file, topic model, scoring, rules,
//! policy); when the configuration changes, every article is due again, so
//! decisions never mix two configurations. Overrides and rules live in the
//! store and so survive any re-analysis.
//!
//! This step finds the facts (topics, quality, the rules that match); the
//! publish policy that weighs them is `newsdesk_score::decide`, pure and
//! tested there.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, Utc};
use newsdesk_classify::TopicModel;
use newsdesk_score::{
    decide, Breakdown, DecisionInput, ProviderTable, QualityBars, QualityInput, ScoreConfig,
    Scorer, StoryMember as HeatMember,
};
use newsdesk_store::{ArticleId, Decision, Rule, RuleAction, Store, StoredArticle, StoryHeat};
use newsdesk_topics::{Doc, Query, TopicSet};
use serde::{Deserialize, Serialize};

use crate::error::{store as store_err, DeskError};

/// Bump when the editorial logic changes so much that decisions must be redone.
pub const EDITORIAL_VERSION: u32 = 1;

/// The desk's configuration file inside the data folder.
pub const DESK_FILE: &str = newsdesk_config::DESK_FILE;

/// Articles read from the store per step.
const PAGE: usize = 1_000;

/// Story members read to compute a story's heat.
const HEAT_MEMBERS: usize = 500;

/// A story's heat is recomputed when older than this share of heat's
/// half-life (it decays): an hour at the default 24-hour half-life, a
/// minute and a half in the demo, whose news plays 60 times faster.
const REHEAT_SHARE_OF_HALF_LIFE: f64 = 1.0 / 24.0;

/// Stories with no member newer than this (before the reference time) have
/// cooled down; their heat is left as it is.
const ACTIVE_DAYS: i64 = 7;

/// The editorial settings (`newsdesk_config::Editorial`: `desk.toml`, or
/// the file `newsdesk.toml` includes, beneath `newsdesk.toml`'s own
/// `[editorial]` values). Paths are relative to the data folder.
#[derive(Debug, Default)]
struct DeskFile {
    /// The topics file (default: `topics.toml` when present, else the
    /// built-in AI & cloud desk topics).
    topics: Option<PathBuf>,
    /// A model folder written by `newsdesk topics train` (default:
    /// `topic-model` when present).
    topic_model: Option<PathBuf>,
    /// The scoring file: quality weights, heat, the default bar.
    scoring: Option<PathBuf>,
    /// The provider credibility table.
    providers: Option<PathBuf>,
    /// Keep the quality, topics and publish decision an input record carries
    /// (another desk's decisions). Default true.
    keep_given: Option<bool>,
    /// The quality bar for topics that set none. Default: the scorer's.
    quality_bar: Option<i64>,
}

/// A rule ready to match.
struct ActiveRule {
    rule: Rule,
    query: Query,
}

/// How a topic came to an article.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct TopicWhy {
    pub name: String,
    /// `query` (its query matched), `parent` (a child matched), `model`
    /// (the topic model predicted it), `given` (the input record said so).
    pub by: String,
}

/// Everything the desk says about one decision (stored as JSON, shown by
/// `newsdesk explain` and the JSON export).
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Detail {
    pub topics: Vec<TopicWhy>,
    /// The topics the desk itself found (when the input's were kept).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub desk_topics: Vec<String>,
    /// The quality in effect.
    pub quality: i64,
    /// The desk's own quality and its breakdown.
    pub quality_breakdown: Breakdown,
    /// `desk` or `given`.
    pub quality_from: String,
    pub published: bool,
    pub pinned: bool,
    /// The bar the quality was held to (`None` when no topic matched).
    pub bar: Option<i64>,
    /// The rules that matched, by name.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub rules: Vec<String>,
    /// Why it is (not) published, the deciding reason first.
    pub reasons: Vec<String>,
}

/// What a run of the editorial step did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Decided {
    pub decided: usize,
    pub published: usize,
    /// Decisions whose publish state differs from what was in effect.
    pub changed: usize,
    pub stories: usize,
}

pub struct Editorial {
    topics: TopicSet,
    model: Option<TopicModel>,
    scorer: Scorer,
    keep_given: bool,
    /// The topics' own quality bars and the default.
    bars: QualityBars,
    rules: Vec<ActiveRule>,
    fingerprint: String,
    /// What the configuration is made of, in words (for `explain`).
    sources: Vec<String>,
}

impl Editorial {
    /// Loads the configuration from the data folder and the rules from the store.
    pub fn load(data_dir: &Path, store: &dyn Store) -> Result<Editorial, DeskError> {
        let rules = store
            .rules()
            .map_err(store_err("reading the mute and keep rules"))?;
        Editorial::with_rules(data_dir, rules)
    }

    /// The configuration with these rules instead of the stored ones
    /// (`rules test` compares the two).
    pub fn with_rules(data_dir: &Path, rules: Vec<Rule>) -> Result<Editorial, DeskError> {
        let mut fp = xxhash_rust::xxh3::Xxh3::new();
        fp.update(&EDITORIAL_VERSION.to_le_bytes());
        let mut sources = Vec::new();
        let desk = desk_file(data_dir, &mut fp, &mut sources)?;
        let in_data = |p: &Path| {
            if p.is_absolute() {
                p.to_path_buf()
            } else {
                data_dir.join(p)
            }
        };

        let topics_path = match &desk.topics {
            Some(p) => Some(in_data(p)),
            None => Some(data_dir.join("topics.toml")).filter(|p| p.is_file()),
        };
        let topics = match &topics_path {
            Some(p) => {
                let text = read_part(p, "the topics file", "topics", &mut fp, &mut sources)?;
                TopicSet::from_toml_str(&text, &p.display().to_string())?
            }
            None => {
                sources.push("topics: the built-in AI & cloud desk".into());
                fp.update(b"default topics");
                fp.update(newsdesk_topics::DEFAULT_TOPICS.as_bytes());
                TopicSet::default_desk()
            }
        };

        let model_path = match &desk.topic_model {
            Some(p) => Some(in_data(p)),
            None => Some(data_dir.join("topic-model")).filter(|p| p.is_dir()),
        };
        let model = match &model_path {
            Some(p) => {
                let m = TopicModel::load(p).map_err(|source| DeskError::TopicModel {
                    path: p.display().to_string(),
                    source,
                })?;
                let info = serde_json::to_string(&m.topics()).unwrap_or_default();
                fp.update(p.display().to_string().as_bytes());
                fp.update(info.as_bytes());
                fp.update(&m.feature_count().to_le_bytes());
                for t in m.thresholds() {
                    fp.update(&t.to_le_bytes());
                }
                sources.push(format!("topic model: {}", p.display()));
                Some(m)
            }
            None => None,
        };

        let config = match &desk.scoring {
            Some(p) => {
                let p = in_data(p);
                let text = read_part(&p, "the scoring file", "scoring", &mut fp, &mut sources)?;
                ScoreConfig::from_toml_str(&text, &p.display().to_string())?
            }
            None => {
                sources.push("scoring: the built-in weights".into());
                fp.update(b"default scoring");
                ScoreConfig::default()
            }
        };
        let providers = match &desk.providers {
            Some(p) => {
                let p = in_data(p);
                let text = read_part(&p, "the provider table", "providers", &mut fp, &mut sources)?;
                ProviderTable::from_toml_str(&text, &p.display().to_string())?
            }
            None => {
                sources.push("providers: the built-in credibility table".into());
                fp.update(b"default providers");
                fp.update(newsdesk_score::DEFAULT_PROVIDERS.as_bytes());
                ProviderTable::default()
            }
        };
        let default_bar = desk.quality_bar.unwrap_or(config.publish.default_bar);
        let scorer = Scorer::new(config, providers);
        let keep_given = desk.keep_given.unwrap_or(true);
        fp.update(&[keep_given as u8]);
        fp.update(&default_bar.to_le_bytes());

        let bars = topics
            .topics()
            .iter()
            .filter_map(|t| Some((t.name(), t.quality_bar()?)))
            .fold(QualityBars::new(default_bar), |bars, (name, bar)| {
                bars.with_topic(name, bar)
            });

        let mut active = Vec::with_capacity(rules.len());
        for rule in rules {
            let query = Query::parse(&rule.query).map_err(|e| {
                DeskError::Config(format!("rule {:?}: query {:?}: {e}", rule.name, rule.query))
            })?;
            if let Some(t) = &rule.topic {
                if topics.get(t).is_none() {
                    return Err(DeskError::Config(format!(
                        "rule {:?} is for topic {t:?}, which the topics file ({}) does not have",
                        rule.name,
                        topics.origin()
                    )));
                }
            }
            fp.update(rule.name.as_bytes());
            fp.update(rule.action.as_str().as_bytes());
            fp.update(rule.topic.as_deref().unwrap_or("").as_bytes());
            fp.update(&[0]);
            fp.update(rule.query.as_bytes());
            fp.update(&[0]);
            active.push(ActiveRule { rule, query });
        }
        Ok(Editorial {
            topics,
            model,
            scorer,
            keep_given,
            bars,
            rules: active,
            fingerprint: format!("{:016x}", fp.digest()),
            sources,
        })
    }

    /// What the configuration is made of, in words.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// Decides every analysed article that is due (never decided, or decided
    /// under another configuration), then re-heats cooling stories.
    pub fn decide_pending(
        &self,
        store: &mut dyn Store,
        now: DateTime<Utc>,
    ) -> Result<Decided, DeskError> {
        let mut done = Decided::default();
        let mut after = 0;
        loop {
            let page = store
                .undecided(&self.fingerprint, after, PAGE)
                .map_err(store_err("listing articles to decide"))?;
            let Some(last) = page.last() else { break };
            after = last.id;
            self.decide_page(store, &page, now, &mut done)?;
        }
        self.reheat(store, now, &mut done)?;
        Ok(done)
    }

    /// Decides everything again, whatever configuration decided it.
    pub fn decide_all(
        &self,
        store: &mut dyn Store,
        now: DateTime<Utc>,
    ) -> Result<Decided, DeskError> {
        let mut done = Decided::default();
        let mut after = 0;
        loop {
            let page = store
                .articles_after(after, PAGE)
                .map_err(store_err("listing articles to decide"))?;
            let Some(last) = page.last() else { break };
            after = last.id;
            let page: Vec<StoredArticle> = page
                .into_iter()
                .filter(|a| !a.stub && a.story.is_some())
                .collect();
            self.decide_page(store, &page, now, &mut done)?;
        }
        Ok(done)
    }

    /// Decides the given articles (just analysed, or changed by an editor).
    pub fn decide_ids(
        &self,
        store: &mut dyn Store,
        ids: &[ArticleId],
        now: DateTime<Utc>,
    ) -> Result<Decided, DeskError> {
        let mut done = Decided::default();
        let mut ids = ids.to_vec();
        ids.sort_unstable();
        ids.dedup();
        for chunk in ids.chunks(PAGE) {
            let mut page = Vec::with_capacity(chunk.len());
            for id in chunk {
                if let Some(a) = store
                    .article(*id)
                    .map_err(store_err("reading an article to decide"))?
                {
                    if !a.stub && a.story.is_some() {
                        page.push(a);
                    }
                }
            }
            self.decide_page(store, &page, now, &mut done)?;
        }
        Ok(done)
    }

    /// The time heat is measured at: now, or the newest article's time when
    /// the store holds an archive that ended earlier.
    fn reference_time(
        &self,
        store: &dyn Store,
        now: DateTime<Utc>,
    ) -> Result<DateTime<Utc>, DeskError> {
        let newest = store
            .newest_published()
            .map_err(store_err("reading the newest publication time"))?;
        Ok(newest.map_or(now, |n| n.min(now)))
    }

    fn decide_page(
        &self,
        store: &mut dyn Store,
        page: &[StoredArticle],
        now: DateTime<Utc>,
        done: &mut Decided,
    ) -> Result<(), DeskError> {
        if page.is_empty() {
            return Ok(());
        }
        let reference = self.reference_time(store, now)?;
        let mut decisions = Vec::with_capacity(page.len());
        let mut stories = BTreeSet::new();
        for a in page {
            let (decision, _) = self.decide(a);
            if decision.published {
                done.published += 1;
            }
            if a.article.published != Some(decision.published) {
                done.changed += 1;
            }
            if let Some(s) = a.story {
                stories.insert(s);
            }
            decisions.push(decision);
        }
        // Heats are computed after the page's decisions are known, so that a
        // story counts the coverage it has now.
        let mut heats = Vec::with_capacity(stories.len());
        let mut heat_of = BTreeMap::new();
        for s in stories {
            let h = self.story_heat(store, s, reference, &decisions)?;
            heat_of.insert(s, h.heat);
            heats.push(h);
        }
        for (d, a) in decisions.iter_mut().zip(page) {
            d.heat = a.story.and_then(|s| heat_of.get(&s)).copied().unwrap_or(0);
        }
        done.decided += decisions.len();
        done.stories += heats.len();
        store
            .apply_editorial(&decisions, &heats, now)
            .map_err(store_err("storing the editorial decisions"))?;
        Ok(())
    }

    /// Recomputes the heat of stories whose heat is older than
    /// [`REHEAT_SHARE_OF_HALF_LIFE`] of the half-life (an hour by default)
    /// and which are still active (it decays with time even when nothing
    /// arrives).
    pub fn reheat(
        &self,
        store: &mut dyn Store,
        now: DateTime<Utc>,
        done: &mut Decided,
    ) -> Result<(), DeskError> {
        let reference = self.reference_time(store, now)?;
        let half_life = self.scorer.config.heat.half_life_hours;
        let seconds = (half_life * REHEAT_SHARE_OF_HALF_LIFE * 3600.0).clamp(1.0, 86_400.0);
        let reheat_after = Duration::seconds(seconds as i64);
        loop {
            let stale = store
                .stale_stories(
                    now - reheat_after,
                    reference - Duration::days(ACTIVE_DAYS),
                    PAGE,
                )
                .map_err(store_err("listing stories to re-heat"))?;
            if stale.is_empty() {
                return Ok(());
            }
            let mut heats = Vec::with_capacity(stale.len());
            for s in stale {
                heats.push(self.story_heat(store, s, reference, &[])?);
            }
            done.stories += heats.len();
            store
                .apply_editorial(&[], &heats, now)
                .map_err(store_err("storing story heats"))?;
        }
    }

    /// A story's heat from its members as stored, with `pending` decisions
    /// (not stored yet) taking precedence.
    fn story_heat(
        &self,
        store: &dyn Store,
        story: i64,
        reference: DateTime<Utc>,
        pending: &[Decision],
    ) -> Result<StoryHeat, DeskError> {
        let members = store
            .story_members(story, HEAT_MEMBERS)
            .map_err(store_err(format!("reading story {story}")))?;
        // Coverage is what the story's providers published; an article the
        // desk holds back (muted, unpublished by an editor) does not count,
        // copies on other providers' sites do.
        let heat_members: Vec<HeatMember> = members
            .iter()
            .filter(|m| {
                let published = pending
                    .iter()
                    .find(|d| d.id == m.id)
                    .map(|d| d.published)
                    .or(m.published);
                m.duplicate_of.is_some() || published != Some(false)
            })
            .filter_map(|m| {
                let at = m.published_at?;
                Some(self.scorer.member(None, m.provider_domain.as_deref(), at))
            })
            .collect();
        let b = self.scorer.heat(&heat_members, reference);
        Ok(StoryHeat {
            story,
            heat: b.score,
            detail: serde_json::to_string(&b).unwrap_or_else(|_| "{}".into()),
            newest: members.iter().filter_map(|m| m.published_at).max(),
        })
    }

    /// The decision on one article (heat filled in by the caller), with its
    /// detail.
    pub fn decide(&self, a: &StoredArticle) -> (Decision, Detail) {
        let art = &a.article;
        let provider = art
            .provider
            .as_ref()
            .map(|p| format!("{} {}", p.name, p.domain))
            .unwrap_or_default();
        let text = art
            .body
            .as_deref()
            .filter(|b| !b.trim().is_empty())
            .or(art.excerpt.as_deref())
            .unwrap_or("");
        let doc = Doc::new(&art.title, text, &provider);

        // Topics: the queries', then the model's.
        let mut desk_topics: Vec<TopicWhy> = self
            .topics
            .classify(&doc)
            .into_iter()
            .map(|m| TopicWhy {
                name: m.topic.name().to_string(),
                by: if m.direct { "query" } else { "parent" }.into(),
            })
            .collect();
        if let Some(model) = &self.model {
            for t in model.predict(&art.title, text).topics {
                if desk_topics.iter().any(|d| d.name == t) {
                    continue;
                }
                desk_topics.push(TopicWhy {
                    name: t.to_string(),
                    by: "model".into(),
                });
                // A learned topic the topics file knows brings its parents.
                let mut parent = self.topics.get(t).and_then(|t| t.parent());
                while let Some(p) = parent {
                    if !desk_topics.iter().any(|d| d.name == p) {
                        desk_topics.push(TopicWhy {
                            name: p.to_string(),
                            by: "parent".into(),
                        });
                    }
                    parent = self.topics.get(p).and_then(|t| t.parent());
                }
            }
        }
        let keep_topics = self.keep_given && !a.given.topics.is_empty();
        let topics: Vec<TopicWhy> = if keep_topics {
            a.given
                .topics
                .iter()
                .map(|t| TopicWhy {
                    name: t.clone(),
                    by: "given".into(),
                })
                .collect()
        } else {
            desk_topics.clone()
        };

        // Quality.
        let duplicate = a.duplicate_of.is_some();
        let mut input = QualityInput::from_article(art);
        input.is_duplicate = duplicate;
        let quality_breakdown = self.scorer.quality(&input);
        let (quality, quality_from) = match a.given.quality {
            Some(q) if self.keep_given => (q, "given"),
            _ => (quality_breakdown.score, "desk"),
        };

        // Rules.
        let mut muted = Vec::new();
        let mut kept = Vec::new();
        for r in &self.rules {
            let in_scope = match &r.rule.topic {
                None => true,
                Some(t) => topics.iter().any(|w| &w.name == t),
            };
            if in_scope && r.query.matches(&doc) {
                match r.rule.action {
                    RuleAction::Mute => muted.push(r),
                    RuleAction::Keep => kept.push(r),
                }
            }
        }

        let names = |rs: &[&ActiveRule]| -> Vec<String> {
            rs.iter().map(|r| r.rule.name.clone()).collect()
        };
        let (muted_by, kept_by) = (names(&muted), names(&kept));
        let topic_names: Vec<String> = topics.iter().map(|t| t.name.clone()).collect();
        let verdict = decide(&DecisionInput {
            editor: a.editor_override.as_ref(),
            muted_by: &muted_by,
            duplicate_of: a.duplicate_of,
            given: a.given.published.filter(|_| self.keep_given),
            topics: &topic_names,
            kept_by: &kept_by,
            quality,
            bars: &self.bars,
        });
        let detail = Detail {
            topics,
            desk_topics: if keep_topics {
                desk_topics.iter().map(|t| t.name.clone()).collect()
            } else {
                Vec::new()
            },
            quality,
            quality_breakdown,
            quality_from: quality_from.into(),
            published: verdict.published,
            pinned: verdict.pinned,
            bar: verdict.bar,
            rules: muted_by.into_iter().chain(kept_by).collect(),
            reasons: verdict.reason_strings(),
        };
        let decision = Decision {
            id: a.id,
            config: self.fingerprint.clone(),
            topics: topic_names,
            quality,
            published: verdict.published,
            pinned: verdict.pinned,
            heat: 0,
            detail: serde_json::to_string(&detail).unwrap_or_else(|_| "{}".into()),
        };
        (decision, detail)
    }
}

/// Reads one of the desk's configuration files (topics, scoring, providers):
/// its text goes into the fingerprint and its path into the list of sources.
fn read_part(
    p: &Path,
    what: &str,
    label: &str,
    fp: &mut xxhash_rust::xxh3::Xxh3,
    sources: &mut Vec<String>,
) -> Result<String, DeskError> {
    let text = std::fs::read_to_string(p).map_err(|source| DeskError::Read {
        what: format!("{what} {}", p.display()),
        source,
    })?;
    fp.update(text.as_bytes());
    sources.push(format!("{label}: {}", p.display()));
    Ok(text)
}

/// The editorial settings from the data folder's configuration files. The
/// fingerprint takes the included file's text (as it always took
/// `desk.toml`'s) and any value `newsdesk.toml` sets itself, so a folder
/// without `newsdesk.toml` keeps the fingerprint it had.
fn desk_file(
    data_dir: &Path,
    fp: &mut xxhash_rust::xxh3::Xxh3,
    sources: &mut Vec<String>,
) -> Result<DeskFile, DeskError> {
    let settings = newsdesk_config::Loader::new()
        .data_dir_flag(Some(data_dir.to_path_buf()))
        .load()
        .map_err(|e| DeskError::Config(e.to_string()))?;
    let include = settings.in_data_dir(settings.editorial.include.get());
    if include.is_file() {
        let text = std::fs::read_to_string(&include).map_err(|source| DeskError::Read {
            what: include.display().to_string(),
            source,
        })?;
        fp.update(text.as_bytes());
        sources.push(include.display().to_string());
    }
    let own = settings.config_file();
    let mut from_own = false;
    for e in settings.entries() {
        let is_own =
            matches!(&e.source, newsdesk_config::Source::File { path, .. } if *path == own);
        if e.key.starts_with("editorial.") && e.key != "editorial.include" && is_own {
            fp.update(e.key.as_bytes());
            fp.update(e.value.to_string().as_bytes());
            from_own = true;
        }
    }
    if from_own {
        sources.push(format!("{} [editorial]", own.display()));
    }
    let e = settings.editorial;
    Ok(DeskFile {
        topics: e.topics.into_value(),
        topic_model: e.topic_model.into_value(),
        scoring: e.scoring.into_value(),
        providers: e.providers.into_value(),
        keep_given: Some(e.keep_given.into_value()),
        quality_bar: e.quality_bar.into_value(),
    })
}
