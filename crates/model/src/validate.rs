//! `docs check`: what a record must hold beyond being well-formed.

use chrono::{DateTime, Duration, Utc};

use crate::article::Article;
use crate::document::Document;

/// One finding about a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    pub line: Option<usize>,
    pub field: String,
    pub message: String,
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(l) => write!(f, "line {l}: {}: {}", self.field, self.message),
            None => write!(f, "{}: {}", self.field, self.message),
        }
    }
}

/// Checks required fields, dates and URLs of a parsed document. `now` bounds
/// publication dates (a day of clock skew is allowed).
pub fn validate(doc: &Document, now: DateTime<Utc>) -> Vec<Problem> {
    let mut out = Vec::new();
    check_article(doc, &doc.article, "", now, &mut out);
    for (i, r) in doc.article.related.iter().enumerate() {
        check_article(doc, r, &format!("related[{i}]"), now, &mut out);
    }
    out
}

fn check_article(
    doc: &Document,
    a: &Article,
    base: &str,
    now: DateTime<Utc>,
    out: &mut Vec<Problem>,
) {
    let path = |f: &str| {
        if base.is_empty() {
            f.to_string()
        } else {
            format!("{base}.{f}")
        }
    };
    let mut problem = |field: String, message: String| {
        let line = doc
            .layout
            .lines
            .get(&field)
            .or_else(|| doc.layout.lines.get(base))
            .copied();
        out.push(Problem {
            line,
            field,
            message,
        });
    };
    if a.title.trim().is_empty() {
        problem(path("title"), "required: the article's headline".into());
    }
    match a.published_at {
        None => problem(
            path("publishedDateTime"),
            "required: when the article was published (RFC 3339, UTC)".into(),
        ),
        Some(d) if d > now + Duration::days(1) => problem(
            path("publishedDateTime"),
            format!("{} is in the future", crate::document::format_date(&d)),
        ),
        _ => {}
    }
    if a.web_url.is_none() && a.original_url.is_none() {
        problem(
            path("webUrl"),
            "required: the article's URL (webUrl or originalUrl)".into(),
        );
    }
    for (field, v) in [
        ("originalUrl", &a.original_url),
        ("webUrl", &a.web_url),
        ("ampWebUrl", &a.amp_web_url),
        ("cdnAmpWebUrl", &a.cdn_amp_web_url),
    ] {
        if let Some(u) = v {
            if let Err(m) = check_url(u, false) {
                problem(path(field), m);
            }
        }
    }
    if a.cdn_amp_web_url.is_some() && a.amp_web_url.is_none() {
        problem(
            path("cdnAmpWebUrl"),
            "present without ampWebUrl, which it is derived from".into(),
        );
    }
    if base.is_empty() {
        match &a.provider {
            None => problem(
                "provider".into(),
                "required: the publisher's name and domain".into(),
            ),
            Some(p) => {
                if p.name.trim().is_empty() {
                    problem(
                        "provider.name".into(),
                        "required: the publisher's name".into(),
                    );
                }
                if !looks_like_domain(&p.domain) {
                    problem(
                        "provider.domain".into(),
                        format!(
                            "expected a domain name such as sify.com, found `{}`",
                            p.domain
                        ),
                    );
                }
            }
        }
    }
    if let Some(q) = a.quality {
        if q < 0 {
            problem(path("quality"), format!("expected 0 or more, found {q}"));
        }
    }
    if let Some(h) = a.heat {
        if h < -1 {
            problem(
                path("heat"),
                format!("expected -1 (not published) or more, found {h}"),
            );
        }
    }
    for (i, img) in a.images.iter().enumerate() {
        if let Err(m) = check_url(&img.url, true) {
            problem(path(&format!("images[{i}].url")), m);
        }
        for (f, v) in [("width", img.width), ("height", img.height)] {
            if v == Some(0) {
                problem(
                    path(&format!("images[{i}].{f}")),
                    "expected a size above 0".into(),
                );
            }
        }
    }
    if let Some(s) = &a.secured {
        if let Err(m) = check_secured(s) {
            problem(path("secured"), m);
        }
    }
}

/// An absolute http(s) URL with a host; `relative_ok` also allows a
/// site-relative path (`/assets/...`), as provider logos use.
pub fn check_url(u: &str, relative_ok: bool) -> Result<(), String> {
    if relative_ok && u.starts_with('/') && !u.starts_with("//") {
        return Ok(());
    }
    let rest = u
        .strip_prefix("https://")
        .or_else(|| u.strip_prefix("http://"))
        .ok_or_else(|| format!("expected an absolute http(s) URL, found `{u}`"))?;
    let host = rest.split(['/', '?', '#']).next().unwrap_or("");
    let host = host.rsplit('@').next().unwrap_or(host);
    let host_only = host.split(':').next().unwrap_or(host);
    if host_only.is_empty() || !host_only.contains('.') && host_only != "localhost" {
        return Err(format!("expected a host name in `{u}`"));
    }
    if u.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!("URL contains spaces or control characters: `{u}`"));
    }
    Ok(())
}

fn looks_like_domain(d: &str) -> bool {
    d.contains('.')
        && !d.starts_with('.')
        && !d.ends_with('.')
        && d.chars()
            .all(|c| c.is_alphanumeric() || c == '.' || c == '-')
}

fn check_secured(s: &str) -> Result<(), String> {
    let expected = "expected `base64(ciphertext);base64(nonce)`";
    let (ct, nonce) = s
        .split_once(';')
        .ok_or_else(|| format!("{expected}: no `;`"))?;
    for (what, part) in [("ciphertext", ct), ("nonce", nonce)] {
        let ok = !part.is_empty()
            && part.len() % 4 == 0
            && part
                .trim_end_matches('=')
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '+' || c == '/');
        if !ok {
            return Err(format!("{expected}: the {what} is not base64"));
        }
    }
    Ok(())
}
