//! Per-source health and the polling schedule: plain data and pure functions
//! (`now` is always an argument), so a store can persist [`SourceHealth`] and
//! tests need no network or clock.
//!
//! After each poll the caller builds a [`PollResult`] (from the fetch
//! result, the number of new items the parser found and the feed's
//! [`FeedHints`]) and calls [`SourceHealth::record`], which updates the
//! counters and sets `next_poll`:
//!
//! - success: the interval follows the source's activity (a smoothed count
//!   of new items per day; about one new item per poll), clamped between
//!   the policy's min and max, then raised to RSS `ttl` and
//!   `Cache-Control: max-age` (both up to the max interval) and to
//!   `Retry-After`, then moved out of RSS `skipHours`/`skipDays`;
//! - error: exponential backoff on consecutive errors (base × 2^(n−1), up
//!   to a ceiling), or the server's `Retry-After` if longer;
//! - 410 Gone: the source is dead and has no next poll.

use std::time::Duration;

use chrono::{DateTime, Datelike, TimeZone, Timelike, Utc, Weekday};
use serde::{Deserialize, Serialize};

use crate::error::{ErrorKind, FetchError};
use crate::fetcher::{FetchOutcome, Request};
pub use newsdesk_model::SourceHealth;

/// How often sources are polled.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct PollPolicy {
    /// Never poll a healthy source more often than this.
    pub min_interval: Duration,
    /// Never wait longer than this between polls of a healthy source.
    pub max_interval: Duration,
    /// The interval before anything is known about a source's activity.
    pub initial_interval: Duration,
    /// Backoff after the first error; doubles with each consecutive error.
    pub error_base: Duration,
    /// Backoff ceiling.
    pub error_max: Duration,
    /// A `Retry-After` is honoured up to this.
    pub max_retry_after: Duration,
    /// Weight of the newest observation in the smoothed items-per-day rate.
    pub rate_smoothing: f64,
}

impl Default for PollPolicy {
    fn default() -> Self {
        Self {
            min_interval: Duration::from_secs(15 * 60),
            max_interval: Duration::from_secs(24 * 3600),
            initial_interval: Duration::from_secs(3600),
            error_base: Duration::from_secs(15 * 60),
            error_max: Duration::from_secs(24 * 3600),
            max_retry_after: Duration::from_secs(7 * 24 * 3600),
            rate_smoothing: 0.3,
        }
    }
}

/// What a feed says about its own polling (RSS `<ttl>`, `<skipHours>`,
/// `<skipDays>`). Hours and days are UTC, as the RSS specification says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedHints {
    pub ttl: Option<Duration>,
    /// Hours 0–23 not to poll in.
    pub skip_hours: Vec<u8>,
    pub skip_days: Vec<Weekday>,
}

/// Reads [`FeedHints`] from an RSS document's text. Cheap tag scanning, no
/// full parse: the channel-level elements are unique and simple.
pub fn feed_hints(xml: &str) -> FeedHints {
    let mut hints = FeedHints::default();
    if let Some(ttl) = element_texts(xml, "ttl").first() {
        if let Ok(minutes) = ttl.trim().parse::<u64>() {
            hints.ttl = Some(Duration::from_secs(minutes.min(365 * 24 * 60) * 60));
        }
    }
    if let Some(block) = element_texts(xml, "skipHours").first() {
        for h in element_texts(block, "hour") {
            if let Ok(h) = h.trim().parse::<u8>() {
                // RSS allows 0–23; some feeds write 24 for midnight.
                let h = if h == 24 { 0 } else { h };
                if h < 24 && !hints.skip_hours.contains(&h) {
                    hints.skip_hours.push(h);
                }
            }
        }
    }
    if let Some(block) = element_texts(xml, "skipDays").first() {
        for d in element_texts(block, "day") {
            if let Ok(day) = d.trim().parse::<Weekday>() {
                if !hints.skip_days.contains(&day) {
                    hints.skip_days.push(day);
                }
            }
        }
    }
    hints.skip_hours.sort_unstable();
    hints
}

/// The texts of `<name>…</name>` elements (no attributes expected).
fn element_texts<'a>(xml: &'a str, name: &str) -> Vec<&'a str> {
    let (open, close) = (format!("<{name}>"), format!("</{name}>"));
    let mut out = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find(&open) {
        let after = &rest[i + open.len()..];
        let Some(j) = after.find(&close) else { break };
        out.push(&after[..j]);
        rest = &after[j + close.len()..];
    }
    out
}

