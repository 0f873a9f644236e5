//! The desk's errors. Each says what the desk was doing; the cause (a store
//! error, an I/O error) is its `source`, so a report prints both.

use newsdesk_store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// The store failed while the desk was `doing` something.
    #[error("{doing}")]
    Store {
        doing: String,
        #[source]
        source: StoreError,
    },
    /// A configuration file could not be read.
    #[error("reading {what}")]
    Read {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// A stored value the desk wrote cannot be read back.
    #[error("{0}")]
    Damaged(String),
    /// No such article or rule.
    #[error("{0}")]
    NotFound(String),
    /// A configuration value is wrong: the message names the file (and line)
    /// or the rule, and what was expected.
    #[error("{0}")]
    Config(String),
    #[error(transparent)]
    Topics(#[from] newsdesk_topics::TopicsError),
    #[error(transparent)]
    Scoring(#[from] newsdesk_score::ConfigError),
    #[error("loading the topic model in {path}")]
    TopicModel {
        path: String,
        #[source]
        source: newsdesk_classify::ClassifyError,
    },
}

/// `map_err` for store calls: `store.rules().map_err(store("reading the rules"))`.
pub(crate) fn store(doing: impl Into<String>) -> impl FnOnce(StoreError) -> DeskError {
    let doing = doing.into();
    move |source| DeskError::Store { doing, source }
}
