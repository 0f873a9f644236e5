//! Side by side with the reference: Python's `ftfy.fix_encoding` on the
//! mojibake table and on every `title:` / `excerpt:` line of the shared
//! records. Runs when `python3 -c "import ftfy"` works; otherwise prints a skip,
//! or fails when `NEWSDESK_REQUIRE_PEERS=1` (CI installs ftfy).

use newsdesk_normalize::fix_mojibake;
use std::io::Write;
use std::process::{Command, Stdio};

/// Reads hex-encoded UTF-8 lines, answers with hex-encoded `fix_encoding`
/// output: hex keeps newlines, quotes and odd characters out of the way.
const PEER: &str = r#"
import sys, ftfy
for line in sys.stdin:
    s = bytes.fromhex(line.strip()).decode("utf-8")
    print(ftfy.fix_encoding(s).encode("utf-8").hex())
"#;

fn ftfy_available() -> bool {
    Command::new("python3")
        .args(["-c", "import ftfy"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn hex(s: &str) -> String {
    s.bytes().map(|b| format!("{b:02x}")).collect()
}

fn unhex(h: &str) -> String {
    let bytes: Vec<u8> = (0..h.len() / 2)
        .filter_map(|i| u8::from_str_radix(&h[2 * i..2 * i + 2], 16).ok())
        .collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn ftfy_fix_encoding(inputs: &[String]) -> Vec<String> {
    let mut child = Command::new("python3")
        .args(["-c", PEER])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("python3 runs");
    // Write from another thread: python answers line by line, and a full
    // stdout pipe would otherwise block both sides.
    let mut stdin = child.stdin.take().expect("stdin");
    let payload: String = inputs.iter().map(|s| hex(s) + "\n").collect();
    let writer = std::thread::spawn(move || {
        stdin
            .write_all(payload.as_bytes())
            .expect("write to python");
    });
    let out = child.wait_with_output().expect("python output");
    writer.join().expect("writer thread");
    assert!(out.status.success(), "python3 with ftfy failed");
    String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(unhex)
        .collect()
}

/// Every `title:` and `excerpt:` value in the shared records (records, related
/// entries and image captions alike).
fn shared_text_lines() -> Vec<String> {
    let mut out = Vec::new();
    for rel in ["seeds", "corpus/everyday-ai"] {
        let Some(dir) = newsdesk_testkit::shared(rel) else {
            continue;
        };
        for file in crate::common::record_files(&dir) {
            let text = std::fs::read_to_string(&file).unwrap_or_default();
            for line in text.lines() {
                let t = line.trim_start().trim_start_matches("- ");
                if let Some(v) = t
                    .strip_prefix("title:")
                    .or_else(|| t.strip_prefix("excerpt:"))
                {
                    let v = crate::common::scalar(v);
                    if !v.is_empty() {
                        out.push(v);
                    }
                }
            }
        }
    }
    out
}

#[test]
fn agrees_with_ftfy() {
    if !ftfy_available() {
        if std::env::var("NEWSDESK_REQUIRE_PEERS").as_deref() == Ok("1") {
            panic!("python3 with ftfy is required (NEWSDESK_REQUIRE_PEERS=1): pip install ftfy");
        }
        eprintln!("skipped: python3 cannot import ftfy (pip install ftfy to run this comparison)");
        return;
    }
    let mut inputs: Vec<String> = crate::common::MOJIBAKE_CASES
        .iter()
        .map(|(i, _)| i.to_string())
        .collect();
    let table_len = inputs.len();
    inputs.extend(shared_text_lines());
    let theirs = ftfy_fix_encoding(&inputs);
    assert_eq!(theirs.len(), inputs.len(), "ftfy answered every line");

    let mut disagreements = Vec::new();
    let mut changed_by_ftfy = 0;
    for (i, (input, reference)) in inputs.iter().zip(&theirs).enumerate() {
        if reference != input {
            changed_by_ftfy += 1;
        }
        let ours = fix_mojibake(input);
        if ours != *reference {
            let origin = if i < table_len { "table" } else { "records" };
            disagreements.push(format!(
                "[{origin}] {input:?}\n    ours: {ours:?}\n    ftfy: {reference:?}"
            ));
        }
    }
    let total = inputs.len();
    let agree = total - disagreements.len();
    println!(
        "ftfy agreement: {agree} of {total} ({:.1}%); ftfy changed {changed_by_ftfy} of them",
        100.0 * agree as f64 / total as f64
    );
    for d in &disagreements {
        println!("  {d}");
    }
    assert!(total > table_len || newsdesk_testkit::shared_dir().is_none());
    assert!(
        agree * 100 >= total * 98,
        "{agree} of {total} agree: below 98%"
    );
}
