//! The desk as a library: what happens to stored articles after ingest,
//! independent of the command line.
//!
//! - [`analysis`]: duplicates, stories and similar coverage over stored
//!   articles (`newsdesk_analyze`'s engine), its memory rebuilt from the
//!   store's analysis records.
//! - [`pipeline`]: a stored batch analysed then decided; the desk caught up
//!   on whatever is pending when it opens.
//! - [`editorial`]: each analysed article's topics, quality, matching rules
//!   and heat, weighed by the publish policy (`newsdesk_score::decide`) and
//!   written back to the store.
//! - [`actions`]: editors' overrides and rules, audited and applied at once
//!   (the CLI and the HTTP API both call them).
//!
//! Errors are typed ([`DeskError`]); no process-wide state; time is passed in.

pub mod actions;
pub mod analysis;
pub mod api;
pub mod apikeys;
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
