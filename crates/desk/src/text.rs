//! What the desk's results read as: plain text for a terminal or a web
//! page, and JSON views. Each function returns whole lines, each ending in
//! `\n`; printing is the caller's. JSON views are typed (`Serialize`);
//! through `serde_json::Value` (as [`json`] does) their keys come out
//! sorted, as the command line prints them.

use serde::Serialize;

use crate::analysis::Done;
use crate::editor::{Explanation, RuleTest};
use crate::search_sync::{IndexState, Synced};
use crate::Decided;
use newsdesk_model::EditorOverride;
use newsdesk_score::Breakdown;
use newsdesk_search::{Results as SearchResults, Sort};
use newsdesk_store::{AuditEntry, Given};

/// `1 item`, `2 items`.
pub fn count(n: usize, what: &str) -> String {
    format!("{n} {what}{}", if n == 1 { "" } else { "s" })
}

/// A view as pretty JSON with its keys sorted (as `serde_json::Value`
/// orders them), the form the command line prints.
pub fn json<T: Serialize>(view: &T) -> Result<String, serde_json::Error> {
    serde_json::to_string_pretty(&serde_json::to_value(view)?)
}

/// `WHAT: N articles decided (...)`.
pub fn decided(what: &str, d: &Decided) -> String {
    format!(
        "{what}: {} articles decided ({} published, {} changed), {} story heats updated\n",
        d.decided, d.published, d.changed, d.stories
    )
}

/// What an analysis did.
pub fn analysed(d: &Done) -> String {
    format!(
        "analysis: {} articles analysed, {} marked as copies of earlier articles, {} earlier decisions revised\n",
        d.analysed, d.copies, d.changed
    )
}

/// An explanation as JSON.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExplanationView<'a> {
    pub id: i64,
    pub title: &'a str,
    pub story: Option<i64>,
    pub duplicate_of: Option<i64>,
    /// Why the analysis placed it as it did.
    pub analysis: Option<&'a str>,
    pub published: Option<bool>,
    pub pinned: bool,
    pub quality: Option<i64>,
    pub heat: Option<i64>,
    pub topics: &'a [String],
    pub decision: Option<&'a crate::Detail>,
    pub heat_breakdown: Option<&'a Breakdown>,
    #[serde(rename = "override")]
    pub editor_override: Option<&'a EditorOverride>,
    pub given: &'a Given,
    pub audit: &'a [AuditEntry],
    pub configuration: &'a [String],
}

impl Explanation {
    /// The JSON view.
    pub fn view(&self) -> ExplanationView<'_> {
        let a = &self.article;
        ExplanationView {
            id: a.id,
            title: &a.article.title,
            story: a.story,
            duplicate_of: a.duplicate_of,
            analysis: a.reason.as_deref(),
            published: a.article.published,
            pinned: a.pinned,
            quality: a.article.quality,
            heat: a.article.heat,
            topics: &a.article.topics,
            decision: self.detail.as_ref(),
            heat_breakdown: self.heat_breakdown.as_ref(),
            editor_override: a.editor_override.as_ref(),
            given: &a.given,
            audit: &self.audit,
            configuration: &self.configuration,
        }
    }

    /// Why the article is (not) published, in words: its decision's
    /// reasons, topics, quality and heat breakdowns, audit trail.
    pub fn text(&self) -> String {
        use std::fmt::Write;
        let (a, mut out) = (&self.article, String::new());
        let art = &a.article;
        let _ = writeln!(out, "article {}: {}", a.id, art.title);
        let provider = art
            .provider
            .as_ref()
            .map_or("unknown provider", |p| p.domain.as_str());
        let date = art.published_at.map_or("undated".to_string(), |d| {
            d.format("%Y-%m-%d %H:%M UTC").to_string()
        });
        let _ = writeln!(out, "  {provider}, {date}");
        if a.stub {
            out.push_str("  known only from another article's related list: not decided\n");
        }
        if let Some(r) = &a.reason {
            let _ = writeln!(out, "story: {r}");
        }
        let Some(d) = &self.detail else {
            out.push_str("decision: not decided yet\n");
            return out;
        };
        let pinned = if d.pinned { " (pinned)" } else { "" };
        let yes = if d.published { "yes" } else { "no" };
        let _ = writeln!(out, "published: {yes}{pinned}");
        for r in &d.reasons {
            let _ = writeln!(out, "  - {r}");
        }
        let topics: Vec<String> = d
            .topics
            .iter()
            .map(|t| format!("{} ({})", t.name, t.by))
            .collect();
        let topics = if topics.is_empty() {
            "none".to_string()
        } else {
            topics.join(", ")
        };
        let _ = writeln!(out, "topics: {topics}");
        if !d.desk_topics.is_empty() {
            let _ = writeln!(out, "  the desk's own: {}", d.desk_topics.join(", "));
        }
        if d.quality_from == "given" {
            let _ = writeln!(
                out,
                "quality: {} (as the input record says; the desk scores it {})",
                d.quality, d.quality_breakdown.score
            );
        } else {
            let _ = writeln!(out, "quality: {}", d.quality);
        }
        indented(&mut out, &d.quality_breakdown.to_string());
        let heat = art.heat.unwrap_or(-1);
        match (&self.heat, &self.heat_breakdown) {
            (Some(h), Some(b)) => {
                let unpublished = if d.published {
                    ""
                } else {
                    "; -1 while not published"
                };
                let _ = writeln!(out, "heat: {heat} (story {}{unpublished})", h.story);
                indented(&mut out, &b.to_string());
            }
            _ => {
                let _ = writeln!(out, "heat: {heat}");
            }
        }
        if !self.audit.is_empty() {
            out.push_str("audit:\n");
            for e in &self.audit {
                let _ = writeln!(out, "  {}", newsdesk_render::text::article_audit_line(e));
            }
        }
        let _ = writeln!(out, "configuration: {}", self.configuration.join("; "));
        out
    }
}

