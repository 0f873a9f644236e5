//! The ingest error: every message names the input and says what was expected.

use newsdesk_model::DocumentError;

#[derive(Debug, thiserror::Error)]
pub enum IngestError {
    #[error("{input}: {message}")]
    Io { input: String, message: String },
    #[error("{input}: empty input: expected a document, feed, OPML, Reuters SGML or text")]
    Empty { input: String },
    #[error("{input}: too large: {} MiB, the limit is {} MiB (raise it with --max-size BYTES)", mib(*size), mib(*limit))]
    TooLarge {
        input: String,
        size: u64,
        limit: u64,
    },
    #[error("{input}: {message}")]
    Unsupported { input: String, message: String },
    #[error("{input}: {message}")]
    Encoding { input: String, message: String },
    #[error("{input}: {error}")]
    Document { input: String, error: DocumentError },
    #[error("{input}: {message}")]
    Feed { input: String, message: String },
    #[error("{input}: {message}")]
    Opml { input: String, message: String },
    #[error("{input}: {message}")]
    Reuters { input: String, message: String },
    #[error("{input}: {message}")]
    Text { input: String, message: String },
}

impl IngestError {
    /// The file or URL the error is about.
    pub fn input(&self) -> &str {
        match self {
            IngestError::Io { input, .. }
            | IngestError::Empty { input }
            | IngestError::TooLarge { input, .. }
            | IngestError::Unsupported { input, .. }
            | IngestError::Encoding { input, .. }
            | IngestError::Document { input, .. }
            | IngestError::Feed { input, .. }
            | IngestError::Opml { input, .. }
            | IngestError::Reuters { input, .. }
            | IngestError::Text { input, .. } => input,
        }
    }
}

fn mib(bytes: u64) -> String {
    format!("{:.1}", bytes as f64 / (1024.0 * 1024.0))
}
