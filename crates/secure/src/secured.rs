//! The two textual forms of secured text, sealing, opening and rotation.

use std::fmt;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::aead::{Aead, Payload};
use chacha20poly1305::XNonce;

use crate::keyring::{fill_random, Key, KeyId, Keyring};
use crate::SecureError;

/// Nonce length of XChaCha20-Poly1305.
pub const NONCE_LEN: usize = 24;
/// Nonce (IV) length of the seed site's legacy values.
pub const LEGACY_NONCE_LEN: usize = 16;
/// Authentication tag length, appended to the ciphertext.
pub const TAG_LEN: usize = 16;

const AAD_PREFIX: &[u8] = b"newsdesk-secured-v1\0";
const DOCUMENT_FORM: &str = "`base64(ciphertext);base64(nonce)`";
const STORED_FORM: &str = "`v1:<key-id>:<base64 nonce>:<base64 ciphertext>`";

/// Which cipher a document-form value's nonce length points to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NonceKind {
    /// 24 bytes: XChaCha20-Poly1305, what newsdesk writes.
    XChaCha24,
    /// 16 bytes: the original site's values (an IV of a padded block
    /// cipher); readable as a shape, not decryptable by newsdesk.
    Legacy16,
}

/// The document form of secured text, the seeds' `secured` field:
/// `base64(ciphertext);base64(nonce)`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecuredText {
    /// The ciphertext (for XChaCha20-Poly1305 with the 16-byte tag at its end).
    pub ciphertext: Vec<u8>,
    /// The nonce: 24 bytes, or 16 in the legacy form.
    pub nonce: Vec<u8>,
}

impl SecuredText {
    /// Reads the document form. Surrounding whitespace is ignored; both parts
    /// must be non-empty standard base64 with padding; the nonce must be 24
    /// bytes (or 16, the legacy form).
    pub fn parse(value: &str) -> Result<SecuredText, SecureError> {
        let value = value.trim();
        let (ct, nonce) = value
            .split_once(';')
            .ok_or_else(|| SecureError::Malformed {
                expected: DOCUMENT_FORM,
                found: if value.is_empty() {
                    "an empty value".into()
                } else if value.contains(':') {
                    "a `:`-separated value without `;` (the stored form?)".into()
                } else {
                    "no `;`".into()
                },
            })?;
        if nonce.contains(';') {
            return Err(SecureError::Malformed {
                expected: DOCUMENT_FORM,
                found: format!("{} `;`", value.matches(';').count()),
            });
        }
        let ciphertext = decode_part("ciphertext", ct, DOCUMENT_FORM)?;
        let nonce = decode_part("nonce", nonce, DOCUMENT_FORM)?;
        let text = SecuredText { ciphertext, nonce };
        match text.nonce.len() {
            NONCE_LEN => {
                if text.ciphertext.len() < TAG_LEN {
                    return Err(SecureError::CiphertextTooShort {
                        len: text.ciphertext.len(),
                    });
                }
            }
            LEGACY_NONCE_LEN => {}
            len => return Err(SecureError::NonceLength { len }),
        }
        Ok(text)
    }

    /// The cipher the nonce length points to.
    pub fn nonce_kind(&self) -> NonceKind {
        if self.nonce.len() == LEGACY_NONCE_LEN {
            NonceKind::Legacy16
        } else {
            NonceKind::XChaCha24
        }
    }

    /// The length of the text inside, when known (XChaCha20-Poly1305 adds
    /// exactly the tag; the legacy form's padding hides the exact length).
    pub fn plaintext_len(&self) -> Option<usize> {
        match self.nonce_kind() {
            NonceKind::XChaCha24 => Some(self.ciphertext.len() - TAG_LEN),
            NonceKind::Legacy16 => None,
        }
    }

    fn xnonce(&self) -> Result<&XNonce, SecureError> {
        match self.nonce_kind() {
            NonceKind::Legacy16 => Err(SecureError::LegacyCipher {
                nonce_len: self.nonce.len(),
            }),
            NonceKind::XChaCha24 => {
                <&XNonce>::try_from(self.nonce.as_slice()).map_err(|_| SecureError::NonceLength {
                    len: self.nonce.len(),
                })
            }
        }
    }
}

impl fmt::Display for SecuredText {
    /// Writes the document form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{};{}",
            STANDARD.encode(&self.ciphertext),
            STANDARD.encode(&self.nonce)
        )
    }
}

