//! The settings, their defaults (the one place they are written down), and
//! the table of keys every layer goes through.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};

use serde_json::Value as Json;
use toml::de::DeValue;

use crate::source::{Source, Sourced};
use crate::value::{Secret, SettingValue};

/// The data folder when neither `--data-dir` nor `NEWSDESK_DATA_DIR` names one.
pub const DEFAULT_DATA_DIR: &str = "newsdesk-data";

/// The configuration file, inside the data folder.
pub const CONFIG_FILE: &str = "newsdesk.toml";

/// The editorial settings file `newsdesk.toml` includes unless it says otherwise.
pub const DESK_FILE: &str = "desk.toml";

/// The fetcher's `User-Agent`.
pub const DEFAULT_USER_AGENT: &str = concat!(
    "newsdesk/",
    env!("CARGO_PKG_VERSION"),
    " (self-hosted news desk; polite feed reader)"
);

/// Everything a command can be told, each value with where it came from.
#[derive(Debug, Clone, PartialEq)]
pub struct Settings {
    /// The data folder (the store, caches, `newsdesk.toml`). Never from a file.
    pub data_dir: Sourced<PathBuf>,
    /// The keyring file (default: `NEWSDESK_KEYS`, then `DATA_DIR/keys/keyring`).
    pub key_file: Sourced<Option<PathBuf>>,
    /// Key material from `NEWSDESK_KEYS` (environment only, never shown).
    pub keys: Sourced<Option<Secret>>,
    /// Who acts in editor commands when `--by` is not given (then `$USER`).
    pub editor: Sourced<Option<String>>,
    pub server: Server,
    pub run: Run,
    pub fetch: Fetch,
    pub images: Images,
    pub editorial: Editorial,
}

/// `newsdesk serve`, and `newsdesk run --serve`.
#[derive(Debug, Clone, PartialEq)]
pub struct Server {
    /// Where `serve` listens.
    pub addr: Sourced<SocketAddr>,
    /// The public base URL for links (unset: `http://` and the address).
    pub base_url: Sourced<Option<String>>,
    /// Read connections to the store.
    pub readers: Sourced<usize>,
    /// Origins browsers may call the API from (`*`: any).
    pub cors_origins: Sourced<Vec<String>>,
    /// Requests per minute for each anonymous client address.
    pub anonymous_rate: Sourced<u32>,
    /// Requests per minute for an API key without its own rate.
    pub key_rate: Sourced<u32>,
    /// Rate-limit anonymous clients by the last `X-Forwarded-For` address.
    pub trust_forwarded_for: Sourced<bool>,
}

/// `newsdesk run`: what it polls and how much at once.
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Sources polled at once.
    pub concurrency: Sourced<usize>,
    /// Fetch each new item's page (text, date, lead image...).
    pub fetch_pages: Sourced<bool>,
    /// Allow loopback addresses.
    pub allow_loopback: Sourced<bool>,
    /// Allow private, link-local and shared addresses.
    pub allow_private: Sourced<bool>,
    /// Never poll a healthy source more often than this.
    pub min_poll_interval_secs: Sourced<u64>,
    /// Never wait longer than this between polls of a healthy source.
    pub max_poll_interval_secs: Sourced<u64>,
}

/// The fetcher's politeness and limits.
#[derive(Debug, Clone, PartialEq)]
pub struct Fetch {
    pub user_agent: Sourced<String>,
    /// Requests in flight at once to one host.
    pub per_host_concurrency: Sourced<usize>,
    /// Least time between the starts of two requests to one host.
    pub per_host_delay_ms: Sourced<u64>,
    /// A robots.txt `Crawl-delay` above this is cut to it.
    pub max_crawl_delay_secs: Sourced<u64>,
    pub connect_timeout_secs: Sourced<u64>,
    /// One attempt, from the request to the last body byte.
    pub total_timeout_secs: Sourced<u64>,
    /// Longest silence while waiting for bytes.
    pub idle_timeout_secs: Sourced<u64>,
    pub max_redirects: Sourced<usize>,
    /// Bytes received for one body, in MiB.
    pub max_body_mb: Sourced<u64>,
    /// Bytes after decompression, in MiB.
    pub max_decoded_mb: Sourced<u64>,
    /// Extra attempts after a transient failure.
    pub retries: Sourced<u32>,
}

/// The lead-image cache (`DATA_DIR/images`).
#[derive(Debug, Clone, PartialEq)]
pub struct Images {
    /// The cache's size cap, in MiB (oldest images go first).
    pub cache_mb: Sourced<u64>,
    /// One image larger than this (MiB) is measured, not cached.
    pub max_image_mb: Sourced<u64>,
}

