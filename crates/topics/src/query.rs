//! The compiled query and its evaluation against a [`Doc`].

use std::collections::HashMap;
use std::fmt;
use std::str::FromStr;

use crate::doc::{word_hash, Doc, Field, FieldIndex};
use crate::parse::{parse, QueryError};

/// Fields an unscoped term looks in.
pub(crate) const DEFAULT_FIELDS: u8 = 1 | 2;

/// One word of a term: `prefix` when it ended in `*`.
#[derive(Debug, Clone)]
pub(crate) struct Pattern {
    pub original: String,
    pub lower: String,
    pub prefix: bool,
    /// [`word_hash`] of `lower`, computed once.
    pub hash: u64,
}

impl Pattern {
    pub(crate) fn new(original: String, lower: String, prefix: bool) -> Pattern {
        let hash = word_hash(&lower);
        Pattern {
            original,
            lower,
            prefix,
            hash,
        }
    }

    fn matches(&self, field: &FieldIndex, pos: usize, case_sensitive: bool) -> bool {
        let (have, want) = if case_sensitive {
            (field.original_at(pos), self.original.as_str())
        } else {
            (field.lower_at(pos), self.lower.as_str())
        };
        if self.prefix {
            have.starts_with(want)
        } else {
            have == want
        }
    }
}

/// A word or a phrase (consecutive words) in some fields.
#[derive(Debug, Clone)]
pub(crate) struct Term {
    /// Bit set of [`Field::bit`].
    pub fields: u8,
    pub words: Vec<Pattern>,
    pub case_sensitive: bool,
    /// Where a [`TopicSet`](crate::TopicSet) remembers this term's result for
    /// the article being classified, so a term shared by many topics is looked
    /// up once; [`NO_SLOT`] outside a set.
    pub slot: u32,
}

pub(crate) const NO_SLOT: u32 = u32::MAX;

impl PartialEq for Term {
    /// Equal when they match the same: the written case counts only in
    /// case-sensitive terms, and the slot is bookkeeping.
    fn eq(&self, other: &Term) -> bool {
        self.fields == other.fields
            && self.case_sensitive == other.case_sensitive
            && self.words.len() == other.words.len()
            && self.words.iter().zip(&other.words).all(|(a, b)| {
                a.lower == b.lower
                    && a.prefix == b.prefix
                    && (!self.case_sensitive || a.original == b.original)
            })
    }
}

impl Eq for Term {}

/// A parsed query. `And`/`Or` never hold a child of their own kind (the parser
/// flattens them).
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Node {
    Term(Term),
    And(Vec<Node>),
    Or(Vec<Node>),
    Not(Box<Node>),
    Near {
        left: Box<Node>,
        right: Box<Node>,
        distance: u32,
    },
}

/// A compiled boolean query (see the crate documentation for the syntax).
///
/// ```
/// use newsdesk_topics::{Doc, Query};
/// let q = Query::parse(r#"title:(AWS OR Amazon) AND ("machine learning" OR SageMaker)"#).unwrap();
/// assert!(q.matches(&Doc::new("Amazon launches", "New machine-learning tools.", "")));
/// ```
#[derive(Debug, Clone)]
pub struct Query {
    source: String,
    pub(crate) root: Node,
}

impl PartialEq for Query {
    /// Two queries are equal when they parse to the same tree, however written.
    fn eq(&self, other: &Query) -> bool {
        self.root == other.root
    }
}

impl Eq for Query {}

impl Query {
    /// Parses a query; the error says where and what was expected.
    pub fn parse(text: &str) -> Result<Query, QueryError> {
        Ok(Query {
            source: text.to_string(),
            root: parse(text)?,
        })
    }

    /// The text the query was parsed from.
    pub fn source(&self) -> &str {
        &self.source
    }

    /// Whether the article matches.
    pub fn matches(&self, doc: &Doc) -> bool {
        self.root.eval(doc, &mut [])
    }

    /// [`Query::matches`] with a memo of term results indexed by slot (0 not
    /// known yet, 1 false, 2 true), shared by the queries of a topic set.
    pub(crate) fn matches_memo(&self, doc: &Doc, memo: &mut [u8]) -> bool {
        self.root.eval(doc, memo)
    }

