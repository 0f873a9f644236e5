//! Errors of secured text and keyrings. No message ever contains key material
//! or plaintext.

use std::path::PathBuf;

/// Why secured text could not be read, sealed or opened, or a keyring loaded.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SecureError {
    /// The value does not have the expected structure.
    #[error("secured text: expected {expected}, found {found}")]
    Malformed {
        /// The form that was expected, e.g. ``base64(ciphertext);base64(nonce)``.
        expected: &'static str,
        /// What was found instead (a description, never the value itself).
        found: String,
    },
    /// One part is not standard base64 with padding.
    #[error("secured text: the {part} is not standard base64 with padding ({detail})")]
    Base64 {
        /// `ciphertext`, `nonce` or `key`.
        part: &'static str,
        /// What the decoder reported.
        detail: String,
    },
    /// The nonce has a length that no known form uses.
    #[error("secured text: the nonce is {len} bytes; expected 24 (XChaCha20-Poly1305)")]
    NonceLength {
        /// The decoded nonce length.
        len: usize,
    },
    /// The ciphertext is shorter than the authentication tag.
    #[error("secured text: the ciphertext is {len} bytes; expected at least 16 (the tag)")]
    CiphertextTooShort {
        /// The decoded ciphertext length.
        len: usize,
    },
    /// The value is in the seed site's legacy form (16-byte nonce), which
    /// newsdesk can read but not decrypt.
    #[error(
        "secured text: the nonce is {nonce_len} bytes: the original site's legacy form \
         (a padded block cipher), which newsdesk can read but not decrypt"
    )]
    LegacyCipher {
        /// The decoded nonce length (16).
        nonce_len: usize,
    },
    /// The stored form's version tag is not one this build knows.
    #[error("secured text: unknown stored-form version `{0}` (expected `v1`)")]
    UnknownVersion(String),
    /// The stored form names a key the keyring does not hold.
    #[error("secured text: key `{0}` is not in the keyring")]
    UnknownKey(String),
    /// The named key did not authenticate the value: a wrong key, another
    /// article's id, or modified ciphertext or nonce.
    #[error(
        "secured text: authentication failed with key `{key_id}` \
         (wrong key, wrong article id, or modified data)"
    )]
    Authentication {
        /// The key that was tried.
        key_id: String,
    },
    /// No key of the keyring authenticated a document-form value.
    #[error(
        "secured text: none of the keyring's {tried} key(s) opens it \
         (wrong article id, a key not in the keyring, or modified data)"
    )]
    NoKeyOpens {
        /// How many keys were tried.
        tried: usize,
    },
    /// The decrypted bytes are not UTF-8 text.
    #[error("secured text: the decrypted text is not UTF-8")]
    NotUtf8,
    /// The operating system's random number generator failed.
    #[error("random number generator failed: {0}")]
    Rng(String),
    /// A key id with characters outside `A-Z a-z 0-9 _ -` or of the wrong length.
    #[error(
        "invalid key id `{0}`: expected 1 to 64 characters of A-Z a-z 0-9 _ - (and not `current`)"
    )]
    InvalidKeyId(String),
    /// Key material that is not 32 bytes of standard base64.
    #[error("key `{key_id}`: expected base64 of 32 bytes, {found}")]
    InvalidKey {
        /// The key's id.
        key_id: String,
        /// What was wrong (never the value).
        found: String,
    },
    /// A key file or `NEWSDESK_KEYS` line that cannot be read.
    #[error("{source_name}: line {line}: {message}")]
    KeyFile {
        /// The file path or variable name.
        source_name: String,
        /// 1-based line.
        line: usize,
        /// What was expected.
        message: String,
    },
    /// A keyring operation that would leave it inconsistent.
    #[error("keyring: {0}")]
    Keyring(String),
    /// Reading or writing a key file failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The file.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
}
