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

use crate::tokens::Reader;

/// Terms kept per article vector.
pub const TERMS: usize = 32;

/// Words read from the lead of the text (after the title).
const LEAD_WORDS: usize = 160;

/// Title terms count double: headlines name the event.
const TITLE_WEIGHT: f32 = 2.0;

/// What a text is to the article (see [`Extractor::read`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Part {
    /// All its terms count [`TITLE_WEIGHT`].
    Title,
    /// Its first [`LEAD_WORDS`] tokens count once.
    Lead,
    /// Only signed, not a source of terms.
    Signed,
}

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
        // Read at random for every term of every article: in huge pages
        // when the system has them (see `crate::huge`).
        let mut counts = crate::huge::with_capacity(1 << DF_BITS);
        counts.resize(1 << DF_BITS, 0);
        DocFreq { counts, docs: 0 }
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

    /// Counts terms without counting a document (a story's new terms).
    pub fn count(&mut self, terms: impl Iterator<Item = u64>) {
        for t in terms {
            let c = &mut self.counts[Self::slot(t)];
            *c = c.saturating_add(1);
        }
    }

    /// Smoothed inverse document frequency, with a ceiling: a term never
    /// counted weighs as one counted once (a typo or a one-off word is not
    /// more telling than a rare name).
    pub fn idf(&self, term: u64) -> f32 {
        let df = self.counts[Self::slot(term)].max(1) as f64;
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

/// Slots of the stop word table (a power of two, well above the word count).
const STOP_SLOTS: usize = 512;

/// The stop words' terms in an open-addressing table (slot from the low bits,
/// 0 for empty), built once.
fn stop_table() -> &'static [u64; STOP_SLOTS] {
    static TABLE: std::sync::OnceLock<[u64; STOP_SLOTS]> = std::sync::OnceLock::new();
    TABLE.get_or_init(|| {
        let mut t = [0u64; STOP_SLOTS];
        for w in STOP {
            let term = word_term(w);
            let mut s = term as usize & (STOP_SLOTS - 1);
            while t[s] != 0 && t[s] != term {
                s = (s + 1) & (STOP_SLOTS - 1);
            }
            t[s] = term;
        }
        t
    })
}

fn is_stop_term(term: u64) -> bool {
    let t = stop_table();
    let mut s = term as usize & (STOP_SLOTS - 1);
    loop {
        let v = t[s];
        if v == term {
            return term != 0;
        }
        if v == 0 {
            return false;
        }
        s = (s + 1) & (STOP_SLOTS - 1);
    }
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
    word_term_bytes(w.as_bytes())
}

/// The term of a lower-cased word.
#[inline]
fn word_term_bytes(w: &[u8]) -> u64 {
    xxhash_rust::xxh3::xxh3_64_with_seed(w, 1)
}

/// Parses "9.6", "1,200", "9.6B", "966.5m" into a value (suffix applied).
fn parse_figure(w: &str) -> Option<f64> {
    let digits_end = w
        .bytes()
        .position(|c| !(c.is_ascii_digit() || c == b'.' || c == b','))
        .unwrap_or(w.len());
    if digits_end == 0 {
        return None;
    }
    // The digits without thousands separators, on the stack when short.
    let digits = &w[..digits_end];
    let mut buf = [0u8; 40];
    let value: f64 = if digits.len() <= buf.len() {
        let mut len = 0;
        for c in digits.bytes().filter(|c| *c != b',') {
            buf[len] = c;
            len += 1;
        }
        std::str::from_utf8(&buf[..len]).ok()?.parse().ok()?
    } else {
        digits
            .chars()
            .filter(|c| *c != ',')
            .collect::<String>()
            .parse()
            .ok()?
    };
    let suffix = &w[digits_end..];
    if suffix.is_empty() {
        return Some(value);
    }
    magnitude(suffix).map(|m| value * m)
}

/// Term → summed weight for one article: an open-addressing table over a
/// list in first-seen order, cleared rather than freed between articles.
#[derive(Default)]
struct TermCounts {
    /// Index + 1 into `entries`, 0 for empty; slot from the term's low bits.
    slots: Vec<u32>,
    entries: Vec<(u64, f32)>,
}

