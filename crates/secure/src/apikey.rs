//! API keys: `nd_<id>_<secret>` tokens shown once, kept only as a hash.
//!
//! A token is `nd_`, 16 hex digits of id, `_`, 64 hex digits of secret (32
//! random bytes from the operating system). The store keeps an
//! [`ApiKeyRecord`]: the id, a name, a [`Role`], [`Scope`]s, dates, and
//! SHA-256 of the secret (domain-separated and bound to the id). A random
//! 256-bit secret needs no slow password hash; verification is one SHA-256
//! and a constant-time comparison, cheap enough for every request.
//!
//! Verifying a request:
//!
//! ```
//! # use newsdesk_secure::apikey::*;
//! # use chrono::Utc;
//! # let issued = ApiKeyRecord::issue("ci", Role::Reader, vec![Scope::Fulltext], Utc::now()).unwrap();
//! # let store_lookup = |id: &str| (id == issued.record.id).then(|| issued.record.clone());
//! # let header = issued.token().to_string();
//! let token = ApiKeyToken::parse(&header)?;          // 401 on error
//! let record = store_lookup(token.id());            // the store's row, parsed with ApiKeyRecord::from_row
//! let principal = ApiKeyToken::verify(&token, record.as_ref())?; // 401
//! principal.require_scope(Scope::Fulltext)?;        // 403
//! # Ok::<(), ApiKeyError>(())
//! ```

use std::fmt;
use std::str::FromStr;

use chrono::{DateTime, SecondsFormat, Utc};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};
use subtle::ConstantTimeEq;

/// What every token starts with.
pub const TOKEN_PREFIX: &str = "nd_";
const ID_BYTES: usize = 8;
const SECRET_BYTES: usize = 32;
const TOKEN_FORM: &str = "`nd_<16 hex digits>_<64 hex digits>`";
const HASH_DOMAIN: &[u8] = b"newsdesk-api-key-v1\0";

/// Why an API key was refused or a record could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ApiKeyError {
    /// The presented token does not have the token form.
    #[error("API key: expected {expected}, found {found}")]
    Malformed {
        /// The token form.
        expected: &'static str,
        /// What was wrong (never the token itself).
        found: String,
    },
    /// No key with this id exists.
    #[error("API key `{id}` does not exist")]
    UnknownKey {
        /// The id from the token.
        id: String,
    },
    /// The id exists but the secret does not match.
    #[error("API key `{id}`: wrong secret")]
    WrongSecret {
        /// The id from the token.
        id: String,
    },
    /// The key was revoked.
    #[error("API key `{id}` was revoked at {at}")]
    Revoked {
        /// The key's id.
        id: String,
        /// When.
        at: DateTime<Utc>,
    },
    /// The key is valid but lacks the role or scope the request needs.
    #[error("API key `{id}` is not allowed to do this: it needs {needed}")]
    Forbidden {
        /// The key's id.
        id: String,
        /// What was missing, e.g. `role editor` or `scope fulltext`.
        needed: String,
    },
    /// A stored record field that cannot be read.
    #[error("API key record `{id}`: field `{field}`: {message}")]
    BadRecord {
        /// The record's id.
        id: String,
        /// The field.
        field: &'static str,
        /// What was expected.
        message: String,
    },
    /// The operating system's random number generator failed.
    #[error("random number generator failed: {0}")]
    Rng(String),
}

impl ApiKeyError {
    /// Whether the request should get 403 (authenticated, not allowed)
    /// rather than 401 (not authenticated).
    pub fn is_forbidden(&self) -> bool {
        matches!(self, ApiKeyError::Forbidden { .. })
    }
}

/// What a key may do; each role includes the ones before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Reads the API.
    Reader,
    /// Also overrides publish decisions and edits.
    Editor,
    /// Also manages sources, keys and the desk; has every scope.
    Admin,
}

impl Role {
    /// The role's name as stored: `reader`, `editor`, `admin`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Reader => "reader",
            Role::Editor => "editor",
            Role::Admin => "admin",
        }
    }

    /// Whether this role includes `needed`.
    pub fn allows(self, needed: Role) -> bool {
        self >= needed
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Role {
    type Err = String;
    fn from_str(s: &str) -> Result<Role, String> {
        match s.trim() {
            "reader" => Ok(Role::Reader),
            "editor" => Ok(Role::Editor),
            "admin" => Ok(Role::Admin),
            other => Err(format!(
                "expected `reader`, `editor` or `admin`, found `{}`",
                other.chars().take(32).collect::<String>()
            )),
        }
    }
}

/// A permission beyond the role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Scope {
    /// Read the decrypted full text of articles (and full-text snippets).
    Fulltext,
    /// Bulk exports (the Jekyll folder, JSON lines).
    Export,
}

