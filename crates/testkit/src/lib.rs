//! Test support: where the shared real-data fixtures live, the harness of
//! the command-line and HTTP tests ([`cli`]), the headless browser of the
//! web UI's tests ([`browser`]), and latency percentiles for the benchmark
//! examples ([`latency`]).
//!
//! The fixtures are not part of this repository. They sit in `../shared` beside
//! the project root (or wherever `NEWSDESK_SHARED` points). A fresh clone has no
//! `../shared`: tests that need it skip with a message. CI sets
//! `NEWSDESK_REQUIRE_SHARED=1`, which turns a missing `../shared` into a failure.

use std::path::PathBuf;

pub mod browser;
pub mod cli;
pub mod latency;

/// The workspace root (the folder holding the top `Cargo.toml`).
///
/// Read from `CARGO_MANIFEST_DIR` at run time when cargo sets it (every
/// package here lives in `crates/<name>`), so that a build directory shared
/// between two clones of the repository never points a test at the other
/// clone; the compile-time value is the fallback.
pub fn workspace_root() -> PathBuf {
    let package = std::env::var_os("CARGO_MANIFEST_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")));
    package
        .ancestors()
        .nth(2)
        .expect("packages live in crates/<name>")
        .to_path_buf()
}

/// The shared fixtures folder, or `None` (after printing why) when it is absent
/// and not required. Panics when `NEWSDESK_REQUIRE_SHARED=1` and it is missing.
pub fn shared_dir() -> Option<PathBuf> {
    let dir = std::env::var_os("NEWSDESK_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| workspace_root().join("..").join("shared"));
    if dir.join("seeds").is_dir() {
        return Some(dir);
    }
    if std::env::var("NEWSDESK_REQUIRE_SHARED").as_deref() == Ok("1") {
        panic!(
            "the shared fixtures are required (NEWSDESK_REQUIRE_SHARED=1) but {} has no seeds/ folder",
            dir.display()
        );
    }
    eprintln!(
        "skipped: the shared fixtures are not at {} (set NEWSDESK_SHARED to their folder to run this test)",
        dir.display()
    );
    None
}

/// A path inside the shared fixtures, or `None` when they are absent (see [`shared_dir`]).
pub fn shared(rel: &str) -> Option<PathBuf> {
    shared_dir().map(|d| d.join(rel))
}
