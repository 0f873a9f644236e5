//! The keyring (`newsdesk keys ...`), sealed full text at rest, and opening a
//! document's `secured` field (`newsdesk unseal`).
//!
//! Where the keyring comes from, first found wins: `--key-file FILE`, the
//! `NEWSDESK_KEYS` variable, `DATA_DIR/keys/keyring`. With a keyring, every
//! store the desk opens seals full text on write and opens it on read
//! ([`open_store`]); a store marked sealed refuses to open without one, so no
//! command writes a body in clear into it. Key material is never printed or
//! logged: only key ids.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::{Arc, OnceLock};

use anyhow::{bail, Context};
use clap::Subcommand;
use newsdesk_secure::{KeyId, Keyring, SecuredValue, KEYS_ENV};
use newsdesk_store::{is_sealed, DeskStore, StoredText};

/// `--key-file`, set once by `main`.
static KEY_FILE: OnceLock<Option<PathBuf>> = OnceLock::new();

/// Re-sealing works through this many articles per transaction.
const BATCH: usize = 500;

pub fn set_key_file(path: Option<PathBuf>) {
    let _ = KEY_FILE.set(path);
}

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Create the keyring (DATA_DIR/keys/keyring, mode 0600) or add a new
    /// current key to it, then seal every body still stored in clear.
    New,
    /// Key ids, which one is current, when each was created (never the keys).
    List,
    /// Add a new current key and re-seal every body with it (batched; safe to
    /// interrupt and run again). Older keys stay in the keyring until retired.
    Rotate {
        /// Then remove every older key (after checking nothing is sealed with it).
        #[arg(long)]
        retire: bool,
    },
    /// Re-seal anything not under the current key, then remove key ID from the keyring.
    Retire {
        /// The key id.
        id: String,
    },
    /// Seal every body stored in clear (and re-seal those under older keys).
    Seal,
    /// Print the clear text of a document's `secured` field.
    Open {
        /// A seed-format document (`.md`).
        file: PathBuf,
    },
}

/// Where the keyring was found.
pub enum KeySource {
    File(PathBuf),
    Env,
}

/// The keyring the desk uses, if any (warnings, e.g. about a key file's
/// permissions, go to standard error).
pub fn load(data_dir: &Path) -> anyhow::Result<Option<(Keyring, KeySource)>> {
    if let Some(Some(path)) = KEY_FILE.get() {
        let loaded = Keyring::load_file(path)?;
        for w in &loaded.warnings {
            eprintln!("warning: {w}");
        }
        return Ok(Some((loaded.keyring, KeySource::File(path.clone()))));
    }
    if let Some(k) = Keyring::from_env()? {
        return Ok(Some((k, KeySource::Env)));
    }
    let path = default_key_file(data_dir);
    if path.exists() {
        let loaded = Keyring::load_file(&path)?;
        for w in &loaded.warnings {
            eprintln!("warning: {w}");
        }
        return Ok(Some((loaded.keyring, KeySource::File(path))));
    }
    Ok(None)
}

/// `DATA_DIR/keys/keyring`.
pub fn default_key_file(data_dir: &Path) -> PathBuf {
    data_dir.join("keys").join("keyring")
}

/// Opens the store with the keyring as its sealer. A store marked sealed
/// without a keyring is refused.
pub fn open_store(data_dir: &Path) -> anyhow::Result<Box<dyn DeskStore>> {
    let mut store = newsdesk_store::open(data_dir)
        .with_context(|| format!("opening the store in {}", data_dir.display()))?;
    match load(data_dir)? {
        Some((k, _)) => store.set_sealer(Arc::new(k))?,
        None => {
            if store.is_marked_sealed()? {
                return Err(newsdesk_store::StoreError::KeyringNeeded {
                    path: store.location(),
                }
                .into());
            }
        }
    }
    Ok(store)
}

