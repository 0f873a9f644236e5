//! Plain-text measures the quality signals use: words, sentences, paragraphs,
//! figures, quoted speech, the most repeated content word.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use aho_corasick::{AhoCorasick, AhoCorasickKind};

/// Counts over one text.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct TextStats {
    /// Whitespace-separated tokens holding at least one letter or digit.
    pub words: usize,
    /// Sentence ends (`.`, `!`, `?`, `…`) after a word, not after an initial or
    /// a common abbreviation; a final unterminated sentence counts too.
    pub sentences: usize,
    /// Lines (or blank-line separated blocks) of at least 8 words.
    pub paragraphs: usize,
    /// Distinct numeric tokens that are not bare years (`35%`, `$41.8`, `2,500`).
    pub figures: usize,
    /// Quoted passages of at least 4 words (straight or curly double quotes).
    pub quotes: usize,
    /// The most frequent content word (lower case, stop words and words under
    /// 4 letters left out) and its count.
    pub top_word: Option<(String, usize)>,
}

/// Splits into whitespace-separated tokens that contain a letter or digit.
pub(crate) fn tokens(text: &str) -> impl Iterator<Item = &str> {
    text.split_whitespace()
        .filter(|t| t.chars().any(char::is_alphanumeric))
}

/// Lower-case runs of letters and digits (apostrophes inside a word kept).
pub(crate) fn lower_words(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if c.is_alphanumeric() {
            cur.extend(c.to_lowercase());
        } else if (c == '\'' || c == '’')
            && !cur.is_empty()
            && chars.peek().is_some_and(|n| n.is_alphanumeric())
        {
            cur.push('\'');
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "prof", "st", "inc", "ltd", "co", "corp", "jr", "sr", "vs", "etc",
    "no", "fig", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov",
    "dec", "u.s", "u.k", "e.g", "i.e",
];

/// English function words, left out of keyword counts.
const STOP_WORDS: &[&str] = &[
    "about",
    "above",
    "after",
    "again",
    "against",
    "also",
    "among",
    "an",
    "and",
    "another",
    "any",
    "are",
    "around",
    "because",
    "been",
    "before",
    "being",
    "below",
    "between",
    "both",
    "but",
    "could",
    "does",
    "doing",
    "down",
    "during",
    "each",
    "even",
    "every",
    "from",
    "further",
    "have",
    "having",
    "here",
    "hers",
    "herself",
    "himself",
    "however",
    "into",
    "itself",
    "just",
    "like",
    "made",
    "make",
    "many",
    "more",
    "most",
    "much",
    "must",
    "never",
    "only",
    "other",
    "ours",
    "over",
    "said",
    "same",
    "says",
    "should",
    "since",
    "some",
    "such",
    "than",
    "that",
    "their",
    "theirs",
    "them",
    "themselves",
    "then",
    "there",
    "these",
    "they",
    "this",
    "those",
    "through",
    "under",
    "until",
    "upon",
    "very",
    "want",
    "were",
    "what",
    "when",
    "where",
    "which",
    "while",
    "whom",
    "whose",
    "will",
    "with",
    "within",
    "without",
    "would",
    "year",
    "years",
    "your",
    "yours",
    "yourself",
    "well",
    "first",
    "last",
    "next",
    "still",
    "already",
    "across",
    "where",
    "there's",
    "it's",
    "that's",
    "we're",
    "they're",
    "can't",
    "don't",
    "won't",
];

static STOP_SET: LazyLock<HashSet<&'static str>> =
    LazyLock::new(|| STOP_WORDS.iter().copied().collect());

fn is_stop_word(w: &str) -> bool {
    STOP_SET.contains(w)
}

impl TextStats {
    /// The measures of `text`.
    #[cfg(test)]
    pub(crate) fn of(text: &str) -> TextStats {
        TextStats::with_lower(text, &text.to_lowercase())
    }

    /// The measures of `text`, given its lower-case form (computed once by the
    /// caller, who needs it too).
    pub(crate) fn with_lower(text: &str, lower: &str) -> TextStats {
        let mut stats = TextStats::default();
        let mut figures: Vec<&str> = Vec::new();
        // One pass over lines and their tokens: words, paragraphs, sentences, figures.
        let mut open = false;
        for line in text.split('\n') {
            let mut in_line = 0;
            for t in tokens(line) {
                in_line += 1;
                open = true;
                if ends_sentence(t) {
                    stats.sentences += 1;
                    open = false;
                }
                if let Some(f) = figure(t) {
                    if !figures.contains(&f) {
                        figures.push(f);
                    }
                }
            }
            stats.words += in_line;
            if in_line >= 8 {
                stats.paragraphs += 1;
            }
        }
        if open {
            stats.sentences += 1;
        }
        stats.figures = figures.len();
        stats.quotes = quoted_passages(text);

        // Keyword repetition.
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for w in lower.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’')) {
            let w = w.trim_matches(['\'', '’']);
            if w.chars().count() >= 4 && !is_stop_word(w) && !w.chars().all(|c| c.is_ascii_digit())
            {
                *counts.entry(w).or_default() += 1;
            }
        }
        stats.top_word = counts
            .into_iter()
            .max_by(|a, b| a.1.cmp(&b.1).then_with(|| b.0.cmp(a.0)))
            .map(|(w, n)| (w.to_string(), n));
        stats
    }
}

