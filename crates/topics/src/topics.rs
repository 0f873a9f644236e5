//! The topics file: named topics with parents and queries, and classification.

use std::fmt;
use std::path::Path;

use serde::Deserialize;
use thiserror::Error;
use toml::Spanned;

use crate::doc::Doc;
use crate::parse::QueryError;
use crate::query::{Pattern, Query};

/// The topics file the desk ships: the AI & cloud desk of the seed site.
pub const DEFAULT_TOPICS: &str = include_str!("../default-topics.toml");

/// The topics file format version this crate reads.
pub const FORMAT_VERSION: i64 = 1;

/// One topic of a [`TopicSet`].
#[derive(Debug, Clone)]
pub struct Topic {
    name: String,
    slug: String,
    parent: Option<usize>,
    parent_name: Option<String>,
    query: Option<Query>,
    quality_bar: Option<i64>,
    depth: usize,
}

impl Topic {
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The topic's slug: as written, else derived from the name (`AI in Autos` →
    /// `ai-in-autos`).
    pub fn slug(&self) -> &str {
        &self.slug
    }

    /// The parent topic's name.
    pub fn parent(&self) -> Option<&str> {
        self.parent_name.as_deref()
    }

    /// The topic's own query; `None` for a topic matched only through its children.
    pub fn query(&self) -> Option<&Query> {
        self.query.as_ref()
    }

    /// The quality an article needs to be published under this topic, if set.
    pub fn quality_bar(&self) -> Option<i64> {
        self.quality_bar
    }

    /// How many ancestors the topic has (0 for a top-level topic).
    pub fn depth(&self) -> usize {
        self.depth
    }
}

/// A topic an article belongs to.
#[derive(Debug, Clone, Copy)]
pub struct TopicMatch<'a> {
    pub topic: &'a Topic,
    /// `true` when the topic's own query matched, `false` when it is listed only
    /// as an ancestor of a matched topic.
    pub direct: bool,
}

/// A validated set of topics.
#[derive(Debug, Clone)]
pub struct TopicSet {
    origin: String,
    topics: Vec<Topic>,
    /// Topic indices in output order: deepest first, then file order.
    order: Vec<usize>,
    /// How many distinct terms the queries hold (see `Query::assign_slots`).
    slots: usize,
    first_words: FirstWords,
}

/// The terms (by slot) each word starts: an article lacking a term's first
/// word cannot match the term, so [`TopicSet::classify`] evaluates only the
/// terms whose first word the article has. Its cost then grows with the
/// article's words more than with the number of topics.
#[derive(Debug, Clone, Default)]
struct FirstWords {
    /// Open addressing, linear probing: entry index + 1, 0 for empty.
    table: Vec<u32>,
    /// Per entry: the lower-cased word, its hash, the slots it starts.
    entries: Vec<(String, u64, Vec<u32>)>,
    /// Terms starting with a prefix (`learn*`): always evaluated.
    prefix_slots: Vec<u32>,
}

impl FirstWords {
    fn new(first_words: &[Pattern]) -> FirstWords {
        let mut words = FirstWords {
            table: vec![0; (first_words.len() * 2).next_power_of_two().max(4)],
            ..FirstWords::default()
        };
        for (slot, p) in first_words.iter().enumerate() {
            let slot = slot as u32;
            if p.prefix {
                words.prefix_slots.push(slot);
                continue;
            }
            let mask = words.table.len() - 1;
            let mut at = p.hash as usize & mask;
            loop {
                match words.table[at] {
                    0 => {
                        words.entries.push((p.lower.clone(), p.hash, vec![slot]));
                        words.table[at] = words.entries.len() as u32;
                        break;
                    }
                    e if words.entries[e as usize - 1].0 == p.lower => {
                        words.entries[e as usize - 1].2.push(slot);
                        break;
                    }
                    _ => at = (at + 1) & mask,
                }
            }
        }
        words
    }

    fn slots_of(&self, word: &str, hash: u64) -> &[u32] {
        let mask = self.table.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            match self.table[at] {
                0 => return &[],
                e => {
                    let (w, h, slots) = &self.entries[e as usize - 1];
                    if *h == hash && w == word {
                        return slots;
                    }
                }
            }
            at = (at + 1) & mask;
        }
    }
}

/// A topics file that cannot be used, with where.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub struct TopicsError {
    /// The file (or other origin) name.
    pub origin: String,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// The topic concerned, when there is one.
    pub topic: Option<String>,
    pub kind: TopicsErrorKind,
}

impl fmt::Display for TopicsError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.origin)?;
        if let Some(line) = self.line {
            write!(f, ":{line}")?;
        }
        if let Some(topic) = &self.topic {
            write!(f, ": topic \"{topic}\"")?;
        }
        write!(f, ": {}", self.kind)
    }
}

