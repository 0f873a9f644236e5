//! The query language: lexer, recursive-descent parser and its errors.
//!
//! Precedence, tightest first: field scope, `NEAR/n`, `NOT`, `AND` (explicit or
//! implied by adjacency), `OR`.

use thiserror::Error;

use crate::doc::Field;
use crate::query::{Node, Pattern, Term, DEFAULT_FIELDS, NO_SLOT};
use crate::text::words;

/// How deep parentheses, `NOT`s and scopes may nest.
pub const MAX_DEPTH: usize = 64;
/// The largest `NEAR/n` distance.
pub const MAX_NEAR: u32 = 1000;

/// What went wrong in a query, and where: `offset` is the byte offset in the
/// query text, `column` the 1-based character column.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("{kind} at column {column}")]
pub struct QueryError {
    pub kind: QueryErrorKind,
    pub offset: usize,
    pub column: usize,
}

/// The kinds of query errors.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum QueryErrorKind {
    #[error("empty query: expected a term, phrase or '('")]
    Empty,
    #[error("expected a term, phrase or '('{}, found {found}", after_text(.after))]
    ExpectedOperand {
        after: Option<String>,
        found: String,
    },
    #[error("expected ')' to close the '(' at column {open_column}, found {found}")]
    UnclosedParen { open_column: usize, found: String },
    #[error("')' without a matching '('")]
    UnmatchedParen,
    #[error("unclosed quote: expected a closing '\"'")]
    UnclosedQuote,
    #[error("empty phrase: expected words between the quotes")]
    EmptyPhrase,
    #[error("'{text}' has no letters or digits to match")]
    NoWords { text: String },
    #[error("'*' may only end a word (after a letter or digit), in '{text}'")]
    MisplacedWildcard { text: String },
    #[error("unknown phrase flag '/{flag}': expected '/c' (case-sensitive)")]
    UnknownFlag { flag: String },
    #[error("NEAR needs a distance, as in NEAR/5")]
    NearWithoutDistance,
    #[error("expected a distance from 1 to {MAX_NEAR} after NEAR/, found '{found}'")]
    NearDistance { found: String },
    #[error(
        "NEAR/{distance} needs a term, phrase or OR group of them on its {side}, found {found}"
    )]
    NearOperand {
        distance: u32,
        side: &'static str,
        found: &'static str,
    },
    #[error("NEAR/n cannot be chained: join NEAR groups with AND")]
    NearChain,
    #[error("the two sides of NEAR/{distance} look in different fields, so they are never near")]
    NearFields { distance: u32 },
    #[error("field scope '{inner}:' inside '{outer}:'")]
    NestedScope {
        outer: &'static str,
        inner: &'static str,
    },
    #[error("query nested more than {MAX_DEPTH} levels deep")]
    TooDeep,
}

