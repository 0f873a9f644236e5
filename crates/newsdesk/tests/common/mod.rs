//! What the CLI tests share: running the built `newsdesk` on a data folder.
//! Each test file compiles this module on its own, so some files use only
//! part of it.
#![allow(dead_code)]

use std::path::Path;
use std::process::{Command, Output};

/// `newsdesk --data-dir DATA ARGS...` with `env` set. The caller's
/// `NEWSDESK_KEYS` is never passed on (a test sets its keys itself), and
/// audit entries name `test-editor` unless `env` says otherwise.
pub fn newsdesk_env(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut c = Command::new(env!("CARGO_BIN_EXE_newsdesk"));
    c.arg("--data-dir")
        .arg(data)
        .args(args)
        .env_remove("NEWSDESK_KEYS")
        .env("NEWSDESK_EDITOR", "test-editor");
    for (k, v) in env {
        c.env(k, v);
    }
    c.output().expect("run newsdesk")
}

/// `newsdesk --data-dir DATA ARGS...`.
pub fn newsdesk(data: &Path, args: &[&str]) -> Output {
    newsdesk_env(data, args, &[])
}

pub fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

pub fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// A running `newsdesk serve`: the process, the address it listens on, and
/// the thread that reads its log (joined, it gives every line).
pub struct Served {
    pub child: std::process::Child,
    pub addr: String,
    pub log: std::thread::JoinHandle<Vec<String>>,
}

/// Starts `newsdesk --data-dir DATA serve --addr 127.0.0.1:0 ARGS...` (the
/// caller's `NEWSDESK_KEYS` removed) and waits for the line saying where it
/// listens. The log is read on a thread, so the server never blocks on a
/// full pipe.
pub fn serve(data: &Path, args: &[&str]) -> Served {
    use std::io::{BufRead, BufReader};
    let mut child = Command::new(env!("CARGO_BIN_EXE_newsdesk"))
        .arg("--data-dir")
        .arg(data)
        .args(["serve", "--addr", "127.0.0.1:0"])
        .args(args)
        .env_remove("NEWSDESK_KEYS")
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("start newsdesk serve");
    let (tx, rx) = std::sync::mpsc::channel();
    let stderr = child.stderr.take().unwrap();
    let log = std::thread::spawn(move || {
        let mut lines = Vec::new();
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            if line.contains("\"listening\"") {
                let _ = tx.send(line.clone());
            }
            lines.push(line);
        }
        lines
    });
    let line = rx
        .recv_timeout(std::time::Duration::from_secs(60))
        .expect("the server says where it listens");
    let v: serde_json::Value = serde_json::from_str(&line).unwrap();
    let addr = v["addr"].as_str().unwrap().to_string();
    Served { child, addr, log }
}