impl Scope {
    /// The scope's name as stored: `fulltext`, `export`.
    pub fn as_str(self) -> &'static str {
        match self {
            Scope::Fulltext => "fulltext",
            Scope::Export => "export",
        }
    }

    /// Scopes as stored: names separated by commas, sorted, no duplicates.
    pub fn join(scopes: &[Scope]) -> String {
        let mut s = scopes.to_vec();
        s.sort();
        s.dedup();
        s.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(",")
    }

    /// Reads a comma-separated list (empty string: no scopes).
    pub fn parse_list(text: &str) -> Result<Vec<Scope>, String> {
        let mut out = Vec::new();
        for part in text.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            out.push(part.parse()?);
        }
        out.sort();
        out.dedup();
        Ok(out)
    }
}

impl fmt::Display for Scope {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Scope {
    type Err = String;
    fn from_str(s: &str) -> Result<Scope, String> {
        match s.trim() {
            "fulltext" => Ok(Scope::Fulltext),
            "export" => Ok(Scope::Export),
            other => Err(format!(
                "expected `fulltext` or `export`, found `{}`",
                other.chars().take(32).collect::<String>()
            )),
        }
    }
}

/// SHA-256 of a key's secret, as stored: `sha256:<64 hex digits>`.
#[derive(Clone, PartialEq, Eq)]
pub struct SecretHash([u8; 32]);

impl SecretHash {
    fn of(id: &str, secret: &str) -> SecretHash {
        let mut h = Sha256::new();
        h.update(HASH_DOMAIN);
        h.update(id.as_bytes());
        h.update([0u8]);
        h.update(secret.as_bytes());
        SecretHash(h.finalize().into())
    }

    fn matches(&self, other: &SecretHash) -> bool {
        self.0.ct_eq(&other.0).into()
    }
}

impl fmt::Display for SecretHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "sha256:{}", hex(&self.0))
    }
}

impl fmt::Debug for SecretHash {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("SecretHash(sha256:<redacted>)")
    }
}

impl FromStr for SecretHash {
    type Err = String;
    fn from_str(s: &str) -> Result<SecretHash, String> {
        let expected = || "expected `sha256:<64 hex digits>`".to_string();
        let digits = s.strip_prefix("sha256:").ok_or_else(expected)?;
        let bytes = unhex(digits).ok_or_else(expected)?;
        let arr: [u8; 32] = bytes.as_slice().try_into().map_err(|_| expected())?;
        Ok(SecretHash(arr))
    }
}

/// A presented token, split into id and secret.
pub struct ApiKeyToken {
    id: String,
    secret: SecretString,
}

impl ApiKeyToken {
    /// Reads `nd_<16 hex>_<64 hex>` (surrounding whitespace ignored; a
    /// `Bearer ` prefix is the caller's to strip).
    pub fn parse(token: &str) -> Result<ApiKeyToken, ApiKeyError> {
        let malformed = |found: &str| ApiKeyError::Malformed {
            expected: TOKEN_FORM,
            found: found.to_string(),
        };
        let token = token.trim();
        let rest = token
            .strip_prefix(TOKEN_PREFIX)
            .ok_or_else(|| malformed("no `nd_` prefix"))?;
        let (id, secret) = rest
            .split_once('_')
            .ok_or_else(|| malformed("no `_` between id and secret"))?;
        if id.len() != ID_BYTES * 2 || !is_lower_hex(id) {
            return Err(malformed("an id that is not 16 lowercase hex digits"));
        }
        if secret.len() != SECRET_BYTES * 2 || !is_lower_hex(secret) {
            return Err(malformed("a secret that is not 64 lowercase hex digits"));
        }
        Ok(ApiKeyToken {
            id: id.to_string(),
            secret: SecretString::from(secret),
        })
    }

