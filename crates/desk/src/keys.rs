//! Where the desk lives and the keyring that seals its full text at rest.
//!
//! [`DeskPaths`] is what every command is handed: the data folder, where
//! the keyring comes from ([`KeySource`]) and where log lines go. Nothing is
//! process-wide: the binary builds one from its flags and environment.
//!
//! Where the keyring comes from, first found wins: `--key-file FILE`, the
//! `NEWSDESK_KEYS` variable, `DATA_DIR/keys/keyring`. With a keyring, every
//! store the desk opens seals full text on write and opens it on read
//! ([`DeskPaths::open_store`]); a store marked sealed refuses to open
//! without one, so no command writes a body in clear into it. Key material
//! is never printed or logged: only key ids.
//!
//! Re-sealing ([`seal_all`]) walks the articles [`BATCH`] per transaction; a
//! value already under the current key is left as is, so an interrupted run
//! is finished by running it again.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, Utc};
use newsdesk_secure::{KeyId, Keyring, KEYS_ENV};
use newsdesk_store::{is_sealed, DeskStore, StoreError, StoredText};
use zeroize::Zeroizing;

use crate::error::store as store_err;
use crate::DeskError;

/// Re-sealing works through this many articles per transaction.
pub const BATCH: usize = 500;

/// Where log lines go (the binary writes them to standard error); one call
/// per line, without the newline.
pub type Log = Arc<dyn Fn(&str) + Send + Sync>;

/// The value of `NEWSDESK_KEYS` as the binary read it.
#[derive(Default)]
pub enum KeysVar {
    /// Unset or empty.
    #[default]
    Unset,
    /// The key file's text (zeroed when dropped).
    Text(Zeroizing<String>),
    /// Set, but not UTF-8.
    NotUnicode,
}

impl std::fmt::Debug for KeysVar {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            KeysVar::Unset => "Unset",
            KeysVar::Text(_) => "Text(<redacted>)",
            KeysVar::NotUnicode => "NotUnicode",
        })
    }
}

impl KeysVar {
    /// Reads `NEWSDESK_KEYS` from this process's environment (the binary
    /// calls it once, at start).
    pub fn from_process() -> KeysVar {
        match std::env::var(KEYS_ENV) {
            Ok(v) if !v.trim().is_empty() => KeysVar::Text(Zeroizing::new(v)),
            Ok(_) | Err(std::env::VarError::NotPresent) => KeysVar::Unset,
            Err(std::env::VarError::NotUnicode(_)) => KeysVar::NotUnicode,
        }
    }

    fn is_set(&self) -> bool {
        !matches!(self, KeysVar::Unset)
    }
}

/// Where the keyring may come from: `--key-file`, then `NEWSDESK_KEYS`, then
/// the data folder's `keys/keyring`.
#[derive(Debug, Default)]
pub struct KeySource {
    /// `--key-file`.
    pub file: Option<PathBuf>,
    /// `NEWSDESK_KEYS`.
    pub var: KeysVar,
}

/// Where a loaded keyring was found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum KeyOrigin {
    /// A key file (given, or the data folder's).
    File(PathBuf),
    /// The `NEWSDESK_KEYS` variable.
    Env,
}

/// A keyring as loaded, with anything worth a warning (a key file that
/// group or others may read).
pub struct LoadedKeys {
    pub keyring: Keyring,
    pub origin: KeyOrigin,
    pub warnings: Vec<String>,
}

impl KeySource {
    /// The keyring, first found wins; `None` when there is none.
    pub fn load(&self, data_dir: &Path) -> Result<Option<LoadedKeys>, DeskError> {
        let from_file = |path: &Path| -> Result<LoadedKeys, DeskError> {
            let loaded = Keyring::load_file(path)?;
            Ok(LoadedKeys {
                keyring: loaded.keyring,
                origin: KeyOrigin::File(path.to_path_buf()),
                warnings: loaded.warnings.iter().map(|w| w.to_string()).collect(),
            })
        };
        if let Some(path) = &self.file {
            return from_file(path).map(Some);
        }
        match &self.var {
            KeysVar::Text(text) => {
                return Ok(Some(LoadedKeys {
                    keyring: Keyring::parse(text, KEYS_ENV)?,
                    origin: KeyOrigin::Env,
                    warnings: Vec::new(),
                }))
            }
            KeysVar::NotUnicode => {
                return Err(newsdesk_secure::SecureError::KeyFile {
                    source_name: KEYS_ENV.to_string(),
                    line: 1,
                    message: "the variable is not valid UTF-8".into(),
                }
                .into())
            }
            KeysVar::Unset => {}
        }
        let path = default_key_file(data_dir);
        if path.exists() {
            return from_file(&path).map(Some);
        }
        Ok(None)
    }

