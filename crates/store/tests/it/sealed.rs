//! Full text kept sealed at rest: the store seals on write, opens on read,
//! and without a sealer never hands out a sealed value as text.

use std::sync::Arc;

use chrono::{TimeZone, Utc};
use newsdesk_store::conformance::sample;
use newsdesk_store::prelude::*;
use newsdesk_store::{
    is_sealed, sealed_document_form, ApiKeyStoreRow, Batch, SealError, SourceInfo, SqliteStore,
    Store, StoreError, TextSealer,
};

/// A stand-in sealer: hex of identity-tagged text (not encryption; the
/// real one is `newsdesk_secure::Keyring`).
struct HexSealer;

fn hex(b: &[u8]) -> String {
    b.iter().map(|b| format!("{b:02x}")).collect()
}

impl TextSealer for HexSealer {
    fn seal(&self, identity: &str, text: &str) -> Result<String, SealError> {
        Ok(format!(
            "v1:hex:{}:{}",
            hex(identity.as_bytes()),
            hex(text.as_bytes())
        ))
    }
    fn open(&self, identity: &str, stored: &str) -> Result<String, SealError> {
        let parts: Vec<&str> = stored.split(':').collect();
        if parts[2] != hex(identity.as_bytes()) {
            return Err(SealError("bound to another article".into()));
        }
        let bytes: Vec<u8> = (0..parts[3].len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&parts[3][i..i + 2], 16).unwrap())
            .collect();
        Ok(String::from_utf8(bytes).unwrap())
    }
}

const SENTENCE: &str = "The quiet harbour committee approved seventeen new lighthouses.";

fn batch() -> Batch {
    let mut a = sample("https://x.test/one", "One");
    a.body = Some(format!("Intro. {SENTENCE} Outro."));
    a.content_html = Some(format!("<p>{SENTENCE}</p>"));
    Batch {
        source: SourceInfo {
            locator: "in.xml".into(),
            kind: "rss".into(),
            title: None,
        },
        articles: vec![a],
    }
}

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2024, 1, 2, 3, 4, 5).unwrap()
}

#[test]
fn with_a_sealer_bodies_are_written_sealed_and_read_open() {
    let dir = tempfile::tempdir().unwrap();
    let mut store = SqliteStore::open(dir.path()).unwrap();
    store.set_sealer(Arc::new(HexSealer)).unwrap();
    let report = store.ingest(&batch(), now()).unwrap();
    let id = report.outcomes[0].0;
    let a = store.article(id).unwrap().unwrap();
    assert_eq!(a.identity, "url:https://x.test/one");
    assert!(a.article.body.as_deref().unwrap().contains(SENTENCE));
    assert!(a
        .article
        .content_html
        .as_deref()
        .unwrap()
        .contains(SENTENCE));
    let sealed = a.sealed_body.clone().unwrap();
    assert!(is_sealed(&sealed));
    let doc = sealed_document_form(&sealed).unwrap();
    assert!(doc.contains(';') && !doc.contains(':'));

    // The same article again is unchanged (the hash is of the clear text).
    let again = store.ingest(&batch(), now()).unwrap();
    assert_eq!(again.outcomes[0].1, newsdesk_store::Outcome::Unchanged);

    // Raw columns hold only the stored form.
    let texts = store.texts_after(0, 10).unwrap();
    assert_eq!(texts.len(), 1);
    assert!(is_sealed(texts[0].body.as_deref().unwrap()));
    assert!(is_sealed(texts[0].content_html.as_deref().unwrap()));

    // Values read by other code go through `open_text`.
    let raw = texts[0].body.clone();
    let opened = store.open_text(&a.identity, "body", raw.clone()).unwrap();
    assert!(opened.unwrap().contains(SENTENCE));
    assert_eq!(
        store
            .open_text(&a.identity, "body", Some("clear".into()))
            .unwrap(),
        Some("clear".into())
    );
    assert!(store
        .open_text("url:https://x.test/other", "body", raw.clone())
        .is_err());

    // Without a sealer: no text, the sealed value kept aside.
    let plain = SqliteStore::open(dir.path()).unwrap();
    let b = plain.article(id).unwrap().unwrap();
    assert_eq!(b.article.body, None);
    assert_eq!(b.article.content_html, None);
    assert_eq!(b.sealed_body.as_deref(), Some(sealed.as_str()));
    assert_eq!(plain.open_text(&a.identity, "body", raw).unwrap(), None);
}

#[test]
fn a_value_moved_to_another_article_is_refused_on_read() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    store.set_sealer(Arc::new(HexSealer)).unwrap();
    let mut b = batch();
    let mut other = sample("https://x.test/two", "Two");
    other.body = Some("Other text.".into());
    b.articles.push(other);
    let report = store.ingest(&b, now()).unwrap();
    let (one, two) = (report.outcomes[0].0, report.outcomes[1].0);
    let mut texts = store.texts_after(0, 10).unwrap();
    // Swap the sealed bodies of the two articles.
    let (b1, b2) = (texts[0].body.clone(), texts[1].body.clone());
    texts[0].body = b2;
    texts[1].body = b1;
    store.replace_texts(&texts).unwrap();
    for id in [one, two] {
        match store.article(id) {
            Err(StoreError::Sealing { column, .. }) => assert_eq!(column, "body"),
            other => panic!("expected a sealing error, got {other:?}"),
        }
    }
}

#[test]
fn clear_text_is_not_mistaken_for_sealed() {
    assert!(!is_sealed("v1: a sentence: with colons: here"));
    assert!(!is_sealed("Plain text."));
    assert!(is_sealed("v1:k1:AAAA:BBBB+/="));
    assert!(!is_sealed("v1:k1:AAAA:BBBB:CCCC"));
}

#[test]
fn api_keys_and_the_sealed_mark_are_stored() {
    let mut store = SqliteStore::open_in_memory().unwrap();
    assert!(!store.is_marked_sealed().unwrap());
    store.mark_sealed().unwrap();
    assert!(store.is_marked_sealed().unwrap());
    let row = ApiKeyStoreRow {
        id: "0123456789abcdef".into(),
        name: "ci".into(),
        secret_hash: format!("sha256:{}", "0".repeat(64)),
        role: "editor".into(),
        scopes: "fulltext".into(),
        created: "2024-01-02T03:04:05Z".into(),
        last_used: None,
        revoked: None,
        rate_per_min: Some(60),
    };
    store.insert_api_key(&row).unwrap();
    assert_eq!(store.api_key(&row.id).unwrap().as_ref(), Some(&row));
    assert!(store
        .revoke_api_key(&row.id, "2024-01-03T00:00:00Z")
        .unwrap());
    assert!(store
        .revoke_api_key(&row.id, "2024-01-04T00:00:00Z")
        .unwrap());
    let keys = store.api_keys().unwrap();
    assert_eq!(keys[0].revoked.as_deref(), Some("2024-01-03T00:00:00Z"));
    assert!(!store.revoke_api_key("ffffffffffffffff", "x").unwrap());
    assert_eq!(store.schema_version().unwrap(), 8);
}
