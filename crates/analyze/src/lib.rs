//! Analysis: pure functions from articles (and `now`) to decisions with their
//! reasons. Nothing here does I/O.
//!
//! - [`minhash`]: MinHash signatures of texts (word 5-gram shingles, one
//!   permutation hashing with densification), stable across runs.
//! - [`lsh`]: a banded LSH index over signatures for near-duplicate lookup
//!   without all-pairs comparison.
//! - [`features`]: the salient terms of an article (words, names, figures)
//!   weighted by rarity, for telling news events apart.
//! - [`desk`]: the incremental engine: copies and their originals, stories,
//!   similar coverage.
//! - [`eval`]: scoring stories and duplicates against labelled truth.
//! - [`related`]: ordering an article's related coverage.
//!
//! Topics, quality, heat and the publish decision build on these.

pub mod desk;
pub mod eval;
pub mod features;
mod huge;
pub mod lsh;
pub mod minhash;
pub mod related;
mod tokens;

pub use desk::{Cause, Change, Decision, Desk, Input, Placement, Snapshot};
pub use lsh::LshIndex;
pub use minhash::{Signature, Signer};
