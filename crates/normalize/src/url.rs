//! Canonical URLs: one spelling per page, so that the same article reached
//! through a newsletter, a social share and a feed is stored once.

use crate::error::NormalizeError;
use url::Url;

/// Query keys dropped from every URL, compared case-insensitively. Each one
/// identifies a campaign, a click or a share and never selects content, so two
/// URLs that differ only in these show the same page:
///
/// - `utm_*` (handled as a prefix): Google Analytics campaign tags, used by
///   nearly every newsletter and social post.
/// - click ids of ad networks: `fbclid` (Meta), `gclid`, `gclsrc`, `dclid`,
///   `gbraid`, `wbraid` (Google Ads / DoubleClick), `msclkid` (Microsoft Ads),
///   `yclid` (Yandex), `twclid` (X/Twitter), `ttclid` (TikTok), `li_fat_id`
///   (LinkedIn), `igshid` (Instagram shares), `rb_clickid`, `wickedid`.
/// - mail and marketing automation: `mc_cid`, `mc_eid` (Mailchimp), `_hsenc`,
///   `_hsmi`, `__hstc`, `__hssc`, `__hsfp`, `hsctatracking` (HubSpot),
///   `mkt_tok` (Marketo), `vero_id`, `vero_conv` (Vero), `oly_enc_id`,
///   `oly_anon_id` (Omeda), `sr_share` (Sailthru shares).
/// - analytics linkers: `_ga`, `_gl` (Google cross-domain), `_openstat`,
///   `xtor`, `at_medium`, `at_campaign` (AT Internet, common on European news
///   sites), `s_cid` (Adobe), `spm` (Alibaba).
/// - publishers' own campaign tags seen on news links: `cmpid`, `ncid`
///   (Yahoo/AOL), `ocid` (MSN), `icid`, `soc_src`, `soc_trk`, `ref_src`,
///   `ref_url` (X/Twitter embeds), `guccounter`, `guce_referrer`,
///   `guce_referrer_sig` (Yahoo's consent redirect).
///
/// Generic keys such as `ref`, `source` or `share` are kept: some sites use
/// them to select content, and a wrongly merged URL loses an article.
const TRACKING_KEYS: &[&str] = &[
    "__hsfp",
    "__hssc",
    "__hstc",
    "_ga",
    "_gl",
    "_hsenc",
    "_hsmi",
    "_openstat",
    "at_campaign",
    "at_medium",
    "cmpid",
    "dclid",
    "fbclid",
    "gbraid",
    "gclid",
    "gclsrc",
    "guccounter",
    "guce_referrer",
    "guce_referrer_sig",
    "hsctatracking",
    "icid",
    "igshid",
    "li_fat_id",
    "mc_cid",
    "mc_eid",
    "mkt_tok",
    "msclkid",
    "ncid",
    "ocid",
    "oly_anon_id",
    "oly_enc_id",
    "rb_clickid",
    "ref_src",
    "ref_url",
    "s_cid",
    "soc_src",
    "soc_trk",
    "spm",
    "sr_share",
    "ttclid",
    "twclid",
    "vero_conv",
    "vero_id",
    "wbraid",
    "wickedid",
    "xtor",
    "yclid",
];

/// Whether a query key (as written, possibly percent-encoded) is a tracking
/// parameter that [`canonical_url`] drops.
pub fn is_tracking_param(key: &str) -> bool {
    let key = percent_decode_lossy(key).to_ascii_lowercase();
    key.starts_with("utm_") || TRACKING_KEYS.binary_search(&key.as_str()).is_ok()
}

/// Whether `s` starts with a URI scheme (`http:`, `mailto:`, `tag:`), i.e. is
/// an absolute reference rather than a path to resolve.
pub fn has_scheme(s: &str) -> bool {
    match s.split_once(':') {
        Some((scheme, _)) => {
            scheme.starts_with(|c: char| c.is_ascii_alphabetic())
                && scheme
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '-' | '.'))
        }
        None => false,
    }
}

/// Parses an absolute http(s) URL, with the errors the desk reports.
pub(crate) fn parse_http_url(raw: &str) -> Result<Url, NormalizeError> {
    let trimmed = raw.trim();
    if trimmed.is_empty() {
        return Err(NormalizeError::Empty { what: "url" });
    }
    let url = Url::parse(trimmed).map_err(|e| NormalizeError::InvalidUrl {
        value: trimmed.to_string(),
        reason: e.to_string(),
    })?;
    match url.scheme() {
        "http" | "https" => {}
        other => {
            return Err(NormalizeError::UnsupportedScheme {
                scheme: other.to_string(),
                value: trimmed.to_string(),
            })
        }
    }
    match url.host_str() {
        Some(h) if !h.is_empty() => Ok(url),
        _ => Err(NormalizeError::MissingHost {
            value: trimmed.to_string(),
        }),
    }
}

