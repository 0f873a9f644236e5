//! The newsdesk model: the article and its record (document) format.
//!
//! - [`article`]: the normalized article the pipeline passes along and stores.
//! - [`document`]: the seed record format (YAML front matter), read and written
//!   byte for byte.
//! - [`yaml`]: the YAML subset that format uses.
//! - [`desk`]: the later stages' records (decisions, rules, audit, followed
//!   sources).
//! - [`editor`]: what an editor says about an article (action, override).
//! - [`source`]: a followed source's health.
//! - [`sealing`]: the sealer of full text at rest and its stored form.

pub mod article;
pub mod desk;
pub mod document;
pub mod editor;
pub mod sealing;
pub mod source;
pub mod validate;
pub mod yaml;

pub use article::{Article, Image, Origin, Provider};
pub use document::{Document, DocumentError, Layout};
pub use editor::{
    ActionOutcome, EditorAction, EditorDesk, EditorError, EditorOverride, NewRule, RulePreview,
};
pub use source::SourceHealth;
