//! The editor's commands: `explain`, `override`, `rules`, `reanalyze`, `audit`.

use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;
use clap::Subcommand;
use newsdesk_desk::editor::{self as lib, Explanation};
use newsdesk_desk::{Decided, DeskPaths};
use newsdesk_store::{EditorAction, Rule, RuleAction};
use serde_json::json;

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
        /// Who adds it (default: $NEWSDESK_EDITOR, then `editor` in
        /// newsdesk.toml, then $USER).
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

/// Who is acting: `--by`, else the configuration's `editor`
/// (`NEWSDESK_EDITOR` or `newsdesk.toml`), else the login name.
fn editor_name(by: Option<String>, configured: Option<&str>) -> anyhow::Result<String> {
    by.or_else(|| configured.map(str::to_string))
        .or_else(|| std::env::var("USER").ok())
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| {
            anyhow::anyhow!(
                "who is acting? pass --by NAME (or set NEWSDESK_EDITOR, or `editor` in newsdesk.toml)"
            )
        })
}

fn print_decided(what: &str, d: &Decided) {
    println!(
        "{what}: {} articles decided ({} published, {} changed), {} story heats updated",
        d.decided, d.published, d.changed, d.stories
    );
}

/// `newsdesk explain ID`.
pub fn explain(paths: &DeskPaths, id: i64, as_json: bool) -> anyhow::Result<ExitCode> {
    let Explanation {
        article: a,
        detail,
        heat,
        heat_breakdown,
        audit,
        configuration,
    } = lib::explain(paths, id, Utc::now())?;
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
            "configuration": configuration,
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
    println!("configuration: {}", configuration.join("; "));
    Ok(ExitCode::SUCCESS)
}

/// `newsdesk override ID ACTION`.
pub fn set_override(
    paths: &DeskPaths,
    id: i64,
    action: OverrideRequest,
    by: Option<String>,
    configured: Option<&str>,
    reason: Option<String>,
) -> anyhow::Result<ExitCode> {
    let editor = editor_name(by, configured)?;
    let after = lib::set_override(paths, id, action, &editor, reason, Utc::now())?;
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
        lib::first_reason(&after)
    );
    Ok(ExitCode::SUCCESS)
}

/// `newsdesk rules ...`.
pub fn rules(
    paths: &DeskPaths,
    command: RulesCommand,
    configured: Option<&str>,
) -> anyhow::Result<ExitCode> {
    match command {
        RulesCommand::List => {
            let store = paths.open_store()?;
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
            let editor = editor_name(by, configured)?;
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
                editor,
                reason,
                created_at: now,
            };
            let d = lib::add_rule(paths, &rule, now)?;
            print_decided(&format!("rule {name} added"), &d);
            Ok(ExitCode::SUCCESS)
        }
        RulesCommand::Remove { name, by, reason } => {
            let editor = editor_name(by, configured)?;
            if lib::remove_rule(paths, &name, &editor, reason, Utc::now())?.is_none() {
                anyhow::bail!("there is no rule named {name:?} (see `newsdesk rules list`)");
            }
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
            let lib::RuleTest { matched, changed } = lib::test_rule(
                paths,
                Rule {
                    name: lib::TESTED_RULE.into(),
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
                },
                Utc::now(),
            )?;
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
pub fn reanalyze(paths: &DeskPaths) -> anyhow::Result<ExitCode> {
    let r = lib::reanalyze(paths, Utc::now())?;
    if r.analysed.analysed > 0 {
        println!("analysis: {} articles analysed", r.analysed.analysed);
    }
    print_decided("reanalyze", &r.decided);
    println!("configuration: {}", r.configuration.join("; "));
    Ok(ExitCode::SUCCESS)
}

/// `newsdesk audit`.
pub fn audit(paths: &DeskPaths, article: Option<i64>, limit: usize) -> anyhow::Result<ExitCode> {
    let store = paths.open_store()?;
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