    /// The key file the `keys` commands may change: `--key-file` or the
    /// data folder's; refused when the keys come from `NEWSDESK_KEYS`.
    pub fn writable_file(&self, data_dir: &Path) -> Result<PathBuf, DeskError> {
        if let Some(path) = &self.file {
            return Ok(path.clone());
        }
        if self.var.is_set() {
            return Err(DeskError::KeysFromEnv);
        }
        Ok(default_key_file(data_dir))
    }
}

/// `DATA_DIR/keys/keyring`.
pub fn default_key_file(data_dir: &Path) -> PathBuf {
    data_dir.join("keys").join("keyring")
}

/// The data folder, the keyring's source and the log: what every command
/// works with.
#[derive(Clone)]
pub struct DeskPaths {
    pub data_dir: PathBuf,
    pub keys: Arc<KeySource>,
    log: Log,
}

impl std::fmt::Debug for DeskPaths {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DeskPaths")
            .field("data_dir", &self.data_dir)
            .field("keys", &self.keys)
            .finish_non_exhaustive()
    }
}

impl DeskPaths {
    /// Log lines are dropped until [`DeskPaths::with_log`] says where they go.
    pub fn new(data_dir: impl Into<PathBuf>, keys: KeySource) -> DeskPaths {
        DeskPaths {
            data_dir: data_dir.into(),
            keys: Arc::new(keys),
            log: Arc::new(|_| {}),
        }
    }

    pub fn with_log(mut self, log: Log) -> DeskPaths {
        self.log = log;
        self
    }

    /// Writes one line to the log.
    pub fn log(&self, line: &str) {
        (self.log)(line)
    }

    /// The log sink, for parts that outlive a borrow.
    pub fn log_sink(&self) -> Log {
        self.log.clone()
    }

    /// The keyring, if any; its warnings go to the log.
    pub fn keyring(&self) -> Result<Option<LoadedKeys>, DeskError> {
        let loaded = self.keys.load(&self.data_dir)?;
        if let Some(l) = &loaded {
            for w in &l.warnings {
                self.log(&format!("warning: {w}"));
            }
        }
        Ok(loaded)
    }

    /// Opens (creating) the store, without a sealer: for work that never
    /// reads or writes full text (API keys, re-sealing).
    pub fn open_plain_store(&self) -> Result<Box<dyn DeskStore>, DeskError> {
        newsdesk_store::open(&self.data_dir).map_err(store_err(format!(
            "opening the store in {}",
            self.data_dir.display()
        )))
    }

    /// Opens (creating) the store with the keyring as its sealer. A store
    /// marked sealed is refused without a keyring.
    pub fn open_store(&self) -> Result<Box<dyn DeskStore>, DeskError> {
        let mut store = self.open_plain_store()?;
        match self.keyring()? {
            Some(k) => store.set_sealer(Arc::new(k.keyring))?,
            None => {
                if store.is_marked_sealed()? {
                    return Err(StoreError::KeyringNeeded {
                        path: store.location(),
                    }
                    .into());
                }
            }
        }
        Ok(store)
    }
}

/// `<key file>.created`: one `id RFC3339` line per key.
fn created_file(key_file: &Path) -> PathBuf {
    let mut name = key_file.file_name().unwrap_or_default().to_os_string();
    name.push(".created");
    key_file.with_file_name(name)
}

/// The keyring as a table: where it comes from, then each key's id,
/// whether it is current and when it was created (never the keys).
pub fn list_text(loaded: &LoadedKeys) -> String {
    use std::fmt::Write;
    let (mut out, created) = match &loaded.origin {
        KeyOrigin::File(p) => (format!("keyring: {}\n", p.display()), read_created(p)),
        KeyOrigin::Env => (format!("keyring: {KEYS_ENV}\n"), Vec::new()),
    };
    let keyring = &loaded.keyring;
    let _ = writeln!(out, "{:<12} {:<8} created", "id", "current");
    for id in keyring.ids() {
        let at = created
            .iter()
            .find(|(k, _)| k == id.as_str())
            .map_or("-", |(_, at)| at.as_str());
        let current = if id == keyring.current_id() {
            "yes"
        } else {
            ""
        };
        let _ = writeln!(out, "{:<12} {:<8} {at}", id.as_str(), current);
    }
    out
}

/// When each key of a key file was created (`id`, RFC 3339), as recorded
/// beside it.
pub fn read_created(key_file: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(created_file(key_file))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            l.split_once(' ')
                .map(|(a, b)| (a.to_string(), b.to_string()))
        })
        .collect()
}

fn write_created(key_file: &Path, entries: &[(String, String)]) -> Result<(), DeskError> {
    let text: String = entries
        .iter()
        .map(|(id, at)| format!("{id} {at}\n"))
        .collect();
    let path = created_file(key_file);
    std::fs::write(&path, text).map_err(|source| DeskError::Write {
        what: path.display().to_string(),
        source,
    })
}

