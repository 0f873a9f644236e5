//! What goes wrong while reading the configuration. Every message names the
//! file and line (or the environment variable), the key, and what was expected.

use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A configuration file exists but could not be read.
    #[error("reading {}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    /// The file is not TOML.
    #[error("{}:{line}: {message}", path.display())]
    Syntax {
        path: PathBuf,
        line: usize,
        message: String,
    },
    /// A key the configuration does not have.
    #[error(
        "{}:{line}: unknown key `{key}`{}",
        path.display(),
        suggestion.as_ref().map(|s| format!(" (did you mean `{s}`?)")).unwrap_or_default()
    )]
    UnknownKey {
        path: PathBuf,
        line: usize,
        key: String,
        suggestion: Option<String>,
    },
    /// A value of the wrong type or out of range.
    #[error("{}:{line}: `{key}`: expected {expected}, found {found}", path.display())]
    BadValue {
        path: PathBuf,
        line: usize,
        key: String,
        expected: String,
        found: String,
    },
    /// A setting that a file may not hold (key material, the data folder).
    #[error("{}:{line}: `{key}` cannot be set in a file: {why}", path.display())]
    NotInFile {
        path: PathBuf,
        line: usize,
        key: String,
        why: &'static str,
    },
    /// `editorial.include` names a file that is not there.
    #[error("{}:{line}: `editorial.include`: {} does not exist", path.display(), include.display())]
    MissingInclude {
        path: PathBuf,
        line: usize,
        include: PathBuf,
    },
    /// An environment variable with a value of the wrong type.
    #[error("environment variable {var} (`{key}`): expected {expected}, found {found:?}")]
    BadEnv {
        var: String,
        key: String,
        expected: String,
        found: String,
    },
    /// A variable for a setting that is read from files only.
    #[error("environment variable {var}: `{key}` is read from newsdesk.toml or the file it includes only")]
    NotInEnv { var: String, key: String },
}
