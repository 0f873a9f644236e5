//! Followed sources with their health, as `GET /api/v1/sources` and
//! `newsdesk sources list` show them: the JSON view and its text.

use chrono::{DateTime, Utc};
use newsdesk_model::document::format_date;
use newsdesk_model::SourceHealth;
use newsdesk_store::FollowedSource;
use serde::Serialize;

/// One followed source.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct SourceView {
    pub url: String,
    pub title: Option<String>,
    pub kind: String,
    /// `new` (never polled), `ok`, `failing` or `dead`.
    pub status: &'static str,
    pub first_seen: String,
    pub last_ingested: Option<String>,
    pub last_attempt: Option<String>,
    pub last_success: Option<String>,
    pub consecutive_errors: u32,
    pub last_error: Option<String>,
    pub last_error_kind: Option<String>,
    /// `null` when due now (or dead).
    pub next_poll: Option<String>,
    pub dead: bool,
    pub etag: Option<String>,
    pub last_modified: Option<String>,
    pub items_per_day: Option<f64>,
}

/// A source's state in one word: dead, failing, new (never polled) or ok.
pub fn status(h: &SourceHealth) -> &'static str {
    if h.dead {
        "dead"
    } else if h.consecutive_errors > 0 {
        "failing"
    } else if h.last_attempt.is_none() {
        "new"
    } else {
        "ok"
    }
}

fn date(d: &Option<DateTime<Utc>>) -> Option<String> {
    d.as_ref().map(format_date)
}

impl SourceView {
    /// The view of `s` with its (already read) health `h`.
    pub fn new(s: FollowedSource, h: SourceHealth) -> SourceView {
        SourceView {
            status: status(&h),
            first_seen: format_date(&s.first_seen),
            last_ingested: date(&s.last_ingested),
            last_attempt: date(&h.last_attempt),
            last_success: date(&h.last_success),
            consecutive_errors: h.consecutive_errors,
            last_error: h.last_error,
            last_error_kind: h.last_error_kind,
            next_poll: date(&h.next_poll),
            dead: h.dead,
            etag: h.etag,
            last_modified: h.last_modified,
            items_per_day: h.items_per_day,
            url: s.locator,
            title: s.title,
            kind: s.kind,
        }
    }
}

/// The sources as text: per source its URL (and title), status, errors,
/// last success and next poll, and its last error.
pub fn text(views: &[SourceView]) -> String {
    use std::fmt::Write;
    if views.is_empty() {
        return "no sources followed: add one with `newsdesk sources add URL`\n".into();
    }
    let mut out = String::new();
    for r in views {
        let next = match (&r.next_poll, r.dead) {
            (_, true) => "never (410 Gone; `sources add` follows it again)",
            (None, false) => "due now",
            (Some(t), false) => t.as_str(),
        };
        let errors = match r.consecutive_errors {
            0 => String::new(),
            1 => ", 1 error".to_string(),
            n => format!(", {n} errors in a row"),
        };
        let _ = match &r.title {
            Some(t) => writeln!(out, "{} ({t})", r.url),
            None => writeln!(out, "{}", r.url),
        };
        let success = r.last_success.as_deref().unwrap_or("never");
        let _ = writeln!(
            out,
            "  {}{errors}; last success {success}; next poll {next}",
            r.status
        );
        if let Some(e) = &r.last_error {
            let _ = writeln!(out, "  last error: {e}");
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn source() -> FollowedSource {
        FollowedSource {
            locator: "https://example.com/feed".into(),
            kind: "rss".into(),
            title: Some("Example".into()),
            first_seen: Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap(),
            last_ingested: None,
            health: None,
            next_poll: None,
        }
    }

    #[test]
    fn a_new_source_is_due_now() {
        let v = SourceView::new(source(), SourceHealth::default());
        assert_eq!(v.status, "new");
        assert_eq!(
            text(&[v]),
            "https://example.com/feed (Example)\n  new; last success never; next poll due now\n"
        );
        assert!(text(&[]).starts_with("no sources followed"));
    }

    #[test]
    fn failing_and_dead_sources_say_so() {
        let at = Utc.with_ymd_and_hms(2026, 1, 2, 3, 4, 5).unwrap();
        let failing = SourceHealth {
            last_attempt: Some(at),
            consecutive_errors: 2,
            last_error: Some("HTTP 500".into()),
            next_poll: Some(at),
            ..SourceHealth::default()
        };
        let v = SourceView::new(source(), failing.clone());
        assert_eq!(v.status, "failing");
        let t = text(&[v]);
        assert!(t.contains("  failing, 2 errors in a row; last success never; next poll 2026-01-02T03:04:05Z\n"), "{t}");
        assert!(t.ends_with("  last error: HTTP 500\n"), "{t}");
        let dead = SourceHealth {
            dead: true,
            ..failing
        };
        let v = SourceView::new(source(), dead);
        assert_eq!(v.status, "dead");
        assert!(text(&[v]).contains("next poll never (410 Gone"));
    }
}
