//! `newsdesk serve` as a client no one here wrote sees it: schemathesis
//! generates requests from `/api/v1/openapi.json` and checks every response
//! against the document (status codes, content types, schemas, the error
//! shape), then the server shuts down cleanly on SIGINT.

use std::process::Command;

use crate::common::*;

fn schemathesis() -> Option<&'static str> {
    for bin in ["st", "schemathesis"] {
        if Command::new(bin)
            .arg("--version")
            .output()
            .is_ok_and(|o| o.status.success())
        {
            return Some(bin);
        }
    }
    if std::env::var("NEWSDESK_REQUIRE_PEERS").as_deref() == Ok("1") {
        panic!("schemathesis is required (NEWSDESK_REQUIRE_PEERS=1): pip install -r bench/requirements.txt");
    }
    eprintln!("skipped: schemathesis is not installed (pip install -r bench/requirements.txt)");
    None
}

#[test]
fn the_api_answers_as_its_openapi_document_says() {
    let Some(st) = schemathesis() else { return };
    let dir = tempfile::tempdir().unwrap();
    let data = dir.path().join("data");
    let out = dir.path().join("newsroom");
    ok(
        &data,
        &[
            "generate",
            out.to_str().unwrap(),
            "--events",
            "30",
            "--days",
            "2",
            "--seed",
            "3",
        ],
    );
    ok(
        &data,
        &["ingest", "--quiet", out.join("feeds").to_str().unwrap()],
    );
    let examples = newsdesk_testkit::workspace_root().join("examples");
    ok(&data, &["ingest", "--quiet", examples.to_str().unwrap()]);
    // Schemathesis acts as an admin (every operation, editor actions
    // included); the operations' security lets it check 401s without one.
    let token = ok(
        &data,
        &[
            "apikeys",
            "issue",
            "--name",
            "schemathesis",
            "--role",
            "admin",
            "--rate",
            "100000/min",
        ],
    );
    let auth = format!("Authorization: Bearer {}", token.trim());

    let mut server = serve(&data, &["--anonymous-rate", "0"]);
    let schema = format!("http://{}/api/v1/openapi.json", server.addr);

    // Every check, every operation; except that a random string is a valid
    // `cursor` as far as a schema can say, which the server rightly refuses
    // (400 invalid_cursor): the list is checked for accepting valid data
    // without it (and so is adding a rule, whose query must parse). The
    // same holds for search text (a random string is often not a query:
    // 400 invalid_query), so the searches are left out of that check too
    // (their refusals are tested in crates/server/tests/it/search.rs).
    let runs: [&[&str]; 2] = [
        &[
            "--checks",
            "all",
            "--exclude-checks",
            "positive_data_acceptance",
        ],
        &[
            "--checks",
            "positive_data_acceptance",
            "--exclude-operation-id",
            "listArticles",
            // Likewise a rule's query must parse in the query language.
            "--exclude-operation-id",
            "addRule",
            "--exclude-operation-id",
            "search",
            "--exclude-operation-id",
            "searchFeed",
        ],
    ];
    let mut failures = Vec::new();
    for extra in runs {
        // Run in the temporary folder: schemathesis keeps a cache where it runs.
        let o = Command::new(st)
            .current_dir(dir.path())
            .args(["run", &schema, "--max-examples", "40", "--seed", "7"])
            .args(["-H", &auth])
            .args(extra)
            .output()
            .expect("run schemathesis");
        if !o.status.success() {
            failures.push(format!(
                "schemathesis {extra:?} failed:\n{}\n{}",
                stdout(&o),
                stderr(&o)
            ));
        }
    }

    // Ctrl-C: the server finishes and exits 0.
    let Finished { status, log, .. } = server.process.interrupt();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    assert!(status.success(), "exit {status:?}");
    assert!(
        log.iter().any(|l| l.contains("shutting down")),
        "{}",
        log.join("\n")
    );
    // Every request was logged as one JSON line; none was a 5xx.
    let requests: Vec<serde_json::Value> = log
        .iter()
        .filter_map(|l| serde_json::from_str::<serde_json::Value>(l).ok())
        .filter(|v| v.get("status").is_some())
        .collect();
    assert!(requests.len() > 100, "{}", requests.len());
    let errors: Vec<&serde_json::Value> = requests
        .iter()
        .filter(|r| r["status"].as_u64().unwrap() >= 500)
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
}
