//! Keys and the keyring: ids, loading from a key file or the environment,
//! generation, saving.

use std::fmt;
use std::io::Write;
use std::path::{Path, PathBuf};

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use chacha20poly1305::{KeyInit, XChaCha20Poly1305};
use secrecy::{ExposeSecret, ExposeSecretMut, SecretBox, SecretString};
use zeroize::{Zeroize, Zeroizing};

use crate::SecureError;

/// The environment variable a keyring can be read from (see [`Keyring::parse`]).
pub const KEYS_ENV: &str = "NEWSDESK_KEYS";

/// The length of a key in bytes (XChaCha20-Poly1305).
pub const KEY_LEN: usize = 32;

/// A key's name: 1 to 64 characters of `A-Z a-z 0-9 _ -`. It appears in the
/// stored form of secured text, so it must never change for a key.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct KeyId(String);

impl KeyId {
    /// Checks and wraps a key id. `current` is reserved (key files use it to
    /// name the current key).
    pub fn new(id: impl Into<String>) -> Result<KeyId, SecureError> {
        let id = id.into();
        let ok = (1..=64).contains(&id.len())
            && id
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
            && id != "current";
        if ok {
            Ok(KeyId(id))
        } else {
            Err(SecureError::InvalidKeyId(printable(&id)))
        }
    }

    /// A fresh random id: `k` and 8 hex digits.
    pub fn generate() -> Result<KeyId, SecureError> {
        let mut b = [0u8; 4];
        fill_random(&mut b)?;
        Ok(KeyId(format!("k{}", crate::apikey::hex(&b))))
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for KeyId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// 32 bytes of key material, zeroized when dropped and never shown by
/// `Debug`.
pub struct Key(SecretBox<[u8; KEY_LEN]>);

impl Key {
    /// A fresh key from the operating system's random number generator.
    pub fn generate() -> Result<Key, SecureError> {
        let mut secret = SecretBox::new(Box::new([0u8; KEY_LEN]));
        fill_random(secret.expose_secret_mut())?;
        Ok(Key(secret))
    }

    /// Wraps raw key bytes (the argument is zeroized after copying).
    pub fn from_bytes(mut bytes: [u8; KEY_LEN]) -> Key {
        let mut secret = SecretBox::new(Box::new([0u8; KEY_LEN]));
        secret.expose_secret_mut().copy_from_slice(&bytes);
        bytes.zeroize();
        Key(secret)
    }

    /// Reads a key written as standard base64 (with padding) of 32 bytes.
    /// `key_id` only names the key in errors; the value is never echoed.
    pub fn from_base64(key_id: &str, text: &str) -> Result<Key, SecureError> {
        let invalid = |found: String| SecureError::InvalidKey {
            key_id: printable(key_id),
            found,
        };
        let decoded = Zeroizing::new(
            STANDARD
                .decode(text.trim())
                // The decoder's message quotes the offending character: not shown.
                .map_err(|_| {
                    invalid("found text that is not standard base64 with padding".into())
                })?,
        );
        if decoded.len() != KEY_LEN {
            return Err(invalid(format!("found {} bytes", decoded.len())));
        }
        let mut secret = SecretBox::new(Box::new([0u8; KEY_LEN]));
        secret.expose_secret_mut().copy_from_slice(&decoded);
        Ok(Key(secret))
    }

    /// The key as standard base64, for writing a key file.
    pub fn to_base64(&self) -> SecretString {
        SecretString::from(STANDARD.encode(self.0.expose_secret()))
    }

    pub(crate) fn cipher(&self) -> XChaCha20Poly1305 {
        XChaCha20Poly1305::new(self.0.expose_secret().into())
    }
}

impl fmt::Debug for Key {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Key(<redacted>)")
    }
}

/// The desk's keys: each by id, one of them current (new text is sealed
/// with it). Never empty.
///
/// # Key file
///
/// A key file (and the `NEWSDESK_KEYS` variable) is a list of `name = value`
/// entries, one per line (in the variable also separated by `;` or `,`),
/// values optionally in double or single quotes, `#` starting a comment, so a
/// key file is also valid TOML:
///
/// ```text
/// # newsdesk keys: keep this file private (chmod 600)
/// current = "k2"
/// k1 = "base64 of 32 bytes"
/// k2 = "base64 of 32 bytes"
/// ```
///
/// `current` names the current key; it may be left out when there is one key.
pub struct Keyring {
    keys: Vec<(KeyId, Key)>,
    current: usize,
}

/// A keyring read from a file, with what the reader should be warned about
/// (a file readable by group or others).
#[derive(Debug)]
pub struct LoadedKeyring {
    /// The keys.
    pub keyring: Keyring,
    /// Warnings for a person to read, e.g. about the file's permissions.
    pub warnings: Vec<String>,
}

impl Keyring {
    /// A keyring of one key, which is current.
    pub fn new(id: KeyId, key: Key) -> Keyring {
        Keyring {
            keys: vec![(id, key)],
            current: 0,
        }
    }

