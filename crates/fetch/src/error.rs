//! `FetchError`: every failure names the URL it concerns and why.

use std::time::Duration;

/// Why an address or URL was refused before any byte was sent to it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// Not `http` or `https`.
    Scheme(String),
    /// The URL has no host.
    NoHost,
    /// A host name that is known to be a cloud metadata service.
    MetadataHost(String),
    /// An address the configuration does not allow (the class is named).
    Address {
        /// The address that was refused (after DNS resolution, or the literal).
        addr: std::net::IpAddr,
        /// Which class of address it is, e.g. "private (RFC 1918)".
        class: &'static str,
    },
    /// The host name resolved to no address.
    NoAddress,
}

impl std::fmt::Display for Refusal {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Refusal::Scheme(s) => write!(f, "scheme `{s}` is not http or https"),
            Refusal::NoHost => f.write_str("the URL has no host"),
            Refusal::MetadataHost(h) => write!(f, "host `{h}` is a cloud metadata service"),
            Refusal::Address { addr, class } => write!(f, "address {addr} is {class}"),
            Refusal::NoAddress => f.write_str("the host name resolved to no address"),
        }
    }
}

/// A coarse classification of [`FetchError`], stable for matching, logging
/// and health records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    InvalidUrl,
    Refused,
    RobotsDisallowed,
    RobotsUnavailable,
    NotFound,
    Gone,
    TooManyRequests,
    ServerError,
    HttpStatus,
    Timeout,
    Connect,
    TooManyRedirects,
    RedirectLoop,
    BadRedirect,
    TooLarge,
    DecompressionBomb,
    Decompress,
    Truncated,
    Body,
    Client,
    Image,
    Io,
}

impl ErrorKind {
    /// A stable lower-case name (`"robots-disallowed"`), for health records.
    pub fn as_str(self) -> &'static str {
        match self {
            ErrorKind::InvalidUrl => "invalid-url",
            ErrorKind::Refused => "refused",
            ErrorKind::RobotsDisallowed => "robots-disallowed",
            ErrorKind::RobotsUnavailable => "robots-unavailable",
            ErrorKind::NotFound => "not-found",
            ErrorKind::Gone => "gone",
            ErrorKind::TooManyRequests => "too-many-requests",
            ErrorKind::ServerError => "server-error",
            ErrorKind::HttpStatus => "http-status",
            ErrorKind::Timeout => "timeout",
            ErrorKind::Connect => "connect",
            ErrorKind::TooManyRedirects => "too-many-redirects",
            ErrorKind::RedirectLoop => "redirect-loop",
            ErrorKind::BadRedirect => "bad-redirect",
            ErrorKind::TooLarge => "too-large",
            ErrorKind::DecompressionBomb => "decompression-bomb",
            ErrorKind::Decompress => "decompress",
            ErrorKind::Truncated => "truncated",
            ErrorKind::Body => "body",
            ErrorKind::Client => "client",
            ErrorKind::Image => "image",
            ErrorKind::Io => "io",
        }
    }
}

/// Which part of an exchange ran out of time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TimeoutPhase {
    /// Opening the TCP (and TLS) connection.
    Connect,
    /// The whole request, from the first byte sent to the last byte read.
    Total,
    /// No byte arrived for the idle-read interval.
    Idle,
}

impl std::fmt::Display for TimeoutPhase {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            TimeoutPhase::Connect => "connecting",
            TimeoutPhase::Total => "the whole request",
            TimeoutPhase::Idle => "waiting for data (idle)",
        })
    }
}

/// What went wrong fetching a URL. Every message names the URL.
#[derive(Debug, thiserror::Error)]
pub enum FetchError {
    #[error("could not set up the HTTP client: {0}")]
    Setup(String),
    #[error("{url}: invalid URL: {reason}")]
    InvalidUrl { url: String, reason: String },
    #[error("{url}: refused: {reason}")]
    Refused { url: String, reason: Refusal },
    #[error("{url}: disallowed by robots.txt")]
    RobotsDisallowed { url: String },
    #[error(
        "{url}: robots.txt could not be read ({reason}); the host is treated as disallowed for now"
    )]
    RobotsUnavailable { url: String, reason: String },
    #[error("{url}: HTTP {status}{}", retry_note(.retry_after))]
    Status {
        url: String,
        status: u16,
        /// The server's `Retry-After`, when it sent one.
        retry_after: Option<Duration>,
    },
    #[error("{url}: timed out {phase} after {limit:?}")]
    Timeout {
        url: String,
        phase: TimeoutPhase,
        limit: Duration,
    },
    #[error("{url}: connection failed: {reason}")]
    Connect { url: String, reason: String },
    #[error("{url}: more than {limit} redirects")]
    TooManyRedirects { url: String, limit: usize },
    #[error("{url}: redirect loop back to {target}")]
    RedirectLoop { url: String, target: String },
    #[error("{url}: bad redirect: {reason}")]
    BadRedirect { url: String, reason: String },
    #[error("{url}: body larger than the limit of {limit} bytes")]
    TooLarge { url: String, limit: u64 },
    #[error("{url}: decompression bomb refused ({reason})")]
    DecompressionBomb { url: String, reason: String },
    #[error("{url}: could not decompress the {encoding} body: {reason}")]
    Decompress {
        url: String,
        encoding: String,
        reason: String,
    },
    #[error("{url}: body truncated: {received} of {expected} bytes received")]
    Truncated {
        url: String,
        expected: u64,
        received: u64,
    },
    #[error("{url}: reading the body failed: {reason}")]
    Body { url: String, reason: String },
    #[error("{url}: HTTP client error: {reason}")]
    Client { url: String, reason: String },
    #[error("{url}: image: {reason}")]
    Image { url: String, reason: String },
    #[error("{url}: {path}: {source}")]
    Io {
        url: String,
        path: String,
        source: std::io::Error,
    },
}

