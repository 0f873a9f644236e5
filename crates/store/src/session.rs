//! Web sessions, backend-neutral: the token an editor's browser holds, made
//! from the operating system's random source, and the hash a backend keeps
//! instead of it. A backend stores [`WebSessionRecord`]s and finds them by
//! [`WebSessionToken::hash_of`]; it never sees a token at rest.

use chrono::{DateTime, Utc};
use sha2::{Digest, Sha256};

use crate::StoreError;

/// Random bytes in a session token and in a CSRF secret.
pub const WEB_SESSION_TOKEN_BYTES: usize = 32;

/// A session token as the browser's cookie holds it: 64 lower-case hex
/// digits (32 random bytes). Shown once, at creation; the store keeps only
/// its hash. `Debug` does not print it.
#[derive(Clone, PartialEq, Eq)]
pub struct WebSessionToken(String);

impl std::fmt::Debug for WebSessionToken {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("WebSessionToken(..)")
    }
}

impl WebSessionToken {
    /// A new token from the operating system's random source.
    pub fn generate() -> Result<WebSessionToken, StoreError> {
        Ok(WebSessionToken(random_hex()?))
    }

    /// The token, for the cookie.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What a store keeps of a token: `sha256:<64 hex digits>` of its text.
    /// Any text may be given (a cookie as the browser sent it); only the
    /// token's own hash finds its session.
    pub fn hash_of(token: &str) -> String {
        let digest = Sha256::digest(token.as_bytes());
        format!("sha256:{}", hex(&digest))
    }
}

/// 32 random bytes from the operating system, as 64 hex digits.
fn random_hex() -> Result<String, StoreError> {
    let mut bytes = [0u8; WEB_SESSION_TOKEN_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| StoreError::Random {
        message: e.to_string(),
    })?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// What a session is made of, before it exists.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NewWebSession {
    /// The API key the editor signed in with (it must exist, unrevoked).
    pub api_key_id: String,
    /// The key's role (`editor`, `admin`) at sign-in.
    pub role: String,
    pub created: DateTime<Utc>,
    /// From this instant on the session is gone.
    pub expires: DateTime<Utc>,
}

/// A signed-in browser session as the server reads it. Times are kept to
/// the second.
#[derive(Clone, PartialEq, Eq)]
pub struct WebSession {
    pub api_key_id: String,
    pub role: String,
    /// 64 hex digits (32 random bytes), the secret the session's CSRF
    /// tokens are made from. `Debug` does not print it.
    pub csrf_secret: String,
    pub created: DateTime<Utc>,
    pub expires: DateTime<Utc>,
}

impl std::fmt::Debug for WebSession {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("WebSession")
            .field("api_key_id", &self.api_key_id)
            .field("role", &self.role)
            .field("created", &self.created)
            .field("expires", &self.expires)
            .finish_non_exhaustive()
    }
}

impl WebSession {
    /// Whether the session is over at `now` (at its expiry instant it is).
    pub fn is_expired(&self, now: DateTime<Utc>) -> bool {
        now >= self.expires
    }
}

/// What a backend stores for a new session: the token's hash and the
/// session. Made by [`WebSessionRecord::issue`], which also returns the
/// token to hand to the browser.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WebSessionRecord {
    /// [`WebSessionToken::hash_of`] the token.
    pub token_hash: String,
    pub session: WebSession,
}

impl WebSessionRecord {
    /// A fresh token and CSRF secret for `new`, and the record to store.
    pub fn issue(new: &NewWebSession) -> Result<(WebSessionToken, WebSessionRecord), StoreError> {
        let token = WebSessionToken::generate()?;
        let record = WebSessionRecord {
            token_hash: WebSessionToken::hash_of(token.as_str()),
            session: WebSession {
                api_key_id: new.api_key_id.clone(),
                role: new.role.clone(),
                csrf_secret: random_hex()?,
                created: new.created,
                expires: new.expires,
            },
        };
        Ok((token, record))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_hex_and_only_their_hash_is_kept() {
        let new = NewWebSession {
            api_key_id: "k".into(),
            role: "editor".into(),
            created: Utc::now(),
            expires: Utc::now(),
        };
        let (a, ra) = WebSessionRecord::issue(&new).unwrap();
        let (b, rb) = WebSessionRecord::issue(&new).unwrap();
        assert_ne!(a, b);
        assert_eq!(a.as_str().len(), 64);
        assert!(a.as_str().bytes().all(|c| c.is_ascii_hexdigit()));
        assert_ne!(ra.session.csrf_secret, rb.session.csrf_secret);
        assert_ne!(ra.session.csrf_secret, a.as_str());
        assert_eq!(ra.token_hash, WebSessionToken::hash_of(a.as_str()));
        assert!(!ra.token_hash.contains(a.as_str()));
        assert_eq!(ra.token_hash.len(), "sha256:".len() + 64);
        // The SHA-256 of "abc", a published test vector.
        assert_eq!(
            WebSessionToken::hash_of("abc"),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
        assert!(!format!("{a:?}{ra:?}").contains(a.as_str()));
        assert!(!format!("{ra:?}").contains(&ra.session.csrf_secret));
    }
}
