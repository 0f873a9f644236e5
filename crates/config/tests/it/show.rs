//! What `newsdesk config` prints: each value and its source, secrets redacted.

use newsdesk_config::{redact_userinfo, show, Secret, REDACTED};

use crate::{data_dir, load};

#[test]
fn each_line_says_where_the_value_came_from() {
    let dir = data_dir(&[("newsdesk.toml", "[server]\nreaders = 8\n")]);
    let mut s = load(dir.path(), &[("NEWSDESK_SERVER_KEY_RATE", "100")]).unwrap();
    s.server
        .addr
        .flag(Some("127.0.0.1:9999".parse().unwrap()), "--addr");
    let text = show::to_text(&s);
    let line = |key: &str| {
        text.lines()
            .find(|l| l.starts_with(&format!("{key} = ")))
            .unwrap_or_else(|| panic!("{key} in\n{text}"))
            .to_string()
    };
    assert!(
        line("server.readers").contains("= 8")
            && line("server.readers").ends_with("newsdesk.toml:2")
    );
    assert!(line("server.key_rate").ends_with("# env NEWSDESK_SERVER_KEY_RATE"));
    assert!(
        line("server.addr").contains("\"127.0.0.1:9999\"")
            && line("server.addr").ends_with("# flag --addr")
    );
    assert!(line("server.anonymous_rate").ends_with("# default"));
    assert!(line("editorial.topics").contains("(unset)"));
}

#[test]
fn secrets_are_never_printed() {
    let dir = data_dir(&[]);
    let s = load(
        dir.path(),
        &[
            ("NEWSDESK_KEYS", "k1:c3VwZXJzZWNyZXQ"),
            (
                "NEWSDESK_SERVER_BASE_URL",
                "https://editor:hunter2@news.example/desk",
            ),
        ],
    )
    .unwrap();
    let text = show::to_text(&s);
    let json = show::to_json(&s).to_string();
    for out in [&text, &json] {
        assert!(!out.contains("c3VwZXJzZWNyZXQ"), "{out}");
        assert!(!out.contains("hunter2"), "{out}");
        assert!(out.contains(REDACTED), "{out}");
        assert!(out.contains("news.example/desk"), "{out}");
    }
    assert_eq!(format!("{:?}", Secret::new("x")), REDACTED);
    assert!(
        !format!("{s:?}").contains("c3VwZXJzZWNyZXQ"),
        "Debug redacts too"
    );
}

#[test]
fn urls_keep_all_but_their_password() {
    assert_eq!(
        redact_userinfo("https://u:p@h.example:8443/a@b"),
        format!("https://u:{REDACTED}@h.example:8443/a@b")
    );
    assert_eq!(
        redact_userinfo("https://u@h.example/"),
        "https://u@h.example/"
    );
    assert_eq!(
        redact_userinfo("https://h.example/?a=b@c"),
        "https://h.example/?a=b@c"
    );
    assert_eq!(redact_userinfo("not a url"), "not a url");
}

#[test]
fn json_gives_value_source_and_file_line() {
    let dir = data_dir(&[("newsdesk.toml", "[images]\ncache_mb = 64\n")]);
    let s = load(dir.path(), &[]).unwrap();
    let v = show::to_json(&s);
    assert_eq!(v["file_present"], true);
    let e = &v["settings"]["images.cache_mb"];
    assert_eq!(e["value"], 64);
    assert_eq!(e["from"], "file");
    assert_eq!(e["line"], 2);
    assert_eq!(v["settings"]["server.readers"]["from"], "default");
    assert_eq!(
        v["settings"]["editorial.quality_bar"]["value"],
        serde_json::Value::Null
    );
}
