//! The integration tests of this crate, one binary (each module was a
//! test binary of its own; one link instead of many).

mod amp;
mod common;
mod date;
mod mojibake;
mod mojibake_ftfy;
mod provider;
mod text;
mod url;