fn indented(out: &mut String, text: &str) {
    for line in text.lines() {
        out.push_str("  ");
        out.push_str(line);
        out.push('\n');
    }
}

/// What an override left: `article ID: published, pinned (REASON)`.
pub fn override_result(a: &newsdesk_store::StoredArticle) -> String {
    let state = match (a.article.published == Some(true), a.pinned) {
        (true, true) => "published, pinned",
        (true, false) => "published",
        (false, _) => "not published",
    };
    format!(
        "article {}: {state} ({})\n",
        a.id,
        crate::editor::first_reason(a)
    )
}

impl RuleTest {
    /// What the rule would change, listing at most `limit` articles.
    pub fn text(&self, limit: usize) -> String {
        use std::fmt::Write;
        let published = self.changed.iter().filter(|c| c.1).count();
        let mut out = format!(
            "the rule matches {} articles; it would change {} decisions ({published} published, {} unpublished)\n",
            self.matched,
            self.changed.len(),
            self.changed.len() - published
        );
        for (id, published, title) in self.changed.iter().take(limit) {
            let what = if *published {
                "would be published:  "
            } else {
                "would be unpublished:"
            };
            let _ = writeln!(out, "  {id}: {what} {title}");
        }
        if self.changed.len() > limit {
            let _ = writeln!(
                out,
                "  ... and {} more (--limit)",
                self.changed.len() - limit
            );
        }
        out
    }
}

/// One search hit as JSON.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct HitView<'a> {
    pub id: i64,
    pub title: &'a str,
    pub excerpt: Option<&'a str>,
    pub provider: Option<&'a str>,
    pub published_date_time: Option<String>,
    pub score: f32,
    pub title_html: &'a str,
    #[serde(rename = "snippet")]
    pub snippet_html: Option<&'a str>,
}

/// Search results as JSON.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SearchView<'a> {
    pub total: usize,
    pub total_exact: bool,
    pub offset: usize,
    pub limit: usize,
    /// `relevance` or `newest`.
    pub sort: &'static str,
    pub hits: Vec<HitView<'a>>,
}

/// The JSON view of search results.
pub fn search_view(r: &SearchResults) -> SearchView<'_> {
    SearchView {
        total: r.total,
        total_exact: r.total_exact,
        offset: r.offset,
        limit: r.limit,
        sort: match r.sort {
            Sort::Relevance => "relevance",
            Sort::Newest => "newest",
        },
        hits: r
            .hits
            .iter()
            .map(|h| HitView {
                id: h.id,
                title: &h.title,
                excerpt: h.excerpt.as_deref(),
                provider: h.provider.as_deref(),
                published_date_time: h
                    .published_at
                    .as_ref()
                    .map(newsdesk_model::document::format_date),
                score: h.score,
                title_html: &h.title_html,
                snippet_html: h.snippet_html.as_deref(),
            })
            .collect(),
    }
}

