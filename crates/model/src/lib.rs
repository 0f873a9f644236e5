//! The newsdesk model: the article and its record (document) format.
//!
//! - [`article`]: the normalized article the pipeline passes along and stores.
//! - [`document`]: the seed record format (YAML front matter), read and written
//!   byte for byte.
//! - [`yaml`]: the YAML subset that format uses.

pub mod article;
pub mod document;
pub mod validate;
pub mod yaml;

pub use article::{Article, Image, Origin, Provider};
pub use document::{Document, DocumentError, Layout};
