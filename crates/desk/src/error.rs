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
    /// An input file could not be read.
    #[error("cannot read {what}")]
    Unreadable {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// A gzip file could not be decompressed.
    #[error("cannot decompress the gzip file")]
    Gzip {
        #[source]
        source: std::io::Error,
    },
    /// A saved page could not be read for its text.
    #[error(transparent)]
    Extract(#[from] newsdesk_extract::ExtractError),
    /// A stored value the desk wrote cannot be read back.
    #[error("{0}")]
    Damaged(String),
    /// A stored JSON value the desk wrote cannot be read back.
    #[error("{what}")]
    DamagedJson {
        what: String,
        #[source]
        source: serde_json::Error,
    },
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
    /// The store failed; its message says where and what.
    #[error(transparent)]
    Backend(#[from] StoreError),
    /// The keyring or a sealed value.
    #[error(transparent)]
    Keys(#[from] newsdesk_secure::SecureError),
    /// An API key could not be issued.
    #[error(transparent)]
    ApiKey(#[from] newsdesk_secure::ApiKeyError),
    /// A value could not be sealed or re-sealed for an article.
    #[error("article {article} ({identity})")]
    Sealing {
        article: i64,
        identity: String,
        #[source]
        source: newsdesk_secure::SecureError,
    },
    /// The keys come from the environment, which the desk cannot change.
    #[error(
        "the keys come from {}, which newsdesk cannot change: \
         edit the variable, or pass --key-file FILE",
        newsdesk_secure::KEYS_ENV
    )]
    KeysFromEnv,
    #[error("key {id} is not in {}", file.display())]
    KeyNotInFile {
        id: String,
        file: std::path::PathBuf,
    },
    #[error("key {0} is the current key: run `newsdesk keys rotate` first")]
    KeyIsCurrent(String),
    #[error(
        "article {article} is still sealed with key {id} (written meanwhile?): run `newsdesk keys retire {id}` again"
    )]
    KeyStillUsed { article: i64, id: String },
    /// A file could not be written.
    #[error("writing {what}")]
    Write {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// A folder or file could not be created.
    #[error("creating {what}")]
    Create {
        what: String,
        #[source]
        source: std::io::Error,
    },
    /// An input could not be read as what it claims to be.
    #[error(transparent)]
    Ingest(#[from] newsdesk_ingest::IngestError),
    /// The web fetcher could not be set up.
    #[error(transparent)]
    Fetch(#[from] newsdesk_fetch::FetchError),
    /// The thread reading an ingest's inputs panicked.
    #[error("the reader thread stopped unexpectedly")]
    ReaderStopped,
    /// The search index.
    #[error(transparent)]
    Search(#[from] newsdesk_search::SearchError),
    /// The search index failed while the desk was `doing` something.
    #[error("{doing}")]
    Index {
        doing: String,
        #[source]
        source: newsdesk_search::SearchError,
    },
    /// Rebuilding the search index failed (the old index stays).
    #[error("rebuilding the search index")]
    Rebuild(#[source] Box<DeskError>),
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