impl TermCounts {
    fn clear(&mut self) {
        if !self.entries.is_empty() {
            self.slots.fill(0);
            self.entries.clear();
        }
    }

    #[inline(always)]
    fn add(&mut self, term: u64, weight: f32) {
        if (self.entries.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut s = term as usize & mask;
        loop {
            let e = self.slots[s] as usize;
            if e == 0 {
                self.entries.push((term, weight));
                self.slots[s] = self.entries.len() as u32;
                return;
            }
            if self.entries[e - 1].0 == term {
                self.entries[e - 1].1 += weight;
                return;
            }
            s = (s + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(512);
        self.slots.clear();
        self.slots.resize(size, 0);
        let mask = size - 1;
        for (i, (term, _)) in self.entries.iter().enumerate() {
            let mut s = *term as usize & mask;
            while self.slots[s] != 0 {
                s = (s + 1) & mask;
            }
            self.slots[s] = i as u32 + 1;
        }
    }
}

/// Reusable buffers for extracting term vectors.
#[derive(Default)]
pub struct Extractor {
    tf: TermCounts,
    name: Vec<u8>,
    reader: Reader,
}

impl Extractor {
    pub fn new() -> Extractor {
        Extractor::default()
    }

    /// The raw term weights of an article (before idf): title terms count
    /// double. Returns the distinct terms in `out`.
    pub fn terms(&mut self, title: &str, lead: &str, out: &mut Vec<(u64, f32)>) {
        self.begin();
        self.read(title, Part::Title, None);
        self.read(lead, Part::Lead, None);
        self.finish(out);
    }

    /// Starts an article (see [`Extractor::read`]).
    pub(crate) fn begin(&mut self) {
        self.tf.clear();
    }

    /// Reads one text of the article as `part`; the hashes of all its
    /// words go to `words` for the signer when given. Returns the words
    /// separated by white space counted (see [`Reader::read`]).
    pub(crate) fn read(&mut self, text: &str, part: Part, words: Option<&mut Vec<u64>>) -> usize {
        let (limit, weight) = match part {
            Part::Title => (usize::MAX, TITLE_WEIGHT),
            Part::Lead => (LEAD_WORDS, 1.0),
            Part::Signed => (0, 0.0),
        };
        let count = self.reader.read(text, words, limit);
        if limit > 0 {
            add_tokens(&self.reader, text, weight, &mut self.tf, &mut self.name);
        }
        count
    }

    /// The article's distinct terms with their raw weights `1 + ln tf`.
    pub(crate) fn finish(&mut self, out: &mut Vec<(u64, f32)>) {
        out.clear();
        out.extend(
            self.tf
                .entries
                .iter()
                .map(|(t, w)| (*t, 1.0 + w.ln().max(0.0))),
        );
    }
}

/// A light English stemmer over a lower-cased word: inflections that do not
/// change what a headline is about fold together ("rejects"/"rejected"/
/// "reject", "launches"/"launched", "studies"/"study"). Plural `-s`, then
/// `-ed`/`-ing`, then a final `-e` or `-y` are stripped while at least
/// [`STEM_MIN`] bytes remain; `-ies`/`-ied` go as a whole. Not a linguistic
/// stemmer (no dictionary, no exceptions beyond `-ss`/`-us`/`-is`): it only
/// has to map forms of one word to one key, the same way every time.
pub(crate) fn stem(w: &[u8]) -> &[u8] {
    // Non-ASCII words are kept as they are.
    if w.len() <= STEM_MIN || !w.is_ascii() {
        return w;
    }
    let mut end = w.len();
    let ends = |end: usize, suffix: &[u8]| w[..end].ends_with(suffix);
    if (ends(end, b"ies") || ends(end, b"ied")) && end - 3 >= STEM_MIN - 1 {
        // "studies", "studied" → "stud", as "study" is.
        return &w[..end - 3];
    }
    if ends(end, b"s") && !ends(end, b"ss") && !ends(end, b"us") && !ends(end, b"is") {
        end -= 1;
    }
    if ends(end, b"ing") && end - 3 >= STEM_MIN {
        end -= 3;
    } else if ends(end, b"ed") && end - 2 >= STEM_MIN {
        end -= 2;
    }
    if (ends(end, b"e") || ends(end, b"y")) && end > STEM_MIN {
        end -= 1;
    }
    &w[..end]
}

/// Shortest stem [`stem`] leaves.
const STEM_MIN: usize = 4;

/// A capitalized word inside a sentence (not its first word) in text that is
/// not title case: most likely a name ("Icahn", "Graphika"); its term
/// weighs this much more.
const PROPER_WEIGHT: f32 = 1.3;

/// Whether a text is title case ("Stacy Keibler Weds Boyfriend In Mexico"):
/// most of its words of four letters or more are capitalized. Capitals say
/// nothing about names there.
fn title_case(reader: &Reader) -> bool {
    let (mut long, mut capital) = (0, 0);
    for t in reader.tokens.iter().skip(1) {
        if !t.digit && t.end - t.start >= 4 {
            long += 1;
            capital += t.capital as usize;
        }
    }
    long >= 2 && capital * 10 >= long * 6
}

/// Counts the terms of the tokens `reader` holds for `text`.
fn add_tokens(reader: &Reader, text: &str, weight: f32, tf: &mut TermCounts, name: &mut Vec<u8>) {
    let count = reader.tokens.len();
    let tokens = &reader.tokens;
    let word = |k: usize| reader.word(text, k);
    let titled = title_case(reader);
    let add_word = |tf: &mut TermCounts, k: usize, weight: f32| {
        // Words of fewer than three bytes say nothing.
        if tokens[k].end - tokens[k].start < 3 {
            return;
        }
        let lower = reader.lower(text, k);
        if is_stop_term(word_term_bytes(lower)) {
            return;
        }
        tf.add(word_term_bytes(stem(lower)), weight);
    };
    let mut i = 0;
    while i < count {
        if tokens[i].digit {
            if let Some(mut v) = parse_figure(word(i)) {
                // "9.6 billion": the next word may scale it.
                if let Some(m) = (i + 1 < count).then(|| magnitude(word(i + 1))).flatten() {
                    v *= m;
                    i += 1;
                }
                // Small integers (days of the month, counts of things)
                // are too common to name an event.
                if v.fract() != 0.0 || v >= 100.0 {
                    tf.add(figure_term(v), weight * 1.5);
                }
            }
            i += 1;
            continue;
        }
        // A run of capitalized words: a name (not in title case, where
        // every word is capitalized).
        if tokens[i].capital && !titled {
            let mut j = i;
            while j < count && tokens[j].capital && (j == i || !tokens[j].sentence_start) {
                j += 1;
            }
            let from = if tokens[i].sentence_start
                && j - i > 1
                && is_stop_term(word_term_bytes(reader.lower(text, i)))
            {
                i + 1
            } else {
                i
            };
            if j - from >= 2 {
                name.clear();
                for k in from..j {
                    if k > from {
                        name.push(b' ');
                    }
                    name.extend_from_slice(reader.lower(text, k));
                }
                let term = xxhash_rust::xxh3::xxh3_64_with_seed(name, 2);
                tf.add(term, weight * 1.5);
            }
            for (k, tok) in tokens.iter().enumerate().take(j).skip(i) {
                let proper = j - from >= 2 || !tok.sentence_start;
                add_word(
                    tf,
                    k,
                    if proper {
                        weight * PROPER_WEIGHT
                    } else {
                        weight
                    },
                );
            }
            i = j;
            continue;
        }
        add_word(tf, i, weight);
        i += 1;
    }
}

/// Applies idf to raw terms, keeps the [`TERMS`] heaviest, normalizes.
pub fn weigh(raw: &[(u64, f32)], df: &DocFreq) -> TermVector {
    weigh_with(raw, df, &mut Vec::new())
}

/// A key that orders terms heaviest first, then by term: the order the
/// heaviest terms are chosen in, as one integer. Weights are positive and
/// finite, so their bits order as they do.
#[inline]
pub(crate) fn heavy_key(term: u64, weight: f32) -> u128 {
    ((u32::MAX - weight.to_bits()) as u128) << 64 | term as u128
}

#[inline]
fn from_heavy_key(key: u128) -> (u64, f32) {
    (key as u64, f32::from_bits(u32::MAX - (key >> 64) as u32))
}

/// Keeps, in place, the `n` entries of a term-sorted vector with the
/// smallest [`heavy_key`]s (the heaviest), in term order; `keys` is
/// scratch.
pub(crate) fn keep_heaviest(v: &mut Vec<(u64, f32)>, n: usize, keys: &mut Vec<u128>) {
    if v.len() <= n {
        return;
    }
    keys.clear();
    keys.extend(v.iter().map(|(t, w)| heavy_key(*t, *w)));
    let (_, last, _) = keys.select_nth_unstable(n - 1);
    let last = *last;
    v.retain(|(t, w)| heavy_key(*t, *w) <= last);
}

/// [`weigh`] with a scratch buffer.
pub(crate) fn weigh_with(raw: &[(u64, f32)], df: &DocFreq, keys: &mut Vec<u128>) -> TermVector {
    weigh_blend(raw, df, None, keys)
}

/// [`weigh_with`] with idf the mean of two counts' (see the desk: over
/// stories and over articles).
pub(crate) fn weigh_blend(
    raw: &[(u64, f32)],
    df: &DocFreq,
    other: Option<&DocFreq>,
    keys: &mut Vec<u128>,
) -> TermVector {
    keys.clear();
    for (t, w) in raw {
        let idf = match other {
            Some(o) => 0.5 * (df.idf(*t) + o.idf(*t)),
            None => df.idf(*t),
        };
        let w = w * idf;
        if w > 0.0 {
            keys.push(heavy_key(*t, w));
        }
    }
    if keys.len() > TERMS {
        keys.select_nth_unstable(TERMS - 1);
        keys.truncate(TERMS);
    }
    let mut v: Vec<(u64, f32)> = keys.iter().map(|k| from_heavy_key(*k)).collect();
    // Summed in term order, so that the result does not depend on the order
    // the terms came in.
    v.sort_unstable_by_key(|(t, _)| *t);
    let norm = v.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
    if norm > 0.0 {
        v.iter_mut().for_each(|(_, w)| *w /= norm);
    }
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
        let long = "1,234,567,890,123,456,789,012,345,678,901,234,567.5";
        assert_eq!(parse_figure(long), long.replace(',', "").parse().ok());
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
        assert!(has(&v, word_term("analyst")));
        assert!(!has(&v, word_term("the")));
    }

    #[test]
    fn inflections_share_a_stem() {
        let st = |w: &str| String::from_utf8(stem(w.as_bytes()).to_vec()).unwrap();
        for group in [
            &["reject", "rejects", "rejected", "rejecting"][..],
            &["launch", "launches", "launched", "launching"],
            &["release", "releases", "released"],
            &["study", "studies", "studied", "studying"],
            &["nominee", "nominees"],
            &["company", "companies"],
        ] {
            let stems: Vec<String> = group.iter().map(|w| st(w)).collect();
            assert!(
                stems.iter().all(|s| *s == stems[0]),
                "{group:?} → {stems:?}"
            );
        }
        // Short words, -ss/-us/-is and non-ASCII words are kept.
        for w in ["ebay", "news", "class", "bonus", "analysis", "café", "iyi"] {
            assert!(!st(w).is_empty());
        }
        assert_eq!(st("class"), "class");
        assert_eq!(st("bonus"), "bonus");
        assert_eq!(st("ebay"), "ebay");
    }

    #[test]
    fn title_case_headlines_make_no_names_and_sentences_do() {
        let name = |s: &str| xxhash_rust::xxh3::xxh3_64_with_seed(s.as_bytes(), 2);
        let v = raw("Stacy Keibler Weds Boyfriend In Mexico", "");
        assert!(!has(&v, name("stacy keibler weds boyfriend in mexico")));
        assert!(has(&v, word_term("keibler")));
        let v = raw("Stacy Keibler marries tech entrepreneur in Mexico", "");
        assert!(has(&v, name("stacy keibler")));
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

    #[test]
    fn stop_words_are_found_and_others_are_not() {
        for w in STOP {
            assert!(is_stop_term(word_term(w)), "{w}");
        }
        for w in ["market", "chip", "veritone", "nairobi", "billion", ""] {
            assert!(!is_stop_term(word_term(w)), "{w}");
        }
        assert!(!is_stop_term(0));
    }
}