/// What one poll gave.
#[derive(Debug, Clone, PartialEq)]
pub enum PollResult {
    /// A body was fetched and parsed.
    Fetched {
        /// Items not seen before.
        new_items: usize,
        etag: Option<String>,
        last_modified: Option<String>,
        cache_max_age: Option<Duration>,
        hints: FeedHints,
    },
    /// 304 Not Modified.
    Unchanged {
        etag: Option<String>,
        last_modified: Option<String>,
        cache_max_age: Option<Duration>,
    },
    /// The fetch (or the parse) failed.
    Failed {
        kind: ErrorKind,
        message: String,
        retry_after: Option<Duration>,
        gone: bool,
    },
}

impl PollResult {
    /// From a fetch result; `new_items` and `hints` come from parsing the
    /// body (ignored for `Unchanged` and errors).
    pub fn from_fetch(
        result: &Result<FetchOutcome, FetchError>,
        new_items: usize,
        hints: FeedHints,
    ) -> Self {
        match result {
            Ok(FetchOutcome::Fetched(p)) => PollResult::Fetched {
                new_items,
                etag: p.etag.clone(),
                last_modified: p.last_modified.clone(),
                cache_max_age: p.cache_max_age,
                hints,
            },
            Ok(FetchOutcome::Unchanged(u)) => PollResult::Unchanged {
                etag: u.etag.clone(),
                last_modified: u.last_modified.clone(),
                cache_max_age: u.cache_max_age,
            },
            Err(e) => PollResult::failed(e),
        }
    }

    pub fn failed(e: &FetchError) -> Self {
        PollResult::Failed {
            kind: e.kind(),
            message: e.to_string(),
            retry_after: e.retry_after(),
            gone: e.is_gone(),
        }
    }
}

/// Polling a source with its [`SourceHealth`] (the health itself is plain
/// data in `newsdesk_model`, so the store and the server read it without
/// this crate).
pub trait Polling {
    /// The conditional GET for the next poll.
    fn request(&self, url: &str) -> Request;
    /// Updates the health after a poll at `now` and sets `next_poll`.
    fn record(&mut self, result: &PollResult, now: DateTime<Utc>, policy: &PollPolicy);
}

impl Polling for SourceHealth {
    fn request(&self, url: &str) -> Request {
        Request::conditional(url, self.etag.clone(), self.last_modified.clone())
    }

    fn record(&mut self, result: &PollResult, now: DateTime<Utc>, policy: &PollPolicy) {
        let previous = self.last_success;
        self.last_attempt = Some(now);
        match result {
            PollResult::Fetched {
                new_items,
                etag,
                last_modified,
                cache_max_age,
                hints,
            } => {
                succeeded(self, now, etag, last_modified);
                observe(self, previous, now, *new_items, policy);
                self.next_poll = Some(next_success_poll(
                    now,
                    self.items_per_day,
                    Some(hints),
                    *cache_max_age,
                    policy,
                ));
            }
            PollResult::Unchanged {
                etag,
                last_modified,
                cache_max_age,
            } => {
                succeeded(self, now, etag, last_modified);
                observe(self, previous, now, 0, policy);
                self.next_poll = Some(next_success_poll(
                    now,
                    self.items_per_day,
                    None,
                    *cache_max_age,
                    policy,
                ));
            }
            PollResult::Failed {
                kind,
                message,
                retry_after,
                gone,
            } => {
                self.consecutive_errors = self.consecutive_errors.saturating_add(1);
                self.last_error = Some(message.clone());
                self.last_error_kind = Some(kind.as_str().to_string());
                if *gone {
                    self.dead = true;
                    self.next_poll = None;
                    return;
                }
                let mut wait = error_backoff(self.consecutive_errors, policy);
                if let Some(ra) = retry_after {
                    wait = wait.max((*ra).min(policy.max_retry_after));
                }
                self.next_poll = Some(add(now, wait));
            }
        }
    }
}

fn succeeded(h: &mut SourceHealth, now: DateTime<Utc>, etag: &Option<String>, lm: &Option<String>) {
    h.last_success = Some(now);
    h.consecutive_errors = 0;
    h.last_error = None;
    h.last_error_kind = None;
    // A response without validators clears the old ones: sending stale
    // validators would be wrong.
    h.etag = etag.clone();
    h.last_modified = lm.clone();
}

/// Folds one observation (items since the previous success) into the
/// smoothed rate.
fn observe(
    h: &mut SourceHealth,
    previous: Option<DateTime<Utc>>,
    now: DateTime<Utc>,
    new_items: usize,
    policy: &PollPolicy,
) {
    let Some(prev) = previous else {
        // The first fetch returns the feed's backlog, not its rate.
        return;
    };
    // At least an hour, so a quick re-poll cannot claim a huge rate.
    let days = ((now - prev).num_seconds().max(3600) as f64) / 86_400.0;
    let observed = new_items as f64 / days;
    let a = policy.rate_smoothing.clamp(0.0, 1.0);
    h.items_per_day = Some(match h.items_per_day {
        Some(old) => old * (1.0 - a) + observed * a,
        None => observed,
    });
}

