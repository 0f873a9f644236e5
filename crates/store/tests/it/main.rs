//! The integration tests of this crate, one binary (each module was a
//! test binary of its own; one link instead of many).

mod query;
mod sealed;
mod search_outbox;
mod sqlite;