pub fn run(data_dir: &Path, command: KeysCommand) -> anyhow::Result<ExitCode> {
    match command {
        KeysCommand::New => new_key(data_dir),
        KeysCommand::List => list(data_dir),
        KeysCommand::Rotate { retire } => rotate(data_dir, retire),
        KeysCommand::Retire { id } => retire(data_dir, &id),
        KeysCommand::Seal => {
            let Some((keyring, _)) = load(data_dir)? else {
                bail!(
                    "no keyring: run `newsdesk keys new` first (or set NEWSDESK_KEYS / --key-file)"
                );
            };
            seal_all(data_dir, &keyring)?;
            Ok(ExitCode::SUCCESS)
        }
        KeysCommand::Open { file } => open_document(data_dir, &file),
    }
}

/// The key file commands may change: `--key-file` or the default; refused
/// when the keys come from `NEWSDESK_KEYS`.
fn writable_key_file(data_dir: &Path) -> anyhow::Result<PathBuf> {
    if let Some(Some(path)) = KEY_FILE.get() {
        return Ok(path.clone());
    }
    if std::env::var_os(KEYS_ENV).is_some_and(|v| !v.is_empty()) {
        bail!(
            "the keys come from {KEYS_ENV}, which newsdesk cannot change: \
             edit the variable, or pass --key-file FILE"
        );
    }
    Ok(default_key_file(data_dir))
}

/// `<key file>.created`: one `id RFC3339` line per key.
fn created_file(key_file: &Path) -> PathBuf {
    let mut name = key_file.file_name().unwrap_or_default().to_os_string();
    name.push(".created");
    key_file.with_file_name(name)
}

fn read_created(key_file: &Path) -> Vec<(String, String)> {
    std::fs::read_to_string(created_file(key_file))
        .unwrap_or_default()
        .lines()
        .filter_map(|l| {
            l.split_once(' ')
                .map(|(a, b)| (a.to_string(), b.to_string()))
        })
        .collect()
}

fn write_created(key_file: &Path, entries: &[(String, String)]) -> anyhow::Result<()> {
    let text: String = entries
        .iter()
        .map(|(id, at)| format!("{id} {at}\n"))
        .collect();
    let path = created_file(key_file);
    std::fs::write(&path, text).with_context(|| format!("writing {}", path.display()))
}

fn now() -> String {
    chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)
}