/// The interval for a source with `items_per_day`: about one new item per
/// poll, within the policy's bounds.
pub fn activity_interval(items_per_day: Option<f64>, policy: &PollPolicy) -> Duration {
    let (min, max) = (
        policy.min_interval,
        policy.max_interval.max(policy.min_interval),
    );
    let interval = match items_per_day {
        None => policy.initial_interval,
        Some(r) if r.is_finite() && r > 0.0 => {
            Duration::from_secs_f64((86_400.0 / r).min(max.as_secs_f64()))
        }
        Some(_) => max,
    };
    interval.clamp(min, max)
}

/// The backoff after `consecutive_errors` errors (1 → base).
pub fn error_backoff(consecutive_errors: u32, policy: &PollPolicy) -> Duration {
    let shift = consecutive_errors.saturating_sub(1).min(31);
    policy
        .error_base
        .checked_mul(1u32 << shift)
        .unwrap_or(policy.error_max)
        .min(policy.error_max)
}

/// When to poll a healthy source next.
pub fn next_success_poll(
    now: DateTime<Utc>,
    items_per_day: Option<f64>,
    hints: Option<&FeedHints>,
    cache_max_age: Option<Duration>,
    policy: &PollPolicy,
) -> DateTime<Utc> {
    let max = policy.max_interval.max(policy.min_interval);
    let mut wait = activity_interval(items_per_day, policy);
    if let Some(ttl) = hints.and_then(|h| h.ttl) {
        wait = wait.max(ttl.min(max));
    }
    if let Some(age) = cache_max_age {
        wait = wait.max(age.min(max));
    }
    let at = add(now, wait);
    match hints {
        Some(h) => skip_forward(at, h),
        None => at,
    }
}

/// Moves `t` to the start of the first hour that is neither a skipped hour
/// nor on a skipped day (UTC). Hints that skip everything are ignored.
pub fn skip_forward(t: DateTime<Utc>, hints: &FeedHints) -> DateTime<Utc> {
    if hints.skip_hours.is_empty() && hints.skip_days.is_empty() {
        return t;
    }
    let skipped = |x: &DateTime<Utc>| {
        hints.skip_hours.contains(&(x.hour() as u8)) || hints.skip_days.contains(&x.weekday())
    };
    if !skipped(&t) {
        return t;
    }
    let mut x = Utc
        .with_ymd_and_hms(t.year(), t.month(), t.day(), t.hour(), 0, 0)
        .single()
        .unwrap_or(t);
    for _ in 0..(8 * 24) {
        x += chrono::Duration::hours(1);
        if !skipped(&x) {
            return x;
        }
    }
    t
}

