//! The integration tests of this crate, one binary (each module was a
//! test binary of its own; one link instead of many). `real_sets` is also
//! compiled into `examples/stories_real.rs`.

mod desk;
mod generated_newsroom;
mod real_sets;
mod real_stories;
mod reuters_duplicates;