    /// Gives every term a slot: the same slot for equal terms, across all the
    /// queries that share `slots` (keyed by the term's canonical form). For
    /// each new slot, its term's first word is pushed to `first_words`.
    pub(crate) fn assign_slots(
        &mut self,
        slots: &mut HashMap<String, u32>,
        first_words: &mut Vec<Pattern>,
    ) {
        self.root.assign_slots(slots, first_words);
    }
}

impl FromStr for Query {
    type Err = QueryError;
    fn from_str(s: &str) -> Result<Query, QueryError> {
        Query::parse(s)
    }
}

impl fmt::Display for Query {
    /// The canonical form: explicit `AND`, minimal parentheses, scopes on each
    /// term. It parses back to an equal query.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.root)
    }
}

impl Node {
    fn eval(&self, doc: &Doc, memo: &mut [u8]) -> bool {
        match self {
            Node::Term(t) => match memo.get_mut(t.slot as usize) {
                Some(&mut known @ 1..) => known == 2,
                Some(slot) => {
                    let found = t.matches(doc);
                    *slot = 1 + u8::from(found);
                    found
                }
                None => t.matches(doc),
            },
            Node::And(items) => items.iter().all(|n| n.eval(doc, memo)),
            Node::Or(items) => items.iter().any(|n| n.eval(doc, memo)),
            Node::Not(n) => !n.eval(doc, memo),
            Node::Near {
                left,
                right,
                distance,
            } => {
                let shared = left.fields() & right.fields();
                Field::ALL.into_iter().any(|field| {
                    shared & field.bit() != 0
                        && near_in(doc.field(field), field, left, right, *distance)
                })
            }
        }
    }

    fn assign_slots(&mut self, slots: &mut HashMap<String, u32>, first_words: &mut Vec<Pattern>) {
        match self {
            Node::Term(t) => {
                let next = slots.len() as u32;
                t.slot = *slots.entry(t.to_string()).or_insert_with(|| {
                    first_words.push(t.words[0].clone());
                    next
                });
            }
            Node::And(items) | Node::Or(items) => items
                .iter_mut()
                .for_each(|n| n.assign_slots(slots, first_words)),
            Node::Not(n) => n.assign_slots(slots, first_words),
            // NEAR looks at positions, not at its sides' yes/no.
            Node::Near { .. } => {}
        }
    }

    /// The fields any term below looks in.
    pub(crate) fn fields(&self) -> u8 {
        match self {
            Node::Term(t) => t.fields,
            Node::And(items) | Node::Or(items) => items.iter().fold(0, |acc, n| acc | n.fields()),
            Node::Not(n) => n.fields(),
            Node::Near { left, right, .. } => left.fields() | right.fields(),
        }
    }

    /// Whether the node stands for word positions (a term, or an OR of such):
    /// what NEAR can measure between.
    pub(crate) fn is_positional(&self) -> bool {
        match self {
            Node::Term(_) => true,
            Node::Or(items) => items.iter().all(Node::is_positional),
            _ => false,
        }
    }

    /// The spans `[start, end)` of a positional node in one field, appended.
    fn spans(&self, index: &FieldIndex, field: Field, out: &mut Vec<(u32, u32)>) {
        match self {
            Node::Term(t) if t.fields & field.bit() != 0 => {
                let len = t.words.len() as u32;
                let mut starts = Vec::new();
                t.starts(index, &mut starts);
                out.extend(starts.into_iter().map(|s| (s, s + len)));
            }
            Node::Or(items) => items.iter().for_each(|n| n.spans(index, field, out)),
            _ => {}
        }
    }
}

/// Whether a span of `left` and a span of `right` lie within `distance` words,
/// in either order, without overlapping. Adjacent words are 1 apart; phrases
/// are measured between their nearest ends.
fn near_in(index: &FieldIndex, field: Field, left: &Node, right: &Node, distance: u32) -> bool {
    let mut a = Vec::new();
    left.spans(index, field, &mut a);
    if a.is_empty() {
        return false;
    }
    let mut b = Vec::new();
    right.spans(index, field, &mut b);
    if b.is_empty() {
        return false;
    }
    b.sort_unstable();
    let longest_b = b.iter().map(|&(s, e)| e - s).max().unwrap_or(1);
    a.iter().any(|&(a_start, a_end)| {
        // Only spans of `b` starting in this window can be near enough.
        let low = a_start.saturating_sub(distance + longest_b);
        let high = a_end - 1 + distance;
        let from = b.partition_point(|&(s, _)| s < low);
        b[from..]
            .iter()
            .take_while(|&&(s, _)| s <= high)
            .any(|&(b_start, b_end)| {
                let gap = if b_start >= a_end {
                    b_start - (a_end - 1)
                } else if a_start >= b_end {
                    a_start - (b_end - 1)
                } else {
                    return false; // overlapping: one occurrence is not near itself
                };
                gap <= distance
            })
    })
}

