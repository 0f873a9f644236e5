//! The desk library's tests, in-process: one integration-test binary.

mod config;
mod editorial;
mod pipeline;