/// The editorial step's files and policy (today's `desk.toml`). Paths are
/// relative to the data folder.
#[derive(Debug, Clone, PartialEq)]
pub struct Editorial {
    /// The file whose keys are the editorial settings, beneath
    /// `newsdesk.toml`'s own `[editorial]` values (read when present).
    pub include: Sourced<PathBuf>,
    /// The topics file (unset: `topics.toml` when present, else the built-in topics).
    pub topics: Sourced<Option<PathBuf>>,
    /// A model folder from `newsdesk topics train` (unset: `topic-model` when present).
    pub topic_model: Sourced<Option<PathBuf>>,
    /// Quality weights, heat and the default bar (unset: built in).
    pub scoring: Sourced<Option<PathBuf>>,
    /// The provider credibility table (unset: built in).
    pub providers: Sourced<Option<PathBuf>>,
    /// Keep the quality, topics and decision an input record carries.
    pub keep_given: Sourced<bool>,
    /// The quality bar for topics that set none (unset: the scoring file's).
    pub quality_bar: Sourced<Option<i64>>,
}

impl Settings {
    /// Every default, with the data folder given.
    pub fn defaults(data_dir: Sourced<PathBuf>) -> Settings {
        fn d<T>(value: T) -> Sourced<T> {
            Sourced::default_value(value)
        }
        Settings {
            data_dir,
            key_file: d(None),
            keys: d(None),
            editor: d(None),
            server: Server {
                addr: d(SocketAddr::from(([127, 0, 0, 1], 8080))),
                base_url: d(None),
                readers: d(4),
                cors_origins: d(Vec::new()),
                anonymous_rate: d(600),
                key_rate: d(6000),
                trust_forwarded_for: d(false),
            },
            run: Run {
                concurrency: d(8),
                fetch_pages: d(true),
                allow_loopback: d(false),
                allow_private: d(false),
                min_poll_interval_secs: d(15 * 60),
                max_poll_interval_secs: d(24 * 3600),
            },
            fetch: Fetch {
                user_agent: d(DEFAULT_USER_AGENT.to_string()),
                per_host_concurrency: d(2),
                per_host_delay_ms: d(1000),
                max_crawl_delay_secs: d(30),
                connect_timeout_secs: d(10),
                total_timeout_secs: d(60),
                idle_timeout_secs: d(20),
                max_redirects: d(10),
                max_body_mb: d(16),
                max_decoded_mb: d(32),
                retries: d(2),
            },
            images: Images {
                cache_mb: d(512),
                max_image_mb: d(8),
            },
            editorial: Editorial {
                include: d(PathBuf::from(DESK_FILE)),
                topics: d(None),
                topic_model: d(None),
                scoring: d(None),
                providers: d(None),
                keep_given: d(true),
                quality_bar: d(None),
            },
        }
    }

    /// `DATA_DIR/newsdesk.toml`.
    pub fn config_file(&self) -> PathBuf {
        self.data_dir.get().join(CONFIG_FILE)
    }

    /// The keyring file to read, if the keys come from a file chosen by the
    /// configuration: `--key-file` first, then `NEWSDESK_KEYS` (which needs
    /// no file: `None`), then `key_file` from the environment or
    /// `newsdesk.toml`. `None` also when nothing names one (the desk then
    /// looks for `DATA_DIR/keys/keyring`).
    pub fn key_file_in_effect(&self) -> Option<&Path> {
        let file = self.key_file.get().as_deref();
        match self.key_file.source() {
            Source::Flag(_) => file,
            _ if self.keys.get().is_some() => None,
            _ => file,
        }
    }

    /// A path setting made absolute against the data folder.
    pub fn in_data_dir(&self, path: &Path) -> PathBuf {
        if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.data_dir.get().join(path)
        }
    }

    /// Every key with its value (secrets redacted) and where it came from,
    /// in the order of the table.
    pub fn entries(&self) -> Vec<Entry> {
        let mut copy = self.clone();
        copy.fields()
            .into_iter()
            .map(|(meta, field)| Entry {
                key: meta.key,
                value: field.to_json(),
                source: field.source().clone(),
            })
            .collect()
    }
}

/// One line of `newsdesk config`.
#[derive(Debug, Clone, PartialEq)]
pub struct Entry {
    /// The dotted key (`server.addr`), as written in `newsdesk.toml`.
    pub key: &'static str,
    /// The value as JSON (`null` when unset; secrets as `<redacted>`).
    pub value: Json,
    pub source: Source,
}

/// Which layers may set a key.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Meta {
    /// Dotted: `section.key`, or a top-level key.
    pub key: &'static str,
    /// Why a file may not set it (`None`: it may).
    pub not_in_file: Option<&'static str>,
    /// Whether `NEWSDESK_<KEY>` sets it. The editorial settings are read
    /// from files only: the desk fingerprints its decisions by them, and
    /// every command that decides (ingest, run, override...) reads the same.
    pub env: bool,
}