impl Term {
    fn matches(&self, doc: &Doc) -> bool {
        Field::ALL
            .into_iter()
            .any(|field| self.fields & field.bit() != 0 && self.any_in(doc.field(field)))
    }

    /// Whether the term occurs in a field; stops at the first occurrence.
    fn any_in(&self, index: &FieldIndex) -> bool {
        let first = &self.words[0];
        if first.prefix {
            index.any_prefix_position(&first.lower, |s| self.occurs_at(index, s as usize))
        } else {
            index
                .positions(&first.lower, first.hash)
                .iter()
                .any(|&s| self.occurs_at(index, s as usize))
        }
    }

    /// Whether the term occurs starting at `start`, given that the first word's
    /// lower-cased form already matched there.
    fn occurs_at(&self, index: &FieldIndex, start: usize) -> bool {
        start + self.words.len() <= index.len()
            && self.words.iter().enumerate().all(|(i, w)| {
                (i == 0 && !self.case_sensitive) || w.matches(index, start + i, self.case_sensitive)
            })
    }

    /// The sorted positions where the term starts in a field.
    fn starts(&self, index: &FieldIndex, out: &mut Vec<u32>) {
        let first = &self.words[0];
        let mut candidates = Vec::new();
        let candidates: &[u32] = if first.prefix {
            index.prefix_positions(&first.lower, &mut candidates);
            candidates.sort_unstable();
            &candidates
        } else {
            index.positions(&first.lower, first.hash)
        };
        out.extend(
            candidates
                .iter()
                .copied()
                .filter(|&s| self.occurs_at(index, s as usize)),
        );
    }
}

const OPERATOR_WORDS: [&str; 4] = ["AND", "OR", "NOT", "NEAR"];

impl fmt::Display for Term {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.fields != DEFAULT_FIELDS {
            for field in Field::ALL {
                if self.fields & field.bit() != 0 {
                    write!(f, "{}:", field.name())?;
                }
            }
        }
        let bare = self.words.len() == 1
            && !self.case_sensitive
            && !OPERATOR_WORDS.contains(&self.words[0].original.as_str());
        if !bare {
            f.write_str("\"")?;
        }
        for (i, w) in self.words.iter().enumerate() {
            if i > 0 {
                f.write_str(" ")?;
            }
            f.write_str(&w.original)?;
            if w.prefix {
                f.write_str("*")?;
            }
        }
        if !bare {
            f.write_str("\"")?;
        }
        if self.case_sensitive {
            f.write_str("/c")?;
        }
        Ok(())
    }
}

impl fmt::Display for Node {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Node::Term(t) => write!(f, "{t}"),
            Node::Or(items) => join(f, items, " OR ", |n| matches!(n, Node::Or(_))),
            Node::And(items) => join(f, items, " AND ", |n| {
                matches!(n, Node::Or(_) | Node::And(_))
            }),
            Node::Not(n) => {
                f.write_str("NOT ")?;
                paren_if(f, n, matches!(**n, Node::Or(_) | Node::And(_)))
            }
            Node::Near {
                left,
                right,
                distance,
            } => {
                paren_if(f, left, !matches!(**left, Node::Term(_)))?;
                write!(f, " NEAR/{distance} ")?;
                paren_if(f, right, !matches!(**right, Node::Term(_)))
            }
        }
    }
}

fn join(
    f: &mut fmt::Formatter<'_>,
    items: &[Node],
    sep: &str,
    needs_parens: impl Fn(&Node) -> bool,
) -> fmt::Result {
    for (i, n) in items.iter().enumerate() {
        if i > 0 {
            f.write_str(sep)?;
        }
        paren_if(f, n, needs_parens(n))?;
    }
    Ok(())
}

fn paren_if(f: &mut fmt::Formatter<'_>, n: &Node, parens: bool) -> fmt::Result {
    if parens {
        write!(f, "({n})")
    } else {
        write!(f, "{n}")
    }
}
