//! The configuration's tests: one integration-test binary.

mod defaults;
mod errors;
mod include;
mod layers;
mod show;

use std::path::{Path, PathBuf};

use newsdesk_config::{ConfigError, Loader, Settings};

/// A data folder holding `files` (name, text).
pub fn data_dir(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (name, text) in files {
        let path = dir.path().join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    dir
}

/// The settings of `dir` with these environment variables.
pub fn load(dir: &Path, env: &[(&str, &str)]) -> Result<Settings, ConfigError> {
    Loader::new()
        .data_dir_flag(Some(dir.to_path_buf()))
        .env(env.iter().map(|(k, v)| (k.to_string(), v.to_string())))
        .load()
}

/// `DIR/NAME`, as a source would name it.
pub fn file_in(dir: &Path, name: &str) -> PathBuf {
    dir.join(name)
}
