//! The editor's commands: `explain`, `override`, `rules`, `reanalyze`, `audit`.

use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;
use clap::Subcommand;
use newsdesk_score::Breakdown;
use newsdesk_store::{DeskStore, EditorAction, Rule, RuleAction, StoredArticle};
use newsdesk_topics::Query;
use serde_json::json;

use crate::ingest::open_store;
use newsdesk_desk::analysis::Analysis;
use newsdesk_desk::{actions, Decided, Detail, Editorial};

/// What `newsdesk override ID ACTION` asks: an action, or `None` for
/// `clear` (the desk decides again).
pub type OverrideRequest = Option<EditorAction>;

/// The ACTION argument: `publish`, `unpublish`, `pin` or `clear`.
pub fn override_request_parser() -> impl clap::builder::TypedValueParser<Value = OverrideRequest> {
    use clap::builder::TypedValueParser;
    let mut names: Vec<&'static str> = EditorAction::ALL.iter().map(|a| a.as_str()).collect();
    names.push(newsdesk_model::editor::CLEAR);
    clap::builder::PossibleValuesParser::new(names).map(|s: String| EditorAction::parse(&s))
}

#[derive(Subcommand)]
pub enum RulesCommand {
    /// List the rules.
    List,
    /// Add a mute or keep rule and apply it to every stored article.
    Add {
        /// A unique name.
        name: String,
        /// The query (the topics query language), e.g. '"market research" OR CAGR'.
        query: String,
        /// Mute: never publish what matches.
        #[arg(long, conflicts_with = "keep", required_unless_present = "keep")]
        mute: bool,
        /// Keep: publish what matches even below the quality bar (copies stay unpublished).
        #[arg(long)]
        keep: bool,
        /// Only within this topic.
        #[arg(long)]
        topic: Option<String>,
        /// Who adds it (default: $NEWSDESK_EDITOR, then $USER).
        #[arg(long)]
        by: Option<String>,
        /// Why.
        #[arg(long)]
        reason: Option<String>,
    },
    /// Remove a rule and decide every article again without it.
    Remove {
        name: String,
        #[arg(long)]
        by: Option<String>,
        #[arg(long)]
        reason: Option<String>,
    },
    /// Show what a rule would change, without applying it.
    Test {
        /// The query (the topics query language).
        query: String,
        /// As a mute rule (default).
        #[arg(long, conflicts_with = "keep")]
        mute: bool,
        /// As a keep rule.
        #[arg(long)]
        keep: bool,
        /// Only within this topic.
        #[arg(long)]
        topic: Option<String>,
        /// List at most this many changed articles.
        #[arg(long, default_value_t = 50)]
        limit: usize,
    },
}

fn editor_name(by: Option<String>) -> anyhow::Result<String> {
    by.or_else(|| std::env::var("NEWSDESK_EDITOR").ok())
        .or_else(|| std::env::var("USER").ok())
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| anyhow::anyhow!("who is acting? pass --by NAME (or set NEWSDESK_EDITOR)"))
}

fn print_decided(what: &str, d: &Decided) {
    println!(
        "{what}: {} articles decided ({} published, {} changed), {} story heats updated",
        d.decided, d.published, d.changed, d.stories
    );
}

/// Opens the store, catches up on analysis and decisions, and loads the editorial configuration.
pub fn open_desk(data_dir: &Path) -> anyhow::Result<(Box<dyn DeskStore>, Editorial)> {
    let mut store = open_store(data_dir)?;
    let now = Utc::now();
    Analysis::open(&mut *store, now)?;
    let editorial = Editorial::load(data_dir, &*store)?;
    editorial.decide_pending(&mut *store, now)?;
    Ok((store, editorial))
}

pub fn article(store: &dyn DeskStore, id: i64) -> anyhow::Result<StoredArticle> {
    Ok(actions::article(store, id)?)
}

