//! Secured full text and API keys through the `newsdesk` command: bodies
//! sealed at rest (nothing in clear in the SQLite file or its log), keys
//! created, listed, rotated and retired, documents' `secured` opened and
//! tampering refused, and the server giving clear text to `fulltext` keys
//! only, taking editor actions, and never logging key material.

use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::common::*;

/// The sentence only item `i`'s body holds, well after its excerpt.
fn sentence(i: usize) -> String {
    format!("Quarrymaster number {i} whispered the lantern cipher beside the flooded gravel pit.")
}

/// An RSS feed of items `from..to`, each with a long HTML body.
fn feed(dir: &Path, name: &str, from: usize, to: usize) -> PathBuf {
    let filler = "The committee met again on Tuesday to review the quarterly figures for the \
                  regional cloud programme and the training budget of the data team. "
        .repeat(8);
    let mut items = String::new();
    for i in from..to {
        items.push_str(&format!(
            "<item><title>Report {i} on regional cloud programmes</title>\
             <link>https://news.example.com/2024/report-{i}</link>\
             <guid>https://news.example.com/2024/report-{i}</guid>\
             <pubDate>Mon, 0{} Jan 2024 10:00:00 GMT</pubDate>\
             <description><![CDATA[<p>{filler}</p><p>{}</p><p>Closing words of report {i}.</p>]]></description>\
             </item>",
            1 + i % 9,
            sentence(i)
        ));
    }
    let path = dir.join(name);
    std::fs::write(
        &path,
        format!(
            "<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>News</title>\
             <link>https://news.example.com/</link>{items}</channel></rss>"
        ),
    )
    .unwrap();
    path
}

