//! The editor's commands: `explain`, `override`, `rules`, `reanalyze`, `audit`.

use std::process::ExitCode;

use anyhow::Context;
use chrono::Utc;
use clap::Subcommand;
use newsdesk_desk::editor::{self as lib, acting_editor, draft_rule};
use newsdesk_desk::{text, DeskPaths};
use newsdesk_store::EditorAction;

/// What `newsdesk override ID ACTION` asks: an action, or `None` for `clear` (the desk decides again).
type OverrideRequest = Option<EditorAction>;

/// The ACTION argument: `publish`, `unpublish`, `pin` or `clear`.
fn override_request_parser() -> impl clap::builder::TypedValueParser<Value = OverrideRequest> {
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
        #[command(flatten)]
        who: Who,
    },
    /// Remove a rule and decide every article again without it.
    Remove {
        name: String,
        #[command(flatten)]
        who: Who,
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

/// Who acts on the desk, and why.
#[derive(clap::Args)]
pub struct Who {
    /// Who acts (default: $NEWSDESK_EDITOR, then `editor` in newsdesk.toml, then $USER).
    #[arg(long)]
    by: Option<String>,
    /// Why.
    #[arg(long)]
    reason: Option<String>,
}

impl Who {
    fn editor(&mut self, configured: Option<&str>) -> anyhow::Result<String> {
        let by = self.by.take();
        Ok(acting_editor(by, configured, std::env::var("USER").ok())?)
    }
}

/// `newsdesk explain ID`.
pub fn explain(paths: &DeskPaths, id: i64, as_json: bool) -> anyhow::Result<ExitCode> {
    let e = lib::explain(paths, id, Utc::now())?;
    if as_json {
        println!("{}", text::json(&e.view())?);
    } else {
        print!("{}", e.text());
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(clap::Args)]
pub struct OverrideArgs {
    id: i64,
    /// publish, unpublish, pin (publish and keep on top of its topics) or clear (the desk decides again).
    #[arg(value_parser = override_request_parser())]
    action: OverrideRequest,
    #[command(flatten)]
    who: Who,
}

/// `newsdesk override ID ACTION`.
pub fn set_override(
    paths: &DeskPaths,
    mut a: OverrideArgs,
    configured: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let editor = a.who.editor(configured)?;
    let after = lib::set_override(paths, a.id, a.action, &editor, a.who.reason, Utc::now())?;
    print!("{}", text::override_result(&after));
    Ok(ExitCode::SUCCESS)
}

/// `newsdesk rules ...`.
pub fn rules(
    paths: &DeskPaths,
    command: RulesCommand,
    configured: Option<&str>,
) -> anyhow::Result<ExitCode> {
    let now = Utc::now();
    match command {
        RulesCommand::List => {
            let rules = paths.open_store()?.rules().context("reading the rules")?;
            if rules.is_empty() {
                println!("no rules");
            }
            for r in &rules {
                println!("{}", newsdesk_render::text::rule_line(r));
            }
        }
        RulesCommand::Add {
            name,
            query,
            keep,
            topic,
            mut who,
            ..
        } => {
            let editor = who.editor(configured)?;
            let rule = draft_rule(&name, query, keep, topic, editor, who.reason, now);
            let d = lib::add_rule(paths, &rule, now)?;
            print!("{}", text::decided(&format!("rule {name} added"), &d));
        }
        RulesCommand::Remove { name, mut who } => {
            let editor = who.editor(configured)?;
            if lib::remove_rule(paths, &name, &editor, who.reason, now)?.is_none() {
                anyhow::bail!("there is no rule named {name:?} (see `newsdesk rules list`)");
            }
            println!("rule {name} removed; every article was decided again without it");
        }
        RulesCommand::Test {
            query,
            keep,
            topic,
            limit,
            ..
        } => {
            print!(
                "{}",
                lib::test_rule(paths, query, keep, topic, now)?.text(limit)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// `newsdesk reanalyze`: every article decided again, no source re-read.
pub fn reanalyze(paths: &DeskPaths) -> anyhow::Result<ExitCode> {
    let r = lib::reanalyze(paths, Utc::now())?;
    if r.analysed.analysed > 0 {
        println!("analysis: {} articles analysed", r.analysed.analysed);
    }
    print!("{}", text::decided("reanalyze", &r.decided));
    println!("configuration: {}", r.configuration.join("; "));
    Ok(ExitCode::SUCCESS)
}

/// `newsdesk audit`.
pub fn audit(paths: &DeskPaths, article: Option<i64>, limit: usize) -> anyhow::Result<ExitCode> {
    let log = paths
        .open_store()?
        .audit_log(article, limit)
        .context("reading the audit log")?;
    if log.is_empty() {
        println!("the audit log is empty");
    }
    for e in &log {
        println!("{}", newsdesk_render::text::audit_line(e));
    }
    Ok(ExitCode::SUCCESS)
}
