//! The editors' work over a desk's data folder, for the command line: a
//! desk opened and caught up, why an article is (not) published, overrides
//! and rules applied and indexed, what a rule would change, and every
//! article decided again. Each call opens what it needs; printing is the
//! caller's.

use chrono::{DateTime, Utc};
use newsdesk_model::EditorAction;
use newsdesk_score::Breakdown;
use newsdesk_store::{AuditEntry, DeskStore, Rule, RuleAction, StoredArticle, StoryHeat};
use newsdesk_topics::Query;

use crate::analysis::{Analysis, Done};
use crate::error::store as store_err;
use crate::search_sync::sync_now;
use crate::{actions, Decided, DeskError, DeskPaths, Detail, Editorial};

/// The name a rule under test is given.
pub const TESTED_RULE: &str = "(tested rule)";

/// Opens the store, catches up on analysis and decisions, and loads the
/// editorial configuration.
pub fn open_desk(
    paths: &DeskPaths,
    now: DateTime<Utc>,
) -> Result<(Box<dyn DeskStore>, Editorial), DeskError> {
    let mut store = paths.open_store()?;
    Analysis::open(&mut *store, now)?;
    let editorial = Editorial::load(&paths.data_dir, &*store)?;
    editorial.decide_pending(&mut *store, now)?;
    Ok((store, editorial))
}

/// Why an article is (not) published.
#[derive(Debug)]
pub struct Explanation {
    pub article: StoredArticle,
    /// The stored decision; `None`: not decided yet.
    pub detail: Option<Detail>,
    /// Its story's heat.
    pub heat: Option<StoryHeat>,
    pub heat_breakdown: Option<Breakdown>,
    /// The newest 20 audit entries about it.
    pub audit: Vec<AuditEntry>,
    /// Which configuration files decided.
    pub configuration: Vec<String>,
}

/// Article `id`'s decision, heat and audit trail.
pub fn explain(paths: &DeskPaths, id: i64, now: DateTime<Utc>) -> Result<Explanation, DeskError> {
    let (store, editorial) = open_desk(paths, now)?;
    let a = actions::article(&*store, id)?;
    let detail: Option<Detail> = a
        .editorial
        .as_deref()
        .map(serde_json::from_str)
        .transpose()
        .map_err(|source| DeskError::DamagedJson {
            what: format!("the stored decision of article {id} is damaged"),
            source,
        })?;
    let heat = match a.story {
        Some(s) => store
            .story_heat(s)
            .map_err(store_err("reading the story's heat"))?,
        None => None,
    };
    let heat_breakdown: Option<Breakdown> = heat
        .as_ref()
        .map(|h| serde_json::from_str(&h.detail))
        .transpose()
        .map_err(|source| DeskError::DamagedJson {
            what: "the stored heat breakdown is damaged".into(),
            source,
        })?;
    let audit = store
        .audit_log(Some(id), 20)
        .map_err(store_err("reading the audit log"))?;
    Ok(Explanation {
        article: a,
        detail,
        heat,
        heat_breakdown,
        audit,
        configuration: editorial.sources().to_vec(),
    })
}