/// `true` for a token ending in sentence punctuation (closing quotes and
/// brackets aside) that is not an initial or a common abbreviation.
fn ends_sentence(t: &str) -> bool {
    let core = t.trim_end_matches(['"', '\'', '”', '’', ')', ']']);
    let Some(last) = core.chars().last() else {
        return false;
    };
    if !matches!(last, '.' | '!' | '?' | '…') {
        return false;
    }
    let word = core
        .trim_end_matches(['.', '!', '?', '…'])
        .trim_start_matches(|c: char| !c.is_alphanumeric());
    if last != '.' {
        return true;
    }
    let initial = word.chars().count() == 1;
    !initial && !ABBREVIATIONS.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// A token's figure (`35%`, `$41.8`, `2,500`), if it is one: it holds a
/// digit and is not a bare year.
fn figure(t: &str) -> Option<&str> {
    if !t.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let core =
        t.trim_matches(|c: char| !c.is_alphanumeric() && !matches!(c, '$' | '€' | '£' | '%'));
    let is_year = core.len() == 4
        && core.bytes().all(|b| b.is_ascii_digit())
        && core
            .parse::<u32>()
            .is_ok_and(|y| (1900..=2100).contains(&y));
    (!core.is_empty() && !is_year).then_some(core)
}

/// Quoted passages of at least 4 words: curly `“…”` pairs, then straight `"…"`
/// pairs in order.
fn quoted_passages(text: &str) -> usize {
    let mut n = 0;
    let mut rest = text;
    while let Some(open) = rest.find('“') {
        let after = &rest[open + '“'.len_utf8()..];
        let Some(close) = after.find('”') else {
            break;
        };
        if tokens(&after[..close]).count() >= 4 {
            n += 1;
        }
        rest = &after[close + '”'.len_utf8()..];
    }
    let mut parts = text.split('"');
    parts.next();
    while let (Some(inside), Some(_)) = (parts.next(), parts.next()) {
        if tokens(inside).count() >= 4 {
            n += 1;
        }
    }
    n
}

/// A fixed list of lower-case phrases, found in one pass over a text.
pub(crate) struct PhraseSet {
    phrases: &'static [&'static str],
    automaton: Option<AhoCorasick>,
}

impl PhraseSet {
    pub(crate) fn new(phrases: &'static [&'static str]) -> PhraseSet {
        PhraseSet {
            phrases,
            automaton: AhoCorasick::builder()
                .kind(Some(AhoCorasickKind::DFA))
                .build(phrases)
                .ok(),
        }
    }

    /// The distinct phrases found in `lower` (already lower case) at word
    /// boundaries, in list order.
    pub(crate) fn find(&self, lower: &str) -> Vec<&'static str> {
        let Some(ac) = &self.automaton else {
            // Building cannot fail for the crate's short lists; stay correct anyway.
            return self
                .phrases
                .iter()
                .copied()
                .filter(|p| contains_phrase(lower, p))
                .collect();
        };
        let mut hit = vec![false; self.phrases.len()];
        for m in ac.find_overlapping_iter(lower) {
            let i = m.pattern().as_usize();
            if !hit[i] && at_boundaries(lower, m.start(), m.end(), self.phrases[i]) {
                hit[i] = true;
            }
        }
        self.phrases
            .iter()
            .zip(hit)
            .filter_map(|(p, h)| h.then_some(*p))
            .collect()
    }
}