/// Adds a new current key to the key file (creating it), returns the keyring.
fn add_key(data_dir: &Path) -> anyhow::Result<(Keyring, KeyId, PathBuf)> {
    let path = writable_key_file(data_dir)?;
    let (keyring, id) = if path.exists() {
        let mut k = Keyring::load_file(&path)?.keyring;
        let id = k.add_generated()?;
        (k, id)
    } else {
        if let Some(dir) = path.parent() {
            std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
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
    created.push((id.to_string(), now()));
    write_created(&path, &created)?;
    Ok((keyring, id, path))
}

fn new_key(data_dir: &Path) -> anyhow::Result<ExitCode> {
    let (keyring, id, path) = add_key(data_dir)?;
    println!("key {id} added to {} (current)", path.display());
    seal_all(data_dir, &keyring)?;
    Ok(ExitCode::SUCCESS)
}

fn list(data_dir: &Path) -> anyhow::Result<ExitCode> {
    let Some((keyring, source)) = load(data_dir)? else {
        println!("no keyring (run `newsdesk keys new`)");
        return Ok(ExitCode::SUCCESS);
    };
    let created = match &source {
        KeySource::File(p) => {
            println!("keyring: {}", p.display());
            read_created(p)
        }
        KeySource::Env => {
            println!("keyring: {KEYS_ENV}");
            Vec::new()
        }
    };
    println!("{:<12} {:<8} created", "id", "current");
    for id in keyring.ids() {
        let at = created
            .iter()
            .find(|(k, _)| k == id.as_str())
            .map(|(_, at)| at.as_str())
            .unwrap_or("-");
        let current = if id == keyring.current_id() {
            "yes"
        } else {
            ""
        };
        println!("{:<12} {:<8} {at}", id.as_str(), current);
    }
    Ok(ExitCode::SUCCESS)
}

fn rotate(data_dir: &Path, retire_old: bool) -> anyhow::Result<ExitCode> {
    let (keyring, id, path) = add_key(data_dir)?;
    println!("key {id} added to {} (current)", path.display());
    seal_all(data_dir, &keyring)?;
    if retire_old {
        let old: Vec<KeyId> = keyring.ids().filter(|k| **k != id).cloned().collect();
        for k in old {
            retire(data_dir, k.as_str())?;
        }
    }
    Ok(ExitCode::SUCCESS)
}

fn retire(data_dir: &Path, id: &str) -> anyhow::Result<ExitCode> {
    let path = writable_key_file(data_dir)?;
    let mut keyring = Keyring::load_file(&path)?.keyring;
    let id = KeyId::new(id)?;
    if !keyring.contains(&id) {
        bail!("key {id} is not in {}", path.display());
    }
    if keyring.current_id() == &id {
        bail!("key {id} is the current key: run `newsdesk keys rotate` first");
    }
    // Nothing may stay sealed with it: re-seal, then check.
    seal_all(data_dir, &keyring)?;
    let store = newsdesk_store::open(data_dir)?;
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
                bail!(
                    "article {} is still sealed with key {id} (written meanwhile?): run `newsdesk keys retire {id}` again",
                    t.id
                );
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
    println!("key {id} retired from {}", path.display());
    Ok(ExitCode::SUCCESS)
}

/// Seals every clear body and re-seals every value not under the current
/// key, `BATCH` articles per transaction, then marks the store sealed and
/// compacts it (no replaced page stays in the file or the log).
pub fn seal_all(data_dir: &Path, keyring: &Keyring) -> anyhow::Result<()> {
    let mut store = newsdesk_store::open(data_dir)
        .with_context(|| format!("opening the store in {}", data_dir.display()))?;
    // Mark first: from here on no command writes clear text into it.
    store.mark_sealed()?;
    let (mut sealed, mut resealed, mut seen) = (0usize, 0usize, 0usize);
    let mut after = 0;
    loop {
        let texts = store.texts_after(after, BATCH)?;
        let Some(last) = texts.last() else { break };
        after = last.id;
        let mut changed = Vec::new();
        for t in texts {
            seen += 1;
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
                    let r = keyring
                        .rotate(&t.identity, v)
                        .with_context(|| format!("article {} ({})", t.id, t.identity))?;
                    if r.changed {
                        resealed += 1;
                        any = true;
                    }
                    *slot = Some(r.value);
                } else {
                    sealed += 1;
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
    println!(
        "{seen} articles with full text: {sealed} texts sealed, {resealed} re-sealed under key {}",
        keyring.current_id()
    );
    Ok(())
}

/// `newsdesk unseal FILE` / `keys open FILE`.
pub fn open_document(data_dir: &Path, file: &Path) -> anyhow::Result<ExitCode> {
    let bytes = std::fs::read(file).with_context(|| format!("reading {}", file.display()))?;
    let text = String::from_utf8(bytes)
        .map_err(|_| anyhow::anyhow!("{}: not UTF-8 text", file.display()))?;
    let doc = newsdesk_model::Document::parse(&text)
        .map_err(|e| anyhow::anyhow!("{}: {e}", file.display()))?;
    let Some(secured) = doc.article.secured.as_deref() else {
        bail!("{}: field `secured`: the document has none", file.display());
    };
    let Some(identity) = doc.article.identity_key() else {
        bail!(
            "{}: field `secured`: the document has no webUrl/originalUrl, so the article it belongs to is unknown",
            file.display()
        );
    };
    let Some((keyring, _)) = load(data_dir)? else {
        bail!("no keyring: pass --key-file, set {KEYS_ENV}, or run `newsdesk keys new`");
    };
    let opened = SecuredValue::parse(secured)
        .map_err(anyhow::Error::from)
        .and_then(|_| {
            keyring
                .open(&identity, secured)
                .map_err(anyhow::Error::from)
        })
        .map_err(|e| anyhow::anyhow!("{}: field `secured`: {e}", file.display()))?;
    println!("{}", opened.text);
    Ok(ExitCode::SUCCESS)
}
