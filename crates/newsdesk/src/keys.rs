//! `newsdesk keys ...` and `newsdesk unseal`: the keyring's commands and
//! their output. Where the keyring comes from, sealing and re-sealing are
//! the desk library's (`newsdesk_desk::keys`). Key material is never
//! printed: only key ids.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;
use chrono::Utc;
use clap::Subcommand;
use newsdesk_desk::keys::{self as lib, Sealed};
use newsdesk_desk::DeskPaths;
use newsdesk_secure::KeyId;

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

pub fn run(paths: &DeskPaths, command: KeysCommand) -> anyhow::Result<ExitCode> {
    match command {
        KeysCommand::New => {
            let added = added(paths)?;
            print_sealed(&lib::seal_all(paths, &added.keyring)?);
        }
        KeysCommand::List => list(paths)?,
        KeysCommand::Rotate { retire } => {
            let added = added(paths)?;
            print_sealed(&lib::seal_all(paths, &added.keyring)?);
            if retire {
                let old: Vec<KeyId> = added
                    .keyring
                    .ids()
                    .filter(|k| **k != added.id)
                    .cloned()
                    .collect();
                for k in old {
                    print_retired(&lib::retire(paths, k.as_str())?);
                }
            }
        }
        KeysCommand::Retire { id } => print_retired(&lib::retire(paths, &id)?),
        KeysCommand::Seal => {
            let Some(loaded) = paths.keyring()? else {
                bail!(
                    "no keyring: run `newsdesk keys new` first (or set NEWSDESK_KEYS / --key-file)"
                );
            };
            print_sealed(&lib::seal_all(paths, &loaded.keyring)?);
        }
        KeysCommand::Open { file } => return open_document(paths, &file),
    }
    Ok(ExitCode::SUCCESS)
}

/// Adds a new current key and says so.
fn added(paths: &DeskPaths) -> anyhow::Result<lib::AddedKey> {
    let added = lib::add_key(paths, Utc::now())?;
    println!(
        "key {} added to {} (current)",
        added.id,
        added.file.display()
    );
    Ok(added)
}

fn print_sealed(s: &Sealed) {
    println!(
        "{} articles with full text: {} texts sealed, {} re-sealed under key {}",
        s.seen, s.sealed, s.resealed, s.key
    );
}

fn print_retired(r: &lib::Retired) {
    print_sealed(&r.sealed);
    println!("key {} retired from {}", r.id, r.file.display());
}

fn list(paths: &DeskPaths) -> anyhow::Result<()> {
    match paths.keyring()? {
        Some(loaded) => print!("{}", lib::list_text(&loaded)),
        None => println!("no keyring (run `newsdesk keys new`)"),
    }
    Ok(())
}

/// `newsdesk unseal FILE` / `keys open FILE`.
pub fn open_document(paths: &DeskPaths, file: &Path) -> anyhow::Result<ExitCode> {
    println!("{}", lib::open_document(paths, file)?.text);
    Ok(ExitCode::SUCCESS)
}
