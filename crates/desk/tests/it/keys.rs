//! The keyring's resolution order and a sealed store, through the library:
//! no process spawned, no process environment read.

use std::path::Path;

use chrono::{TimeZone, Utc};
use newsdesk_desk::keys::{self, KeyOrigin};
use newsdesk_desk::{DeskError, DeskPaths, KeySource, KeysVar};
use newsdesk_model::Article;
use newsdesk_secure::Keyring;
use newsdesk_store::conformance::sample;
use newsdesk_store::{Batch, SourceInfo, StoreError};
use zeroize::Zeroizing;

/// A new keyring saved at `path`; returns its current key id.
fn keyring_at(path: &Path) -> String {
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    let k = Keyring::generate().unwrap();
    k.save(path).unwrap();
    k.current_id().to_string()
}

fn current(paths: &DeskPaths) -> Option<(String, KeyOrigin)> {
    paths
        .keyring()
        .unwrap()
        .map(|l| (l.keyring.current_id().to_string(), l.origin))
}

#[test]
fn the_keyring_comes_from_the_flag_then_the_variable_then_the_data_folder() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let flag = dir.path().join("flag-keyring");
    let in_data = keys::default_key_file(&data);
    let (flag_id, data_id) = (keyring_at(&flag), keyring_at(&in_data));
    let var_file = dir.path().join("var-keyring");
    let var_id = keyring_at(&var_file);
    let var = || KeysVar::Text(Zeroizing::new(std::fs::read_to_string(&var_file).unwrap()));

    let all = DeskPaths::new(
        &data,
        KeySource {
            file: Some(flag.clone()),
            var: var(),
        },
    );
    assert_eq!(
        current(&all),
        Some((flag_id, KeyOrigin::File(flag.clone())))
    );

    let no_flag = DeskPaths::new(
        &data,
        KeySource {
            file: None,
            var: var(),
        },
    );
    assert_eq!(current(&no_flag), Some((var_id, KeyOrigin::Env)));

    let folder_only = DeskPaths::new(&data, KeySource::default());
    assert_eq!(
        current(&folder_only),
        Some((data_id, KeyOrigin::File(in_data.clone())))
    );

    std::fs::remove_file(&in_data).unwrap();
    assert_eq!(current(&folder_only), None);

    // The variable cannot be changed by the desk: no writable key file.
    assert!(matches!(
        no_flag.keys.writable_file(&data),
        Err(DeskError::KeysFromEnv)
    ));
    assert_eq!(all.keys.writable_file(&data).unwrap(), flag);
    assert_eq!(folder_only.keys.writable_file(&data).unwrap(), in_data);
}

#[test]
fn a_variable_that_is_not_a_keyring_is_an_error_naming_it() {
    let dir = tempfile::tempdir().unwrap();
    let paths = DeskPaths::new(
        dir.path(),
        KeySource {
            file: None,
            var: KeysVar::Text(Zeroizing::new("not a key file".into())),
        },
    );
    let e = paths.keyring().err().expect("a bad variable is refused");
    assert!(e.to_string().contains("NEWSDESK_KEYS"), "{e}");
}

fn with_body(url: &str, title: &str) -> Article {
    Article {
        body: Some(format!("{title}: the secret body of the story.")),
        content_html: None,
        ..sample(url, title)
    }
}

#[test]
fn a_sealed_store_opens_only_with_its_keyring_and_keys_rotate_and_retire() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let key_file = dir.path().join("keys").join("keyring");
    let keyed = DeskPaths::new(
        &data,
        KeySource {
            file: Some(key_file.clone()),
            var: KeysVar::Unset,
        },
    );
    let bare = DeskPaths::new(&data, KeySource::default());

    // Stored in clear first, then a key: its bodies are sealed.
    let mut store = bare.open_store().unwrap();
    let report = store
        .ingest(
            &Batch {
                source: SourceInfo {
                    locator: "feed.xml".into(),
                    kind: "rss".into(),
                    title: None,
                },
                articles: vec![
                    with_body("https://a.test/1", "First"),
                    with_body("https://a.test/2", "Second"),
                ],
            },
            Utc.with_ymd_and_hms(2026, 3, 1, 12, 0, 0).unwrap(),
        )
        .unwrap();
    drop(store);
    let id = report.outcomes[0].0;
    let now = Utc.with_ymd_and_hms(2026, 3, 2, 12, 0, 0).unwrap();
    let first = keys::add_key(&keyed, now).unwrap();
    assert_eq!(first.file, key_file);
    let sealed = keys::seal_all(&keyed, &first.keyring).unwrap();
    assert_eq!((sealed.seen, sealed.sealed, sealed.resealed), (2, 2, 0));
    assert_eq!(keys::read_created(&key_file).len(), 1);

    // Without the keyring: refused.
    match bare.open_store() {
        Err(DeskError::Backend(StoreError::KeyringNeeded { .. })) => {}
        Err(e) => panic!("expected KeyringNeeded, got {e}"),
        Ok(_) => panic!("a sealed store opened without its keyring"),
    }
    // With it: the body reads in clear.
    let store = keyed.open_store().unwrap();
    let a = store.article(id).unwrap().unwrap();
    assert_eq!(
        a.article.body.as_deref(),
        Some("First: the secret body of the story.")
    );
    drop(store);

    // Rotate: everything re-sealed under the new key; the old one retires.
    let second = keys::add_key(&keyed, now).unwrap();
    let resealed = keys::seal_all(&keyed, &second.keyring).unwrap();
    assert_eq!((resealed.sealed, resealed.resealed), (0, 2));
    assert!(matches!(
        keys::retire(&keyed, second.id.as_str()),
        Err(DeskError::KeyIsCurrent(_))
    ));
    let retired = keys::retire(&keyed, first.id.as_str()).unwrap();
    assert_eq!(retired.id, first.id);
    let left = keyed.keyring().unwrap().unwrap().keyring;
    assert_eq!(left.ids().count(), 1);
    assert_eq!(left.current_id(), &second.id);
    let store = keyed.open_store().unwrap();
    assert_eq!(
        store.article(id).unwrap().unwrap().article.body.as_deref(),
        Some("First: the secret body of the story.")
    );
}
