//! Where a value came from.

use std::fmt;
use std::path::PathBuf;

/// The layer that set a value. Later layers win: default < file <
/// environment < flag.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// Nobody set it.
    Default,
    /// A line of a configuration file (`newsdesk.toml`, or the file it includes).
    File { path: PathBuf, line: usize },
    /// An environment variable, by name.
    Env(String),
    /// A command-line flag, as typed (`--addr`).
    Flag(String),
}

impl Source {
    /// `default`, `file`, `env` or `flag`.
    pub fn kind(&self) -> &'static str {
        match self {
            Source::Default => "default",
            Source::File { .. } => "file",
            Source::Env(_) => "env",
            Source::Flag(_) => "flag",
        }
    }
}

impl fmt::Display for Source {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Source::Default => f.write_str("default"),
            Source::File { path, line } => write!(f, "{}:{line}", path.display()),
            Source::Env(var) => write!(f, "env {var}"),
            Source::Flag(flag) => write!(f, "flag {flag}"),
        }
    }
}

/// A value and the layer it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Sourced<T> {
    value: T,
    source: Source,
}

impl<T> Sourced<T> {
    pub fn new(value: T, source: Source) -> Sourced<T> {
        Sourced { value, source }
    }

    /// A default value.
    pub fn default_value(value: T) -> Sourced<T> {
        Sourced {
            value,
            source: Source::Default,
        }
    }

    pub fn get(&self) -> &T {
        &self.value
    }

    pub fn source(&self) -> &Source {
        &self.source
    }

    pub fn into_value(self) -> T {
        self.value
    }

    /// Sets the value from `source` (a later layer than the current one).
    pub fn set(&mut self, value: T, source: Source) {
        self.value = value;
        self.source = source;
    }

    /// A flag, when it was given: `settings.server.addr.flag(addr, "--addr")`.
    pub fn flag(&mut self, value: Option<T>, flag: &str) {
        if let Some(value) = value {
            self.set(value, Source::Flag(flag.to_string()));
        }
    }

    /// Whether anything other than the default set it.
    pub fn is_set(&self) -> bool {
        self.source != Source::Default
    }
}
