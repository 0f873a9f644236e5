//! Ingest: turn inputs (files, feeds, documents) into normalized articles.
//!
//! Readers, one per kind of input, produce raw records; [`prepare`] applies the
//! normalize crate's rules to them; [`input`] decides which reader an input
//! needs and hands back a [`Parsed`] per input. Nothing here writes: the
//! caller stores what comes back, one input per transaction.

pub mod error;
pub mod feed;
pub mod input;
pub mod opml;
pub mod prepare;
pub mod reuters;

pub use error::IngestError;
pub use input::{expand_paths, parse_bytes, read_path, InputKind, Parsed, Subscription};