/// The kinds of topics-file errors.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum TopicsErrorKind {
    #[error("cannot read the file: {0}")]
    Io(String),
    #[error("{0}")]
    Toml(String),
    #[error("unsupported version {found}: this newsdesk reads version {FORMAT_VERSION}")]
    Version { found: i64 },
    #[error("empty topic name")]
    EmptyName,
    #[error("duplicate topic name (first defined on line {first_line})")]
    DuplicateName { first_line: usize },
    #[error("slug \"{slug}\" is also the slug of topic \"{other}\"")]
    DuplicateSlug { slug: String, other: String },
    #[error("slug \"{slug}\" must be lower-case letters, digits and '-'")]
    BadSlug { slug: String },
    #[error("unknown parent \"{parent}\"")]
    UnknownParent { parent: String },
    #[error("parents form a cycle: {}", .cycle.join(" → "))]
    Cycle { cycle: Vec<String> },
    #[error("no query and no child topics, so it could never match")]
    NoQuery,
    #[error("query: {0}")]
    Query(Box<QueryError>),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFile {
    version: Option<Spanned<i64>>,
    #[serde(default)]
    topic: Vec<Spanned<RawTopic>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTopic {
    name: String,
    parent: Option<String>,
    slug: Option<String>,
    query: Option<Spanned<String>>,
    quality_bar: Option<i64>,
}

fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

/// The byte offset in the file of a query error, when the string's text maps
/// one to one onto the file (literal strings, or basic strings without escapes).
fn query_error_offset(
    text: &str,
    span: std::ops::Range<usize>,
    error_offset: usize,
) -> Option<usize> {
    let raw = text.get(span.clone())?;
    let delimiter = ["'''", "\"\"\"", "'", "\""]
        .into_iter()
        .find(|d| raw.starts_with(d))?;
    if delimiter.starts_with('"') && raw.contains('\\') {
        return None;
    }
    let mut start = delimiter.len();
    if delimiter.len() == 3 {
        // A newline right after the opening delimiter is not part of the string.
        if raw[start..].starts_with("\r\n") {
            start += 2;
        } else if raw[start..].starts_with('\n') {
            start += 1;
        }
    }
    Some(span.start + start + error_offset)
}

/// The derived slug of a name: lower-case words joined by `-`.
pub fn slug_of(name: &str) -> String {
    let mut slug = String::new();
    for (_, lower) in crate::text::words(name) {
        if !slug.is_empty() {
            slug.push('-');
        }
        slug.push_str(&lower);
    }
    slug
}

impl TopicSet {
    /// The desk's default topics (see [`DEFAULT_TOPICS`]).
    pub fn default_desk() -> TopicSet {
        TopicSet::from_toml_str(DEFAULT_TOPICS, "default-topics.toml")
            .expect("the shipped default topics file is valid (tested)")
    }

    /// Reads a topics file.
    pub fn from_path(path: &Path) -> Result<TopicSet, TopicsError> {
        let origin = path.display().to_string();
        let text = std::fs::read_to_string(path).map_err(|e| TopicsError {
            origin: origin.clone(),
            line: None,
            topic: None,
            kind: TopicsErrorKind::Io(e.to_string()),
        })?;
        TopicSet::from_toml_str(&text, &origin)
    }

    /// Parses and validates a topics file; `origin` names it in errors. Nothing
    /// is returned unless every topic is valid.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<TopicSet, TopicsError> {
        let fail = |line: Option<usize>, topic: Option<&str>, kind| TopicsError {
            origin: origin.to_string(),
            line,
            topic: topic.map(str::to_string),
            kind,
        };
        let raw: RawFile = toml::from_str(text).map_err(|e| {
            let line = e.span().map(|s| line_of(text, s.start));
            fail(
                line,
                None,
                TopicsErrorKind::Toml(e.message().trim().to_string()),
            )
        })?;
        if let Some(version) = &raw.version {
            if *version.get_ref() != FORMAT_VERSION {
                return Err(fail(
                    Some(line_of(text, version.span().start)),
                    None,
                    TopicsErrorKind::Version {
                        found: *version.get_ref(),
                    },
                ));
            }
        }

        let lines: Vec<usize> = raw
            .topic
            .iter()
            .map(|t| line_of(text, t.span().start))
            .collect();
        let mut topics = Vec::with_capacity(raw.topic.len());
        for (i, spanned) in raw.topic.iter().enumerate() {
            let t = spanned.get_ref();
            let line = Some(lines[i]);
            let name = t.name.trim();
            if name.is_empty() {
                return Err(fail(line, None, TopicsErrorKind::EmptyName));
            }
            if let Some(first) = topics.iter().position(|o: &Topic| o.name == name) {
                return Err(fail(
                    line,
                    Some(name),
                    TopicsErrorKind::DuplicateName {
                        first_line: lines[first],
                    },
                ));
            }
            let slug = match &t.slug {
                Some(s) => {
                    let ok = !s.is_empty()
                        && s.bytes()
                            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
                    if !ok {
                        return Err(fail(
                            line,
                            Some(name),
                            TopicsErrorKind::BadSlug { slug: s.clone() },
                        ));
                    }
                    s.clone()
                }
                None => slug_of(name),
            };
            if let Some(other) = topics.iter().find(|o: &&Topic| o.slug == slug) {
                return Err(fail(
                    line,
                    Some(name),
                    TopicsErrorKind::DuplicateSlug {
                        slug,
                        other: other.name.clone(),
                    },
                ));
            }
            let query = match &t.query {
                None => None,
                Some(q) => Some(Query::parse(q.get_ref()).map_err(|e| {
                    let at = query_error_offset(text, q.span(), e.offset)
                        .map_or(line, |offset| Some(line_of(text, offset)));
                    fail(at, Some(name), TopicsErrorKind::Query(Box::new(e)))
                })?),
            };
            topics.push(Topic {
                name: name.to_string(),
                slug,
                parent: None,
                parent_name: t.parent.as_ref().map(|p| p.trim().to_string()),
                query,
                quality_bar: t.quality_bar,
                depth: 0,
            });
        }

        // Parents: resolve, then reject cycles (each topic has at most one
        // parent, so following parents from any topic either ends or loops).
        for i in 0..topics.len() {
            if let Some(parent) = &topics[i].parent_name {
                let Some(p) = topics.iter().position(|t| &t.name == parent) else {
                    return Err(fail(
                        Some(lines[i]),
                        Some(&topics[i].name),
                        TopicsErrorKind::UnknownParent {
                            parent: parent.clone(),
                        },
                    ));
                };
                topics[i].parent = Some(p);
            }
        }
        for i in 0..topics.len() {
            let mut path = vec![i];
            let mut at = i;
            while let Some(p) = topics[at].parent {
                if let Some(k) = path.iter().position(|&q| q == p) {
                    let mut cycle: Vec<String> =
                        path[k..].iter().map(|&q| topics[q].name.clone()).collect();
                    cycle.push(topics[p].name.clone());
                    return Err(fail(
                        Some(lines[p]),
                        Some(&topics[p].name),
                        TopicsErrorKind::Cycle { cycle },
                    ));
                }
                path.push(p);
                at = p;
            }
            topics[i].depth = path.len() - 1;
        }
        for (i, t) in topics.iter().enumerate() {
            if t.query.is_none() && !topics.iter().any(|c| c.parent == Some(i)) {
                return Err(fail(
                    Some(lines[i]),
                    Some(&t.name),
                    TopicsErrorKind::NoQuery,
                ));
            }
        }

        let mut order: Vec<usize> = (0..topics.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(topics[i].depth));
        let mut slots = std::collections::HashMap::new();
        let mut first_words = Vec::new();
        for t in &mut topics {
            if let Some(q) = &mut t.query {
                q.assign_slots(&mut slots, &mut first_words);
            }
        }
        Ok(TopicSet {
            origin: origin.to_string(),
            topics,
            order,
            slots: slots.len(),
            first_words: FirstWords::new(&first_words),
        })
    }

    /// Where the set was read from.
    pub fn origin(&self) -> &str {
        &self.origin
    }

    /// The topics in file order.
    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    /// The topic with this name.
    pub fn get(&self, name: &str) -> Option<&Topic> {
        self.topics.iter().find(|t| t.name == name)
    }

    /// The article's topics: every topic whose query matches, plus all their
    /// ancestors, each once, deepest first (ties in file order). So a topic
    /// always comes before its parent.
    pub fn classify(&self, doc: &Doc) -> Vec<TopicMatch<'_>> {
        let mut state = vec![0u8; self.topics.len()]; // 0 none, 1 ancestor, 2 direct
                                                      // Memo per term slot: 0 not known yet, 1 false, 2 true. A term whose
                                                      // first word the article lacks is false without looking.
        let mut memo = vec![1u8; self.slots];
        for &slot in &self.first_words.prefix_slots {
            memo[slot as usize] = 0;
        }
        doc.for_each_word(|word, hash| {
            for &slot in self.first_words.slots_of(word, hash) {
                memo[slot as usize] = 0;
            }
        });
        for (i, t) in self.topics.iter().enumerate() {
            if t.query
                .as_ref()
                .is_some_and(|q| q.matches_memo(doc, &mut memo))
            {
                state[i] = 2;
                let mut at = t.parent;
                while let Some(p) = at {
                    if state[p] != 0 {
                        break; // already marked, with its ancestors
                    }
                    state[p] = 1;
                    at = self.topics[p].parent;
                }
            }
        }
        self.order
            .iter()
            .filter(|&&i| state[i] != 0)
            .map(|&i| TopicMatch {
                topic: &self.topics[i],
                direct: state[i] == 2,
            })
            .collect()
    }

    /// The names of [`TopicSet::classify`]'s topics, in its order.
    pub fn classify_names(&self, doc: &Doc) -> Vec<&str> {
        self.classify(doc)
            .into_iter()
            .map(|m| m.topic.name())
            .collect()
    }
}
