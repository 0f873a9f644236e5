//! Normalization: the stage between parsing and analysis. Every function here is
//! pure: same input, same output, no I/O.

pub mod sanitize;