/// The canonical spelling of an article URL: http(s) only, lower-case scheme
/// and host, IDN hosts in punycode, default port dropped, fragment dropped
/// (except `#!` routes, which select content on old single-page sites),
/// tracking parameters removed with the remaining ones kept in order, an empty
/// `?` dropped, dot-segments resolved and percent-encoding normalized
/// (upper-case hex, unreserved characters decoded).
///
/// ```
/// use newsdesk_normalize::canonical_url;
/// assert_eq!(
///     canonical_url(" HTTPS://WWW.Example.com:443/a/./b/../c?utm_source=x&id=7#top ").unwrap(),
///     "https://www.example.com/a/c?id=7"
/// );
/// ```
pub fn canonical_url(raw: &str) -> Result<String, NormalizeError> {
    let mut url = parse_http_url(raw)?;

    // The parser already lower-cases scheme and host, applies IDNA, drops the
    // default port and resolves dot-segments; what is left is ours.
    let keep_fragment = url.fragment().is_some_and(|f| f.starts_with('!'));
    if !keep_fragment {
        url.set_fragment(None);
    }

    let query = url.query().map(|q| {
        q.split('&')
            .filter(|pair| !pair.is_empty())
            .filter(|pair| {
                let key = pair.split('=').next().unwrap_or("");
                !is_tracking_param(key)
            })
            .map(normalize_percent)
            .collect::<Vec<_>>()
            .join("&")
    });
    match query {
        Some(q) if !q.is_empty() => url.set_query(Some(&q)),
        _ => url.set_query(None),
    }

    let path = normalize_percent(url.path());
    if path != url.path() {
        url.set_path(&path);
    }
    if let Some(f) = url.fragment().map(normalize_percent) {
        url.set_fragment(Some(&f));
    }
    Ok(url.to_string())
}

/// Resolves a link found on a page (`href`, `src`, `<link rel=canonical>`)
/// against the page's URL and returns it in canonical form ([`canonical_url`]),
/// or `None` when the base is not an http(s) URL, the link is empty, or it
/// points somewhere the desk does not fetch (`mailto:`, `javascript:`, `data:`).
///
/// ```
/// use newsdesk_normalize::resolve_url;
/// assert_eq!(
///     resolve_url("https://example.com/news/a.html", "../img/b.jpg?utm_medium=rss").as_deref(),
///     Some("https://example.com/img/b.jpg")
/// );
/// ```
pub fn resolve_url(base: &str, href: &str) -> Option<String> {
    let href = href.trim();
    if href.is_empty() {
        return None;
    }
    let base = parse_http_url(base).ok()?;
    let joined = base.join(href).ok()?;
    canonical_url(joined.as_str()).ok()
}

/// `%xx` escapes in upper-case hex, and unreserved characters (RFC 3986
/// `ALPHA / DIGIT / "-" / "." / "_" / "~"`) decoded, since their encoded and
/// plain forms name the same resource. Stray `%` signs are left alone.
fn normalize_percent(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = String::with_capacity(s.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex_val(bytes[i + 1]), hex_val(bytes[i + 2])) {
                let b = h * 16 + l;
                if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'.' | b'_' | b'~') {
                    out.push(b as char);
                } else {
                    out.push('%');
                    out.push(hex_digit(b >> 4));
                    out.push(hex_digit(b & 0xF));
                }
                i += 3;
                continue;
            }
        }
        // Safe: we only ever stop on ASCII bytes above, so `i` is a char boundary.
        let ch = s[i..].chars().next().unwrap_or('\u{FFFD}');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

fn hex_val(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

fn hex_digit(n: u8) -> char {
    char::from_digit(u32::from(n), 16)
        .unwrap_or('0')
        .to_ascii_uppercase()
}

/// Decodes `%xx` escapes for comparison only (invalid UTF-8 becomes U+FFFD).
fn percent_decode_lossy(s: &str) -> String {
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' && i + 2 < bytes.len() {
            if let (Some(h), Some(l)) = (hex_val(bytes[i + 1]), hex_val(bytes[i + 2])) {
                out.push(h * 16 + l);
                i += 3;
                continue;
            }
        }
        out.push(bytes[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tracking_keys_are_sorted_for_binary_search() {
        let mut sorted = TRACKING_KEYS.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted, TRACKING_KEYS);
        assert!(TRACKING_KEYS.iter().all(|k| k.to_ascii_lowercase() == *k));
    }

    #[test]
    fn percent_normalization() {
        assert_eq!(normalize_percent("/a%2fb%7Ec%41%3a"), "/a%2Fb~cA%3A");
        assert_eq!(normalize_percent("100%"), "100%");
        assert_eq!(normalize_percent("%zz%4"), "%zz%4");
        assert_eq!(normalize_percent("é%e9"), "é%E9");
    }
}