    /// A keyring of one fresh random key with a fresh id.
    pub fn generate() -> Result<Keyring, SecureError> {
        Ok(Keyring::new(KeyId::generate()?, Key::generate()?))
    }

    /// Adds a key (not current). Refuses an id already present.
    pub fn insert(&mut self, id: KeyId, key: Key) -> Result<(), SecureError> {
        if self.contains(&id) {
            return Err(SecureError::Keyring(format!(
                "key `{id}` is already in the keyring"
            )));
        }
        self.keys.push((id, key));
        Ok(())
    }

    /// Adds a fresh random key under a fresh id and makes it current; what
    /// `newsdesk keys new` does. Returns the new id. The old keys stay, so
    /// text sealed with them still opens until it is rotated.
    pub fn add_generated(&mut self) -> Result<KeyId, SecureError> {
        let id = loop {
            let id = KeyId::generate()?;
            if !self.contains(&id) {
                break id;
            }
        };
        self.keys.push((id.clone(), Key::generate()?));
        self.current = self.keys.len() - 1;
        Ok(id)
    }

    /// Makes an existing key current.
    pub fn set_current(&mut self, id: &KeyId) -> Result<(), SecureError> {
        let i = self
            .position(id)
            .ok_or_else(|| SecureError::UnknownKey(id.to_string()))?;
        self.current = i;
        Ok(())
    }

    /// Removes a key that is not current (once nothing is sealed with it).
    pub fn remove(&mut self, id: &KeyId) -> Result<Key, SecureError> {
        let i = self
            .position(id)
            .ok_or_else(|| SecureError::UnknownKey(id.to_string()))?;
        if i == self.current {
            return Err(SecureError::Keyring(format!(
                "cannot remove the current key `{id}`; make another key current first"
            )));
        }
        let (_, key) = self.keys.remove(i);
        if self.current > i {
            self.current -= 1;
        }
        Ok(key)
    }

    /// The current key's id.
    pub fn current_id(&self) -> &KeyId {
        &self.keys[self.current].0
    }

    /// Whether the keyring holds a key of this id.
    pub fn contains(&self, id: &KeyId) -> bool {
        self.position(id).is_some()
    }

    /// The key ids, in file order.
    pub fn ids(&self) -> impl Iterator<Item = &KeyId> {
        self.keys.iter().map(|(id, _)| id)
    }

    /// How many keys the keyring holds (at least one).
    pub fn key_count(&self) -> usize {
        self.keys.len()
    }

    pub(crate) fn key(&self, id: &str) -> Option<(&KeyId, &Key)> {
        self.keys
            .iter()
            .find(|(k, _)| k.as_str() == id)
            .map(|(k, v)| (k, v))
    }

    pub(crate) fn current(&self) -> (&KeyId, &Key) {
        let (id, key) = &self.keys[self.current];
        (id, key)
    }

    /// The keys with the current one first, then the others newest first.
    pub(crate) fn current_first(&self) -> impl Iterator<Item = (&KeyId, &Key)> {
        let current = self.current;
        std::iter::once(current)
            .chain((0..self.keys.len()).rev().filter(move |&i| i != current))
            .map(|i| {
                let (id, key) = &self.keys[i];
                (id, key)
            })
    }

