//! The newsdesk model: the article and its record (document) format.

pub mod article;

pub use article::{Article, Image, Origin, Provider};