/// The stored form of secured text: the key id, the 24-byte nonce and the
/// ciphertext, written `v1:<key-id>:<base64 nonce>:<base64 ciphertext>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sealed {
    /// The key it was sealed with.
    pub key_id: KeyId,
    /// The XChaCha20-Poly1305 nonce.
    pub nonce: [u8; NONCE_LEN],
    /// The ciphertext with the tag at its end.
    pub ciphertext: Vec<u8>,
}

impl Sealed {
    /// Reads the stored form.
    pub fn parse(value: &str) -> Result<Sealed, SecureError> {
        let value = value.trim();
        let parts: Vec<&str> = value.split(':').collect();
        if parts.len() >= 2 && parts[0] != "v1" {
            let version = parts[0];
            if version.len() <= 8 && version.starts_with('v') {
                return Err(SecureError::UnknownVersion(version.to_string()));
            }
        }
        if parts.len() != 4 || parts[0] != "v1" {
            return Err(SecureError::Malformed {
                expected: STORED_FORM,
                found: if parts.len() == 1 && value.contains(';') {
                    "a `;`-separated value (the document form?)".into()
                } else if parts.len() != 4 {
                    format!("{} part(s) separated by `:`", parts.len())
                } else {
                    "no `v1` tag".into()
                },
            });
        }
        let key_id = KeyId::new(parts[1])?;
        let nonce = decode_part("nonce", parts[2], STORED_FORM)?;
        let nonce: [u8; NONCE_LEN] = nonce
            .as_slice()
            .try_into()
            .map_err(|_| SecureError::NonceLength { len: nonce.len() })?;
        let ciphertext = decode_part("ciphertext", parts[3], STORED_FORM)?;
        if ciphertext.len() < TAG_LEN {
            return Err(SecureError::CiphertextTooShort {
                len: ciphertext.len(),
            });
        }
        Ok(Sealed {
            key_id,
            nonce,
            ciphertext,
        })
    }

    /// The stored form, `v1:<key-id>:<base64 nonce>:<base64 ciphertext>`.
    pub fn to_stored(&self) -> String {
        self.to_string()
    }

    /// The same nonce and ciphertext as the document form (no key id),
    /// `base64(ciphertext);base64(nonce)`. No decryption is needed.
    pub fn to_document(&self) -> String {
        self.document().to_string()
    }

    /// The document form as a value.
    pub fn document(&self) -> SecuredText {
        SecuredText {
            ciphertext: self.ciphertext.clone(),
            nonce: self.nonce.to_vec(),
        }
    }
}

impl fmt::Display for Sealed {
    /// Writes the stored form.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "v1:{}:{}:{}",
            self.key_id,
            STANDARD.encode(self.nonce),
            STANDARD.encode(&self.ciphertext)
        )
    }
}

/// A secured value in either form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SecuredValue {
    /// `v1:<key-id>:<nonce>:<ciphertext>`.
    Stored(Sealed),
    /// `<ciphertext>;<nonce>`.
    Document(SecuredText),
}

impl SecuredValue {
    /// Reads either form: a value with a `:` is the stored form (base64 has
    /// no `:`), anything else the document form.
    pub fn parse(value: &str) -> Result<SecuredValue, SecureError> {
        if value.contains(':') {
            Sealed::parse(value).map(SecuredValue::Stored)
        } else {
            SecuredText::parse(value).map(SecuredValue::Document)
        }
    }
}

/// Opened text and the key that opened it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Opened {
    /// The full text.
    pub text: String,
    /// The key that authenticated it.
    pub key_id: KeyId,
}

/// The outcome of [`Keyring::rotate`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rotated {
    /// The value in the stored form, under the current key (the input itself
    /// when it already was).
    pub value: String,
    /// Whether `value` differs from the input (the store must write it back).
    pub changed: bool,
    /// The key the input was sealed with.
    pub from_key: KeyId,
}

impl Keyring {
    /// Seals `text` for the article `article_id` under the current key, with
    /// a fresh random nonce.
    pub fn seal(&self, article_id: &str, text: &str) -> Result<Sealed, SecureError> {
        let (id, key) = self.current();
        seal_with(id, key, article_id, text)
    }

    /// Seals and returns the document form, `base64(ciphertext);base64(nonce)`.
    pub fn seal_document(&self, article_id: &str, text: &str) -> Result<String, SecureError> {
        self.seal(article_id, text).map(|s| s.to_document())
    }

