//! `newsdesk keys ...` and `newsdesk unseal`: the keyring's commands
//! (`newsdesk_desk::keys`). Key material is never printed, only key ids.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::bail;
use chrono::Utc;
use clap::Subcommand;
use newsdesk_desk::keys as lib;
use newsdesk_desk::DeskPaths;

#[derive(Subcommand)]
pub enum KeysCommand {
    /// Create the keyring (DATA_DIR/keys/keyring, mode 0600) or add a current key; seal clear bodies.
    New,
    /// Key ids, which one is current, when each was created (never the keys).
    List,
    /// Add a current key and re-seal every body with it (can be re-run); older keys stay until retired.
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
            let added = lib::add_key(paths, Utc::now())?;
            println!("{added}");
            println!("{}", lib::seal_all(paths, &added.keyring)?);
        }
        KeysCommand::List => match paths.keyring()? {
            Some(loaded) => print!("{}", lib::list_text(&loaded)),
            None => println!("no keyring (run `newsdesk keys new`)"),
        },
        KeysCommand::Rotate { retire } => {
            let added = lib::add_key(paths, Utc::now())?;
            println!("{added}");
            println!("{}", lib::seal_all(paths, &added.keyring)?);
            if retire {
                for k in added.older_ids() {
                    println!("{}", lib::retire(paths, k.as_str())?);
                }
            }
        }
        KeysCommand::Retire { id } => println!("{}", lib::retire(paths, &id)?),
        KeysCommand::Seal => {
            let Some(loaded) = paths.keyring()? else {
                bail!(
                    "no keyring: run `newsdesk keys new` first (or set NEWSDESK_KEYS / --key-file)"
                );
            };
            println!("{}", lib::seal_all(paths, &loaded.keyring)?);
        }
        KeysCommand::Open { file } => return open_document(paths, &file),
    }
    Ok(ExitCode::SUCCESS)
}

/// `newsdesk unseal FILE` / `keys open FILE`.
pub fn open_document(paths: &DeskPaths, file: &Path) -> anyhow::Result<ExitCode> {
    println!("{}", lib::open_document(paths, file)?.text);
    Ok(ExitCode::SUCCESS)
}
