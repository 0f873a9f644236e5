//! The desk library's tests, in-process: one integration-test binary.

mod editorial;
mod pipeline;