    /// Opens a stored-form value with the key it names.
    pub fn open_sealed(&self, article_id: &str, sealed: &Sealed) -> Result<String, SecureError> {
        let (_, key) = self
            .key(sealed.key_id.as_str())
            .ok_or_else(|| SecureError::UnknownKey(sealed.key_id.to_string()))?;
        open_with(key, article_id, (&sealed.nonce).into(), &sealed.ciphertext).ok_or_else(|| {
            SecureError::Authentication {
                key_id: sealed.key_id.to_string(),
            }
        })?
    }

    /// Opens a document-form value, trying the current key first, then the
    /// others newest first.
    pub fn open_document(
        &self,
        article_id: &str,
        text: &SecuredText,
    ) -> Result<Opened, SecureError> {
        let nonce = text.xnonce()?;
        let mut tried = 0;
        for (id, key) in self.current_first() {
            tried += 1;
            if let Some(opened) = open_with(key, article_id, nonce, &text.ciphertext) {
                return Ok(Opened {
                    text: opened?,
                    key_id: id.clone(),
                });
            }
        }
        Err(SecureError::NoKeyOpens { tried })
    }

    /// Opens a value in either form.
    pub fn open(&self, article_id: &str, value: &str) -> Result<Opened, SecureError> {
        match SecuredValue::parse(value)? {
            SecuredValue::Stored(sealed) => Ok(Opened {
                text: self.open_sealed(article_id, &sealed)?,
                key_id: sealed.key_id,
            }),
            SecuredValue::Document(doc) => self.open_document(article_id, &doc),
        }
    }

    /// Re-seals a value under the current key, for `newsdesk keys rotate`.
    /// A stored-form value already under the current key is returned as is
    /// (`changed: false`) without decrypting; any other value (an older key,
    /// or the document form) is opened and sealed anew in the stored form.
    pub fn rotate(&self, article_id: &str, value: &str) -> Result<Rotated, SecureError> {
        let (current_id, _) = self.current();
        let (text, from_key) = match SecuredValue::parse(value)? {
            SecuredValue::Stored(sealed) => {
                if &sealed.key_id == current_id {
                    // Not decrypted: rotation only moves values between keys.
                    let canonical = sealed.to_stored();
                    return Ok(Rotated {
                        changed: canonical != value,
                        value: canonical,
                        from_key: sealed.key_id,
                    });
                }
                (self.open_sealed(article_id, &sealed)?, sealed.key_id)
            }
            SecuredValue::Document(doc) => {
                let opened = self.open_document(article_id, &doc)?;
                (opened.text, opened.key_id)
            }
        };
        let sealed = self.seal(article_id, &text)?;
        Ok(Rotated {
            value: sealed.to_stored(),
            changed: true,
            from_key,
        })
    }
}

fn aad(article_id: &str) -> Vec<u8> {
    let mut aad = Vec::with_capacity(AAD_PREFIX.len() + article_id.len());
    aad.extend_from_slice(AAD_PREFIX);
    aad.extend_from_slice(article_id.as_bytes());
    aad
}

fn seal_with(id: &KeyId, key: &Key, article_id: &str, text: &str) -> Result<Sealed, SecureError> {
    let mut nonce = [0u8; NONCE_LEN];
    fill_random(&mut nonce)?;
    let aad = aad(article_id);
    let ciphertext = key
        .cipher()
        .encrypt(
            (&nonce).into(),
            Payload {
                msg: text.as_bytes(),
                aad: &aad,
            },
        )
        .map_err(|_| SecureError::Malformed {
            expected: "a text short enough to encrypt",
            found: format!("{} bytes", text.len()),
        })?;
    Ok(Sealed {
        key_id: id.clone(),
        nonce,
        ciphertext,
    })
}

/// `None` when the key does not authenticate; `Some(Err)` when it does but
/// the text is not UTF-8.
fn open_with(
    key: &Key,
    article_id: &str,
    nonce: &XNonce,
    ciphertext: &[u8],
) -> Option<Result<String, SecureError>> {
    let aad = aad(article_id);
    let plain = key
        .cipher()
        .decrypt(
            nonce,
            Payload {
                msg: ciphertext,
                aad: &aad,
            },
        )
        .ok()?;
    Some(String::from_utf8(plain).map_err(|_| SecureError::NotUtf8))
}

fn decode_part(
    part: &'static str,
    text: &str,
    expected: &'static str,
) -> Result<Vec<u8>, SecureError> {
    if text.is_empty() {
        return Err(SecureError::Malformed {
            expected,
            found: format!("an empty {part}"),
        });
    }
    STANDARD.decode(text).map_err(|e| SecureError::Base64 {
        part,
        detail: e.to_string(),
    })
}
