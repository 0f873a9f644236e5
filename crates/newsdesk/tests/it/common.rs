//! The harness of these tests: [`newsdesk_testkit::cli`] pointed at this
//! crate's binary (its path is known only here, at compile time).
#![allow(dead_code)]

use std::path::Path;
use std::process::Output;

pub use newsdesk_testkit::cli::{
    both, describe, http, http_bytes, http_head, json_lines, listening_addr, stderr, stdout,
    succeeded, Cli, Finished, Running, Served,
};
use serde_json::Value;

/// The `newsdesk` binary cargo built for these tests.
pub fn cli() -> Cli {
    Cli::new(env!("CARGO_BIN_EXE_newsdesk"))
}

/// `newsdesk --data-dir DATA ARGS...` (see [`Cli::command`] for the
/// environment it gets).
pub fn newsdesk(data: &Path, args: &[&str]) -> Output {
    cli().run(data, args)
}

/// `newsdesk --data-dir DATA ARGS...` with `env` set.
pub fn newsdesk_env(data: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    cli().run_env(data, args, env)
}

/// `newsdesk ARGS...` without a data folder.
pub fn bare(args: &[&str]) -> Output {
    cli().run_bare(args)
}

/// A command that must succeed; its standard output.
pub fn ok(data: &Path, args: &[&str]) -> String {
    cli().ok(data, args)
}

/// A command that must succeed; its standard output and error.
pub fn ok_all(data: &Path, args: &[&str]) -> String {
    cli().ok_all(data, args)
}

/// The store's articles as `export --format jsonl` gives them.
pub fn jsonl(data: &Path) -> Vec<Value> {
    cli().export_jsonl(data)
}

/// A long-running command, its log read line by line.
pub fn spawn(data: &Path, args: &[&str]) -> Running {
    cli().spawn(data, args)
}

/// `newsdesk serve` on a free loopback port, once it listens.
pub fn serve(data: &Path, args: &[&str]) -> Served {
    cli().serve(data, args)
}

/// A small generated newsroom (40 events, 16 outlets, 3 days, seed 5)
/// written to `dir/newsroom` and ingested into `dir/data`; that folder.
pub fn newsroom(dir: &Path) -> std::path::PathBuf {
    let out = dir.join("newsroom");
    let data = dir.join("data");
    ok(
        &data,
        &[
            "generate",
            out.to_str().unwrap(),
            "--events",
            "40",
            "--providers",
            "16",
            "--days",
            "3",
            "--seed",
            "5",
        ],
    );
    let s = ok(
        &data,
        &["ingest", "--quiet", out.join("feeds").to_str().unwrap()],
    );
    assert!(s.contains("editorial: "), "{s}");
    data
}