    fn position(&self, id: &KeyId) -> Option<usize> {
        self.keys.iter().position(|(k, _)| k == id)
    }

    /// Reads the key-file syntax (see the type's documentation). `source_name`
    /// names the input in errors (a path, or `NEWSDESK_KEYS`). Errors never
    /// contain key material.
    pub fn parse(text: &str, source_name: &str) -> Result<Keyring, SecureError> {
        let err = |line: usize, message: String| SecureError::KeyFile {
            source_name: source_name.to_string(),
            line,
            message,
        };
        let mut keys: Vec<(KeyId, Key)> = Vec::new();
        // A `#` starts a comment: base64 and key ids never contain one.
        let mut current: Option<(String, usize)> = None;
        for (n, raw_line) in text.lines().enumerate() {
            let line_no = n + 1;
            let line = raw_line.split('#').next().unwrap_or("");
            for entry in line.split([';', ',']) {
                let entry = entry.trim();
                if entry.is_empty() {
                    continue;
                }
                if entry.starts_with('[') {
                    return Err(err(
                        line_no,
                        "expected `name = \"base64 key\"` entries; sections (`[...]`) are not used"
                            .into(),
                    ));
                }
                let (name, value) = entry.split_once('=').ok_or_else(|| {
                    err(
                        line_no,
                        "expected `name = \"base64 key\"` or `current = \"name\"`".into(),
                    )
                })?;
                let name = name.trim();
                // The name is echoed only once it is known to be a valid id: a
                // line with a missing `=` splits inside the base64 value.
                let id = if name == "current" {
                    None
                } else {
                    Some(KeyId::new(name).map_err(|_| {
                        err(
                            line_no,
                            "invalid key id before `=`: expected `name = \"base64 key\"` \
                             with a name of 1 to 64 characters of A-Z a-z 0-9 _ -"
                                .into(),
                        )
                    })?)
                };
                let value = unquote(value.trim()).ok_or_else(|| {
                    err(
                        line_no,
                        format!("unbalanced quotes in the value of `{name}`"),
                    )
                })?;
                let Some(id) = id else {
                    if current.is_some() {
                        return Err(err(line_no, "`current` given twice".into()));
                    }
                    current = Some((value.to_string(), line_no));
                    continue;
                };
                if keys.iter().any(|(k, _)| *k == id) {
                    return Err(err(line_no, format!("key `{id}` given twice")));
                }
                let key = Key::from_base64(name, value).map_err(|e| err(line_no, e.to_string()))?;
                keys.push((id, key));
            }
        }
        if keys.is_empty() {
            return Err(err(
                text.lines().count().max(1),
                "no keys: expected at least one `name = \"base64 of 32 bytes\"` entry".into(),
            ));
        }
        let current = match current {
            Some((name, line)) => keys
                .iter()
                .position(|(k, _)| k.as_str() == name)
                .ok_or_else(|| {
                    let shown = KeyId::new(name.as_str())
                        .map(|id| format!("`{id}`"))
                        .unwrap_or_else(|_| "an invalid key id".into());
                    err(
                        line,
                        format!("`current` names {shown}, which is not a key here"),
                    )
                })?,
            None if keys.len() == 1 => 0,
            None => return Err(err(
                1,
                "several keys but no `current = \"name\"` entry saying which one seals new text"
                    .into(),
            )),
        };
        Ok(Keyring { keys, current })
    }

    /// Reads the keyring from `NEWSDESK_KEYS`; `None` when the variable is
    /// unset or empty.
    pub fn from_env() -> Result<Option<Keyring>, SecureError> {
        Keyring::from_env_var(KEYS_ENV)
    }

    /// Reads the keyring from the named environment variable; `None` when it
    /// is unset or empty.
    pub fn from_env_var(name: &str) -> Result<Option<Keyring>, SecureError> {
        match std::env::var(name) {
            Ok(v) if !v.trim().is_empty() => {
                let v = Zeroizing::new(v);
                Keyring::parse(&v, name).map(Some)
            }
            Ok(_) | Err(std::env::VarError::NotPresent) => Ok(None),
            Err(std::env::VarError::NotUnicode(_)) => Err(SecureError::KeyFile {
                source_name: name.to_string(),
                line: 1,
                message: "the variable is not valid UTF-8".into(),
            }),
        }
    }