/// `newsdesk explain ID`.
pub fn explain(data_dir: &Path, id: i64, as_json: bool) -> anyhow::Result<ExitCode> {
    let (store, editorial) = open_desk(data_dir)?;
    let a = article(&*store, id)?;
    let detail: Option<Detail> = a
        .editorial
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .with_context(|| format!("the stored decision of article {id} is damaged"))?;
    let heat = match a.story {
        Some(s) => store.story_heat(s).context("reading the story's heat")?,
        None => None,
    };
    let heat_breakdown: Option<Breakdown> = heat
        .as_ref()
        .map(|h| serde_json::from_str(&h.detail))
        .transpose()
        .context("the stored heat breakdown is damaged")?;
    let audit = store
        .audit_log(Some(id), 20)
        .context("reading the audit log")?;
    if as_json {
        let v = json!({
            "id": a.id,
            "title": a.article.title,
            "story": a.story,
            "duplicateOf": a.duplicate_of,
            "analysis": a.reason,
            "published": a.article.published,
            "pinned": a.pinned,
            "quality": a.article.quality,
            "heat": a.article.heat,
            "topics": a.article.topics,
            "decision": detail,
            "heatBreakdown": heat_breakdown,
            "override": a.editor_override,
            "given": a.given,
            "audit": audit,
            "configuration": editorial.sources(),
        });
        println!("{}", serde_json::to_string_pretty(&v)?);
        return Ok(ExitCode::SUCCESS);
    }
    let art = &a.article;
    println!("article {}: {}", a.id, art.title);
    let provider = art
        .provider
        .as_ref()
        .map_or("unknown provider", |p| p.domain.as_str());
    let date = art.published_at.map_or("undated".to_string(), |d| {
        d.format("%Y-%m-%d %H:%M UTC").to_string()
    });
    println!("  {provider}, {date}");
    if a.stub {
        println!("  known only from another article's related list: not decided");
    }
    if let Some(r) = &a.reason {
        println!("story: {r}");
    }
    let Some(d) = detail else {
        println!("decision: not decided yet");
        return Ok(ExitCode::SUCCESS);
    };
    println!(
        "published: {}{}",
        if d.published { "yes" } else { "no" },
        if d.pinned { " (pinned)" } else { "" }
    );
    for r in &d.reasons {
        println!("  - {r}");
    }
    let topics: Vec<String> = d
        .topics
        .iter()
        .map(|t| format!("{} ({})", t.name, t.by))
        .collect();
    println!(
        "topics: {}",
        if topics.is_empty() {
            "none".to_string()
        } else {
            topics.join(", ")
        }
    );
    if !d.desk_topics.is_empty() {
        println!("  the desk's own: {}", d.desk_topics.join(", "));
    }
    if d.quality_from == "given" {
        println!(
            "quality: {} (as the input record says; the desk scores it {})",
            d.quality, d.quality_breakdown.score
        );
    } else {
        println!("quality: {}", d.quality);
    }
    for line in d.quality_breakdown.to_string().lines() {
        println!("  {line}");
    }
    match (&heat, &heat_breakdown) {
        (Some(h), Some(b)) => {
            println!(
                "heat: {} (story {}{})",
                art.heat.unwrap_or(-1),
                h.story,
                if d.published {
                    ""
                } else {
                    "; -1 while not published"
                }
            );
            for line in b.to_string().lines() {
                println!("  {line}");
            }
        }
        _ => println!("heat: {}", art.heat.unwrap_or(-1)),
    }
    if !audit.is_empty() {
        println!("audit:");
        for e in &audit {
            println!(
                "  {} {} {}{}",
                e.at.format("%Y-%m-%d %H:%M UTC"),
                e.editor,
                e.action,
                e.reason
                    .as_deref()
                    .map(|r| format!(": {r}"))
                    .unwrap_or_default()
            );
        }
    }
    println!("configuration: {}", editorial.sources().join("; "));
    Ok(ExitCode::SUCCESS)
}

/// `newsdesk override ID ACTION`.
pub fn set_override(
    data_dir: &Path,
    id: i64,
    action: OverrideRequest,
    by: Option<String>,
    reason: Option<String>,
) -> anyhow::Result<ExitCode> {
    let editor = editor_name(by)?;
    let (mut store, editorial) = open_desk(data_dir)?;
    let after = actions::set_override(
        &mut *store,
        &editorial,
        id,
        action,
        &editor,
        reason,
        Utc::now(),
    )?;
    crate::search_sync::sync_now(data_dir, &mut *store);
    println!(
        "article {id}: {} ({})",
        if after.article.published == Some(true) {
            if after.pinned {
                "published, pinned"
            } else {
                "published"
            }
        } else {
            "not published"
        },
        after
            .editorial
            .as_deref()
            .and_then(|d| serde_json::from_str::<Detail>(d).ok())
            .and_then(|d| d.reasons.first().cloned())
            .unwrap_or_default()
    );
    Ok(ExitCode::SUCCESS)
}

