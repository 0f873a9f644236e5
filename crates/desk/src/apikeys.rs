//! API keys for the HTTP API: issued with a secret shown once (the store
//! keeps its hash only), revoked by id.

use chrono::{DateTime, Utc};
use newsdesk_secure::{ApiKeyRecord, IssuedApiKey, Role, Scope};
use newsdesk_store::{ApiKeyStoreRow, DeskStore};

use crate::DeskError;

/// Issues a key and stores its record; `rate_per_min`: its own request
/// budget (`None`: the server's). The returned key's token is the only
/// copy of its secret.
pub fn issue(
    store: &mut dyn DeskStore,
    name: &str,
    role: Role,
    scopes: Vec<Scope>,
    rate_per_min: Option<i64>,
    now: DateTime<Utc>,
) -> Result<IssuedApiKey, DeskError> {
    let issued = ApiKeyRecord::issue(name, role, scopes, now)?;
    let row = issued.record.to_row();
    store.insert_api_key(&ApiKeyStoreRow {
        id: row.id,
        name: row.name,
        secret_hash: row.secret_hash,
        role: row.role,
        scopes: row.scopes,
        created: row.created,
        last_used: row.last_used,
        revoked: row.revoked,
        rate_per_min,
    })?;
    Ok(issued)
}

/// Revokes key `id` as of `now`; `false`: there is no such key.
pub fn revoke(store: &mut dyn DeskStore, id: &str, now: DateTime<Utc>) -> Result<bool, DeskError> {
    let at = now.to_rfc3339_opts(chrono::SecondsFormat::Secs, true);
    Ok(store.revoke_api_key(id, &at)?)
}

/// `N/min`, `N/s`, `N/h` or `N` (per minute) as requests per minute.
pub fn parse_rate(text: &str) -> Result<i64, DeskError> {
    let t = text.trim();
    let (n, unit) = t.split_once('/').unwrap_or((t, "min"));
    let n: i64 =
        n.trim().parse().ok().filter(|n| *n > 0).ok_or_else(|| {
            DeskError::Config(format!("expected `N/min` with N > 0, found {text:?}"))
        })?;
    match unit.trim() {
        "min" | "m" => Ok(n),
        "s" | "sec" => Ok(n.saturating_mul(60)),
        "h" | "hour" => Ok((n / 60).max(1)),
        other => Err(DeskError::Config(format!(
            "expected a unit of s, min or h, found {other:?}"
        ))),
    }
}

/// The keys as a table: id, name, role, scopes, rate, created, revoked
/// (never secrets).
pub fn table(keys: &[ApiKeyStoreRow]) -> String {
    use std::fmt::Write;
    let mut out = format!(
        "{:<16}  {:<20}  {:<6}  {:<16}  {:<8}  {:<20}  revoked\n",
        "id", "name", "role", "scopes", "rate/min", "created"
    );
    for k in keys {
        let _ = writeln!(
            out,
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
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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

    #[test]
    fn the_table_shows_defaults_and_no_secrets() {
        let row = ApiKeyStoreRow {
            id: "k1".into(),
            name: "reader bot".into(),
            secret_hash: "SECRET-HASH".into(),
            role: "reader".into(),
            scopes: String::new(),
            created: "2026-01-02T00:00:00Z".into(),
            last_used: None,
            revoked: None,
            rate_per_min: None,
        };
        let t = table(&[row]);
        let line = t.lines().nth(1).unwrap();
        assert!(line.starts_with("k1 "), "{line}");
        assert!(line.contains(" -  ") && line.contains("default"), "{line}");
        assert!(!t.contains("SECRET"));
    }
}
