//! Ingest: turn inputs (files, feeds, documents) into normalized articles.

pub mod feed;
pub mod opml;
pub mod reuters;
