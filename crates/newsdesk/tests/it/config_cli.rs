//! `newsdesk config` and the configuration layers as a user meets them:
//! `DATA/newsdesk.toml`, `NEWSDESK_*` variables and flags, and `serve`
//! taking its settings from them.

use std::path::Path;

use crate::common::{cli, http_head, newsdesk, newsdesk_env, serve, stderr, stdout};

fn write(data: &Path, name: &str, text: &str) {
    std::fs::create_dir_all(data).unwrap();
    std::fs::write(data.join(name), text).unwrap();
}

/// The line of `newsdesk config` for `key`.
fn line<'a>(out: &'a str, key: &str) -> &'a str {
    out.lines()
        .find(|l| l.starts_with(&format!("{key} = ")))
        .unwrap_or_else(|| panic!("no {key} in\n{out}"))
}

#[test]
fn without_a_file_config_shows_the_defaults() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let o = newsdesk(&data, &["config"]);
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("not present"), "{out}");
    assert!(
        line(&out, "data_dir").ends_with("# flag --data-dir"),
        "{out}"
    );
    assert!(
        line(&out, "server.addr").contains("\"127.0.0.1:8080\""),
        "{out}"
    );
    assert!(line(&out, "server.addr").ends_with("# default"), "{out}");
    assert!(line(&out, "server.readers").contains("= 4 "), "{out}");
    assert!(line(&out, "run.concurrency").contains("= 8 "), "{out}");
    assert!(line(&out, "images.cache_mb").contains("= 512 "), "{out}");
    // Reading the configuration creates nothing.
    assert!(!data.exists());
}

#[test]
fn config_says_where_each_value_came_from() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    write(
        &data,
        "newsdesk.toml",
        "[server]\nreaders = 6\nkey_rate = 100\n\n[fetch]\nper_host_delay_ms = 3000\n",
    );
    write(&data, "desk.toml", "quality_bar = 30\n");
    let o = newsdesk_env(
        &data,
        &["config", "--key-rate", "250"],
        &[
            ("NEWSDESK_FETCH_PER_HOST_DELAY_MS", "5000"),
            ("NEWSDESK_KEYS", "k1:dG9wc2VjcmV0dG9wc2VjcmV0"),
        ],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(line(&out, "server.readers").contains("= 6"), "{out}");
    assert!(
        line(&out, "server.readers").ends_with("newsdesk.toml:2"),
        "{out}"
    );
    assert!(line(&out, "server.key_rate").contains("= 250"), "{out}");
    assert!(
        line(&out, "server.key_rate").ends_with("# flag --key-rate"),
        "{out}"
    );
    assert!(
        line(&out, "fetch.per_host_delay_ms").contains("= 5000"),
        "{out}"
    );
    assert!(
        line(&out, "fetch.per_host_delay_ms").ends_with("# env NEWSDESK_FETCH_PER_HOST_DELAY_MS"),
        "{out}"
    );
    assert!(
        line(&out, "editorial.quality_bar").ends_with("desk.toml:1"),
        "{out}"
    );
    assert!(line(&out, "keys").contains("<redacted>"), "{out}");
    assert!(
        !out.contains("dG9wc2VjcmV0"),
        "the key is never printed: {out}"
    );

    let o = newsdesk_env(
        &data,
        &["config", "--json"],
        &[("NEWSDESK_SERVER_READERS", "9")],
    );
    assert!(o.status.success(), "{}", stderr(&o));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(v["settings"]["server.readers"]["value"], 9);
    assert_eq!(
        v["settings"]["server.readers"]["source"],
        "env NEWSDESK_SERVER_READERS"
    );
    assert_eq!(v["settings"]["server.key_rate"]["from"], "file");
    assert_eq!(v["settings"]["server.key_rate"]["line"], 3);
}

#[test]
fn a_bad_value_stops_every_command_naming_file_line_and_key() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    write(&data, "newsdesk.toml", "[server]\n\nreaders = \"many\"\n");
    for args in [
        &["config"][..],
        &["stats"],
        &["serve", "--addr", "127.0.0.1:0"],
    ] {
        let o = newsdesk(&data, args);
        assert_eq!(o.status.code(), Some(2), "{args:?}");
        let err = stderr(&o);
        assert!(err.contains("newsdesk.toml:3"), "{args:?}: {err}");
        assert!(
            err.contains("`server.readers`") && err.contains("expected a whole number"),
            "{err}"
        );
    }
    write(&data, "newsdesk.toml", "[server]\nreader = 2\n");
    let err = stderr(&newsdesk(&data, &["config"]));
    assert!(err.contains("did you mean `server.readers`"), "{err}");

    std::fs::remove_file(data.join("newsdesk.toml")).unwrap();
    let o = newsdesk_env(&data, &["config"], &[("NEWSDESK_SERVER_ADDR", "nowhere")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(
        stderr(&o).contains("NEWSDESK_SERVER_ADDR"),
        "{}",
        stderr(&o)
    );
}

#[test]
fn the_data_folder_variable_still_works() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("elsewhere");
    write(&data, "newsdesk.toml", "[images]\ncache_mb = 64\n");
    let o = cli()
        .command(None)
        .arg("config")
        .env("NEWSDESK_DATA_DIR", &data)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    let out = stdout(&o);
    assert!(
        line(&out, "data_dir").ends_with("# env NEWSDESK_DATA_DIR"),
        "{out}"
    );
    assert!(line(&out, "images.cache_mb").contains("= 64"), "{out}");
}

#[test]
fn serve_takes_cors_origins_and_rates_from_the_file() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    write(
        &data,
        "newsdesk.toml",
        "[server]\ncors_origins = [\"https://desk.example\"]\nanonymous_rate = 2\n",
    );
    let served = serve(&data, &[]);
    let allowed = http_head(
        &served.addr,
        "/api/v1/articles",
        &[("Origin", "https://desk.example")],
    );
    assert!(allowed.starts_with("http/1.1 200"), "{allowed}");
    assert!(
        allowed.contains("access-control-allow-origin: https://desk.example"),
        "{allowed}"
    );
    let other = http_head(
        &served.addr,
        "/api/v1/articles",
        &[("Origin", "https://other.example")],
    );
    assert!(!other.contains("access-control-allow-origin"), "{other}");
    // Two requests a minute for an anonymous client: the third is refused.
    let third = http_head(&served.addr, "/api/v1/articles", &[]);
    assert!(third.starts_with("http/1.1 429"), "{third}");
}

#[test]
fn editors_actions_are_signed_with_the_configured_editor_unless_by_is_given() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    write(&data, "newsdesk.toml", "editor = \"file-editor\"\n");
    let run = |args: &[&str]| {
        let o = cli()
            .command(Some(&data))
            .env_remove("NEWSDESK_EDITOR")
            .args(args)
            .output()
            .unwrap();
        assert!(o.status.success(), "{args:?}: {}", stderr(&o));
        stdout(&o)
    };
    run(&["rules", "add", "no-ads", "advertorial", "--mute"]);
    run(&[
        "rules",
        "add",
        "keep-ai",
        "robots",
        "--keep",
        "--by",
        "flag-editor",
    ]);
    let rules = run(&["rules", "list"]);
    assert!(rules.contains("by file-editor"), "{rules}");
    assert!(rules.contains("by flag-editor"), "{rules}");
}
