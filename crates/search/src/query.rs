//! Search requests and the handling of query text people type.

use chrono::{DateTime, Utc};

/// Most hits one page returns; larger limits are capped to it.
pub const MAX_LIMIT: usize = 100;
/// Deepest page start allowed (deep pages cost memory and time).
pub const MAX_OFFSET: usize = 10_000;
/// Longest query text accepted, in bytes.
pub const MAX_QUERY_LEN: usize = 2_000;

/// The order of hits.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sort {
    /// By BM25 score (title counts double). The default.
    #[default]
    Relevance,
    /// Newest `published_at` first (articles without a date last). Used for
    /// a blank query text whatever was asked.
    Newest,
}

/// How matches are marked in titles and snippets.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Highlight {
    /// Inserted before each match, as given (not escaped). Default `<b>`.
    pub pre: String,
    /// Inserted after each match, as given. Default `</b>`.
    pub post: String,
    /// Longest snippet, in characters (default 200).
    pub max_chars: usize,
}

impl Default for Highlight {
    fn default() -> Highlight {
        Highlight {
            pre: "<b>".into(),
            post: "</b>".into(),
            max_chars: 200,
        }
    }
}

/// One search: query text, filters, page, order and highlighting.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchQuery {
    /// What the person typed (tantivy syntax; every word required). Blank:
    /// every article that passes the filters, newest first.
    pub text: String,
    /// Topics the article must all have (exact names, any case).
    pub topics: Vec<String>,
    /// Providers (name or domain, any case); the article must have one of them.
    pub providers: Vec<String>,
    /// Published at or after (inclusive).
    pub from: Option<DateTime<Utc>>,
    /// Published before (exclusive).
    pub until: Option<DateTime<Utc>>,
    /// Only published (`true`) or unpublished (`false`) articles.
    pub published: Option<bool>,
    /// Page size, 1 to [`MAX_LIMIT`] (out-of-range values are capped; 0 means 1).
    pub limit: usize,
    /// Hits to skip, at most [`MAX_OFFSET`].
    pub offset: usize,
    /// Order of hits.
    pub sort: Sort,
    /// Snippet marking.
    pub highlight: Highlight,
    /// Whether to build snippets at all (default `true`); without them hits
    /// carry the escaped title and no snippet, and searches are cheaper.
    pub snippets: bool,
    /// Refuse query text the parser cannot read ([`crate::SearchError::Query`])
    /// instead of searching its words.
    pub strict: bool,
}

impl Default for SearchQuery {
    fn default() -> SearchQuery {
        SearchQuery {
            text: String::new(),
            topics: Vec::new(),
            providers: Vec::new(),
            from: None,
            until: None,
            published: None,
            limit: 10,
            offset: 0,
            sort: Sort::Relevance,
            highlight: Highlight::default(),
            snippets: true,
            strict: false,
        }
    }
}

impl SearchQuery {
    /// A query for this text with the defaults (10 hits, relevance, `<b>`).
    pub fn new(text: impl Into<String>) -> SearchQuery {
        SearchQuery {
            text: text.into(),
            ..SearchQuery::default()
        }
    }

    /// Adds a required topic.
    pub fn topic(mut self, topic: impl Into<String>) -> SearchQuery {
        self.topics.push(topic.into());
        self
    }

    /// Adds an allowed provider (name or domain).
    pub fn provider(mut self, provider: impl Into<String>) -> SearchQuery {
        self.providers.push(provider.into());
        self
    }

    /// Restricts to `from <= published_at < until`.
    pub fn between(
        mut self,
        from: Option<DateTime<Utc>>,
        until: Option<DateTime<Utc>>,
    ) -> SearchQuery {
        self.from = from;
        self.until = until;
        self
    }

    /// Restricts to published or unpublished articles.
    pub fn published(mut self, published: bool) -> SearchQuery {
        self.published = Some(published);
        self
    }

    /// Sets the page.
    pub fn page(mut self, limit: usize, offset: usize) -> SearchQuery {
        self.limit = limit;
        self.offset = offset;
        self
    }

    /// Sets the order.
    pub fn sort(mut self, sort: Sort) -> SearchQuery {
        self.sort = sort;
        self
    }

    /// Sets strict parsing.
    pub fn strict(mut self, strict: bool) -> SearchQuery {
        self.strict = strict;
        self
    }
}