impl Meta {
    /// `NEWSDESK_SERVER_ADDR` for `server.addr`.
    pub fn env_var(&self) -> String {
        format!(
            "NEWSDESK_{}",
            self.key.replace('.', "_").to_ascii_uppercase()
        )
    }
}

/// A setting of any type, as the layers see it.
pub(crate) trait Field {
    fn expected(&self) -> &'static str;
    /// `false` when the value is not of the setting's kind.
    fn set_toml(&mut self, value: &DeValue<'_>, source: Source) -> bool;
    fn set_env(&mut self, text: &str, source: Source) -> bool;
    fn to_json(&self) -> Json;
    fn source(&self) -> &Source;
}

impl<T: SettingValue> Field for Sourced<T> {
    fn expected(&self) -> &'static str {
        T::expected()
    }
    fn set_toml(&mut self, value: &DeValue<'_>, source: Source) -> bool {
        match T::from_toml(value) {
            Some(v) => {
                self.set(v, source);
                true
            }
            None => false,
        }
    }
    fn set_env(&mut self, text: &str, source: Source) -> bool {
        match T::from_env(text) {
            Some(v) => {
                self.set(v, source);
                true
            }
            None => false,
        }
    }
    fn to_json(&self) -> Json {
        self.get().to_json()
    }
    fn source(&self) -> &Source {
        Sourced::source(self)
    }
}

const DATA_DIR_WHY: &str =
    "the file lives in the data folder (use --data-dir or NEWSDESK_DATA_DIR)";
const KEYS_WHY: &str =
    "key material is read from NEWSDESK_KEYS or a key file only (see `key_file`)";

/// The table of keys: the one list every layer, the printing and the
/// did-you-mean go through. `file` / `env` say which layers may set a key.
macro_rules! keys {
    ($( $key:literal $(not_in_file $why:expr)? $(, no_env $no_env:tt)? => $($field:ident).+ ;)*) => {
        impl Settings {
            pub(crate) fn fields(&mut self) -> Vec<(Meta, &mut dyn Field)> {
                vec![$(
                    (
                        Meta {
                            key: $key,
                            not_in_file: keys!(@why $($why)?),
                            env: keys!(@env $($no_env)?),
                        },
                        &mut self.$($field).+ as &mut dyn Field,
                    ),
                )*]
            }
        }
    };
    (@why) => { None };
    (@why $why:expr) => { Some($why) };
    (@env) => { true };
    (@env $no:tt) => { false };
}

keys! {
    "data_dir" not_in_file DATA_DIR_WHY, no_env x => data_dir;
    "key_file" => key_file;
    "keys" not_in_file KEYS_WHY => keys;
    "editor" => editor;
    "server.addr" => server.addr;
    "server.base_url" => server.base_url;
    "server.readers" => server.readers;
    "server.cors_origins" => server.cors_origins;
    "server.anonymous_rate" => server.anonymous_rate;
    "server.key_rate" => server.key_rate;
    "server.trust_forwarded_for" => server.trust_forwarded_for;
    "run.concurrency" => run.concurrency;
    "run.fetch_pages" => run.fetch_pages;
    "run.allow_loopback" => run.allow_loopback;
    "run.allow_private" => run.allow_private;
    "run.min_poll_interval_secs" => run.min_poll_interval_secs;
    "run.max_poll_interval_secs" => run.max_poll_interval_secs;
    "fetch.user_agent" => fetch.user_agent;
    "fetch.per_host_concurrency" => fetch.per_host_concurrency;
    "fetch.per_host_delay_ms" => fetch.per_host_delay_ms;
    "fetch.max_crawl_delay_secs" => fetch.max_crawl_delay_secs;
    "fetch.connect_timeout_secs" => fetch.connect_timeout_secs;
    "fetch.total_timeout_secs" => fetch.total_timeout_secs;
    "fetch.idle_timeout_secs" => fetch.idle_timeout_secs;
    "fetch.max_redirects" => fetch.max_redirects;
    "fetch.max_body_mb" => fetch.max_body_mb;
    "fetch.max_decoded_mb" => fetch.max_decoded_mb;
    "fetch.retries" => fetch.retries;
    "images.cache_mb" => images.cache_mb;
    "images.max_image_mb" => images.max_image_mb;
    "editorial.include", no_env x => editorial.include;
    "editorial.topics", no_env x => editorial.topics;
    "editorial.topic_model", no_env x => editorial.topic_model;
    "editorial.scoring", no_env x => editorial.scoring;
    "editorial.providers", no_env x => editorial.providers;
    "editorial.keep_given", no_env x => editorial.keep_given;
    "editorial.quality_bar", no_env x => editorial.quality_bar;
}

/// The sections a file may have.
pub(crate) const SECTIONS: &[&str] = &["server", "run", "fetch", "images", "editorial"];
