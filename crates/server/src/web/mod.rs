//! The web pages: server-rendered HTML over the same read connections as the
//! API, one file per page. Templates (`crates/server/templates`) are checked
//! at compile time and escape every value; feed text never goes through
//! `|safe` (the one exception is the search's highlighted title and snippet,
//! which the search library escapes before it marks the matches).
//!
//! Unlike the API, pages ignore query parameters they do not know (links
//! shared with tracking tags still open); a bad value of a known one is a
//! 400 page.
//!
//! Every page is usable without script; `assets/app.js` only adds keyboard
//! shortcuts, the theme toggle and relative times that keep up. The pages
//! carry no inline script or style, so their Content-Security-Policy
//! ([`PAGE_CSP`], set by the server's outer layer for every `text/html`
//! answer) allows only the desk's own files.
//!
//! - [`layout`]: the frame every page shares (topics navigation, search box,
//!   footer, help dialog) and the error pages.
//! - [`cards`]: a story as a card (topic pages and the front page).
//! - [`assets`]: the stylesheet and script, embedded, under versioned URLs.
//! - the pages: [`home`] `/`, [`topic`] `/topics/{slug}`, [`story`]
//!   `/stories/{id}`, [`article`] `/articles/{id}`, [`search`] `/search`,
//!   [`sources`] `/sources`.

pub mod article;
pub mod assets;
pub mod cards;
pub mod home;
pub mod layout;
pub mod search;
pub mod sources;
pub mod story;
pub mod topic;

use std::collections::HashMap;

use axum::extract::Request;
use axum::http::{header, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DateTime, Utc};

pub use layout::WebError;

/// The Content-Security-Policy of every page: only the desk's own scripts,
/// styles and images (cached lead images and `data:` ones), no plugins, no
/// framing, forms only to the desk.
pub const PAGE_CSP: &str = "default-src 'self'; img-src 'self' data:; style-src 'self'; \
script-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'";

/// The longest excerpt a card or a story's entry shows, in characters.
pub const EXCERPT_CHARS: usize = 320;

/// Query parameters as axum hands them.
pub(crate) type Params = axum::extract::Query<HashMap<String, String>>;

/// A rendered page with its status and headers.
pub(crate) fn html(status: StatusCode, body: String) -> Response {
    let mut r = (status, body).into_response();
    let h = r.headers_mut();
    h.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    h.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-cache"));
    r
}

/// A time as pages show it: relative text, the exact time on hover, and the
/// machine-readable form the script keeps the text current from.
#[derive(Debug, Clone)]
pub struct Time {
    pub iso: String,
    pub exact: String,
    pub ago: String,
}

impl Time {
    pub fn new(at: DateTime<Utc>, now: DateTime<Utc>) -> Time {
        Time {
            iso: at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            exact: at.format("%Y-%m-%d %H:%M UTC").to_string(),
            ago: ago(at, now),
        }
    }

    pub fn of(at: Option<DateTime<Utc>>, now: DateTime<Utc>) -> Option<Time> {
        at.map(|a| Time::new(a, now))
    }
}

/// "3 h ago", as the script writes it too.
pub fn ago(at: DateTime<Utc>, now: DateTime<Utc>) -> String {
    let s = (now - at).num_seconds();
    if s < 0 {
        return "in the future".into();
    }
    if s < 60 {
        return "just now".into();
    }
    let m = s / 60;
    if m < 60 {
        return format!("{m} min ago");
    }
    let h = m / 60;
    if h < 24 {
        return format!("{h} h ago");
    }
    let d = h / 24;
    if d < 30 {
        return if d == 1 {
            "1 day ago".into()
        } else {
            format!("{d} days ago")
        };
    }
    let mo = d / 30;
    if mo < 12 {
        return if mo == 1 {
            "1 month ago".into()
        } else {
            format!("{mo} months ago")
        };
    }
    let y = d / 365;
    if y <= 1 {
        "1 year ago".into()
    } else {
        format!("{y} years ago")
    }
}

/// A link target from feed data, kept only when it is an absolute `http`
/// or `https` URL (a `javascript:` or `data:` link never reaches a page).
pub fn web_link(url: Option<&str>) -> Option<String> {
    let u = url?.trim();
    let lower = u.get(..8).unwrap_or(u).to_ascii_lowercase();
    (lower.starts_with("https://") || lower.starts_with("http://")).then(|| u.to_string())
}

/// At most `max` characters of `text`, cut at a word with `…` when longer
/// (long excerpts stay readable on a card).
pub fn shorten(text: &str, max: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max) {
        None => text.to_string(),
        Some((cut, _)) => {
            let head = &text[..cut];
            let head = match head.rfind(char::is_whitespace) {
                Some(i) if i > cut / 2 => &head[..i],
                _ => head,
            };
            format!("{}…", head.trim_end())
        }
    }
}

/// Percent-encodes a query parameter value for a link.
pub fn encode(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || b"-._~".contains(&b) {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// A query string from pairs, empty values left out (`?a=1&b=2` or "").
pub fn query_string(pairs: &[(&str, &str)]) -> String {
    let parts: Vec<String> = pairs
        .iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| format!("{k}={}", encode(v)))
        .collect();
    if parts.is_empty() {
        String::new()
    } else {
        format!("?{}", parts.join("&"))
    }
}

/// Whether a request asks for HTML (a browser's `Accept`).
pub fn wants_html(req: &Request) -> bool {
    req.headers()
        .get(header::ACCEPT)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|a| a.contains("text/html"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    #[test]
    fn relative_times_read_as_people_say_them() {
        let now = Utc.with_ymd_and_hms(2024, 5, 10, 12, 0, 0).unwrap();
        let h = |n: i64| now - chrono::Duration::hours(n);
        assert_eq!(ago(now, now), "just now");
        assert_eq!(ago(now - chrono::Duration::minutes(5), now), "5 min ago");
        assert_eq!(ago(h(3), now), "3 h ago");
        assert_eq!(ago(h(24), now), "1 day ago");
        assert_eq!(ago(h(24 * 3), now), "3 days ago");
        assert_eq!(ago(h(24 * 65), now), "2 months ago");
        assert_eq!(ago(h(24 * 800), now), "2 years ago");
        assert_eq!(ago(h(-2), now), "in the future");
    }

    #[test]
    fn only_web_links_reach_a_page() {
        assert_eq!(
            web_link(Some(" https://a.example/x ")).as_deref(),
            Some("https://a.example/x")
        );
        assert_eq!(
            web_link(Some("HTTP://a.example")).as_deref(),
            Some("HTTP://a.example")
        );
        assert_eq!(web_link(Some("javascript:alert(1)")), None);
        assert_eq!(web_link(Some("data:text/html,x")), None);
        assert_eq!(web_link(Some("//a.example")), None);
        assert_eq!(web_link(None), None);
    }

    #[test]
    fn long_text_is_cut_at_a_word() {
        assert_eq!(shorten("short", 10), "short");
        assert_eq!(shorten("one two three four", 10), "one two…");
        assert_eq!(shorten("ééééééééééééé", 4), "éééé…");
    }

    #[test]
    fn query_strings_encode_and_skip_empty_values() {
        assert_eq!(
            query_string(&[("q", "a b&c"), ("topic", "")]),
            "?q=a%20b%26c"
        );
        assert_eq!(query_string(&[("q", "")]), "");
    }
}
