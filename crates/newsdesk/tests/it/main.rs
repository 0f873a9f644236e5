//! The integration tests of the `newsdesk` command, one binary (each module
//! was a test binary of its own; one link instead of many). Every test runs
//! the built binary through the harness in `common` (`newsdesk_testkit::cli`).

mod common;

mod browser;
mod cli;
mod config_cli;
mod demo_cli;
mod editorial_cli;
mod extract_cli;
mod jekyll;
mod openapi;
mod run_cli;
mod search_cli;
mod secure_cli;
mod topics_cli;