/// HTML of a title or snippet (highlights in `<mark>`) as plain text:
/// matches between `*`.
pub fn plain(html: &str) -> String {
    html.replace("<mark>", "*")
        .replace("</mark>", "*")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Search results as text: the count, then a line per hit (id, day,
/// provider, title) and its snippet.
pub fn search_results(r: &SearchResults) -> String {
    use std::fmt::Write;
    let shown = if r.total > r.hits.len() {
        format!(" ({} shown from {})", r.hits.len(), r.offset + 1)
    } else {
        String::new()
    };
    let plus = if r.total_exact { "" } else { "+" };
    let mut out = format!("{}{plus} matching articles{shown}\n", r.total);
    for h in &r.hits {
        let day = h
            .published_at
            .map(|d| d.format("%Y-%m-%d").to_string())
            .unwrap_or_else(|| "----------".into());
        let provider = h.provider.as_deref().unwrap_or("-");
        let _ = writeln!(
            out,
            "{:>7}  {day}  {provider}  {}",
            h.id,
            plain(&h.title_html)
        );
        if let Some(s) = &h.snippet_html {
            let _ = writeln!(out, "         {}", plain(s));
        }
    }
    out
}

/// What `index sync` did.
pub fn synced(s: &Synced, in_index: u64) -> String {
    format!(
        "index synced: {} articles indexed, {} removed; {in_index} in the index\n",
        s.indexed, s.removed
    )
}

/// What `index rebuild` did, in `seconds`.
pub fn rebuilt(articles: u64, s: &Synced, seconds: f64) -> String {
    let meanwhile = match s.indexed + s.removed {
        0 => String::new(),
        n => format!(", then {n} changed meanwhile indexed"),
    };
    format!("index rebuilt: {articles} articles in {seconds:.1} s{meanwhile}\n")
}

impl IndexState {
    /// The comparison in words: the counts, then whether they agree and
    /// what to run when not.
    pub fn text(&self) -> String {
        let (expected, pending) = (self.expected, self.pending);
        let indexed = match &self.indexed {
            Ok(n) => *n,
            Err(detail) => {
                return format!(
                    "index: of another layout ({detail}); the next `newsdesk index sync` (or ingest, or serve) rebuilds it\n"
                )
            }
        };
        let mut out = format!(
            "store: {expected} indexable articles\nindex: {indexed} documents\noutbox: {pending} changes waiting\n"
        );
        if self.in_step() {
            out.push_str("ok: the index is in step with the store\n");
            return out;
        }
        let gap = if indexed == expected {
            String::new()
        } else if indexed < expected {
            format!("{} articles missing from the index; ", expected - indexed)
        } else {
            format!("{} documents too many in the index; ", indexed - expected)
        };
        out.push_str(&format!(
            "mismatch: {gap}{pending} changes not indexed yet: run `newsdesk index sync` (or `newsdesk index rebuild`)\n"
        ));
        out
    }
}

/// One poll, as the running desk tells it: the outcome and the next poll,
/// then a line per note.
pub fn poll(p: &crate::run::PollReport) -> String {
    use crate::run::{NextPoll, PollOutcome};
    let next = match p.next {
        NextPoll::Dead => {
            "dead: no more polls (`newsdesk sources add` follows it again)".to_string()
        }
        NextPoll::At(t) => format!("next poll {}", newsdesk_normalize::format_date(&t)),
        NextPoll::Now => "next poll now".to_string(),
    };
    let what = match &p.outcome {
        PollOutcome::Fetched {
            items,
            new,
            updated,
            pages,
        } => format!(
            "fetched, {}, {new} new, {updated} updated, {} fetched",
            count(*items, "item"),
            count(*pages, "page")
        ),
        PollOutcome::Unchanged => "unchanged (304)".to_string(),
        PollOutcome::Failed {
            message,
            consecutive_errors,
        } => format!(
            "error: {message} ({} in a row)",
            count(*consecutive_errors as usize, "error")
        ),
    };
    let mut out = format!("poll {}: {what}; {next}\n", p.locator);
    for note in &p.notes {
        out.push_str(&format!("  {}: {note}\n", p.locator));
    }
    out
}

/// What the running desk caught up on as it opened (`None`: nothing).
pub fn caught_up(analysed: &Done, decided: &Decided) -> Option<String> {
    (analysed.analysed > 0 || decided.decided > 0).then(|| {
        format!(
            "caught up: {} articles analysed, {} decided\n",
            analysed.analysed, decided.decided
        )
    })
}

/// The sources followed and due; `once`: a single round (no Ctrl-C hint).
pub fn following(sources: usize, due: usize, once: bool) -> String {
    let hint = if once { "" } else { " (Ctrl-C stops)" };
    format!(
        "following {}, {due} due now{hint}\n",
        count(sources, "source")
    )
}

/// The running desk stopping on `signal`, `abandoned` polls in flight.
pub fn stopping(signal: &str, abandoned: usize) -> String {
    format!(
        "stopping ({signal}): {} in flight abandoned, nothing of theirs written; their sources stay due\n",
        count(abandoned, "poll")
    )
}

/// A run's totals, its analysis and decisions.
pub fn run_summary(sum: &crate::run::RunSummary) -> String {
    format!(
        "{}: {} fetched, {} unchanged, {} failed; {} stored, {} updated, {} fetched\n{}{}",
        count(sum.polls, "poll"),
        sum.fetched,
        sum.unchanged,
        sum.failed,
        count(sum.stored, "article"),
        sum.updated,
        count(sum.pages, "page"),
        analysed(&sum.analysed),
        decided("editorial", &sum.decided)
    )
}

/// An ingest's summary (standard output's part): counts, then its
/// analysis and decisions or that they were deferred.
pub fn ingested(sum: &crate::ingest::IngestSummary) -> String {
    let mut out = format!(
        "{} inputs: {} stored, {} updated, {} unchanged, {} related articles added, {} sources registered, {} failed, {} entries skipped\n",
        sum.inputs,
        sum.stored,
        sum.updated,
        sum.unchanged,
        sum.related,
        sum.sources,
        sum.failed.len(),
        sum.skipped.len()
    );
    match &sum.analysed {
        Some(done) => {
            out.push_str(&analysed(done));
            out.push_str(&decided("editorial", &sum.decided));
        }
        None => out.push_str("analysis: deferred (run `newsdesk analyze`)\n"),
    }
    out
}

/// An ingest's problems (standard error's part): failed inputs, skipped
/// entries, warnings.
pub fn ingest_problems(sum: &crate::ingest::IngestSummary) -> String {
    let mut out = String::new();
    for (label, list) in [
        ("failed", &sum.failed),
        ("skipped", &sum.skipped),
        ("warning", &sum.warnings),
    ] {
        for line in list {
            out.push_str(&format!("{label}: {line}\n"));
        }
    }
    out
}

/// A story evaluation as JSON.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StoriesView<'a> {
    pub truth_lines: usize,
    pub articles: usize,
    pub missing: usize,
    #[serde(rename = "collapsedByUrl")]
    pub collapsed: usize,
    pub truth_copies: usize,
    pub stories: &'a newsdesk_analyze::eval::ClusterScores,
    pub duplicates: &'a newsdesk_analyze::eval::DuplicateScores,
}

impl crate::eval::StoriesReport {
    /// The JSON view.
    pub fn view(&self) -> StoriesView<'_> {
        StoriesView {
            truth_lines: self.truth_lines,
            articles: self.articles,
            missing: self.missing,
            collapsed: self.collapsed,
            truth_copies: self.truth_copies,
            stories: &self.stories,
            duplicates: &self.duplicates,
        }
    }

    /// The scores in words: what the truth matched, stories, duplicates.
    pub fn text(&self) -> String {
        let (c, d) = (&self.stories, &self.duplicates);
        format!(
            "{} truth lines: {} distinct stored articles, {} not in the store, {} copies collapsed into their original by URL\n\
             stories: {} true, {} found; pairwise P {:.4} R {:.4} F1 {:.4}; B-cubed P {:.4} R {:.4} F1 {:.4}\n\
             duplicates: {} true copies, {} marked, {} right; P {:.4} R {:.4} F1 {:.4}\n",
            self.truth_lines,
            self.articles,
            self.missing,
            self.collapsed,
            c.truth_clusters,
            c.predicted_clusters,
            c.pairwise.precision,
            c.pairwise.recall,
            c.pairwise.f1,
            c.bcubed.precision,
            c.bcubed.recall,
            c.bcubed.f1,
            d.truth_copies,
            d.predicted_copies,
            d.correct,
            d.scores.precision,
            d.scores.recall,
            d.scores.f1
        )
    }
}

