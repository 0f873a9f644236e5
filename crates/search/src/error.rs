//! Errors of the search index.

use std::path::PathBuf;

/// Why an index operation or a search failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SearchError {
    /// Another writer (this process or another) holds the index folder.
    #[error("{}: the search index is in use by another writer (one writer per index folder)", dir.display())]
    Locked {
        /// The index folder.
        dir: PathBuf,
    },
    /// The folder holds an index of another layout.
    #[error("{}: the search index has another layout ({detail}); rebuild it: remove the folder and index again", dir.display())]
    SchemaMismatch {
        /// The index folder.
        dir: PathBuf,
        /// What differs.
        detail: String,
    },
    /// A write on an index opened read-only.
    #[error("the search index was opened read-only")]
    ReadOnly,
    /// The query could not be parsed (strict mode).
    #[error("query: {message}{}", position.map(|p| format!(" at character {}", p + 1)).unwrap_or_default())]
    Query {
        /// What is wrong, for a person.
        message: String,
        /// 0-based character offset of the problem, when known.
        position: Option<usize>,
    },
    /// The query text is longer than [`crate::MAX_QUERY_LEN`] bytes.
    #[error("query: {len} bytes; at most {max} allowed")]
    QueryTooLong {
        /// Its length in bytes.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// A page offset past [`crate::MAX_OFFSET`].
    #[error("offset {offset} is past the deepest page allowed ({max})")]
    OffsetTooLarge {
        /// The requested offset.
        offset: usize,
        /// The limit.
        max: usize,
    },
    /// A document that cannot be indexed.
    #[error("document {id}: {message}")]
    BadDocument {
        /// The document's id.
        id: i64,
        /// What is wrong.
        message: String,
    },
    /// Creating the index folder failed.
    #[error("{}: {source}", path.display())]
    Io {
        /// The folder.
        path: PathBuf,
        /// The cause.
        #[source]
        source: std::io::Error,
    },
    /// Anything else tantivy reports.
    #[error("search index: {0}")]
    Index(#[from] tantivy::TantivyError),
}
