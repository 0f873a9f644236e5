//! The desk library's tests, in-process: one integration-test binary.

mod apikeys;
mod config;
mod docs;
mod editorial;
mod ingest;
mod keys;
mod pipeline;
mod run;
mod search_sync;
