//! The desk as a library: what happens to stored articles after ingest,
//! independent of the command line.
//!
//! - [`editorial`]: each analysed article's topics, quality, matching rules
//!   and heat, weighed by the publish policy (`newsdesk_score::decide`) and
//!   written back to the store.
//! - [`actions`]: editors' overrides and rules, audited and applied at once
//!   (the CLI and the HTTP API both call them).
//!
//! Errors are typed ([`DeskError`]); no process-wide state; time is passed in.

pub mod actions;
pub mod editorial;
mod error;

pub use editorial::{Decided, Detail, Editorial, TopicWhy, DESK_FILE, EDITORIAL_VERSION};
pub use error::DeskError;
