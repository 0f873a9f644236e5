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