/// Sets (or, with `None`, clears) an editor's override of article `id`,
/// decides it again and brings the search index up to date; returns the
/// article as decided.
pub fn set_override(
    paths: &DeskPaths,
    id: i64,
    action: Option<EditorAction>,
    editor: &str,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<StoredArticle, DeskError> {
    let (mut store, editorial) = open_desk(paths, now)?;
    let after = actions::set_override(&mut *store, &editorial, id, action, editor, reason, now)?;
    sync_now(paths, &mut *store);
    Ok(after)
}

/// The first reason of an article's stored decision (empty when none).
pub fn first_reason(a: &StoredArticle) -> String {
    a.editorial
        .as_deref()
        .and_then(|d| serde_json::from_str::<Detail>(d).ok())
        .and_then(|d| d.reasons.first().cloned())
        .unwrap_or_default()
}

/// Who is acting: `by` (the command's `--by`), else the configuration's
/// `editor` (`NEWSDESK_EDITOR` or `newsdesk.toml`), else the login name;
/// blank names do not count.
pub fn acting_editor(
    by: Option<String>,
    configured: Option<&str>,
    login: Option<String>,
) -> Result<String, DeskError> {
    by.or_else(|| configured.map(str::to_string))
        .or(login)
        .filter(|s| !s.trim().is_empty())
        .ok_or_else(|| {
            DeskError::Config(
                "who is acting? pass --by NAME (or set NEWSDESK_EDITOR, or `editor` in newsdesk.toml)"
                    .into(),
            )
        })
}

/// A rule as an editor asks for it: keep what matches with `keep`, else
/// mute it; `topic`: only within that topic.
pub fn draft_rule(
    name: &str,
    query: String,
    keep: bool,
    topic: Option<String>,
    editor: String,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Rule {
    Rule {
        name: name.to_string(),
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
    }
}

/// Checks a rule's query; the error names the rule.
pub fn check_query(name: Option<&str>, query: &str) -> Result<(), DeskError> {
    Query::parse(query).map_err(|e| {
        DeskError::Config(match name {
            Some(name) => format!("rule {name:?}: {e}"),
            None => e.to_string(),
        })
    })?;
    Ok(())
}

/// Adds a rule (its query checked first), decides every article again
/// with it and brings the search index up to date.
pub fn add_rule(paths: &DeskPaths, rule: &Rule, now: DateTime<Utc>) -> Result<Decided, DeskError> {
    check_query(Some(&rule.name), &rule.query)?;
    let (mut store, _) = open_desk(paths, now)?;
    let d = actions::add_rule(&mut *store, &paths.data_dir, rule, now)?;
    sync_now(paths, &mut *store);
    Ok(d)
}

/// Removes the rule `name`, decides every article again without it and
/// brings the search index up to date. `None`: there is no such rule.
pub fn remove_rule(
    paths: &DeskPaths,
    name: &str,
    editor: &str,
    reason: Option<String>,
    now: DateTime<Utc>,
) -> Result<Option<Decided>, DeskError> {
    let mut store = paths.open_store()?;
    let Some(d) = actions::remove_rule(&mut *store, &paths.data_dir, name, editor, reason, now)?
    else {
        return Ok(None);
    };
    let (mut store, _) = open_desk(paths, now)?;
    sync_now(paths, &mut *store);
    Ok(Some(d))
}

/// What a rule would change.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct RuleTest {
    /// Articles the rule matches.
    pub matched: usize,
    /// Articles whose publication would change: id, published after, title.
    pub changed: Vec<(i64, bool, String)>,
}

/// What adding a rule with `query` (a keep rule with `keep`, else a mute
/// rule; only within `topic`) would change, without applying it.
pub fn test_rule(
    paths: &DeskPaths,
    query: String,
    keep: bool,
    topic: Option<String>,
    now: DateTime<Utc>,
) -> Result<RuleTest, DeskError> {
    check_query(None, &query)?;
    let (store, current) = open_desk(paths, now)?;
    let rule = draft_rule(TESTED_RULE, query, keep, topic, String::new(), None, now);
    test_rule_in(&*store, &paths.data_dir, &current, rule)
}

/// [`test_rule`] over an open store, with the editorial configuration in
/// effect (`current`).
pub(crate) fn test_rule_in(
    store: &dyn DeskStore,
    data_dir: &std::path::Path,
    current: &Editorial,
    rule: Rule,
) -> Result<RuleTest, DeskError> {
    let mut rules = store.rules().map_err(store_err("reading the rules"))?;
    rules.push(Rule {
        name: TESTED_RULE.into(),
        ..rule
    });
    let tested = Editorial::with_rules(data_dir, rules)?;
    let mut out = RuleTest::default();
    let mut after = 0;
    loop {
        let page = store
            .articles_after(after, 1_000)
            .map_err(store_err("listing articles"))?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for a in page.iter().filter(|a| !a.stub && a.story.is_some()) {
            let (now_d, _) = current.decide(a);
            let (new_d, detail) = tested.decide(a);
            if detail.rules.iter().any(|r| r == TESTED_RULE) {
                out.matched += 1;
            }
            if now_d.published != new_d.published {
                out.changed
                    .push((a.id, new_d.published, a.article.title.clone()));
            }
        }
    }
    Ok(out)
}

/// What [`reanalyze`] did.
#[derive(Debug, Clone)]
pub struct Reanalysed {
    /// Analysis of articles not analysed yet.
    pub analysed: Done,
    pub decided: Decided,
    /// Which configuration files decided.
    pub configuration: Vec<String>,
}

/// Every stored article decided again from the current configuration,
/// without reading any source; the search index brought up to date.
pub fn reanalyze(paths: &DeskPaths, now: DateTime<Utc>) -> Result<Reanalysed, DeskError> {
    let mut store = paths.open_store()?;
    let (_, analysed) = Analysis::open(&mut *store, now)?;
    let editorial = Editorial::load(&paths.data_dir, &*store)?;
    let decided = editorial.decide_all(&mut *store, now)?;
    sync_now(paths, &mut *store);
    Ok(Reanalysed {
        analysed,
        decided,
        configuration: editorial.sources().to_vec(),
    })
}

/// Analyses and decides whatever is pending, then brings the search index
/// up to date.
pub fn analyze_pending(
    paths: &DeskPaths,
    now: DateTime<Utc>,
) -> Result<(Done, Decided), DeskError> {
    let mut store = paths.open_store()?;
    let (_, done) = Analysis::open(&mut *store, now)?;
    let editorial = Editorial::load(&paths.data_dir, &*store)?;
    let decided = editorial.decide_pending(&mut *store, now)?;
    sync_now(paths, &mut *store);
    Ok((done, decided))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_acting_editor_is_by_then_configured_then_login() {
        let who = |by: Option<&str>, conf: Option<&str>, login: Option<&str>| {
            acting_editor(by.map(Into::into), conf, login.map(Into::into)).ok()
        };
        assert_eq!(
            who(Some("ann"), Some("bob"), Some("cy")).as_deref(),
            Some("ann")
        );
        assert_eq!(who(None, Some("bob"), Some("cy")).as_deref(), Some("bob"));
        assert_eq!(who(None, None, Some("cy")).as_deref(), Some("cy"));
        assert_eq!(who(None, None, None), None);
        assert_eq!(who(Some("  "), None, Some("cy")), None);
        let e = acting_editor(None, None, None).unwrap_err().to_string();
        assert!(e.contains("pass --by NAME"), "{e}");
    }

    #[test]
    fn a_drafted_rule_mutes_unless_it_keeps() {
        let now = Utc::now();
        let r = draft_rule("r", "AI".into(), false, None, "ed".into(), None, now);
        assert_eq!(
            (r.action, r.name.as_str(), r.created_at),
            (RuleAction::Mute, "r", now)
        );
        let r = draft_rule(
            "k",
            "AI".into(),
            true,
            Some("ai".into()),
            "ed".into(),
            None,
            now,
        );
        assert_eq!(r.action, RuleAction::Keep);
        assert_eq!(r.topic.as_deref(), Some("ai"));
    }
}
