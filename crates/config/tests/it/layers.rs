//! Each layer beats the one below it: default < file < environment < flag.

use std::net::SocketAddr;
use std::path::PathBuf;

use newsdesk_config::{Loader, Source, DEFAULT_DATA_DIR};

use crate::{data_dir, file_in, load};

const FILE: &str = "\
[server]
addr = \"0.0.0.0:9000\"
readers = 8
cors_origins = [\"https://a.example\", \"https://b.example\"]

[fetch]
per_host_delay_ms = 2500
";

#[test]
fn without_a_file_every_value_is_the_default() {
    let dir = data_dir(&[]);
    let s = load(dir.path(), &[]).unwrap();
    for e in s.entries() {
        if e.key != "data_dir" {
            assert_eq!(e.source, Source::Default, "{}", e.key);
        }
    }
    assert_eq!(
        *s.server.addr.get(),
        "127.0.0.1:8080".parse::<SocketAddr>().unwrap()
    );
    assert_eq!(*s.server.readers.get(), 4);
    assert_eq!(*s.server.anonymous_rate.get(), 600);
    assert_eq!(*s.server.key_rate.get(), 6000);
    assert_eq!(*s.run.concurrency.get(), 8);
    assert_eq!(*s.images.cache_mb.get(), 512);
    assert!(*s.editorial.keep_given.get());
}

#[test]
fn the_file_beats_the_defaults_and_says_its_line() {
    let dir = data_dir(&[("newsdesk.toml", FILE)]);
    let s = load(dir.path(), &[]).unwrap();
    let path = file_in(dir.path(), "newsdesk.toml");
    assert_eq!(
        *s.server.addr.get(),
        "0.0.0.0:9000".parse::<SocketAddr>().unwrap()
    );
    assert_eq!(
        *s.server.addr.source(),
        Source::File {
            path: path.clone(),
            line: 2
        }
    );
    assert_eq!(*s.server.readers.get(), 8);
    assert_eq!(
        *s.server.cors_origins.get(),
        vec![
            "https://a.example".to_string(),
            "https://b.example".to_string()
        ]
    );
    assert_eq!(*s.fetch.per_host_delay_ms.get(), 2500);
    assert_eq!(
        *s.fetch.per_host_delay_ms.source(),
        Source::File { path, line: 7 }
    );
    // What the file does not name stays the default.
    assert_eq!(*s.server.key_rate.source(), Source::Default);
}

#[test]
fn the_environment_beats_the_file() {
    let dir = data_dir(&[("newsdesk.toml", FILE)]);
    let s = load(
        dir.path(),
        &[
            ("NEWSDESK_SERVER_READERS", "2"),
            (
                "NEWSDESK_SERVER_CORS_ORIGINS",
                "https://c.example, https://d.example",
            ),
            ("NEWSDESK_RUN_FETCH_PAGES", "false"),
        ],
    )
    .unwrap();
    assert_eq!(*s.server.readers.get(), 2);
    assert_eq!(
        *s.server.readers.source(),
        Source::Env("NEWSDESK_SERVER_READERS".into())
    );
    assert_eq!(
        *s.server.cors_origins.get(),
        vec![
            "https://c.example".to_string(),
            "https://d.example".to_string()
        ]
    );
    assert!(!*s.run.fetch_pages.get());
    // The file's other values still hold.
    assert_eq!(
        *s.server.addr.get(),
        "0.0.0.0:9000".parse::<SocketAddr>().unwrap()
    );
}

#[test]
fn a_flag_beats_the_environment_and_an_absent_flag_changes_nothing() {
    let dir = data_dir(&[("newsdesk.toml", FILE)]);
    let mut s = load(dir.path(), &[("NEWSDESK_SERVER_ADDR", "127.0.0.1:7000")]).unwrap();
    s.server.readers.flag(None, "--readers");
    assert_eq!(*s.server.readers.get(), 8, "no flag: the file's value");
    s.server
        .addr
        .flag(Some("127.0.0.1:7100".parse().unwrap()), "--addr");
    assert_eq!(
        *s.server.addr.get(),
        "127.0.0.1:7100".parse::<SocketAddr>().unwrap()
    );
    assert_eq!(*s.server.addr.source(), Source::Flag("--addr".into()));
}

#[test]
fn the_data_folder_comes_from_the_flag_then_the_variable_then_the_default() {
    let flagged = data_dir(&[]);
    let other = data_dir(&[("newsdesk.toml", "[server]\nreaders = 3\n")]);
    let other_dir = other.path().to_str().unwrap();
    let s = Loader::new()
        .data_dir_flag(Some(flagged.path().to_path_buf()))
        .env([("NEWSDESK_DATA_DIR", other_dir)])
        .load()
        .unwrap();
    assert_eq!(s.data_dir.get(), flagged.path());
    assert_eq!(*s.data_dir.source(), Source::Flag("--data-dir".into()));
    assert_eq!(
        *s.server.readers.get(),
        4,
        "the other folder's file is not read"
    );

    let s = Loader::new()
        .env([("NEWSDESK_DATA_DIR", other_dir)])
        .load()
        .unwrap();
    assert_eq!(s.data_dir.get(), other.path());
    assert_eq!(
        *s.data_dir.source(),
        Source::Env("NEWSDESK_DATA_DIR".into())
    );
    assert_eq!(
        *s.server.readers.get(),
        3,
        "the file in the named folder is read"
    );

    let s = Loader::new().env([("HOME", "/somewhere")]).load().unwrap();
    assert_eq!(*s.data_dir.get(), PathBuf::from(DEFAULT_DATA_DIR));
    assert_eq!(*s.data_dir.source(), Source::Default);
}

#[test]
fn todays_variables_keep_their_names() {
    let dir = data_dir(&[("newsdesk.toml", "editor = \"from-file\"\n")]);
    let s = load(dir.path(), &[]).unwrap();
    assert_eq!(s.editor.get().as_deref(), Some("from-file"));
    let s = load(
        dir.path(),
        &[("NEWSDESK_EDITOR", "ada"), ("NEWSDESK_KEYS", "k1:c2VjcmV0")],
    )
    .unwrap();
    assert_eq!(s.editor.get().as_deref(), Some("ada"));
    assert_eq!(*s.editor.source(), Source::Env("NEWSDESK_EDITOR".into()));
    assert_eq!(
        s.keys.get().as_ref().map(|k| k.expose()),
        Some("k1:c2VjcmV0")
    );
}

#[test]
fn the_key_file_follows_todays_order() {
    let dir = data_dir(&[("newsdesk.toml", "key_file = \"/etc/newsdesk/keyring\"\n")]);
    let s = load(dir.path(), &[]).unwrap();
    assert_eq!(
        s.key_file_in_effect(),
        Some(std::path::Path::new("/etc/newsdesk/keyring"))
    );
    // NEWSDESK_KEYS beats a key file named by the file...
    let mut s = load(dir.path(), &[("NEWSDESK_KEYS", "k1:c2VjcmV0")]).unwrap();
    assert_eq!(s.key_file_in_effect(), None);
    // ...and --key-file beats NEWSDESK_KEYS, as it always has.
    s.key_file.flag(Some(Some("/tmp/k".into())), "--key-file");
    assert_eq!(s.key_file_in_effect(), Some(std::path::Path::new("/tmp/k")));
}

#[test]
fn other_variables_are_ignored() {
    let dir = data_dir(&[]);
    let s = load(
        dir.path(),
        &[("NEWSDESK_REQUIRE_SHARED", "1"), ("SERVER_READERS", "x")],
    )
    .unwrap();
    assert_eq!(*s.server.readers.get(), 4);
}

#[test]
fn an_empty_variable_unsets_an_optional_value() {
    let dir = data_dir(&[(
        "newsdesk.toml",
        "[server]\nbase_url = \"https://news.example\"\n",
    )]);
    let s = load(dir.path(), &[("NEWSDESK_SERVER_BASE_URL", "")]).unwrap();
    assert_eq!(*s.server.base_url.get(), None);
}