/// A key just added.
pub struct AddedKey {
    pub keyring: Keyring,
    pub id: KeyId,
    /// The key file it was written to.
    pub file: PathBuf,
}

impl AddedKey {
    /// The keyring's other keys (those `keys rotate --retire` retires).
    pub fn older_ids(&self) -> Vec<KeyId> {
        self.keyring
            .ids()
            .filter(|k| **k != self.id)
            .cloned()
            .collect()
    }
}

impl std::fmt::Display for AddedKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "key {} added to {} (current)",
            self.id,
            self.file.display()
        )
    }
}

/// Adds a new current key to the writable key file (creating it, and its
/// folder with mode 0700), and records when.
pub fn add_key(paths: &DeskPaths, now: DateTime<Utc>) -> Result<AddedKey, DeskError> {
    let path = paths.keys.writable_file(&paths.data_dir)?;
    let (keyring, id) = if path.exists() {
        let mut k = Keyring::load_file(&path)?.keyring;
        let id = k.add_generated()?;
        (k, id)
    } else {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).map_err(|source| DeskError::Create {
                what: dir.display().to_string(),
                source,
            })?;
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
            }
        }
        let k = Keyring::generate()?;
        let id = k.current_id().clone();
        (k, id)
    };
    keyring.save(&path)?;
    let mut created = read_created(&path);
    created.push((
        id.to_string(),
        now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
    ));
    write_created(&path, &created)?;
    Ok(AddedKey {
        keyring,
        id,
        file: path,
    })
}

/// What [`seal_all`] did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Sealed {
    /// Articles with any full text.
    pub seen: usize,
    /// Clear texts sealed.
    pub sealed: usize,
    /// Texts re-sealed under the current key.
    pub resealed: usize,
    /// The current key.
    pub key: String,
}

impl std::fmt::Display for Sealed {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} articles with full text: {} texts sealed, {} re-sealed under key {}",
            self.seen, self.sealed, self.resealed, self.key
        )
    }
}

/// Seals every clear body and re-seals every value not under the current
/// key, [`BATCH`] articles per transaction, then compacts the store (no
/// replaced page stays in the file or the log). The store is marked sealed
/// first.
pub fn seal_all(paths: &DeskPaths, keyring: &Keyring) -> Result<Sealed, DeskError> {
    let mut store = paths.open_plain_store()?;
    // Mark first: from here on no command writes clear text into it.
    store.mark_sealed()?;
    let mut done = Sealed {
        key: keyring.current_id().to_string(),
        ..Sealed::default()
    };
    let mut after = 0;
    loop {
        let texts = store.texts_after(after, BATCH)?;
        let Some(last) = texts.last() else { break };
        after = last.id;
        let mut changed = Vec::new();
        for t in texts {
            done.seen += 1;
            let mut out = StoredText {
                body: None,
                content_html: None,
                ..t.clone()
            };
            let mut any = false;
            for (value, slot) in [
                (&t.body, &mut out.body),
                (&t.content_html, &mut out.content_html),
            ] {
                let Some(v) = value else { continue };
                if is_sealed(v) {
                    let r =
                        keyring
                            .rotate(&t.identity, v)
                            .map_err(|source| DeskError::Sealing {
                                article: t.id,
                                identity: t.identity.clone(),
                                source,
                            })?;
                    if r.changed {
                        done.resealed += 1;
                        any = true;
                    }
                    *slot = Some(r.value);
                } else {
                    done.sealed += 1;
                    any = true;
                    *slot = Some(keyring.seal(&t.identity, v)?.to_stored());
                }
            }
            if any {
                changed.push(out);
            }
        }
        if !changed.is_empty() {
            store.replace_texts(&changed)?;
        }
    }
    store.compact()?;
    Ok(done)
}

/// What [`retire`] did.
pub struct Retired {
    /// The re-sealing done first.
    pub sealed: Sealed,
    pub id: KeyId,
    /// The key file it was removed from.
    pub file: PathBuf,
}

impl std::fmt::Display for Retired {
    /// The re-sealing, then the retirement, on two lines.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}\nkey {} retired from {}",
            self.sealed,
            self.id,
            self.file.display()
        )
    }
}

