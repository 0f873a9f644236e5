//! What tells one news event from another: the salient terms of an article's
//! title and lead, weighted by how rare they are.
//!
//! Three kinds of terms, all hashed to `u64`:
//! - **words**: lower-cased words of three or more letters that are not
//!   function words;
//! - **names**: runs of two or more capitalized words ("Veritone Data",
//!   "Greta Varga"), kept as one term besides their words;
//! - **figures**: numbers normalized to their value, so "$9.6B", "$9.6 billion"
//!   and "9.6bn dollars" are one term, and "77.1%" equals "77.1 percent".
//!
//! Title terms count double: headlines name the event. Weights are
//! `(1 + ln tf) × idf`, idf from document frequencies counted as articles
//! arrive ([`DocFreq`], a fixed-size counter table: memory stays constant
//! however many terms a stream brings). A vector keeps its [`TERMS`]
//! heaviest terms and is L2-normalized, so similarities are cosines.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use crate::lsh::KeyHasher;

/// Terms kept per article vector.
pub const TERMS: usize = 32;

/// Words read from the lead of the text (after the title).
const LEAD_WORDS: usize = 160;

/// A sparse vector: `(term, weight)` sorted by term, L2 norm 1 (or empty).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct TermVector(pub Vec<(u64, f32)>);

impl TermVector {
    /// Cosine of two normalized vectors.
    pub fn dot(&self, other: &TermVector) -> f32 {
        dot(&self.0, &other.0)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Dot product of two term-sorted sparse vectors.
pub fn dot(a: &[(u64, f32)], b: &[(u64, f32)]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j].0) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * b[j].1;
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// Document frequencies in a fixed table of counters indexed by term hash.
/// Collisions can only raise a count, which lowers a weight a little.
pub struct DocFreq {
    counts: Vec<u32>,
    docs: u64,
}

const DF_BITS: u32 = 20;

impl Default for DocFreq {
    fn default() -> Self {
        DocFreq {
            counts: vec![0; 1 << DF_BITS],
            docs: 0,
        }
    }
}

impl DocFreq {
    fn slot(term: u64) -> usize {
        (term >> (64 - DF_BITS)) as usize
    }

    /// Counts one document's distinct terms.
    pub fn add(&mut self, terms: impl Iterator<Item = u64>) {
        self.docs += 1;
        for t in terms {
            let c = &mut self.counts[Self::slot(t)];
            *c = c.saturating_add(1);
        }
    }

    /// Smoothed inverse document frequency.
    pub fn idf(&self, term: u64) -> f32 {
        let df = self.counts[Self::slot(term)] as f64;
        (((self.docs as f64) + 20.0) / (df + 1.0)).ln().max(0.0) as f32
    }

    pub fn documents(&self) -> u64 {
        self.docs
    }

    /// Memory held, in bytes.
    pub fn bytes(&self) -> usize {
        self.counts.len() * 4
    }
}

/// Function words and reporting verbs: frequent in every story, so they say
/// nothing about which one an article covers.
const STOP: &[&str] = &[
    "the",
    "and",
    "for",
    "that",
    "with",
    "from",
    "this",
    "its",
    "was",
    "were",
    "are",
    "has",
    "have",
    "had",
    "but",
    "not",
    "you",
    "his",
    "her",
    "she",
    "they",
    "them",
    "their",
    "our",
    "who",
    "which",
    "what",
    "when",
    "where",
    "will",
    "would",
    "could",
    "should",
    "can",
    "may",
    "said",
    "says",
    "say",
    "told",
    "also",
    "after",
    "before",
    "over",
    "into",
    "about",
    "than",
    "then",
    "there",
    "here",
    "more",
    "most",
    "some",
    "such",
    "other",
    "new",
    "one",
    "two",
    "all",
    "any",
    "been",
    "being",
    "did",
    "does",
    "out",
    "off",
    "per",
    "cent",
    "percent",
    "while",
    "since",
    "these",
    "those",
    "just",
    "only",
    "very",
    "how",
    "why",
    "year",
    "years",
    "week",
    "weeks",
    "day",
    "days",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "today",
    "yesterday",
    "company",
    "companies",
    "according",
    "his",
    "him",
    "each",
    "many",
    "much",
    "now",
    "first",
    "last",
    "through",
    "under",
    "between",
    "during",
    "without",
    "within",
    "again",
    "against",
    "because",
    "both",
    "way",
    "get",
    "got",
    "make",
    "made",
    "like",
    "well",
    "still",
    "even",
    "back",
    "via",
    "amid",
    "next",
];

/// The stop words' terms, sorted, built once.
fn stop_terms() -> &'static [u64] {
    static TERMS: std::sync::OnceLock<Vec<u64>> = std::sync::OnceLock::new();
    TERMS.get_or_init(|| {
        let mut v: Vec<u64> = STOP.iter().map(|w| word_term(w)).collect();
        v.sort_unstable();
        v
    })
}

