//! Topics by query: which topics of the desk an article belongs to.
//!
//! A [`TopicSet`] is read from a TOML topics file; each topic has a name, an
//! optional parent, a boolean [`Query`], and optionally a slug and a quality bar.
//! An article is tokenized once into a [`Doc`]; every topic's query is then
//! evaluated against that index. [`Query`] is usable alone (mute and keep rules
//! use the same language).
//!
//! # Query syntax
//!
//! | write | matches |
//! |---|---|
//! | `cloud` | the word, any case (`Cloud`, `CLOUD`), in the title or the body |
//! | `a AND b`, `a b` | both (adjacent operands are ANDed) |
//! | `a OR b` | either |
//! | `NOT a`, `a NOT b`, `a AND NOT b` | without `a` / `a` without `b` |
//! | `( … )` | grouping |
//! | `"machine learning"` | the words consecutively (punctuation between words is ignored: `machine-learning` matches) |
//! | `"AI"/c` | case-sensitive phrase or word: `AI` but not `ai` or `Ai` |
//! | `learn*` | any word starting with `learn`; also inside phrases: `"deep learn*"` |
//! | `title:x`, `body:x`, `provider:x` | `x` (a word, phrase or parenthesised group) in that field only |
//! | `a NEAR/5 b` | `a` and `b` in the same field, at most 5 words apart, either order |
//!
//! - Operators are upper case (`AND`, `OR`, `NOT`, `NEAR/n`); lower-case `and`,
//!   `or`, `not` are ordinary words. Field names are any case.
//! - Precedence, tightest first: field scope, `NEAR/n`, `NOT`, `AND`, `OR`.
//!   `a OR b c` is `a OR (b AND c)`; `NOT a NEAR/3 b` is `NOT (a NEAR/3 b)`.
//! - Words are runs of Unicode letters and digits, lower-cased; everything else
//!   separates words, and a possessive `'s` is dropped (`Facebook's` is
//!   `facebook`). A query word goes through the same rule, so `re:Invent` and
//!   `GPT-3` are matched as the phrases `"re invent"` and `"gpt 3"`.
//! - Unscoped terms look in the title and the body; `provider:` is the
//!   publisher's name and domain (`provider:reuters`, `provider:"reuters.com"`).
//!   Spaces may follow the colon (`title: ai`). Scopes do not nest.
//! - `NEAR/n` (1 ≤ n ≤ 1000) measures between the nearest ends of its sides:
//!   adjacent words are 1 apart. Each side is a term, a phrase or an `OR` group of
//!   them; the two sides must be different occurrences; NEAR does not chain.
//! - `*` only ends a word (`learn*`, not `*learn` or `le*rn`).
//! - The case flag `/c` follows the closing quote directly (`"AI"/c`); a bare
//!   word is always case-insensitive.
//! - Curly quotes (`“…”`) work like straight ones. A phrase cannot contain `"`.
//! - A query may start with `NOT` (`NOT provider:openpr` matches every article
//!   not from that provider), which mute and keep rules need.
//!
//! Errors ([`QueryError`]) give the byte offset and the 1-based character column
//! and say what was expected: `expected a term, phrase or '(' after AND, found ')'
//! at column 14`.
//!
//! # Topics file
//!
//! ```toml
//! version = 1                # optional; the format version
//!
//! [[topic]]
//! name = "AI"
//! query = '"artificial intelligence" OR "AI"/c'
//!
//! [[topic]]
//! name = "AWS AI"
//! parent = "AI"              # optional; any depth
//! slug = "aws-ai"            # optional; derived from the name
//! quality_bar = 40           # optional; the publish bar (issue 4.5)
//! query = 'AWS AND (SageMaker OR "machine learning")'
//! ```
//!
//! Names and slugs are unique; parents must exist and not form cycles; a topic
//! without a query needs children. Errors name the file, the line and the topic.
//!
//! # Topic order
//!
//! [`TopicSet::classify`] lists every topic whose query matches plus all their
//! ancestors, each once, ordered by depth (number of ancestors), deepest first,
//! and by position in the file among topics of the same depth. So a matched
//! child always comes before its parents: `[AWS AI, Machine Learning, AI]`.
//! Each [`TopicMatch`] says whether the topic's own query matched (`direct`)
//! or it is listed as an ancestor only.
//!
//! # Cost
//!
//! [`Doc::new`] tokenizes each field once: words in order, a hash table from
//! lower-cased word to positions (exact words: one probe, the query word's hash
//! is computed at parse time) and the vocabulary in sorted order (prefixes: a
//! binary search). Phrases check the following positions; NEAR merges position
//! lists. Within a [`TopicSet`], equal terms of different topics share one
//! slot, so a term repeated across topics (the AI context of every "AI in …"
//! topic) is looked up once per article.

mod doc;
mod parse;
mod query;
mod text;
mod topics;

pub use doc::{Doc, Field};
pub use parse::{QueryError, QueryErrorKind, MAX_DEPTH, MAX_NEAR};
pub use query::Query;
pub use topics::{
    slug_of, Topic, TopicMatch, TopicSet, TopicsError, TopicsErrorKind, DEFAULT_TOPICS,
    FORMAT_VERSION,
};
