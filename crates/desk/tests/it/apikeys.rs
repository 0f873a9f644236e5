//! API keys in-process: the token is returned once, the store keeps the
//! record with its own rate, and revoking knows which keys exist.

use chrono::Utc;
use newsdesk_desk::apikeys::{issue, revoke};
use newsdesk_desk::{DeskPaths, KeySource};
use newsdesk_secure::{Role, Scope};

#[test]
fn a_key_is_issued_stored_without_its_secret_and_revoked() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DeskPaths::new(dir.path(), KeySource::default());
    let mut store = paths.open_plain_store().unwrap();
    let issued = issue(
        &mut *store,
        "newsroom app",
        Role::Editor,
        vec![Scope::Fulltext],
        Some(120),
        Utc::now(),
    )
    .unwrap();
    let id = issued.record.to_row().id;
    let rows = store.api_keys().unwrap();
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0].id, id);
    assert_eq!(rows[0].name, "newsroom app");
    assert_eq!(rows[0].rate_per_min, Some(120));
    assert!(rows[0].secret_hash.starts_with("sha256:"));
    let secret = issued.token().rsplit('_').next().unwrap().to_string();
    assert!(!rows[0].secret_hash.contains(&secret));
    assert!(rows[0].revoked.is_none());

    assert!(revoke(&mut *store, &id, Utc::now()).unwrap());
    assert!(store.api_keys().unwrap()[0].revoked.is_some());
    assert!(!revoke(&mut *store, "nd_nosuchkey", Utc::now()).unwrap());
}
