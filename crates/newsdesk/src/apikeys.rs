//! `newsdesk apikeys issue|list|revoke`: API keys for the HTTP API. A token
//! is printed once, at issue; the store keeps only its hash.

use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Subcommand;
use newsdesk_desk::{apikeys, DeskPaths};
use newsdesk_secure::{Role, Scope};

#[derive(Subcommand)]
pub enum ApiKeysCommand {
    /// Issue a key; its token is printed once and never again.
    Issue {
        /// What the key is for (shown in lists and as the editor in the audit log).
        #[arg(long)]
        name: String,
        /// reader, editor or admin.
        #[arg(long, default_value = "reader")]
        role: String,
        /// Extra permissions, comma-separated: fulltext, export.
        #[arg(long, value_delimiter = ',')]
        scope: Vec<String>,
        /// The key's request budget, `N/min` (or `N/s`); default: the server's.
        #[arg(long)]
        rate: Option<String>,
    },
    /// Every key: id, name, role, scopes, rate, created, revoked (never tokens).
    List,
    /// Revoke a key by id; the server stops accepting it within seconds.
    Revoke { id: String },
}

pub fn run(paths: &DeskPaths, command: ApiKeysCommand) -> anyhow::Result<ExitCode> {
    // API keys hold no full text: the plain store is enough.
    let mut store = paths.open_plain_store()?;
    match command {
        ApiKeysCommand::Issue {
            name,
            role,
            scope,
            rate,
        } => {
            let role: Role = role
                .parse()
                .map_err(|e: String| anyhow::anyhow!("--role: {e}"))?;
            let scopes =
                Scope::parse_list(&scope.join(",")).map_err(|e| anyhow::anyhow!("--scope: {e}"))?;
            let rate = rate.as_deref().map(apikeys::parse_rate).transpose();
            let rate = rate.context("--rate")?;
            let now = chrono::Utc::now();
            let issued = apikeys::issue(&mut *store, &name, role, scopes, rate, now)?;
            eprintln!(
                "issued key {} ({role}); the token below is shown once, keep it safe:",
                issued.record.to_row().id
            );
            println!("{}", issued.token());
        }
        ApiKeysCommand::List => print!("{}", apikeys::table(&store.api_keys()?)),
        ApiKeysCommand::Revoke { id } => {
            if !apikeys::revoke(&mut *store, &id, chrono::Utc::now())? {
                bail!("there is no API key {id:?} (see `newsdesk apikeys list`)");
            }
            println!("revoked key {id}");
        }
    }
    Ok(ExitCode::SUCCESS)
}
