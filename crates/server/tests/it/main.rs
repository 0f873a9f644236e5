//! The integration tests of this crate, one binary (each module was a
//! test binary of its own; one link instead of many).

mod api;
mod common;
mod search;
mod secure;
mod web;
