//! The desk as a library: what happens between a feed and a published
//! article, independent of the command line. The binary builds a
//! [`DeskPaths`] from its flags and hands it to every call; it parses
//! arguments and prints what these return.
//!
//! - [`keys`]: [`DeskPaths`] (data folder, keyring source, log), opening
//!   the store with the keyring, and the keyring's work (new keys,
//!   sealing, re-sealing, retiring).
//! - [`ingest`]: files and folders read, each stored as one batch and
//!   digested; [`run`]: the running desk polling followed sources
//!   ([`sources`]: following them).
//! - [`pipeline`]: a stored batch analysed then decided; the desk caught up
//!   on whatever is pending when it opens.
//! - [`analysis`]: duplicates, stories and similar coverage over stored
//!   articles (`newsdesk_analyze`'s engine), its memory rebuilt from the
//!   store's analysis records.
//! - [`editorial`]: each analysed article's topics, quality, matching rules
//!   and heat, weighed by the publish policy (`newsdesk_score::decide`) and
//!   written back to the store.
//! - [`search_sync`]: the full-text index kept in step through the outbox.
//! - [`actions`]: editors' overrides and rules, audited and applied at once;
//!   [`editor`]: the same over a data folder for the commands; [`api`]: the
//!   [`newsdesk_model::EditorDesk`] a server is handed.
//! - [`demo`]: the running desk over the synthetic newsroom played live
//!   from loopback (`newsdesk demo`).
//! - [`eval`], [`docs`], [`apikeys`]: scoring against truth, checking
//!   documents, API keys.
//!
//! Errors are typed ([`DeskError`]); no process-wide state; time is passed
//! in where the caller knows it (polls and page fetches read the clock).

pub mod actions;
pub mod analysis;
pub mod api;
pub mod apikeys;
pub mod demo;
pub mod docs;
pub mod editor;
pub mod editorial;
mod error;
pub mod eval;
pub mod ingest;
pub mod keys;
pub mod pipeline;
pub mod run;
pub mod search_sync;
pub mod sources;

pub use editorial::{Decided, Detail, Editorial, TopicWhy, DESK_FILE, EDITORIAL_VERSION};
pub use error::DeskError;
pub use keys::{DeskPaths, KeySource, KeysVar, Log};