/// `newsdesk rules ...`.
pub fn rules(data_dir: &Path, command: RulesCommand) -> anyhow::Result<ExitCode> {
    match command {
        RulesCommand::List => {
            let store = open_store(data_dir)?;
            let rules = store.rules().context("reading the rules")?;
            if rules.is_empty() {
                println!("no rules");
            }
            for r in rules {
                println!(
                    "{} {}{}: {}  (by {} on {}{})",
                    r.action.as_str(),
                    r.name,
                    r.topic
                        .as_deref()
                        .map(|t| format!(" in {t}"))
                        .unwrap_or_default(),
                    r.query,
                    r.editor,
                    r.created_at.format("%Y-%m-%d"),
                    r.reason
                        .as_deref()
                        .map(|x| format!(": {x}"))
                        .unwrap_or_default()
                );
            }
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Add {
            name,
            query,
            mute: _,
            keep,
            topic,
            by,
            reason,
        } => {
            let editor = editor_name(by)?;
            Query::parse(&query).map_err(|e| anyhow::anyhow!("rule {name:?}: {e}"))?;
            let (mut store, _) = open_desk(data_dir)?;
            let now = Utc::now();
            let rule = Rule {
                name: name.clone(),
                action: if keep {
                    RuleAction::Keep
                } else {
                    RuleAction::Mute
                },
                topic,
                query,
                editor: editor.clone(),
                reason: reason.clone(),
                created_at: now,
            };
            let d = actions::add_rule(&mut *store, data_dir, &rule, now)?;
            crate::search_sync::sync_now(data_dir, &mut *store);
            print_decided(&format!("rule {name} added"), &d);
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Remove { name, by, reason } => {
            let editor = editor_name(by)?;
            let mut store = open_store(data_dir)?;
            let now = Utc::now();
            if actions::remove_rule(&mut *store, data_dir, &name, &editor, reason, now)?.is_none() {
                anyhow::bail!("there is no rule named {name:?} (see `newsdesk rules list`)");
            }
            let (mut store, _) = open_desk(data_dir)?;
            crate::search_sync::sync_now(data_dir, &mut *store);
            println!("rule {name} removed; every article was decided again without it");
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Test {
            query,
            mute: _,
            keep,
            topic,
            limit,
        } => {
            Query::parse(&query).map_err(|e| anyhow::anyhow!("{e}"))?;
            let (store, current) = open_desk(data_dir)?;
            let mut rules = store.rules().context("reading the rules")?;
            rules.push(Rule {
                name: "(tested rule)".into(),
                action: if keep {
                    RuleAction::Keep
                } else {
                    RuleAction::Mute
                },
                topic,
                query,
                editor: String::new(),
                reason: None,
                created_at: Utc::now(),
            });
            let tested = Editorial::with_rules(data_dir, rules)?;
            let mut matched = 0usize;
            let mut changed = Vec::new();
            let mut after = 0;
            loop {
                let page = store
                    .articles_after(after, 1_000)
                    .context("listing articles")?;
                let Some(last) = page.last() else { break };
                after = last.id;
                for a in page.iter().filter(|a| !a.stub && a.story.is_some()) {
                    let (now_d, _) = current.decide(a);
                    let (new_d, detail) = tested.decide(a);
                    if detail.rules.iter().any(|r| r == "(tested rule)") {
                        matched += 1;
                    }
                    if now_d.published != new_d.published {
                        changed.push((a.id, new_d.published, a.article.title.clone()));
                    }
                }
            }
            println!(
                "the rule matches {matched} articles; it would change {} decisions ({} published, {} unpublished)",
                changed.len(),
                changed.iter().filter(|c| c.1).count(),
                changed.iter().filter(|c| !c.1).count()
            );
            for (id, published, title) in changed.iter().take(limit) {
                println!(
                    "  {id}: {} {title}",
                    if *published {
                        "would be published:  "
                    } else {
                        "would be unpublished:"
                    }
                );
            }
            if changed.len() > limit {
                println!("  ... and {} more (--limit)", changed.len() - limit);
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}

/// `newsdesk reanalyze`: every stored article's decisions made again from
/// the current configuration, without reading any source.
pub fn reanalyze(data_dir: &Path) -> anyhow::Result<ExitCode> {
    let mut store = open_store(data_dir)?;
    let now = Utc::now();
    let (_, done) = Analysis::open(&mut *store, now)?;
    if done.analysed > 0 {
        println!("analysis: {} articles analysed", done.analysed);
    }
    let editorial = Editorial::load(data_dir, &*store)?;
    let d = editorial.decide_all(&mut *store, now)?;
    crate::search_sync::sync_now(data_dir, &mut *store);
    print_decided("reanalyze", &d);
    println!("configuration: {}", editorial.sources().join("; "));
    Ok(ExitCode::SUCCESS)
}

/// `newsdesk audit`.
pub fn audit(data_dir: &Path, article: Option<i64>, limit: usize) -> anyhow::Result<ExitCode> {
    let store = open_store(data_dir)?;
    let log = store
        .audit_log(article, limit)
        .context("reading the audit log")?;
    if log.is_empty() {
        println!("the audit log is empty");
    }
    for e in log {
        println!(
            "{} {} {} {}{}",
            e.at.format("%Y-%m-%d %H:%M:%S UTC"),
            e.editor,
            e.action,
            e.target,
            e.reason
                .as_deref()
                .map(|r| format!(": {r}"))
                .unwrap_or_default()
        );
    }
    Ok(ExitCode::SUCCESS)
}