    /// The key id (safe to log).
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Verifies the token against the record the store found for its id
    /// (`None`: no such key).
    pub fn verify(
        token: &ApiKeyToken,
        record: Option<&ApiKeyRecord>,
    ) -> Result<Principal, ApiKeyError> {
        match record {
            Some(r) => r.verify(token),
            None => Err(ApiKeyError::UnknownKey {
                id: token.id.clone(),
            }),
        }
    }
}

impl fmt::Debug for ApiKeyToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ApiKeyToken")
            .field("id", &self.id)
            .field("secret", &"<redacted>")
            .finish()
    }
}

/// A key as the store keeps it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyRecord {
    /// 16 hex digits, the token's id part; unique.
    pub id: String,
    /// What the key is for, for people.
    pub name: String,
    /// What it may do.
    pub role: Role,
    /// Extra permissions (sorted, no duplicates).
    pub scopes: Vec<Scope>,
    /// When it was issued.
    pub created: DateTime<Utc>,
    /// When it last verified (the store updates this, see [`ApiKeyRecord::touch`]).
    pub last_used: Option<DateTime<Utc>>,
    /// When it was revoked; a revoked key never verifies again.
    pub revoked: Option<DateTime<Utc>>,
    /// The hash of the secret.
    pub secret_hash: SecretHash,
}

/// A freshly issued key: the record to store and the token to show once.
pub struct IssuedApiKey {
    /// What the store keeps.
    pub record: ApiKeyRecord,
    token: SecretString,
}

impl IssuedApiKey {
    /// The full token `nd_<id>_<secret>`: show it once, never store it.
    pub fn token(&self) -> &str {
        self.token.expose_secret()
    }
}

impl fmt::Debug for IssuedApiKey {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IssuedApiKey")
            .field("record", &self.record)
            .field("token", &"<redacted>")
            .finish()
    }
}

/// The same record as strings, for a store's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ApiKeyRow {
    /// The id.
    pub id: String,
    /// The name.
    pub name: String,
    /// `reader`, `editor` or `admin`.
    pub role: String,
    /// Scope names separated by commas (may be empty).
    pub scopes: String,
    /// RFC 3339, UTC.
    pub created: String,
    /// RFC 3339, UTC.
    pub last_used: Option<String>,
    /// RFC 3339, UTC.
    pub revoked: Option<String>,
    /// `sha256:<64 hex digits>`.
    pub secret_hash: String,
}

/// Who made an authenticated request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Principal {
    /// The key's id.
    pub key_id: String,
    /// The key's name.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// Its scopes.
    pub scopes: Vec<Scope>,
}

impl Principal {
    /// Whether the key has the scope (an admin has every scope).
    pub fn has_scope(&self, scope: Scope) -> bool {
        self.role == Role::Admin || self.scopes.contains(&scope)
    }

    /// `Forbidden` unless the key's role includes `needed`.
    pub fn require_role(&self, needed: Role) -> Result<(), ApiKeyError> {
        if self.role.allows(needed) {
            Ok(())
        } else {
            Err(ApiKeyError::Forbidden {
                id: self.key_id.clone(),
                needed: format!("role {needed}"),
            })
        }
    }

    /// `Forbidden` unless the key has the scope.
    pub fn require_scope(&self, needed: Scope) -> Result<(), ApiKeyError> {
        if self.has_scope(needed) {
            Ok(())
        } else {
            Err(ApiKeyError::Forbidden {
                id: self.key_id.clone(),
                needed: format!("scope {needed}"),
            })
        }
    }
}

impl ApiKeyRecord {
    /// Issues a new key: random id and secret from the operating system.
    /// The name must be 1 to 200 characters without control characters.
    pub fn issue(
        name: &str,
        role: Role,
        scopes: Vec<Scope>,
        now: DateTime<Utc>,
    ) -> Result<IssuedApiKey, ApiKeyError> {
        let name = name.trim();
        check_name("(new)", name)?;
        let mut id = [0u8; ID_BYTES];
        let mut secret = zeroize::Zeroizing::new([0u8; SECRET_BYTES]);
        getrandom::fill(&mut id).map_err(|e| ApiKeyError::Rng(e.to_string()))?;
        getrandom::fill(secret.as_mut()).map_err(|e| ApiKeyError::Rng(e.to_string()))?;
        let id = hex(&id);
        let secret = zeroize::Zeroizing::new(hex(secret.as_ref()));
        let token = SecretString::from(format!("{TOKEN_PREFIX}{id}_{}", secret.as_str()));
        let mut scopes = scopes;
        scopes.sort();
        scopes.dedup();
        let record = ApiKeyRecord {
            secret_hash: SecretHash::of(&id, &secret),
            id,
            name: name.to_string(),
            role,
            scopes,
            created: now,
            last_used: None,
            revoked: None,
        };
        Ok(IssuedApiKey { record, token })
    }

