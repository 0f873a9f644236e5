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
