//! The store's records as plain text, one line each, for a terminal or a
//! web page: rules, audit entries, the store's counts.

use newsdesk_store::{AuditEntry, Rule, Stats};

/// `: REASON`, or nothing.
fn because(reason: Option<&str>) -> String {
    reason.map(|r| format!(": {r}")).unwrap_or_default()
}

/// `mute NAME in TOPIC: QUERY  (by EDITOR on DAY: REASON)`.
pub fn rule_line(r: &Rule) -> String {
    let topic = r
        .topic
        .as_deref()
        .map(|t| format!(" in {t}"))
        .unwrap_or_default();
    format!(
        "{} {}{topic}: {}  (by {} on {}{})",
        r.action.as_str(),
        r.name,
        r.query,
        r.editor,
        r.created_at.format("%Y-%m-%d"),
        because(r.reason.as_deref())
    )
}

/// `TIME EDITOR ACTION TARGET: REASON` (time to the second, UTC).
pub fn audit_line(e: &AuditEntry) -> String {
    format!(
        "{} {} {} {}{}",
        e.at.format("%Y-%m-%d %H:%M:%S UTC"),
        e.editor,
        e.action,
        e.target,
        because(e.reason.as_deref())
    )
}

/// An article's own audit line, its target implied: `TIME EDITOR ACTION:
/// REASON` (time to the minute, UTC).
pub fn article_audit_line(e: &AuditEntry) -> String {
    format!(
        "{} {} {}{}",
        e.at.format("%Y-%m-%d %H:%M UTC"),
        e.editor,
        e.action,
        because(e.reason.as_deref())
    )
}

/// The store's counts: the totals, then by source, provider and day.
pub fn stats(st: &Stats) -> String {
    let mut out = format!(
        "{} articles ({} known only from related lists), {} sources\n",
        st.articles, st.stubs, st.sources
    );
    for (title, rows) in [
        ("by source", &st.by_source),
        ("by provider", &st.by_provider),
        ("by day", &st.by_day),
    ] {
        out.push_str(&format!("\n{title}:\n"));
        for (k, n) in rows {
            out.push_str(&format!("  {n:>8}  {k}\n"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{TimeZone, Utc};
    use newsdesk_store::RuleAction;

    fn at() -> chrono::DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 4, 5, 6, 7).unwrap()
    }

    #[test]
    fn a_rule_reads_action_name_topic_query_and_who() {
        let mut r = Rule {
            name: "no-pr".into(),
            action: RuleAction::Mute,
            topic: Some("AI".into()),
            query: "\"press release\"".into(),
            editor: "ann".into(),
            reason: Some("noise".into()),
            created_at: at(),
        };
        assert_eq!(
            rule_line(&r),
            "mute no-pr in AI: \"press release\"  (by ann on 2026-03-04: noise)"
        );
        r.topic = None;
        r.reason = None;
        r.action = RuleAction::Keep;
        assert_eq!(
            rule_line(&r),
            "keep no-pr: \"press release\"  (by ann on 2026-03-04)"
        );
    }

    #[test]
    fn audit_lines_give_time_who_what_and_why() {
        let e = AuditEntry {
            at: at(),
            editor: "bob".into(),
            action: "pin".into(),
            article: Some(12),
            target: "article 12".into(),
            reason: Some("lead story".into()),
        };
        assert_eq!(
            audit_line(&e),
            "2026-03-04 05:06:07 UTC bob pin article 12: lead story"
        );
        assert_eq!(
            article_audit_line(&e),
            "2026-03-04 05:06 UTC bob pin: lead story"
        );
    }

    #[test]
    fn stats_list_each_breakdown_under_its_title() {
        let st = Stats {
            articles: 3,
            stubs: 1,
            sources: 2,
            by_source: vec![("feed.xml".into(), 2)],
            by_provider: vec![],
            by_day: vec![("2026-03-04".into(), 3)],
        };
        assert_eq!(
            stats(&st),
            "3 articles (1 known only from related lists), 2 sources\n\nby source:\n         2  feed.xml\n\nby provider:\n\nby day:\n         3  2026-03-04\n"
        );
    }
}