    /// Checks a presented token: the id must be this record's, the secret's
    /// hash must match (compared in constant time), and the key must not be
    /// revoked.
    pub fn verify(&self, token: &ApiKeyToken) -> Result<Principal, ApiKeyError> {
        let candidate = SecretHash::of(&self.id, token.secret.expose_secret());
        if token.id != self.id || !self.secret_hash.matches(&candidate) {
            return Err(ApiKeyError::WrongSecret {
                id: token.id.clone(),
            });
        }
        if let Some(at) = self.revoked {
            return Err(ApiKeyError::Revoked {
                id: self.id.clone(),
                at,
            });
        }
        Ok(Principal {
            key_id: self.id.clone(),
            name: self.name.clone(),
            role: self.role,
            scopes: self.scopes.clone(),
        })
    }

    /// Parses and verifies a token string in one step.
    pub fn verify_str(&self, token: &str) -> Result<Principal, ApiKeyError> {
        self.verify(&ApiKeyToken::parse(token)?)
    }

    /// Marks the key revoked (the first revocation time is kept).
    pub fn revoke(&mut self, now: DateTime<Utc>) {
        self.revoked.get_or_insert(now);
    }

    /// Records a use.
    pub fn touch(&mut self, now: DateTime<Utc>) {
        self.last_used = Some(now);
    }

    /// The record as strings.
    pub fn to_row(&self) -> ApiKeyRow {
        let date = |d: &DateTime<Utc>| d.to_rfc3339_opts(SecondsFormat::Secs, true);
        ApiKeyRow {
            id: self.id.clone(),
            name: self.name.clone(),
            role: self.role.to_string(),
            scopes: Scope::join(&self.scopes),
            created: date(&self.created),
            last_used: self.last_used.as_ref().map(date),
            revoked: self.revoked.as_ref().map(date),
            secret_hash: self.secret_hash.to_string(),
        }
    }

    /// Reads a record from its strings; errors name the field.
    pub fn from_row(row: &ApiKeyRow) -> Result<ApiKeyRecord, ApiKeyError> {
        let bad = |field: &'static str, message: String| ApiKeyError::BadRecord {
            id: row.id.chars().take(32).collect(),
            field,
            message,
        };
        if row.id.len() != ID_BYTES * 2 || !is_lower_hex(&row.id) {
            return Err(bad("id", "expected 16 lowercase hex digits".into()));
        }
        check_name(&row.id, &row.name)?;
        let date = |field: &'static str, s: &str| {
            DateTime::parse_from_rfc3339(s)
                .map(|d| d.with_timezone(&Utc))
                .map_err(|e| bad(field, format!("expected an RFC 3339 date ({e})")))
        };
        Ok(ApiKeyRecord {
            id: row.id.clone(),
            name: row.name.clone(),
            role: row.role.parse().map_err(|m| bad("role", m))?,
            scopes: Scope::parse_list(&row.scopes).map_err(|m| bad("scopes", m))?,
            created: date("created", &row.created)?,
            last_used: row
                .last_used
                .as_deref()
                .map(|s| date("last_used", s))
                .transpose()?,
            revoked: row
                .revoked
                .as_deref()
                .map(|s| date("revoked", s))
                .transpose()?,
            secret_hash: row.secret_hash.parse().map_err(|m| bad("secret_hash", m))?,
        })
    }
}

fn check_name(id: &str, name: &str) -> Result<(), ApiKeyError> {
    let n = name.chars().count();
    if n == 0 || n > 200 || name.chars().any(char::is_control) {
        return Err(ApiKeyError::BadRecord {
            id: id.chars().take(32).collect(),
            field: "name",
            message: "expected 1 to 200 characters without control characters".into(),
        });
    }
    Ok(())
}

fn is_lower_hex(s: &str) -> bool {
    s.bytes()
        .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

pub(crate) fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

fn unhex(s: &str) -> Option<Vec<u8>> {
    if !s.len().is_multiple_of(2) || !s.bytes().all(|b| b.is_ascii_hexdigit()) {
        return None;
    }
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).ok())
        .collect()
}
