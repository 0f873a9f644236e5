//! Secured full text and API keys.
//!
//! # Secured text
//!
//! An article's full text is kept under XChaCha20-Poly1305 (random 24-byte
//! nonce per encryption, 16-byte tag appended to the ciphertext). The
//! associated data binds the ciphertext to its article:
//! `newsdesk-secured-v1` + NUL + the article id the caller passes (use the
//! article's identity key, e.g. `url:https://...`, which survives exports and
//! re-imports; a store's row number does not). Text sealed for one article
//! never opens as another's.
//!
//! Two textual forms carry the same nonce and ciphertext:
//!
//! - the **stored form**, what the store keeps: `v1:<key-id>:<base64 nonce>:<base64 ciphertext>`;
//!   it names the key, so opening it tries exactly that key;
//! - the **document form**, the seeds' `secured` field:
//!   `<base64 ciphertext>;<base64 nonce>`; it names no key, so opening it tries
//!   every key of the keyring (current first).
//!
//! Both use standard base64 with padding. [`Sealed::to_document`] turns the
//! stored form into the document form without decrypting.
//!
//! The seed site's own values have a 16-byte nonce and ciphertexts whose
//! lengths are all multiples of 16 (a padded block cipher, not this AEAD):
//! [`SecuredText::parse`] reads that form ([`NonceKind::Legacy16`]) so its
//! shape can be checked, but newsdesk cannot decrypt it
//! ([`SecureError::LegacyCipher`]).
//!
//! # Keys
//!
//! A [`Keyring`] holds 32-byte keys by id, one of them current (the one new
//! text is sealed with). It loads from a key file or the `NEWSDESK_KEYS`
//! environment variable (see [`Keyring::parse`]); key material lives in
//! zeroizing `secrecy` boxes and no `Debug`/`Display` shows it.
//! [`Keyring::rotate`] re-seals a stored value under the current key.
//!
//! The keyring implements the store's `TextSealer`: with it set, the store
//! writes every body in the stored form, bound to the article's identity key.
//!
//! # API keys
//!
//! [`apikey`]: tokens `nd_<id>_<secret>` shown once, stored as a SHA-256 hash,
//! verified in constant time, with roles and scopes.

pub mod apikey;
mod error;
mod keyring;
mod secured;

pub use apikey::{
    ApiKeyError, ApiKeyRecord, ApiKeyRow, ApiKeyToken, IssuedApiKey, Principal, Role, Scope,
    SecretHash,
};
pub use error::SecureError;
pub use keyring::{Key, KeyId, Keyring, LoadedKeyring, KEYS_ENV};
pub use secured::{NonceKind, Opened, Rotated, Sealed, SecuredText, SecuredValue};

/// The store seals full text with the keyring: stored form on write,
/// opened with the key the value names on read.
impl newsdesk_model::sealing::TextSealer for Keyring {
    fn seal(
        &self,
        identity: &str,
        text: &str,
    ) -> Result<String, newsdesk_model::sealing::SealError> {
        Keyring::seal(self, identity, text)
            .map(|s| s.to_stored())
            .map_err(|e| newsdesk_model::sealing::SealError(e.to_string()))
    }

    fn open(
        &self,
        identity: &str,
        stored: &str,
    ) -> Result<String, newsdesk_model::sealing::SealError> {
        let sealed =
            Sealed::parse(stored).map_err(|e| newsdesk_model::sealing::SealError(e.to_string()))?;
        self.open_sealed(identity, &sealed)
            .map_err(|e| newsdesk_model::sealing::SealError(e.to_string()))
    }
}
