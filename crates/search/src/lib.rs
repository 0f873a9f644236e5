//! Full-text search over articles: a tantivy index with BM25 ranking,
//! filters, highlighted snippets and batch writes.
//!
//! One process owns an index folder: [`SearchIndex::open_or_create`] takes
//! tantivy's writer lock and keeps the writer for the life of the value
//! (a second writer on the same folder gets [`SearchError::Locked`];
//! [`SearchIndex::open_read_only`] serves searches without it). Writes are
//! batched: [`SearchIndex::add_batch`] and [`SearchIndex::delete`] queue
//! changes and [`SearchIndex::commit`] makes them durable and visible in one
//! step; what was not committed is gone after a crash or a drop.
//!
//! The body is indexed but not stored (the full text is secret at rest):
//! snippets come from the title and the excerpt, and no search result ever
//! carries body text. The folder is still created private (0700 on unix):
//! its term dictionary reveals the words bodies contain.
//!
//! An index of another layout ([`SCHEMA_VERSION`]) or one tantivy cannot
//! read is never misread: [`SearchIndex::open_or_create`] refuses it, and
//! [`SearchIndex::open_or_recreate`] replaces it with an empty one, which
//! the caller then rebuilds from the store.
//!
//! # Fields
//!
//! | field | kind | used for |
//! | --- | --- | --- |
//! | `id` | i64, indexed, stored, fast | identity, upsert, delete |
//! | `title`, `excerpt` | English text (lowercased, ASCII-folded, stemmed), positions, stored | BM25, phrases, snippets |
//! | `body` | English text, positions, **not stored** | BM25, phrases |
//! | `provider`, `topics` | English text | BM25 |
//! | `all` | the title twice, excerpt, body, provider and topics as one English text, positions, not stored | what plain words and phrases search |
//! | `provider_key`, `topic_key` | lowercased exact strings, fast | filters |
//! | `published` | bool, fast | filter |
//! | `published_at` | date (seconds), fast, stored | date filter, newest-first order |
//! | `quality`, `heat` | i64, fast | (ranking signals for later) |
//!
//! # Query syntax
//!
//! tantivy's: words (all required), `"phrases"`, `OR`, `AND`, `-word`,
//! `( )`, `field:word` over the fields above. Words without a field search
//! `all`, so each is one term and BM25 sees one text per article (the title
//! counts double because it is in it twice). A query the parser refuses is
//! searched as its plain words, with a warning naming the position of the
//! problem ([`SearchQuery::strict`] turns that into [`SearchError::Query`]).
//!
//! # Filters, order and totals
//!
//! Filters are checked per candidate rather than joined as query clauses
//! (published and topics against bit sets per segment, dates and providers
//! from fast fields), so the text query alone drives the search and keeps
//! block-max pruning; a topic or provider far more selective than the text
//! joins it as a clause instead. Filters never change scores or order.
//! `total` is exact up to [`COUNT_CAP`] matches and a lower bound beyond
//! ([`Results::total_exact`]).

mod collect;
mod docsets;
mod error;
mod highlight;
mod index;
mod keeper;
mod query;
mod schema;
mod snippet;

pub use collect::COUNT_CAP;
pub use error::SearchError;
pub use index::{Check, Doc, Hit, Opened, Results, SearchIndex};
pub use keeper::{index_dir, SearchKeeper};
pub use query::{
    syntax_problem, Highlight, SearchQuery, Sort, MAX_LIMIT, MAX_NESTING, MAX_OFFSET, MAX_QUERY_LEN,
};
pub use schema::SCHEMA_VERSION;