    /// Reads a key file. On unix, a file that group or others may read (or
    /// write) gives a warning.
    pub fn load_file(path: &Path) -> Result<LoadedKeyring, SecureError> {
        let io = |source| SecureError::Io {
            path: path.to_path_buf(),
            source,
        };
        let bytes = Zeroizing::new(std::fs::read(path).map_err(io)?);
        let text = std::str::from_utf8(&bytes).map_err(|_| SecureError::KeyFile {
            source_name: path.display().to_string(),
            line: 1,
            message: "the file is not UTF-8 text".into(),
        })?;
        let keyring = Keyring::parse(text, &path.display().to_string())?;
        let mut warnings = Vec::new();
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(path).map_err(io)?.permissions().mode();
            if mode & 0o077 != 0 {
                warnings.push(format!(
                    "{}: the key file is accessible to group or others (mode {:03o}); run `chmod 600 {}`",
                    path.display(),
                    mode & 0o777,
                    path.display()
                ));
            }
        }
        Ok(LoadedKeyring { keyring, warnings })
    }

    /// The keyring in key-file syntax.
    pub fn to_key_file(&self) -> SecretString {
        let mut out = String::from(
            "# newsdesk encryption keys: keep this file private (chmod 600) and backed up.\n\
             # Losing a key loses the text sealed with it.\n",
        );
        out.push_str(&format!("current = \"{}\"\n", self.current_id()));
        for (id, key) in &self.keys {
            out.push_str(&format!("{id} = \"{}\"\n", key.to_base64().expose_secret()));
        }
        SecretString::from(out)
    }

    /// Writes the keyring as a key file: a temporary file beside it (mode
    /// 0600 on unix), flushed to disk, then renamed over `path`.
    pub fn save(&self, path: &Path) -> Result<(), SecureError> {
        let tmp = temp_path(path);
        let io = |p: &Path| {
            let p = p.to_path_buf();
            move |source| SecureError::Io { path: p, source }
        };
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            options.mode(0o600);
        }
        let result = (|| {
            let mut f = options.open(&tmp).map_err(io(&tmp))?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                f.set_permissions(std::fs::Permissions::from_mode(0o600))
                    .map_err(io(&tmp))?;
            }
            f.write_all(self.to_key_file().expose_secret().as_bytes())
                .map_err(io(&tmp))?;
            f.sync_all().map_err(io(&tmp))?;
            std::fs::rename(&tmp, path).map_err(io(path))
        })();
        if result.is_err() {
            let _ = std::fs::remove_file(&tmp);
        }
        result
    }
}

impl fmt::Debug for Keyring {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Keyring")
            .field("current", self.current_id())
            .field(
                "ids",
                &self
                    .keys
                    .iter()
                    .map(|(k, _)| k.as_str())
                    .collect::<Vec<_>>(),
            )
            .finish_non_exhaustive()
    }
}

fn temp_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

/// The value without one pair of surrounding quotes; `None` when a quote is
/// opened and not closed.
fn unquote(v: &str) -> Option<&str> {
    for q in ['"', '\''] {
        if let Some(rest) = v.strip_prefix(q) {
            return rest.strip_suffix(q);
        }
    }
    if v.ends_with(['"', '\'']) {
        return None;
    }
    Some(v)
}

/// A short, printable rendering of a name for error messages.
fn printable(s: &str) -> String {
    let mut out: String = s
        .chars()
        .take(64)
        .map(|c| if c.is_control() { '?' } else { c })
        .collect();
    if s.chars().count() > 64 {
        out.push('…');
    }
    out
}

pub(crate) fn fill_random(buf: &mut [u8]) -> Result<(), SecureError> {
    getrandom::fill(buf).map_err(|e| SecureError::Rng(e.to_string()))
}