fn is_stop_term(term: u64) -> bool {
    stop_terms().binary_search(&term).is_ok()
}

/// Multipliers for number words and suffixes.
fn magnitude(word: &str) -> Option<f64> {
    if word.len() > 8 || !word.is_ascii() {
        return None;
    }
    let mut buf = [0u8; 8];
    buf[..word.len()].copy_from_slice(word.as_bytes());
    buf.make_ascii_lowercase();
    let word = std::str::from_utf8(&buf[..word.len()]).ok()?;
    Some(match word {
        "thousand" | "k" => 1e3,
        "million" | "m" | "mn" | "mln" => 1e6,
        "billion" | "b" | "bn" | "bln" => 1e9,
        "trillion" | "t" | "tn" => 1e12,
        _ => return None,
    })
}

/// A number's canonical term: its value to four significant digits.
fn figure_term(value: f64) -> u64 {
    if !value.is_finite() || value <= 0.0 {
        return xxhash_rust::xxh3::xxh3_64_with_seed(&value.to_bits().to_le_bytes(), 3);
    }
    let exp = value.log10().floor() as i32;
    let mantissa = (value / 10f64.powi(exp - 3)).round() as i64;
    let mut key = [0u8; 12];
    key[..4].copy_from_slice(&exp.to_le_bytes());
    key[4..].copy_from_slice(&mantissa.to_le_bytes());
    xxhash_rust::xxh3::xxh3_64_with_seed(&key, 3)
}

fn word_term(w: &str) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(w.as_bytes(), 1)
}

/// One token of the text: a byte range.
#[derive(Clone, Copy)]
struct Span {
    start: usize,
    end: usize,
    /// First token of a sentence (its capital says nothing).
    sentence_start: bool,
}

/// Splits `text` into up to `limit` tokens (words and numbers, with inner
/// `.` and `,` kept: "9.6", "1,200").
fn tokens(text: &str, limit: usize, out: &mut Vec<Span>) {
    out.clear();
    let mut sentence_start = true;
    let mut start = None;
    for (i, c) in text.char_indices() {
        let part = c.is_alphanumeric() || ((c == '.' || c == ',') && start.is_some());
        if part {
            if start.is_none() {
                start = Some(i);
            }
            continue;
        }
        if let Some(s) = start.take() {
            push_token(out, text, s, i, &mut sentence_start);
            if out.len() >= limit {
                return;
            }
        }
        if matches!(c, '.' | '!' | '?' | '\n' | ':' | '—' | '“' | '"') {
            sentence_start = true;
        }
    }
    if let Some(s) = start {
        push_token(out, text, s, text.len(), &mut sentence_start);
    }
}

