//! The integration tests of this crate, one binary (each module was a
//! test binary of its own; one link instead of many).

mod feeds_bad_input;
mod feeds_conformance;
mod feeds_fixtures;
mod reuters;
