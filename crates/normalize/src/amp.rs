//! Google AMP Cache URLs (`cdnAmpWebUrl`), following the published AMP cache
//! URL format: the publisher host becomes one DNS label under
//! `cdn.ampproject.org`, and the page URL follows without its scheme.

use crate::error::NormalizeError;
use crate::url::parse_http_url;
use sha2::{Digest, Sha256};

/// The cache's own domain.
const CACHE_DOMAIN: &str = "cdn.ampproject.org";

/// A DNS label holds at most 63 octets (RFC 1035 §2.3.4).
const MAX_LABEL: usize = 63;

/// The Google AMP Cache URL of an AMP page:
/// `https://<host as cache label>.cdn.ampproject.org/c/s/<url without scheme>`
/// for https pages, `/c/<url without scheme>` for http ones. The URL after the
/// scheme is kept as written, as the cache does. See [`amp_cache_label`] for
/// the label.
///
/// ```
/// use newsdesk_normalize::cdn_amp_url;
/// assert_eq!(
///     cdn_amp_url("https://www.zdnet.com/google-amp/article/x/").unwrap(),
///     "https://www-zdnet-com.cdn.ampproject.org/c/s/www.zdnet.com/google-amp/article/x/"
/// );
/// ```
pub fn cdn_amp_url(amp_url: &str) -> Result<String, NormalizeError> {
    let url = parse_http_url(amp_url)?;
    let trimmed = amp_url.trim();
    let scheme = url.scheme();
    let host = url.host_str().unwrap_or_default();

    // Keep the publisher's spelling of the rest of the URL, as the cache does;
    // fall back to the parser's serialization when the input is not a plain
    // `scheme://...` string or carries characters a URL cannot hold.
    let prefix_len = scheme.len() + 3;
    let as_written = trimmed
        .get(..prefix_len)
        .filter(|p| p.eq_ignore_ascii_case(&format!("{scheme}://")))
        .and_then(|_| trimmed.get(prefix_len..))
        .filter(|rest| !rest.chars().any(|c| c.is_whitespace() || c.is_control()));
    let rest = match as_written {
        Some(rest) => rest.to_string(),
        None => url.as_str()[prefix_len..].to_string(),
    };

    let secure = if scheme == "https" { "s/" } else { "" };
    Ok(format!(
        "https://{}.{CACHE_DOMAIN}/c/{secure}{rest}",
        amp_cache_label(host)
    ))
}

/// The AMP cache label of a host (as the URL parser gives it: lower-case,
/// punycode). Readable form: punycode → Unicode, every `-` doubled, every `.`
/// turned into `-`, back to punycode, lower-case (`www.sify.com` →
/// `www-sify-com`). A label with `--` at positions 3–4 that is not an IDN
/// (`en-us.example.com` → `en--us-example-com`) is wrapped as `0-…-0`, since
/// DNS reserves that shape for IDNs.
///
/// The hash form (SHA-256 of the host, base32, lower-case, 52 characters) is
/// used when the readable label cannot be a DNS label: the host or the label is
/// longer than 63 characters, the host has no dot, already has `--` at
/// positions 3–4 without being an IDN, mixes left-to-right and right-to-left
/// letters, or the label would start or end with `-` or fail IDNA.
pub fn amp_cache_label(host: &str) -> String {
    readable_label(host).unwrap_or_else(|| hashed_label(host))
}

fn readable_label(host: &str) -> Option<String> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host.len() > MAX_LABEL || !host.contains('.') || reserved_hyphens(&host) {
        return None;
    }
    let (unicode, result) = idna::domain_to_unicode(&host);
    result.ok()?;
    if mixes_directions(&unicode) {
        return None;
    }
    let joined = unicode.replace('-', "--").replace('.', "-");
    let mut label = idna::domain_to_ascii(&joined).ok()?.to_ascii_lowercase();
    if label.len() > MAX_LABEL {
        return None;
    }
    if reserved_hyphens(&label) {
        label = format!("0-{label}-0");
    }
    let valid = !label.is_empty()
        && label.len() <= MAX_LABEL
        && !label.starts_with('-')
        && !label.ends_with('-')
        && !label.contains('.');
    valid.then_some(label)
}

/// `--` at positions 3–4 marks an IDN (`xn--`); anything else with that
/// shape is not a valid label (RFC 5891 §4.2.3.1).
fn reserved_hyphens(label: &str) -> bool {
    label.get(2..4) == Some("--") && !label.starts_with("xn")
}

/// RFC 5893 forbids mixing right-to-left and left-to-right letters in a label.
fn mixes_directions(s: &str) -> bool {
    let rtl = |c: char| {
        matches!(c as u32,
            0x0590..=0x08FF | 0xFB1D..=0xFDFF | 0xFE70..=0xFEFF | 0x10800..=0x10FFF | 0x1E800..=0x1EFFF)
    };
    let has_rtl = s.chars().any(rtl);
    has_rtl && s.chars().any(|c| c.is_alphabetic() && !rtl(c))
}

fn hashed_label(host: &str) -> String {
    let digest = Sha256::digest(host.as_bytes());
    base32_lower(&digest)
}

/// RFC 4648 base32 in lower case without padding (SHA-256 → 52 characters).
fn base32_lower(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 32] = b"abcdefghijklmnopqrstuvwxyz234567";
    let mut out = String::with_capacity(bytes.len().div_ceil(5) * 8);
    let mut buffer: u32 = 0;
    let mut bits = 0u32;
    for &b in bytes {
        buffer = (buffer << 8) | u32::from(b);
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
        buffer &= (1 << bits) - 1;
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base32_matches_rfc4648_vectors() {
        // RFC 4648 §10 test vectors, lower-cased and without padding.
        for (input, expected) in [
            ("", ""),
            ("f", "my"),
            ("fo", "mzxq"),
            ("foo", "mzxw6"),
            ("foob", "mzxw6yq"),
            ("fooba", "mzxw6ytb"),
            ("foobar", "mzxw6ytboi"),
        ] {
            assert_eq!(base32_lower(input.as_bytes()), expected, "{input:?}");
        }
    }
}