/// Pushes a token, splitting off trailing sentence punctuation ("said.").
fn push_token(
    out: &mut Vec<Span>,
    text: &str,
    start: usize,
    end: usize,
    sentence_start: &mut bool,
) {
    let raw = &text[start..end];
    let trimmed = raw.trim_end_matches(['.', ',']);
    if trimmed.is_empty() {
        return;
    }
    out.push(Span {
        start,
        end: start + trimmed.len(),
        sentence_start: *sentence_start,
    });
    *sentence_start = raw.ends_with('.') && !trimmed.bytes().all(|c| c.is_ascii_digit());
}

fn is_capitalized(w: &str) -> bool {
    w.chars().next().is_some_and(char::is_uppercase)
}

/// Parses "9.6", "1,200", "9.6B", "966.5m" into a value (suffix applied).
fn parse_figure(w: &str) -> Option<f64> {
    let digits_end = w
        .char_indices()
        .find(|(_, c)| !(c.is_ascii_digit() || *c == '.' || *c == ','))
        .map_or(w.len(), |(i, _)| i);
    if digits_end == 0 {
        return None;
    }
    let number: String = w[..digits_end].chars().filter(|c| *c != ',').collect();
    let value: f64 = number.parse().ok()?;
    let suffix = &w[digits_end..];
    if suffix.is_empty() {
        return Some(value);
    }
    magnitude(suffix).map(|m| value * m)
}

/// Reusable buffers for extracting term vectors.
#[derive(Default)]
pub struct Extractor {
    tf: HashMap<u64, f32, BuildHasherDefault<KeyHasher>>,
    lower: String,
    name: String,
    spans: Vec<Span>,
}

impl Extractor {
    pub fn new() -> Extractor {
        Extractor::default()
    }

    /// The raw term weights of an article (before idf): title terms count
    /// double. Returns the distinct terms in `out`, sorted.
    pub fn terms(&mut self, title: &str, lead: &str, out: &mut Vec<(u64, f32)>) {
        self.tf.clear();
        self.add_text(title, 2.0, usize::MAX);
        self.add_text(lead, 1.0, LEAD_WORDS);
        out.clear();
        out.extend(self.tf.iter().map(|(t, w)| (*t, 1.0 + w.ln().max(0.0))));
    }

    fn add_text(&mut self, text: &str, weight: f32, limit: usize) {
        let mut spans = std::mem::take(&mut self.spans);
        tokens(text, limit, &mut spans);
        let word = |k: usize| &text[spans[k].start..spans[k].end];
        let mut i = 0;
        while i < spans.len() {
            let w = word(i);
            if w.starts_with(|c: char| c.is_ascii_digit()) {
                if let Some(mut v) = parse_figure(w) {
                    // "9.6 billion": the next word may scale it.
                    if let Some(m) = (i + 1 < spans.len())
                        .then(|| magnitude(word(i + 1)))
                        .flatten()
                    {
                        v *= m;
                        i += 1;
                    }
                    // Small integers (days of the month, counts of things)
                    // are too common to name an event.
                    if v.fract() != 0.0 || v >= 100.0 {
                        *self.tf.entry(figure_term(v)).or_default() += weight * 1.5;
                    }
                }
                i += 1;
                continue;
            }
            // A run of capitalized words: a name.
            if is_capitalized(w) {
                let mut j = i;
                while j < spans.len()
                    && is_capitalized(word(j))
                    && (j == i || !spans[j].sentence_start)
                {
                    j += 1;
                }
                let from = if spans[i].sentence_start && j - i > 1 && self.is_stop_word(w) {
                    i + 1
                } else {
                    i
                };
                if j - from >= 2 {
                    self.name.clear();
                    for k in from..j {
                        if k > from {
                            self.name.push(' ');
                        }
                        let part = word(k);
                        if part.is_ascii() {
                            self.name
                                .extend(part.chars().map(|c| c.to_ascii_lowercase()));
                        } else {
                            self.name.extend(part.chars().flat_map(char::to_lowercase));
                        }
                    }
                    let term = xxhash_rust::xxh3::xxh3_64_with_seed(self.name.as_bytes(), 2);
                    *self.tf.entry(term).or_default() += weight * 1.5;
                }
                for k in i..j {
                    self.add_word(word(k), weight);
                }
                i = j;
                continue;
            }
            self.add_word(w, weight);
            i += 1;
        }
        self.spans = spans;
    }