fn add(t: DateTime<Utc>, d: Duration) -> DateTime<Utc> {
    chrono::Duration::from_std(d)
        .ok()
        .and_then(|d| t.checked_add_signed(d))
        .unwrap_or(t)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn fetched(n: usize) -> PollResult {
        PollResult::Fetched {
            new_items: n,
            etag: Some("\"v1\"".into()),
            last_modified: None,
            cache_max_age: None,
            hints: FeedHints::default(),
        }
    }

    const H: u64 = 3600;

    #[test]
    fn active_sources_are_polled_more_often_than_quiet_ones() {
        let p = PollPolicy::default();
        let mut busy = SourceHealth::default();
        let mut quiet = SourceHealth::default();
        let mut now = t("2026-01-05T00:00:00Z");
        busy.record(&fetched(50), now, &p);
        quiet.record(&fetched(50), now, &p);
        // First fetch: backlog, rate unknown, initial interval.
        assert_eq!(busy.next_poll, Some(now + chrono::Duration::hours(1)));
        for _ in 0..5 {
            now += chrono::Duration::hours(2);
            busy.record(&fetched(10), now, &p); // 120 a day
            quiet.record(
                &PollResult::Unchanged {
                    etag: None,
                    last_modified: None,
                    cache_max_age: None,
                },
                now,
                &p,
            );
        }
        let busy_wait = busy.next_poll.unwrap() - now;
        let quiet_wait = quiet.next_poll.unwrap() - now;
        assert_eq!(
            busy_wait,
            chrono::Duration::minutes(15),
            "clamped to the minimum"
        );
        assert_eq!(
            quiet_wait,
            chrono::Duration::hours(24),
            "clamped to the maximum"
        );
        let mid = activity_interval(Some(6.0), &p);
        assert_eq!(mid, Duration::from_secs(4 * H));
    }

    #[test]
    fn ttl_max_age_and_skips() {
        let p = PollPolicy::default();
        let now = t("2026-01-05T10:20:00Z"); // a Monday
        let hints = FeedHints {
            ttl: Some(Duration::from_secs(3 * H)),
            ..FeedHints::default()
        };
        assert_eq!(
            next_success_poll(now, None, Some(&hints), None, &p),
            t("2026-01-05T13:20:00Z")
        );
        assert_eq!(
            next_success_poll(now, None, None, Some(Duration::from_secs(2 * H)), &p),
            t("2026-01-05T12:20:00Z")
        );
        // A ttl beyond the max interval is held to it.
        let long = FeedHints {
            ttl: Some(Duration::from_secs(100 * H)),
            ..FeedHints::default()
        };
        assert_eq!(
            next_success_poll(now, None, Some(&long), None, &p),
            t("2026-01-06T10:20:00Z")
        );
        let skip = FeedHints {
            skip_hours: vec![11, 12, 13],
            skip_days: vec![Weekday::Tue],
            ..FeedHints::default()
        };
        assert_eq!(
            skip_forward(t("2026-01-05T11:20:00Z"), &skip),
            t("2026-01-05T14:00:00Z")
        );
        assert_eq!(
            skip_forward(t("2026-01-05T23:30:00Z"), &skip),
            t("2026-01-05T23:30:00Z")
        );
        assert_eq!(
            skip_forward(t("2026-01-06T05:00:00Z"), &skip),
            t("2026-01-07T00:00:00Z")
        );
        let all = FeedHints {
            skip_hours: (0..24).collect(),
            ..FeedHints::default()
        };
        assert_eq!(skip_forward(now, &all), now);
    }

    #[test]
    fn errors_back_off_and_gone_is_dead() {
        let p = PollPolicy::default();
        let now = t("2026-01-05T00:00:00Z");
        let mut h = SourceHealth::default();
        h.record(&fetched(3), now, &p);
        let fail = |retry_after| PollResult::Failed {
            kind: ErrorKind::ServerError,
            message: "http://x/feed: HTTP 503".into(),
            retry_after,
            gone: false,
        };
        let mut waits = Vec::new();
        for _ in 0..9 {
            h.record(&fail(None), now, &p);
            waits.push((h.next_poll.unwrap() - now).num_minutes());
        }
        assert_eq!(waits, [15, 30, 60, 120, 240, 480, 960, 1440, 1440]);
        assert_eq!(h.consecutive_errors, 9);
        assert_eq!(h.last_error.as_deref(), Some("http://x/feed: HTTP 503"));
        assert_eq!(h.last_error_kind.as_deref(), Some("server-error"));
        assert_eq!(
            h.etag.as_deref(),
            Some("\"v1\""),
            "validators survive errors"
        );
        // Retry-After longer than the backoff wins.
        let mut h2 = SourceHealth::default();
        h2.record(&fail(Some(Duration::from_secs(5 * H))), now, &p);
        assert_eq!(h2.next_poll, Some(t("2026-01-05T05:00:00Z")));
        // Success resets.
        h.record(&fetched(1), now, &p);
        assert_eq!((h.consecutive_errors, h.last_error.as_ref()), (0, None));
        assert!(h.is_due(h.next_poll.unwrap()));
        let gone = PollResult::Failed {
            kind: ErrorKind::Gone,
            message: "gone".into(),
            retry_after: None,
            gone: true,
        };
        h.record(&gone, now, &p);
        assert!(h.dead && h.next_poll.is_none() && !h.is_due(now + chrono::Duration::days(365)));
        assert!(SourceHealth::default().is_due(now));
    }

    #[test]
    fn hints_from_rss() {
        let rss = "<rss><channel><title>x</title><ttl> 90 </ttl>\
            <skipHours><hour>1</hour><hour>2</hour><hour>24</hour></skipHours>\
            <skipDays><day>Saturday</day><day>Sunday</day><day>Caturday</day></skipDays>\
            <item><title>a</title></item></channel></rss>";
        let h = feed_hints(rss);
        assert_eq!(h.ttl, Some(Duration::from_secs(90 * 60)));
        assert_eq!(h.skip_hours, vec![0, 1, 2]);
        assert_eq!(h.skip_days, vec![Weekday::Sat, Weekday::Sun]);
        assert_eq!(feed_hints("<feed/>"), FeedHints::default());
    }
}
