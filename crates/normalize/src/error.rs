//! The one error type of the normalization stage.

use thiserror::Error;

/// Why a value could not be normalized. Every message names the offending value
/// and says what was expected, so a batch report can show it as is.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NormalizeError {
    /// The input was empty or only whitespace.
    #[error("empty {what}: expected a non-empty value")]
    Empty {
        /// What kind of value was expected (`url`, `date`).
        what: &'static str,
    },
    /// The URL did not parse at all.
    #[error("invalid url {value:?}: {reason}; expected an absolute http or https url")]
    InvalidUrl {
        /// The URL as given (trimmed).
        value: String,
        /// The parser's reason.
        reason: String,
    },
    /// The URL parsed but its scheme is not one the desk fetches.
    #[error("unsupported url scheme {scheme:?} in {value:?}: expected http or https")]
    UnsupportedScheme {
        /// The scheme found (`ftp`, `mailto`, ...).
        scheme: String,
        /// The URL as given (trimmed).
        value: String,
    },
    /// The URL has no host (`https:///path`, `http://:80`).
    #[error("url {value:?} has no host: expected http(s)://host/...")]
    MissingHost {
        /// The URL as given (trimmed).
        value: String,
    },
    /// The text is in none of the date formats the desk reads.
    #[error("unrecognized date {value:?}: expected RFC 3339 / ISO 8601, RFC 2822, YYYYMMDD or unix seconds")]
    UnrecognizedDate {
        /// The date text as given (trimmed).
        value: String,
    },
    /// The text looks like a date but names a day that does not exist
    /// (`0000-00-00`, `2021-02-30`, hour 25).
    #[error("impossible date {value:?}: expected a real calendar date and time of day")]
    ImpossibleDate {
        /// The date text as given (trimmed).
        value: String,
    },
    /// The date is real but outside the span news can plausibly carry.
    #[error("date {value:?} is out of range: expected a year between {min} and {max}")]
    DateOutOfRange {
        /// The date text as given (trimmed).
        value: String,
        /// Earliest accepted year.
        min: i32,
        /// Latest accepted year.
        max: i32,
    },
}