    fn lower_into_buffer(&mut self, w: &str) {
        self.lower.clear();
        if w.is_ascii() {
            self.lower.push_str(w);
            self.lower.make_ascii_lowercase();
        } else {
            self.lower.extend(w.chars().flat_map(char::to_lowercase));
        }
    }

    fn is_stop_word(&mut self, w: &str) -> bool {
        self.lower_into_buffer(w);
        is_stop_term(word_term(&self.lower))
    }

    fn add_word(&mut self, w: &str, weight: f32) {
        if w.len() < 3 && w.chars().count() < 3 {
            return;
        }
        self.lower_into_buffer(w);
        let term = word_term(&self.lower);
        if is_stop_term(term) {
            return;
        }
        *self.tf.entry(term).or_default() += weight;
    }
}

/// Applies idf to raw terms, keeps the [`TERMS`] heaviest, normalizes.
pub fn weigh(raw: &[(u64, f32)], df: &DocFreq) -> TermVector {
    let mut v: Vec<(u64, f32)> = raw
        .iter()
        .map(|(t, w)| (*t, w * df.idf(*t)))
        .filter(|(_, w)| *w > 0.0)
        .collect();
    if v.len() > TERMS {
        v.select_nth_unstable_by(TERMS - 1, |a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        v.truncate(TERMS);
    }
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|(_, w)| *w /= norm);
    }
    v.sort_unstable_by_key(|(t, _)| *t);
    TermVector(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn raw(title: &str, lead: &str) -> Vec<(u64, f32)> {
        let mut out = Vec::new();
        Extractor::new().terms(title, lead, &mut out);
        out
    }

    fn has(v: &[(u64, f32)], term: u64) -> bool {
        v.iter().any(|(t, _)| *t == term)
    }

    #[test]
    fn figures_are_normalized() {
        let a = raw("Nairobi wins $9.6B site", "");
        let b = raw("", "a site worth $9.6 billion in Nairobi");
        let c = raw("", "9,600,000,000 dollars");
        let t = figure_term(9.6e9);
        assert!(has(&a, t) && has(&b, t) && has(&c, t));
        assert_eq!(parse_figure("966.5m"), Some(966.5e6));
        assert_eq!(parse_figure("77.1"), Some(77.1));
        assert_eq!(parse_figure("10x"), None);
    }

    #[test]
    fn names_are_terms_and_sentence_starts_are_not_names() {
        let v = raw(
            "",
            "Greta Varga, the chief executive of Veritone Data, spoke. Analysts agreed.",
        );
        let name = |s: &str| xxhash_rust::xxh3::xxh3_64_with_seed(s.as_bytes(), 2);
        assert!(has(&v, name("greta varga")));
        assert!(has(&v, name("veritone data")));
        assert!(!has(&v, name("spoke analysts")));
        assert!(has(&v, word_term("analysts")));
        assert!(!has(&v, word_term("the")));
    }

    #[test]
    fn empty_text_gives_an_empty_vector() {
        let df = DocFreq::default();
        assert!(weigh(&raw("", ""), &df).is_empty());
        assert!(weigh(&raw("a", "."), &df).is_empty());
    }

    #[test]
    fn weighted_vectors_are_normalized_and_bounded() {
        let mut df = DocFreq::default();
        let long: String = (0..400).map(|i| format!("word{i} ")).collect();
        let r = raw("Title of things", &long);
        df.add(r.iter().map(|(t, _)| *t));
        let v = weigh(&r, &df);
        assert!(v.0.len() <= TERMS);
        assert!((v.dot(&v) - 1.0).abs() < 1e-4);
        assert!(v.0.windows(2).all(|w| w[0].0 < w[1].0));
    }
}
