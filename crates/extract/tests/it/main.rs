//! The extractor's integration tests, one binary: page fixtures written here
//! (`fixtures`, `layouts`, `dates`) and the real sets in `../shared`
//! (`benchmark`: the article-extraction-benchmark; `web_dev`: the
//! development halves of htmldate's and trafilatura's evaluation sets).

mod common;

mod benchmark;
mod dates;
mod fixtures;
mod layouts;
mod web_dev;
