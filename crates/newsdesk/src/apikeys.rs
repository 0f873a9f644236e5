//! `newsdesk apikeys issue|list|revoke`: API keys for the HTTP API. A token
//! is printed once, at issue; the store keeps only its hash.

use std::process::ExitCode;

use anyhow::{bail, Context};
use clap::Subcommand;
use newsdesk_desk::DeskPaths;
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

/// `N/min`, `N/s`, `N/h` or `N` (per minute) as requests per minute.
pub fn parse_rate(text: &str) -> anyhow::Result<i64> {
    let t = text.trim();
    let (n, unit) = t.split_once('/').unwrap_or((t, "min"));
    let n: i64 = n
        .trim()
        .parse()
        .ok()
        .filter(|n| *n > 0)
        .with_context(|| format!("--rate: expected `N/min` with N > 0, found {text:?}"))?;
    let per_min = match unit.trim() {
        "min" | "m" => n,
        "s" | "sec" => n.saturating_mul(60),
        "h" | "hour" => (n / 60).max(1),
        other => bail!("--rate: expected a unit of s, min or h, found {other:?}"),
    };
    Ok(per_min)
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
            let rate = rate.as_deref().map(parse_rate).transpose()?;
            let issued = newsdesk_desk::apikeys::issue(
                &mut *store,
                &name,
                role,
                scopes,
                rate,
                chrono::Utc::now(),
            )?;
            eprintln!(
                "issued key {} ({role}); the token below is shown once, keep it safe:",
                issued.record.to_row().id
            );
            println!("{}", issued.token());
        }
        ApiKeysCommand::List => {
            println!(
                "{:<16}  {:<20}  {:<6}  {:<16}  {:<8}  {:<20}  revoked",
                "id", "name", "role", "scopes", "rate/min", "created"
            );
            for k in store.api_keys()? {
                println!(
                    "{:<16}  {:<20}  {:<6}  {:<16}  {:<8}  {:<20}  {}",
                    k.id,
                    k.name,
                    k.role,
                    if k.scopes.is_empty() { "-" } else { &k.scopes },
                    k.rate_per_min
                        .map(|r| r.to_string())
                        .unwrap_or_else(|| "default".into()),
                    k.created,
                    k.revoked.as_deref().unwrap_or("-")
                );
            }
        }
        ApiKeysCommand::Revoke { id } => {
            if !newsdesk_desk::apikeys::revoke(&mut *store, &id, chrono::Utc::now())? {
                bail!("there is no API key {id:?} (see `newsdesk apikeys list`)");
            }
            println!("revoked key {id}");
        }
    }
    Ok(ExitCode::SUCCESS)
}

#[cfg(test)]
mod tests {
    use super::parse_rate;

    #[test]
    fn rates_read_per_minute() {
        assert_eq!(parse_rate("120/min").unwrap(), 120);
        assert_eq!(parse_rate("120").unwrap(), 120);
        assert_eq!(parse_rate("2/s").unwrap(), 120);
        assert_eq!(parse_rate("600/h").unwrap(), 10);
        assert_eq!(parse_rate("1/h").unwrap(), 1);
        for bad in ["0/min", "-3", "x/min", "5/day", ""] {
            assert!(parse_rate(bad).is_err(), "{bad}");
        }
    }
}
