//! The index layout and its analyzers.

use tantivy::schema::{
    Field, IndexRecordOption, Schema, TextFieldIndexing, TextOptions, FAST, INDEXED, STORED, STRING,
};
use tantivy::tokenizer::{
    AsciiFoldingFilter, Language, LowerCaser, RemoveLongFilter, SimpleTokenizer, Stemmer,
    TextAnalyzer, TokenizerManager,
};

/// The layout version. The English analyzer's registered name carries it,
/// so an index written by another version is refused as another layout
/// (tantivy compares schemas on open) instead of silently mis-read.
/// Version 2: the body is indexed but no longer stored. Version 3: the
/// `all` field, which plain query words search.
pub const SCHEMA_VERSION: u32 = 3;

/// The English analyzer's name in the schema (carries [`SCHEMA_VERSION`]).
pub(crate) const EN: &str = "newsdesk_en_v3";

/// Longest token kept, in bytes (longer ones are dropped: URLs, base64).
pub(crate) const MAX_TOKEN_LEN: usize = 40;

#[derive(Clone, Copy)]
pub(crate) struct Fields {
    pub id: Field,
    pub title: Field,
    pub excerpt: Field,
    pub body: Field,
    pub provider: Field,
    pub topics: Field,
    pub all: Field,
    pub provider_key: Field,
    pub topic_key: Field,
    pub published: Field,
    pub published_at: Field,
    pub quality: Field,
    pub heat: Field,
}

pub(crate) fn schema() -> (Schema, Fields) {
    let mut b = Schema::builder();
    let text = |stored: bool| {
        let indexing = TextFieldIndexing::default()
            .set_tokenizer(EN)
            .set_index_option(IndexRecordOption::WithFreqsAndPositions);
        let o = TextOptions::default().set_indexing_options(indexing);
        if stored {
            o.set_stored()
        } else {
            o
        }
    };
    let fields = Fields {
        id: b.add_i64_field("id", INDEXED | STORED | FAST),
        title: b.add_text_field("title", text(true)),
        excerpt: b.add_text_field("excerpt", text(true)),
        // Indexed, never stored: the full text is secret at rest, and
        // snippets come from the title and the excerpt.
        body: b.add_text_field("body", text(false)),
        provider: b.add_text_field("provider", text(true)),
        topics: b.add_text_field("topics", text(false)),
        // Title (twice: title words weigh double), excerpt, body, provider
        // and topics in one field: a plain word is one term here, so words
        // and phrases are single-field queries that tantivy can prune by
        // block-max scores (five fields per word made unions it could
        // barely prune).
        all: b.add_text_field("all", text(false)),
        provider_key: b.add_text_field("provider_key", STRING | FAST),
        topic_key: b.add_text_field("topic_key", STRING | FAST),
        published: b.add_bool_field("published", INDEXED | FAST),
        published_at: b.add_date_field("published_at", INDEXED | STORED | FAST),
        quality: b.add_i64_field("quality", INDEXED | FAST),
        heat: b.add_i64_field("heat", INDEXED | FAST),
    };
    (b.build(), fields)
}

pub(crate) fn english() -> TextAnalyzer {
    TextAnalyzer::builder(SimpleTokenizer::default())
        .filter(RemoveLongFilter::limit(MAX_TOKEN_LEN))
        .filter(LowerCaser)
        .filter(AsciiFoldingFilter)
        .filter(Stemmer::new(Language::English))
        .build()
}

pub(crate) fn register(manager: &TokenizerManager) {
    manager.register(EN, english());
}

/// The exact-match form of a filter value (topic, provider name or domain).
pub(crate) fn key(value: &str) -> String {
    value.trim().to_lowercase()
}