/// The store's files (database and write-ahead log) as bytes.
fn store_bytes(data: &Path) -> Vec<u8> {
    let mut all = Vec::new();
    for name in ["newsdesk.sqlite3", "newsdesk.sqlite3-wal"] {
        if let Ok(b) = std::fs::read(data.join(name)) {
            all.extend(b);
        }
    }
    all
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

/// The base64 key values of a key file.
fn key_material(key_file: &Path) -> Vec<String> {
    std::fs::read_to_string(key_file)
        .unwrap()
        .lines()
        .filter(|l| !l.starts_with('#') && !l.starts_with("current"))
        .filter_map(|l| {
            l.split_once('=')
                .map(|(_, v)| v.trim().trim_matches('"').to_string())
        })
        .collect()
}

fn key_ids(list: &str) -> Vec<String> {
    list.lines()
        .filter(|l| l.starts_with('k') && !l.starts_with("keyring"))
        .map(|l| l.split_whitespace().next().unwrap().to_string())
        .collect()
}

#[test]
fn bodies_are_sealed_at_rest_documents_open_and_rotation_keeps_them_readable() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let mut outputs = String::new();
    let f1 = feed(dir.path(), "one.xml", 0, 4);
    outputs += &ok_all(&data, &["ingest", "--quiet", f1.to_str().unwrap()]);
    // Before any keyring the text is in clear: the grep below can see it.
    assert!(contains(&store_bytes(&data), &sentence(0)));

    // `keys new` creates the keyring (0600) and seals what is there.
    outputs += &ok_all(&data, &["keys", "new"]);
    let key_file = data.join("keys").join("keyring");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&key_file).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let bytes = store_bytes(&data);
    for i in 0..4 {
        assert!(!contains(&bytes, &sentence(i)), "sentence {i} in clear");
        assert!(!contains(&bytes, "lantern cipher"));
    }
    // New bodies are sealed as they are written, by every path.
    let f2 = feed(dir.path(), "two.xml", 4, 8);
    outputs += &ok_all(&data, &["ingest", "--quiet", f2.to_str().unwrap()]);
    outputs += &ok_all(&data, &["reanalyze"]);
    let bytes = store_bytes(&data);
    assert!(
        !contains(&bytes, "lantern cipher"),
        "clear text after ingest"
    );
    // Sealed bodies are still searched (the index reads them opened), and
    // the index keeps no text of them: a body is indexed, not stored.
    let found: serde_json::Value =
        serde_json::from_str(&ok_all(&data, &["search", "quarrymaster", "--json"])).unwrap();
    assert_eq!(found["total"], 8, "{found}");
    ok_all(&data, &["index", "check"]);
    let mut index_bytes = Vec::new();
    for e in std::fs::read_dir(data.join("search")).unwrap() {
        index_bytes.extend(std::fs::read(e.unwrap().path()).unwrap_or_default());
    }
    assert!(
        !contains(&index_bytes, "lantern cipher"),
        "body text stored in the index"
    );

    let list = ok_all(&data, &["keys", "list"]);
    outputs += &list;
    let first = key_ids(&list);
    assert_eq!(first.len(), 1, "{list}");
    assert!(list.contains("yes"), "{list}");

    // Documents carry `secured`, never the text; `unseal` opens them.
    let docs = dir.path().join("docs");
    outputs += &ok_all(
        &data,
        &["export", "--format", "docs", docs.to_str().unwrap()],
    );
    let mut files: Vec<PathBuf> = std::fs::read_dir(&docs)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    files.sort();
    assert_eq!(files.len(), 8);
    let mut texts = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        assert!(text.contains("\nsecured: "), "{text}");
        assert!(!text.contains("lantern cipher"));
        let opened = ok_all(&data, &["unseal", f.to_str().unwrap()]);
        assert!(opened.contains("lantern cipher"), "{opened}");
        texts.push(text);
    }
    let doc_of = |i: usize| {
        let k = texts
            .iter()
            .position(|t| {
                t.contains(&format!("report-{i}\"")) || t.contains(&format!("report-{i}\n"))
            })
            .unwrap();
        (files[k].clone(), texts[k].clone())
    };
    let (f0, t0) = doc_of(0);
    let opened = ok_all(&data, &["keys", "open", f0.to_str().unwrap()]);
    assert!(opened.contains(&sentence(0)));

    // Tampering: a changed byte in the ciphertext, in the nonce, or the
    // document moved to another article's URL: refused, naming file and field.
    let secured = t0
        .lines()
        .find_map(|l| l.strip_prefix("secured: "))
        .unwrap()
        .trim_matches('"')
        .to_string();
    let (ct, nonce) = secured.split_once(';').unwrap();
    let flip = |s: &str| {
        let mut c: Vec<char> = s.chars().collect();
        c[2] = if c[2] == 'A' { 'B' } else { 'A' };
        c.into_iter().collect::<String>()
    };
    let moved = t0.replace("report-0", "report-1");
    for (name, text) in [
        ("ct.md", t0.replace(ct, &flip(ct))),
        ("nonce.md", t0.replace(nonce, &flip(nonce))),
        ("moved.md", moved),
    ] {
        let path = dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        let o = newsdesk(&data, &["unseal", path.to_str().unwrap()]);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{name}: {err}");
        assert!(
            err.contains(name) && err.contains("`secured`"),
            "{name}: {err}"
        );
        assert!(!stdout(&o).contains("lantern"));
    }

    // Rotation: a new current key, every body re-sealed under it, the old
    // key's id gone from the store; old documents still open until retired.
    outputs += &ok_all(&data, &["keys", "rotate"]);
    let list = ok_all(&data, &["keys", "list"]);
    let ids = key_ids(&list);
    assert_eq!(ids.len(), 2, "{list}");
    let old = &first[0];
    let bytes = store_bytes(&data);
    assert!(
        !contains(&bytes, &format!("v1:{old}:")),
        "old key still in the store"
    );
    assert!(!contains(&bytes, "lantern cipher"));
    outputs += &ok_all(&data, &["reanalyze"]);
    assert!(ok_all(&data, &["unseal", f0.to_str().unwrap()]).contains(&sentence(0)));
    let docs2 = dir.path().join("docs2");
    outputs += &ok_all(
        &data,
        &["export", "--format", "docs", docs2.to_str().unwrap()],
    );
    for e in std::fs::read_dir(&docs2).unwrap() {
        let p = e.unwrap().path();
        assert!(ok_all(&data, &["unseal", p.to_str().unwrap()]).contains("lantern cipher"));
    }
    outputs += &ok_all(&data, &["keys", "retire", old]);
    let list = ok_all(&data, &["keys", "list"]);
    assert!(!list.contains(old.as_str()), "{list}");
    // A document sealed under the retired key no longer opens.
    let o = newsdesk(&data, &["unseal", f0.to_str().unwrap()]);
    assert!(!o.status.success());

    // Key material never appears in any output.
    for k in key_material(&key_file) {
        assert!(!outputs.contains(&k), "key material printed");
    }

    // The keyring can come from NEWSDESK_KEYS or --key-file; without one,
    // the sealed store is refused rather than written in clear.
    let keys_text = std::fs::read_to_string(&key_file).unwrap();
    let moved_key = dir.path().join("elsewhere.keys");
    std::fs::rename(&key_file, &moved_key).unwrap();
    let o = newsdesk(&data, &["ingest", "--quiet", f1.to_str().unwrap()]);
    let err = stderr(&o);
    assert!(!o.status.success() && err.contains("keyring"), "{err}");
    let o = newsdesk_env(&data, &["stats"], &[("NEWSDESK_KEYS", &keys_text)]);
    assert!(o.status.success(), "{}", stderr(&o));
    ok_all(
        &data,
        &[
            "--key-file",
            moved_key.to_str().unwrap(),
            "export",
            "--format",
            "jsonl",
        ],
    );
    // `rotate --retire` with a key file elsewhere: one key left, the one
    // before gone from the store, everything still readable.
    let kf = moved_key.to_str().unwrap();
    let before = key_ids(&ok_all(&data, &["--key-file", kf, "keys", "list"]));
    ok_all(&data, &["--key-file", kf, "keys", "rotate", "--retire"]);
    let after = key_ids(&ok_all(&data, &["--key-file", kf, "keys", "list"]));
    assert_eq!(after.len(), 1);
    assert_ne!(after, before);
    let bytes = store_bytes(&data);
    assert!(!contains(&bytes, &format!("v1:{}:", before[0])));
    assert!(!contains(&bytes, "lantern cipher"));
    ok_all(&data, &["--key-file", kf, "reanalyze"]);
    // NEWSDESK_KEYS cannot be changed by newsdesk.
    let o = newsdesk_env(&data, &["keys", "new"], &[("NEWSDESK_KEYS", &keys_text)]);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("NEWSDESK_KEYS"));
}

