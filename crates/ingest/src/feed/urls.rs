//! Relative reference resolution for links and `xml:base`.

use newsdesk_normalize::has_scheme;
use url::Url;

/// Resolves `reference` against `base`; returns `reference` unchanged when
/// there is no usable base or it cannot be resolved.
pub(crate) fn resolve(base: Option<&str>, reference: &str) -> String {
    let reference = reference.trim();
    if has_scheme(reference) {
        return reference.to_string();
    }
    let Some(base) = base.and_then(|b| Url::parse(b.trim()).ok()) else {
        return reference.to_string();
    };
    match base.join(reference) {
        Ok(u) => u.to_string(),
        Err(_) => reference.to_string(),
    }
}
