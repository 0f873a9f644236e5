//! Analysis: pure functions from articles (and `now`) to decisions with their
//! reasons. Nothing here does I/O.
//!
//! - [`minhash`]: MinHash signatures of texts (word 5-gram shingles, one
//!   permutation hashing with densification), stable across runs.
//! - [`lsh`]: a banded LSH index over signatures for near-duplicate lookup
//!   without all-pairs comparison.
//!
//! Stories, topics, quality, heat and the publish decision build on these.

pub mod lsh;
pub mod minhash;

pub use lsh::LshIndex;
pub use minhash::{Signature, Signer};