fn issue(data: &Path, name: &str, role: &str, scope: &str) -> String {
    let mut args = vec!["apikeys", "issue", "--name", name, "--role", role];
    if !scope.is_empty() {
        args.extend(["--scope", scope]);
    }
    ok(data, &args).trim().to_string()
}

#[test]
fn the_server_gives_clear_text_to_fulltext_keys_only_and_takes_editor_actions() {
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let f1 = feed(dir.path(), "one.xml", 0, 5);
    ok_all(&data, &["keys", "new"]);
    ok_all(&data, &["ingest", "--quiet", f1.to_str().unwrap()]);
    let reader = issue(&data, "desk-reader", "reader", "");
    let analyst = issue(&data, "desk-analyst", "reader", "fulltext");
    let editor = issue(&data, "desk-editor", "editor", "");
    let list = ok_all(&data, &["apikeys", "list"]);
    assert!(
        list.contains("desk-analyst") && list.contains("fulltext"),
        "{list}"
    );
    for t in [&reader, &analyst, &editor] {
        assert!(t.starts_with("nd_") && !list.contains(&t[20..]), "{list}");
    }

    let mut server = serve(&data, &[]);
    let addr = server.addr.clone();
    let bearer = |t: &str| format!("Bearer {t}");

    let (_, page) = http(
        &addr,
        "GET",
        "/api/v1/articles?published=any&limit=100",
        &[],
        "",
    );
    let page: serde_json::Value = serde_json::from_str(&page).unwrap();
    let ids: Vec<i64> = page["articles"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["id"].as_i64().unwrap())
        .collect();
    assert_eq!(ids.len(), 5, "{page}");
    for id in &ids {
        let path = format!("/api/v1/articles/{id}");
        for token in [None, Some(&reader), Some(&editor)] {
            let auth = token.map(|t| bearer(t));
            let h: Vec<(&str, &str)> = auth.iter().map(|a| ("Authorization", a.as_str())).collect();
            let (status, body) = http(&addr, "GET", &path, &h, "");
            assert_eq!(status, 200);
            assert!(!body.contains("lantern cipher"), "{body}");
            assert!(body.contains("\"secured\":\""), "{body}");
            let (_, doc) = http(&addr, "GET", &format!("/articles/{id}.md"), &h, "");
            assert!(!doc.contains("lantern cipher") && doc.contains("secured: "));
        }
        let (status, body) = http(&addr, "GET", &path, &[("X-Api-Key", &analyst)], "");
        assert_eq!(status, 200);
        assert!(body.contains("lantern cipher"), "{body}");
    }

    // Editor actions: a reader is refused, an editor's pin applies at once
    // and is audited under the key's name.
    let id = ids[0];
    let action = format!("/api/v1/articles/{id}/actions");
    let json = ("Content-Type", "application/json");
    let body = r#"{"action": "unpublish", "reason": "legal hold"}"#;
    let auth = bearer(&reader);
    let (status, _) = http(
        &addr,
        "POST",
        &action,
        &[("Authorization", &auth), json],
        body,
    );
    assert_eq!(status, 403);
    let auth = bearer(&editor);
    let (status, reply) = http(
        &addr,
        "POST",
        &action,
        &[("Authorization", &auth), json],
        body,
    );
    assert_eq!(status, 200, "{reply}");
    assert!(reply.contains("\"published\":false"), "{reply}");
    let (_, article) = http(&addr, "GET", &format!("/api/v1/articles/{id}"), &[], "");
    let article: serde_json::Value = serde_json::from_str(&article).unwrap();
    assert_eq!(article["published"], false, "{article}");
    assert_eq!(article["override"]["editor"], "desk-editor");
    let rule = r#"{"name": "no-reports", "query": "report", "action": "mute", "reason": "test"}"#;
    let (status, reply) = http(
        &addr,
        "POST",
        "/api/v1/rules",
        &[("Authorization", &auth), json],
        rule,
    );
    assert_eq!(status, 201, "{reply}");
    let (_, rules) = http(
        &addr,
        "GET",
        "/api/v1/rules",
        &[("Authorization", &auth)],
        "",
    );
    assert!(rules.contains("no-reports"), "{rules}");
    let (status, _) = http(
        &addr,
        "DELETE",
        "/api/v1/rules/no-reports",
        &[("Authorization", &auth)],
        "",
    );
    assert_eq!(status, 204);

    // A revoked key stops working within seconds.
    let reader_id = &reader[3..19];
    ok_all(&data, &["apikeys", "revoke", reader_id]);
    std::thread::sleep(Duration::from_millis(3_500));
    let auth = bearer(&reader);
    let (status, body) = http(
        &addr,
        "GET",
        "/api/v1/topics",
        &[("Authorization", &auth)],
        "",
    );
    assert_eq!(status, 401, "{body}");
    assert!(body.contains("revoked_api_key"), "{body}");

    let Finished { status, log, .. } = server.process.interrupt();
    assert!(status.success());
    let log = log.join("\n");
    let audit = ok_all(&data, &["audit"]);
    assert!(
        audit.contains("desk-editor unpublish") && audit.contains("legal hold"),
        "{audit}"
    );
    assert!(
        audit.contains("rule add (mute)") && audit.contains("rule remove"),
        "{audit}"
    );

    // The log holds no key material, no token secret, no clear text.
    for k in key_material(&data.join("keys").join("keyring")) {
        assert!(!log.contains(&k), "key material in the log");
    }
    for t in [&reader, &analyst, &editor] {
        assert!(!log.contains(&t[20..]), "a token's secret in the log");
    }
    assert!(!log.contains("lantern cipher"));
    assert!(log.lines().count() > 20, "{log}");
}