/// The first problem a person would want pointed out in query text: an
/// unclosed quote or parenthesis, a stray `)`, a dangling or doubled
/// operator, a field name without a value. Returns the message and the
/// 0-based character offset. `None` when none of these is found (the parser
/// may still refuse the text for another reason).
pub fn syntax_problem(text: &str) -> Option<(String, usize)> {
    let chars: Vec<char> = text.chars().collect();
    let mut open_parens: Vec<usize> = Vec::new();
    let mut quote: Option<usize> = None;
    // (word, position) of the words outside quotes, to check operators.
    let mut words: Vec<(String, usize)> = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if let Some(_start) = quote {
            if c == '\\' {
                i += 2;
                continue;
            }
            if c == '"' {
                quote = None;
                words.push(("\"\"".into(), i));
            }
            i += 1;
            continue;
        }
        match c {
            '\\' => {
                i += 2;
                continue;
            }
            '"' => quote = Some(i),
            '(' => {
                open_parens.push(i);
                words.push(("(".into(), i));
            }
            ')' => {
                if open_parens.pop().is_none() {
                    return Some(("`)` without a matching `(`".into(), i));
                }
                words.push((")".into(), i));
            }
            ':' => {
                let next = chars.get(i + 1).copied();
                if next.is_none_or(|n| n.is_whitespace() || n == ')') {
                    return Some(("a field name with no value after `:`".into(), i));
                }
            }
            c if c.is_whitespace() => {}
            _ => {
                let start = i;
                let mut w = String::new();
                while i < chars.len() && !chars[i].is_whitespace() && !"()\":".contains(chars[i]) {
                    w.push(chars[i]);
                    i += 1;
                }
                words.push((w, start));
                continue;
            }
        }
        i += 1;
    }
    if let Some(q) = quote {
        return Some(("`\"` opens a phrase that is never closed".into(), q));
    }
    if let Some(&p) = open_parens.first() {
        return Some(("`(` is never closed".into(), p));
    }
    let is_binary = |w: &str| w == "AND" || w == "OR";
    for (k, (w, pos)) in words.iter().enumerate() {
        let prev = k.checked_sub(1).map(|j| words[j].0.as_str());
        let next = words.get(k + 1).map(|x| x.0.as_str());
        if is_binary(w) {
            match prev {
                None | Some("(") => {
                    return Some((format!("`{w}` has nothing before it"), *pos));
                }
                Some(p) if is_binary(p) || p == "NOT" => {
                    return Some((format!("`{w}` right after `{p}`"), *pos));
                }
                _ => {}
            }
            // A second operator after this one is reported at its own place.
            if next.is_none_or(|n| n == ")") {
                return Some((format!("`{w}` has nothing after it"), *pos));
            }
        }
        if w == "NOT" && next.is_none_or(|n| n == ")" || is_binary(n) || n == "NOT") {
            return Some(("`NOT` has nothing after it".into(), *pos));
        }
    }
    None
}

/// Deepest parenthesis nesting accepted: tantivy's query grammar is
/// recursive, and a few hundred `(` overflow a 2 MiB thread stack.
pub const MAX_NESTING: usize = 16;

/// The place where parentheses (outside phrases) nest deeper than
/// [`MAX_NESTING`], as a 0-based character offset.
pub(crate) fn too_deep(text: &str) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_quote = false;
    let mut escaped = false;
    for (i, c) in text.chars().enumerate() {
        if escaped {
            escaped = false;
            continue;
        }
        match c {
            '\\' => escaped = true,
            '"' => in_quote = !in_quote,
            '(' if !in_quote => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
            }
            ')' if !in_quote => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    None
}

/// The plain words of query text: letters and digits, operators dropped.
pub(crate) fn plain_words(text: &str) -> String {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty() && !matches!(*w, "AND" | "OR" | "NOT" | "TO" | "IN"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_positions() {
        let p = |t: &str| syntax_problem(t).map(|(_, at)| at);
        assert_eq!(p("crude oil"), None);
        assert_eq!(p("\"crude oil\" prices"), None);
        assert_eq!(p("(a OR b) AND c"), None);
        assert_eq!(p("title:oil"), None);
        assert_eq!(p("a \"crude oil"), Some(2));
        assert_eq!(p("a (b OR c"), Some(2));
        assert_eq!(p("a b)"), Some(3));
        assert_eq!(p("a AND AND b"), Some(6));
        assert_eq!(p("AND a"), Some(0));
        assert_eq!(p("a OR"), Some(2));
        assert_eq!(p("a NOT"), Some(2));
        assert_eq!(p("title: oil"), Some(5));
        assert_eq!(p("é \"x"), Some(2));
    }

    #[test]
    fn plain_words_drop_syntax() {
        assert_eq!(
            plain_words("a AND AND \"b (c) title:d-e"),
            "a b c title d e"
        );
        assert_eq!(plain_words("((("), "");
    }
}