fn after_text(after: &Option<String>) -> String {
    after
        .as_ref()
        .map(|a| format!(" after {a}"))
        .unwrap_or_default()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tok<'a> {
    LParen,
    RParen,
    And,
    Or,
    Not,
    Near(u32),
    Scope(Field),
    Phrase { text: &'a str, case_sensitive: bool },
    Word(&'a str),
    End,
}

impl Tok<'_> {
    fn describe(&self) -> String {
        match self {
            Tok::LParen => "'('".into(),
            Tok::RParen => "')'".into(),
            Tok::And => "AND".into(),
            Tok::Or => "OR".into(),
            Tok::Not => "NOT".into(),
            Tok::Near(n) => format!("NEAR/{n}"),
            Tok::Scope(f) => format!("'{}:'", f.name()),
            Tok::Phrase { text, .. } => format!("\"{text}\""),
            Tok::Word(w) => format!("'{w}'"),
            Tok::End => "end of query".into(),
        }
    }

    fn starts_operand(&self) -> bool {
        matches!(
            self,
            Tok::LParen | Tok::Not | Tok::Scope(_) | Tok::Phrase { .. } | Tok::Word(_)
        )
    }
}

fn column(src: &str, offset: usize) -> usize {
    src[..offset].chars().count() + 1
}

fn error(src: &str, offset: usize, kind: QueryErrorKind) -> QueryError {
    QueryError {
        kind,
        offset,
        column: column(src, offset),
    }
}

fn is_open_quote(c: char) -> bool {
    c == '"' || c == '\u{201C}'
}

fn is_close_quote(c: char) -> bool {
    c == '"' || c == '\u{201D}'
}

fn is_delimiter(c: char) -> bool {
    c.is_whitespace() || c == '(' || c == ')' || is_open_quote(c) || is_close_quote(c)
}

fn lex(src: &str) -> Result<Vec<(Tok<'_>, usize)>, QueryError> {
    let mut toks = Vec::new();
    let mut i = 0;
    while let Some(c) = src[i..].chars().next() {
        let len = c.len_utf8();
        if c.is_whitespace() {
            i += len;
        } else if c == '(' {
            toks.push((Tok::LParen, i));
            i += 1;
        } else if c == ')' {
            toks.push((Tok::RParen, i));
            i += 1;
        } else if is_open_quote(c) || is_close_quote(c) {
            let body_start = i + len;
            let Some(rel) = src[body_start..].find(is_close_quote) else {
                return Err(error(src, i, QueryErrorKind::UnclosedQuote));
            };
            let text = &src[body_start..body_start + rel];
            let close_len = src[body_start + rel..]
                .chars()
                .next()
                .map_or(1, char::len_utf8);
            let mut next = body_start + rel + close_len;
            let mut case_sensitive = false;
            if src[next..].starts_with('/') {
                let flag_end = src[next + 1..]
                    .find(is_delimiter)
                    .map_or(src.len(), |e| next + 1 + e);
                let flag = &src[next + 1..flag_end];
                if flag != "c" {
                    return Err(error(
                        src,
                        next,
                        QueryErrorKind::UnknownFlag { flag: flag.into() },
                    ));
                }
                case_sensitive = true;
                next = flag_end;
            }
            toks.push((
                Tok::Phrase {
                    text,
                    case_sensitive,
                },
                i,
            ));
            i = next;
        } else {
            let end = src[i..].find(is_delimiter).map_or(src.len(), |e| i + e);
            let run = &src[i..end];
            if let Some((name, _)) = run.split_once(':') {
                if let Some(field) = Field::from_name(name) {
                    toks.push((Tok::Scope(field), i));
                    i += name.len() + 1;
                    continue;
                }
            }
            let tok = match run {
                "AND" => Tok::And,
                "OR" => Tok::Or,
                "NOT" => Tok::Not,
                "NEAR" => return Err(error(src, i, QueryErrorKind::NearWithoutDistance)),
                _ => match run.strip_prefix("NEAR/") {
                    Some(n) => match n.parse::<u32>() {
                        Ok(d)
                            if n.bytes().all(|b| b.is_ascii_digit())
                                && (1..=MAX_NEAR).contains(&d) =>
                        {
                            Tok::Near(d)
                        }
                        _ => {
                            return Err(error(
                                src,
                                i + 5,
                                QueryErrorKind::NearDistance { found: n.into() },
                            ))
                        }
                    },
                    None => Tok::Word(run),
                },
            };
            toks.push((tok, i));
            i = end;
        }
    }
    toks.push((Tok::End, src.len()));
    Ok(toks)
}

struct Parser<'a> {
    src: &'a str,
    toks: Vec<(Tok<'a>, usize)>,
    pos: usize,
    depth: usize,
    /// The field scope being applied, with where it was written.
    scope: Option<Field>,
}

/// Parses a query into its tree.
pub(crate) fn parse(src: &str) -> Result<Node, QueryError> {
    let toks = lex(src)?;
    if toks.len() == 1 {
        return Err(error(src, 0, QueryErrorKind::Empty));
    }
    let mut p = Parser {
        src,
        toks,
        pos: 0,
        depth: 0,
        scope: None,
    };
    let root = p.or(None)?;
    match p.peek() {
        Tok::End => Ok(root),
        Tok::RParen => Err(p.error_here(QueryErrorKind::UnmatchedParen)),
        // `or` stops only at ')' or the end; anything else is a parser bug,
        // reported rather than panicking.
        other => Err(p.error_here(QueryErrorKind::ExpectedOperand {
            after: None,
            found: other.describe(),
        })),
    }
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Tok<'a> {
        self.toks[self.pos].0
    }

    fn offset(&self) -> usize {
        self.toks[self.pos].1
    }

    fn advance(&mut self) -> Tok<'a> {
        let tok = self.peek();
        if self.pos + 1 < self.toks.len() {
            self.pos += 1;
        }
        tok
    }

    fn error_here(&self, kind: QueryErrorKind) -> QueryError {
        error(self.src, self.offset(), kind)
    }

    fn deeper(&mut self) -> Result<(), QueryError> {
        self.depth += 1;
        if self.depth > MAX_DEPTH {
            return Err(self.error_here(QueryErrorKind::TooDeep));
        }
        Ok(())
    }

    /// `or := and (OR and)*`
    fn or(&mut self, after: Option<String>) -> Result<Node, QueryError> {
        let mut items = vec![self.and(after)?];
        while self.peek() == Tok::Or {
            self.advance();
            items.push(self.and(Some("OR".into()))?);
        }
        Ok(flatten(items, true))
    }

    /// `and := not ([AND] not)*`: adjacent operands are ANDed.
    fn and(&mut self, after: Option<String>) -> Result<Node, QueryError> {
        let mut items = vec![self.not(after)?];
        loop {
            let tok = self.peek();
            if tok == Tok::And {
                self.advance();
                items.push(self.not(Some("AND".into()))?);
            } else if tok.starts_operand() {
                items.push(self.not(None)?);
            } else {
                break;
            }
        }
        Ok(flatten(items, false))
    }

    /// `not := NOT not | near`
    fn not(&mut self, after: Option<String>) -> Result<Node, QueryError> {
        if self.peek() == Tok::Not {
            self.advance();
            self.deeper()?;
            let inner = self.not(Some("NOT".into()))?;
            self.depth -= 1;
            return Ok(Node::Not(Box::new(inner)));
        }
        self.near(after)
    }

    /// `near := primary [NEAR/n primary]`
    fn near(&mut self, after: Option<String>) -> Result<Node, QueryError> {
        let left_at = self.offset();
        let left = self.primary(after)?;
        let Tok::Near(distance) = self.peek() else {
            return Ok(left);
        };
        let near_at = self.offset();
        if !left.is_positional() {
            return Err(error(
                self.src,
                left_at,
                QueryErrorKind::NearOperand {
                    distance,
                    side: "left",
                    found: describe_node(&left),
                },
            ));
        }
        self.advance();
        let right_at = self.offset();
        let right = self.primary(Some(format!("NEAR/{distance}")))?;
        if !right.is_positional() {
            return Err(error(
                self.src,
                right_at,
                QueryErrorKind::NearOperand {
                    distance,
                    side: "right",
                    found: describe_node(&right),
                },
            ));
        }
        if left.fields() & right.fields() == 0 {
            return Err(error(
                self.src,
                near_at,
                QueryErrorKind::NearFields { distance },
            ));
        }
        if let Tok::Near(_) = self.peek() {
            return Err(self.error_here(QueryErrorKind::NearChain));
        }
        Ok(Node::Near {
            left: Box::new(left),
            right: Box::new(right),
            distance,
        })
    }

    /// `primary := word | phrase | '(' or ')' | scope primary`
    fn primary(&mut self, after: Option<String>) -> Result<Node, QueryError> {
        let at = self.offset();
        match self.peek() {
            Tok::Word(raw) => {
                self.advance();
                self.term(raw, at, false)
            }
            Tok::Phrase {
                text,
                case_sensitive,
            } => {
                self.advance();
                // The words start after the opening quote.
                let open_len = self.src[at..].chars().next().map_or(1, char::len_utf8);
                self.term(text, at + open_len, case_sensitive)
            }
            Tok::LParen => {
                self.advance();
                self.deeper()?;
                let inner = self.or(Some("'('".into()))?;
                if self.peek() != Tok::RParen {
                    return Err(self.error_here(QueryErrorKind::UnclosedParen {
                        open_column: column(self.src, at),
                        found: self.peek().describe(),
                    }));
                }
                self.advance();
                self.depth -= 1;
                Ok(inner)
            }
            Tok::Scope(field) => {
                if let Some(outer) = self.scope {
                    return Err(self.error_here(QueryErrorKind::NestedScope {
                        outer: outer.name(),
                        inner: field.name(),
                    }));
                }
                self.advance();
                self.deeper()?;
                self.scope = Some(field);
                let inner = self.primary(Some(format!("'{}:'", field.name())));
                self.scope = None;
                self.depth -= 1;
                inner
            }
            other => Err(self.error_here(QueryErrorKind::ExpectedOperand {
                after,
                found: other.describe(),
            })),
        }
    }

    /// A term from a bare word (`raw` at byte `at`) or a phrase's text: its
    /// whitespace-separated chunks, each split into words like article text,
    /// with a trailing `*` making the chunk's last word a prefix.
    fn term(&self, raw: &str, at: usize, case_sensitive: bool) -> Result<Node, QueryError> {
        let mut patterns = Vec::new();
        let mut chunk_start = None;
        for (i, c) in raw.char_indices().chain(std::iter::once((raw.len(), ' '))) {
            if !c.is_whitespace() {
                chunk_start.get_or_insert(i);
                continue;
            }
            let Some(start) = chunk_start.take() else {
                continue;
            };
            let chunk = &raw[start..i];
            let stem = chunk.strip_suffix('*').unwrap_or(chunk);
            let prefix = stem.len() < chunk.len();
            let bad_star = stem.contains('*')
                || (prefix && !stem.chars().next_back().is_some_and(char::is_alphanumeric));
            if bad_star {
                return Err(error(
                    self.src,
                    at + start,
                    QueryErrorKind::MisplacedWildcard { text: chunk.into() },
                ));
            }
            let found = words(stem);
            if found.is_empty() {
                return Err(error(
                    self.src,
                    at + start,
                    QueryErrorKind::NoWords { text: chunk.into() },
                ));
            }
            let last = found.len() - 1;
            patterns.extend(
                found.into_iter().enumerate().map(|(k, (original, lower))| {
                    Pattern::new(original, lower, prefix && k == last)
                }),
            );
        }
        if patterns.is_empty() {
            return Err(error(self.src, at, QueryErrorKind::EmptyPhrase));
        }
        Ok(Node::Term(Term {
            fields: self.scope.map_or(DEFAULT_FIELDS, Field::bit),
            words: patterns,
            case_sensitive,
            slot: NO_SLOT,
        }))
    }
}

fn describe_node(node: &Node) -> &'static str {
    match node {
        Node::Term(_) => "a term",
        Node::And(_) => "an AND group",
        Node::Or(_) => "an OR group with something other than terms",
        Node::Not(_) => "NOT",
        Node::Near { .. } => "a NEAR group",
    }
}

/// One node from a list joined by OR (`or = true`) or AND, merging children of
/// the same kind so equal queries have equal trees.
fn flatten(items: Vec<Node>, or: bool) -> Node {
    if items.len() == 1 {
        return items.into_iter().next().expect("one item");
    }
    let mut flat = Vec::with_capacity(items.len());
    for item in items {
        match item {
            Node::Or(inner) if or => flat.extend(inner),
            Node::And(inner) if !or => flat.extend(inner),
            other => flat.push(other),
        }
    }
    if or {
        Node::Or(flat)
    } else {
        Node::And(flat)
    }
}