/// Re-seals anything not under the current key, checks that nothing is
/// sealed with key `id` any more, then removes it from the key file.
pub fn retire(paths: &DeskPaths, id: &str) -> Result<Retired, DeskError> {
    let path = paths.keys.writable_file(&paths.data_dir)?;
    let mut keyring = Keyring::load_file(&path)?.keyring;
    let id = KeyId::new(id)?;
    if !keyring.contains(&id) {
        return Err(DeskError::KeyNotInFile {
            id: id.to_string(),
            file: path,
        });
    }
    if keyring.current_id() == &id {
        return Err(DeskError::KeyIsCurrent(id.to_string()));
    }
    // Nothing may stay sealed with it: re-seal, then check.
    let sealed = seal_all(paths, &keyring)?;
    let store = paths.open_plain_store()?;
    let prefix = format!("v1:{id}:");
    let mut after = 0;
    loop {
        let texts = store.texts_after(after, BATCH)?;
        let Some(last) = texts.last() else { break };
        after = last.id;
        for t in &texts {
            let uses = [&t.body, &t.content_html]
                .iter()
                .any(|v| v.as_deref().is_some_and(|v| v.starts_with(&prefix)));
            if uses {
                return Err(DeskError::KeyStillUsed {
                    article: t.id,
                    id: id.to_string(),
                });
            }
        }
    }
    keyring.remove(&id)?;
    keyring.save(&path)?;
    let created: Vec<_> = read_created(&path)
        .into_iter()
        .filter(|(k, _)| k != id.as_str())
        .collect();
    write_created(&path, &created)?;
    Ok(Retired {
        sealed,
        id,
        file: path,
    })
}

/// The clear text of a seed-format document's `secured` field, opened
/// with the desk's keyring. Errors name the file and the field.
pub fn open_document(paths: &DeskPaths, file: &Path) -> Result<newsdesk_secure::Opened, DeskError> {
    let shown = file.display();
    let bytes = std::fs::read(file).map_err(|source| DeskError::Read {
        what: shown.to_string(),
        source,
    })?;
    let text = String::from_utf8(bytes)
        .map_err(|_| DeskError::Config(format!("{shown}: not UTF-8 text")))?;
    let doc = newsdesk_model::Document::parse(&text)
        .map_err(|e| DeskError::Config(format!("{shown}: {e}")))?;
    let Some(secured) = doc.article.secured.as_deref() else {
        return Err(DeskError::Config(format!(
            "{shown}: field `secured`: the document has none"
        )));
    };
    let Some(identity) = doc.article.identity_key() else {
        return Err(DeskError::Config(format!(
            "{shown}: field `secured`: the document has no webUrl/originalUrl, so the article it belongs to is unknown"
        )));
    };
    let Some(LoadedKeys { keyring, .. }) = paths.keyring()? else {
        return Err(DeskError::Config(format!(
            "no keyring: pass --key-file, set {KEYS_ENV}, or run `newsdesk keys new`"
        )));
    };
    newsdesk_secure::SecuredValue::parse(secured)
        .and_then(|_| keyring.open(&identity, secured))
        .map_err(|e| DeskError::Config(format!("{shown}: field `secured`: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;
    use newsdesk_secure::Key;

    #[test]
    fn the_key_list_marks_the_current_key_and_shows_no_key_material() {
        let key = Key::from_bytes([7; 32]);
        let mut keyring = Keyring::new(KeyId::new("k-old").unwrap(), key);
        let new = KeyId::new("k-new").unwrap();
        keyring
            .insert(new.clone(), Key::from_bytes([9; 32]))
            .unwrap();
        keyring.set_current(&new).unwrap();
        let loaded = LoadedKeys {
            keyring,
            origin: KeyOrigin::Env,
            warnings: Vec::new(),
        };
        let text = list_text(&loaded);
        assert!(text.starts_with("keyring: NEWSDESK_KEYS\nid           current  created\n"));
        assert!(text.contains("k-new        yes      -\n"), "{text}");
        assert!(text.contains("k-old                 -\n"), "{text}");
        assert_eq!(text.lines().count(), 4, "{text}");
    }

    #[test]
    fn keys_added_and_retired_read_as_sentences() {
        let mut keyring = Keyring::new(KeyId::new("k1").unwrap(), Key::from_bytes([1; 32]));
        let id = KeyId::new("k2").unwrap();
        keyring
            .insert(id.clone(), Key::from_bytes([2; 32]))
            .unwrap();
        let added = AddedKey {
            keyring,
            id: id.clone(),
            file: PathBuf::from("keys/keyring"),
        };
        assert_eq!(added.to_string(), "key k2 added to keys/keyring (current)");
        assert_eq!(added.older_ids(), vec![KeyId::new("k1").unwrap()]);
        let sealed = Sealed {
            seen: 3,
            sealed: 2,
            resealed: 1,
            key: "k2".into(),
        };
        let retired = Retired {
            sealed,
            id: KeyId::new("k1").unwrap(),
            file: PathBuf::from("keys/keyring"),
        };
        assert_eq!(
            retired.to_string(),
            "3 articles with full text: 2 texts sealed, 1 re-sealed under key k2\nkey k1 retired from keys/keyring"
        );
    }
}