fn retry_note(retry_after: &Option<Duration>) -> String {
    match retry_after {
        Some(d) => format!(" (retry after {}s)", d.as_secs()),
        None => String::new(),
    }
}

impl FetchError {
    /// The coarse class of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            FetchError::Setup(_) => ErrorKind::Client,
            FetchError::InvalidUrl { .. } => ErrorKind::InvalidUrl,
            FetchError::Refused { .. } => ErrorKind::Refused,
            FetchError::RobotsDisallowed { .. } => ErrorKind::RobotsDisallowed,
            FetchError::RobotsUnavailable { .. } => ErrorKind::RobotsUnavailable,
            FetchError::Status { status, .. } => match *status {
                404 => ErrorKind::NotFound,
                410 => ErrorKind::Gone,
                429 => ErrorKind::TooManyRequests,
                500..=599 => ErrorKind::ServerError,
                _ => ErrorKind::HttpStatus,
            },
            FetchError::Timeout { .. } => ErrorKind::Timeout,
            FetchError::Connect { .. } => ErrorKind::Connect,
            FetchError::TooManyRedirects { .. } => ErrorKind::TooManyRedirects,
            FetchError::RedirectLoop { .. } => ErrorKind::RedirectLoop,
            FetchError::BadRedirect { .. } => ErrorKind::BadRedirect,
            FetchError::TooLarge { .. } => ErrorKind::TooLarge,
            FetchError::DecompressionBomb { .. } => ErrorKind::DecompressionBomb,
            FetchError::Decompress { .. } => ErrorKind::Decompress,
            FetchError::Truncated { .. } => ErrorKind::Truncated,
            FetchError::Body { .. } => ErrorKind::Body,
            FetchError::Client { .. } => ErrorKind::Client,
            FetchError::Image { .. } => ErrorKind::Image,
            FetchError::Io { .. } => ErrorKind::Io,
        }
    }

    /// The URL the error is about (the hop that failed, for redirects);
    /// empty for [`FetchError::Setup`].
    pub fn url(&self) -> &str {
        match self {
            FetchError::Setup(_) => "",
            FetchError::InvalidUrl { url, .. }
            | FetchError::Refused { url, .. }
            | FetchError::RobotsDisallowed { url }
            | FetchError::RobotsUnavailable { url, .. }
            | FetchError::Status { url, .. }
            | FetchError::Timeout { url, .. }
            | FetchError::Connect { url, .. }
            | FetchError::TooManyRedirects { url, .. }
            | FetchError::RedirectLoop { url, .. }
            | FetchError::BadRedirect { url, .. }
            | FetchError::TooLarge { url, .. }
            | FetchError::DecompressionBomb { url, .. }
            | FetchError::Decompress { url, .. }
            | FetchError::Truncated { url, .. }
            | FetchError::Body { url, .. }
            | FetchError::Client { url, .. }
            | FetchError::Image { url, .. }
            | FetchError::Io { url, .. } => url,
        }
    }

    /// The HTTP status, for errors that carry one.
    pub fn status(&self) -> Option<u16> {
        match self {
            FetchError::Status { status, .. } => Some(*status),
            _ => None,
        }
    }

    /// How long the server asked us to wait (`Retry-After` on 429/503).
    pub fn retry_after(&self) -> Option<Duration> {
        match self {
            FetchError::Status { retry_after, .. } => *retry_after,
            _ => None,
        }
    }

    /// Whether trying again later may succeed: connection failures, timeouts,
    /// truncated bodies, 408, 429 and 5xx. Not 404/410, refusals, robots or
    /// size limits.
    pub fn is_transient(&self) -> bool {
        match self {
            FetchError::Status { status, .. } => {
                matches!(*status, 408 | 425 | 429) || (500..=599).contains(status)
            }
            FetchError::Timeout { .. }
            | FetchError::Connect { .. }
            | FetchError::Truncated { .. }
            | FetchError::Body { .. }
            | FetchError::RobotsUnavailable { .. } => true,
            _ => false,
        }
    }

    /// 410 Gone: the source is dead and should not be polled again.
    pub fn is_gone(&self) -> bool {
        self.status() == Some(410)
    }
}
