//! Full text sealed at rest: the sealer the store calls and the stored
//! form's shape. Here so that the store (which calls it) and the crypto crate
//! (which implements it) need not know each other.

/// Why a [`TextSealer`] could not seal or open a value. The message never
/// holds key material or clear text.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct SealError(pub String);

/// Seals an article's full text (body and HTML content) before the store
/// writes it, and opens it when the store reads it. `identity` is the
/// article's identity key (`url:...`), which the sealed value is bound to.
///
/// With a sealer set (`newsdesk_store::Sealing::set_sealer`) a store writes
/// no full text in clear: every write of `body` and `content_html` goes through
/// [`TextSealer::seal`]. `crates/secure` implements it for its keyring.
pub trait TextSealer: Send + Sync {
    /// The stored form of `text` (must satisfy [`is_sealed`]).
    fn seal(&self, identity: &str, text: &str) -> Result<String, SealError>;
    /// The clear text of a stored-form value.
    fn open(&self, identity: &str, stored: &str) -> Result<String, SealError>;
}

/// Whether a stored value is in the sealed stored form
/// `v1:<key-id>:<base64 nonce>:<base64 ciphertext>` (checked by shape, no
/// key needed).
pub fn is_sealed(value: &str) -> bool {
    let mut parts = value.split(':');
    let (Some("v1"), Some(key), Some(nonce), Some(ct), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        return false;
    };
    let b64 = |p: &str| {
        !p.is_empty()
            && p.bytes()
                .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'='))
    };
    !key.is_empty()
        && key
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
        && b64(nonce)
        && b64(ct)
}

/// The document form (`base64(ciphertext);base64(nonce)`, the seeds'
/// `secured` field) of a stored-form value: the same bytes, no key needed.
pub fn sealed_document_form(stored: &str) -> Option<String> {
    if !is_sealed(stored) {
        return None;
    }
    let parts: Vec<&str> = stored.split(':').collect();
    Some(format!("{};{}", parts[3], parts[2]))
}
