//! The crate's one error type.

use std::path::PathBuf;

/// Why training, prediction, reading records or a model folder failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum ClassifyError {
    /// A line of a JSON-lines input could not be used.
    #[error("{source_name}: line {line}: {message}")]
    BadRecord {
        /// The input's name (usually its path).
        source_name: String,
        /// 1-based line number.
        line: usize,
        /// What was expected.
        message: String,
    },
    /// Reading an input failed.
    #[error("{source_name}: {error}")]
    Read {
        /// The input's name (usually its path).
        source_name: String,
        /// The I/O error.
        #[source]
        error: std::io::Error,
    },
    /// Training needs at least one article.
    #[error("no training articles: the input is empty")]
    EmptyTrainingData,
    /// Training needs at least one topic on some article.
    #[error("no training article carries a topic: nothing to learn")]
    NoTopics,
    /// A topic asked for does not occur on any training article.
    #[error("topic {topic:?} occurs on no training article")]
    TopicNeverOccurs {
        /// The topic.
        topic: String,
    },
    /// More topics than the model format can hold.
    #[error("{count} topics: a model holds at most {max}")]
    TooManyTopics {
        /// How many were found.
        count: usize,
        /// The limit.
        max: usize,
    },
    /// A training setting is out of range.
    #[error("bad setting: {0}")]
    BadSetting(String),
    /// Reading or writing a model folder failed.
    #[error("{}: {error}", path.display())]
    ModelIo {
        /// The file or folder.
        path: PathBuf,
        /// The I/O error.
        #[source]
        error: std::io::Error,
    },
    /// A model folder has no manifest.
    #[error("{}: not a topic model folder (no manifest.json)", dir.display())]
    NotAModel {
        /// The folder.
        dir: PathBuf,
    },
    /// A model was written by a newer version of the format.
    #[error(
        "{}: model format version {found} is newer than this program reads (up to {supported}); upgrade newsdesk or retrain the model",
        path.display()
    )]
    NewerModelVersion {
        /// The manifest.
        path: PathBuf,
        /// The version the manifest declares.
        found: u32,
        /// The newest version this build reads.
        supported: u32,
    },
    /// A model file is damaged: unreadable JSON, wrong size, wrong checksum.
    #[error("{}: corrupt model file: {reason}", path.display())]
    CorruptModel {
        /// The damaged file.
        path: PathBuf,
        /// What was wrong.
        reason: String,
    },
}

/// Results of this crate.
pub type Result<T, E = ClassifyError> = std::result::Result<T, E>;