/// A related-list evaluation as JSON.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RelatedView {
    pub records: usize,
    pub related_given: usize,
    pub found_in_desk_list: usize,
    pub in_same_story: usize,
    /// Found of given (0 when none were given).
    pub recall: f64,
    pub records_with_a_hit: usize,
}

impl crate::eval::RelatedReport {
    /// Entries found in the desk's lists, of those given (0 when none).
    pub fn recall(&self) -> f64 {
        if self.given == 0 {
            0.0
        } else {
            self.found as f64 / self.given as f64
        }
    }

    /// The JSON view.
    pub fn view(&self) -> RelatedView {
        RelatedView {
            records: self.records,
            related_given: self.given,
            found_in_desk_list: self.found,
            in_same_story: self.same_story,
            recall: self.recall(),
            records_with_a_hit: self.with_any,
        }
    }

    /// The comparison in one line.
    pub fn text(&self) -> String {
        format!(
            "{} records came with related lists ({} entries): the desk's own lists hold {} of them ({:.1}%), \
             {} are in the record's story; {} records share at least one entry\n",
            self.records,
            self.given,
            self.found,
            self.recall() * 100.0,
            self.same_story,
            self.with_any
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_running_desk_says_what_it_follows_and_abandons() {
        assert_eq!(following(1, 0, true), "following 1 source, 0 due now\n");
        assert_eq!(
            following(2, 1, false),
            "following 2 sources, 1 due now (Ctrl-C stops)\n"
        );
        assert!(
            stopping("SIGTERM", 1).starts_with("stopping (SIGTERM): 1 poll in flight abandoned")
        );
        assert_eq!(caught_up(&Done::default(), &Decided::default()), None);
        let d = Decided {
            decided: 2,
            ..Decided::default()
        };
        assert_eq!(
            caught_up(&Done::default(), &d).as_deref(),
            Some("caught up: 0 articles analysed, 2 decided\n")
        );
    }

    #[test]
    fn counts_are_singular_for_one() {
        assert_eq!(count(1, "poll"), "1 poll");
        assert_eq!(count(0, "poll"), "0 polls");
        assert_eq!(count(3, "page"), "3 pages");
    }

    #[test]
    fn highlights_become_stars_and_entities_text() {
        assert_eq!(
            plain("<mark>AI</mark> &amp; &lt;b&gt; &quot;x&quot; it&#39;s"),
            "*AI* & <b> \"x\" it's"
        );
    }

    #[test]
    fn a_rule_test_lists_up_to_its_limit() {
        let t = RuleTest {
            matched: 4,
            changed: vec![(1, true, "One".into()), (2, false, "Two".into())],
        };
        let text = t.text(1);
        assert!(text.starts_with(
            "the rule matches 4 articles; it would change 2 decisions (1 published, 1 unpublished)\n"
        ));
        assert!(text.contains("  1: would be published:   One\n"));
        assert!(!text.contains("Two"));
        assert!(text.ends_with("  ... and 1 more (--limit)\n"));
        assert!(!t.text(5).contains("more"));
    }

    #[test]
    fn index_states_say_what_to_run() {
        let ok = IndexState {
            expected: 3,
            pending: 0,
            indexed: Ok(3),
        };
        assert!(ok
            .text()
            .ends_with("ok: the index is in step with the store\n"));
        let behind = IndexState {
            pending: 2,
            indexed: Ok(1),
            ..ok.clone()
        };
        assert!(behind
            .text()
            .contains("mismatch: 2 articles missing from the index; 2 changes not indexed yet"));
        let other = IndexState {
            indexed: Err("version 2".into()),
            ..ok
        };
        assert!(other
            .text()
            .starts_with("index: of another layout (version 2)"));
    }

    #[test]
    fn summaries_read_as_sentences() {
        let d = Decided {
            decided: 5,
            published: 2,
            changed: 1,
            stories: 3,
        };
        assert_eq!(
            decided("editorial", &d),
            "editorial: 5 articles decided (2 published, 1 changed), 3 story heats updated\n"
        );
        let s = Synced {
            indexed: 2,
            removed: 1,
            cleared: 3,
        };
        assert_eq!(
            rebuilt(10, &s, 1.5),
            "index rebuilt: 10 articles in 1.5 s, then 3 changed meanwhile indexed\n"
        );
        assert_eq!(
            synced(&s, 9),
            "index synced: 2 articles indexed, 1 removed; 9 in the index\n"
        );
    }

    #[test]
    fn a_poll_reads_outcome_next_poll_and_notes() {
        use crate::run::{NextPoll, PollOutcome, PollReport, RunSummary};
        let mut p = PollReport {
            locator: "https://example.com/feed".into(),
            outcome: PollOutcome::Fetched {
                items: 1,
                new: 1,
                updated: 0,
                pages: 2,
            },
            next: NextPoll::Now,
            notes: vec!["one page failed".into()],
            counts: RunSummary::default(),
            took: std::time::Duration::ZERO,
        };
        assert_eq!(
            poll(&p),
            "poll https://example.com/feed: fetched, 1 item, 1 new, 0 updated, 2 pages fetched; next poll now\n  https://example.com/feed: one page failed\n"
        );
        p.outcome = PollOutcome::Failed {
            message: "timed out".into(),
            consecutive_errors: 3,
        };
        (p.next, p.notes) = (NextPoll::Dead, Vec::new());
        assert_eq!(
            poll(&p),
            "poll https://example.com/feed: error: timed out (3 errors in a row); dead: no more polls (`newsdesk sources add` follows it again)\n"
        );
    }

    #[test]
    fn related_recall_is_found_of_given() {
        let r = crate::eval::RelatedReport {
            records: 2,
            given: 4,
            found: 1,
            same_story: 1,
            with_any: 1,
        };
        assert_eq!(r.recall(), 0.25);
        assert!(r.text().contains("hold 1 of them (25.0%)"), "{}", r.text());
        let v = serde_json::to_value(r.view()).unwrap();
        assert_eq!(v["relatedGiven"], 4);
        assert_eq!(v["recordsWithAHit"], 1);
        let none = crate::eval::RelatedReport { given: 0, ..r };
        assert_eq!(none.recall(), 0.0);
    }

    fn explained(detail: Option<crate::Detail>) -> Explanation {
        let mut article = newsdesk_model::Article {
            title: "Cloud spend grows".into(),
            ..Default::default()
        };
        article.quality = Some(40);
        article.topics = vec!["Cloud".into()];
        let now = chrono::Utc::now();
        Explanation {
            article: newsdesk_store::StoredArticle {
                id: 7,
                identity: "url:https://example.com/a".into(),
                article,
                sealed_body: None,
                sealed_html: None,
                stub: false,
                first_seen: now,
                updated_at: now,
                story: Some(3),
                duplicate_of: None,
                related: Vec::new(),
                similar: Vec::new(),
                reason: Some("started story 3".into()),
                given: Given::default(),
                editor_override: None,
                editorial: None,
                pinned: false,
            },
            detail,
            heat: None,
            heat_breakdown: None,
            audit: Vec::new(),
            configuration: vec!["topics: built-in".into(), "scoring: built-in".into()],
        }
    }

    #[test]
    fn an_explanation_gives_reasons_topics_and_quality() {
        let undecided = explained(None).text();
        assert_eq!(
            undecided,
            "article 7: Cloud spend grows\n  unknown provider, undated\nstory: started story 3\ndecision: not decided yet\n"
        );
        let detail = crate::Detail {
            topics: vec![crate::TopicWhy {
                name: "Cloud".into(),
                by: "query".into(),
            }],
            desk_topics: Vec::new(),
            quality: 40,
            quality_breakdown: Breakdown {
                score: 40,
                components: Vec::new(),
            },
            quality_from: "desk".into(),
            published: false,
            pinned: false,
            bar: Some(50),
            rules: Vec::new(),
            reasons: vec!["quality 40 is below the bar of 50".into()],
        };
        let e = explained(Some(detail));
        let text = e.text();
        assert!(
            text.contains("published: no\n  - quality 40 is below the bar of 50\n"),
            "{text}"
        );
        assert!(
            text.contains("topics: Cloud (query)\nquality: 40\n"),
            "{text}"
        );
        assert!(text.contains("heat: -1\n"), "{text}");
        assert!(
            text.ends_with("configuration: topics: built-in; scoring: built-in\n"),
            "{text}"
        );
        let v = serde_json::to_value(e.view()).unwrap();
        assert_eq!(v["id"], 7);
        assert_eq!(v["analysis"], "started story 3");
        assert_eq!(v["decision"]["bar"], 50);
        assert!(v["override"].is_null());
        let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
        let mut sorted = keys.clone();
        sorted.sort();
        assert_eq!(keys, sorted, "the printed JSON's keys are sorted");
    }
}