/// `true` when `lower[start..end]` (an occurrence of `phrase`) has no letter
/// or digit right before or after it, where the phrase itself starts or ends
/// with one.
fn at_boundaries(lower: &str, start: usize, end: usize, phrase: &str) -> bool {
    let before_ok = lower[..start]
        .chars()
        .next_back()
        .is_none_or(|c| !c.is_alphanumeric());
    let after_ok = lower[end..]
        .chars()
        .next()
        .is_none_or(|c| !c.is_alphanumeric());
    let first_alnum = phrase.chars().next().is_some_and(char::is_alphanumeric);
    let last_alnum = phrase
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    (before_ok || !first_alnum) && (after_ok || !last_alnum)
}

/// `true` when `phrase` occurs in `lower` with no letter or digit right before
/// or after it.
pub(crate) fn contains_phrase(lower: &str, phrase: &str) -> bool {
    let mut from = 0;
    while let Some(i) = lower[from..].find(phrase) {
        let start = from + i;
        if at_boundaries(lower, start, start + phrase.len(), phrase) {
            return true;
        }
        from = start + phrase.chars().next().map_or(1, char::len_utf8);
    }
    false
}

/// `true` when `lower` holds a year 1990–2099 as a word of its own.
pub(crate) fn has_year(lower: &str) -> bool {
    lower_words(lower).iter().any(|w| {
        w.len() == 4
            && w.chars().all(|c| c.is_ascii_digit())
            && w.parse::<u32>().is_ok_and(|y| (1990..=2099).contains(&y))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts() {
        let t = "Amazon Web Services grew 35% to $11.6 billion in 2020, Mr. Smith said.\n\n\
                 “We are determined to continue increasing our investments,” the CEO said. \
                 The U.S. market is next";
        let s = TextStats::of(t);
        assert_eq!(s.words, 29);
        assert_eq!(s.sentences, 3);
        assert_eq!(s.paragraphs, 2);
        assert_eq!(s.figures, 2, "35% and $11.6; 2020 is a year");
        assert_eq!(s.quotes, 1);
    }

    #[test]
    fn phrases_at_word_boundaries() {
        assert!(contains_phrase("the market size is", "market size"));
        assert!(!contains_phrase("supermarket sizes", "market size"));
        assert!(contains_phrase("(the expresswire) --", "(the expresswire)"));
        assert!(contains_phrase("a cagr of 9%", "cagr"));
        assert!(!contains_phrase("", "cagr"));
        assert!(has_year("forecast to 2027"));
        assert!(!has_year("the 2020s"));
    }

    #[test]
    fn phrase_sets_match_like_contains_phrase() {
        static LIST: &[&str] = &[
            "cagr",
            "key players",
            "market size",
            "(the expresswire)",
            "h/t",
        ];
        let set = PhraseSet::new(LIST);
        for text in [
            "a cagr of 9% among key players",
            "supermarket sizes and cagrs",
            "mar 2 (the expresswire) -- market size, h/t bob",
            "",
            "key playerskey players",
        ] {
            let naive: Vec<&str> = LIST
                .iter()
                .copied()
                .filter(|p| contains_phrase(text, p))
                .collect();
            assert_eq!(set.find(text), naive, "{text}");
        }
    }

    #[test]
    fn top_word_skips_stop_words() {
        let s = TextStats::of("market market market about about about about cloud");
        assert_eq!(s.top_word, Some(("market".to_string(), 3)));
        assert_eq!(TextStats::of("").top_word, None);
        assert_eq!(TextStats::of("").sentences, 0);
    }

    #[test]
    fn lower_words_keeps_inner_apostrophes() {
        assert_eq!(
            lower_words("Don’t stop: it's GPT-3"),
            vec!["don't", "stop", "it's", "gpt", "3"]
        );
    }
}
