//! One configuration for every `newsdesk` command.
//!
//! Typed settings ([`Settings`]), each value with the layer it came from
//! ([`Sourced`], [`Source`]). The layers, later ones winning:
//!
//! 1. the defaults ([`Settings::defaults`], the one place they are written);
//! 2. `DATA_DIR/newsdesk.toml`, whose `[editorial]` values sit on top of the
//!    file it includes (`editorial.include`, by default `desk.toml`, the
//!    editorial settings file the desk has always read);
//! 3. `NEWSDESK_*` environment variables (`server.addr` is
//!    `NEWSDESK_SERVER_ADDR`; a list is comma-separated); the older
//!    `NEWSDESK_DATA_DIR`, `NEWSDESK_KEYS` and `NEWSDESK_EDITOR` are the keys
//!    `data_dir`, `keys` and `editor`;
//! 4. command-line flags, applied by the binary with [`ServeOverrides`] and
//!    [`RunOverrides`] (or [`Sourced::flag`]).
//!
//! [`Loader::load`] reads layers 1–3; errors ([`ConfigError`]) name the
//! file and line or the variable, the key, and what was expected; an unknown
//! key is an error with the nearest known key. [`show`] prints the result with
//! secrets redacted.

mod error;
mod load;
mod overrides;
mod settings;
pub mod show;
mod source;
mod value;

pub use error::ConfigError;
pub use load::Loader;
pub use overrides::{RunOverrides, ServeOverrides};
pub use settings::{
    Editorial, Entry, Fetch, Images, Run, Server, Settings, CONFIG_FILE, DEFAULT_DATA_DIR,
    DEFAULT_USER_AGENT, DESK_FILE,
};
pub use source::{Source, Sourced};
pub use value::{redact_userinfo, Secret, SettingValue, REDACTED};
