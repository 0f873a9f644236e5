//! The scoring of the article-extraction-benchmark (Scrapinghub), so our
//! extractor and the stored outputs of others are scored by one scorer.
//!
//! Tokens are runs of word characters (Python's `\w`: letters, digits and
//! `_`, case kept). Each text becomes a multiset of token 4-grams (a text of
//! fewer than four tokens is one shorter shingle). Per page, true positives are
//! the multiset intersection, false positives and negatives the two
//! differences, all three divided by their sum so every page weighs the same.
//! Precision is averaged over pages with `tp + fp > 0`, recall over pages with
//! `tp + fn > 0`, and F1 is computed from those two averages. Accuracy is the
//! share of pages whose token sequence equals the truth's.

/// One page's normalised counts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PageScore {
    pub tp: f64,
    pub fp: f64,
    pub fn_: f64,
    /// Same token sequence as the truth.
    pub exact: bool,
}

impl PageScore {
    /// This page's own F1 (for finding the worst pages).
    pub fn f1(&self) -> f64 {
        let p = precision(self);
        let r = recall(self);
        if p + r == 0.0 {
            0.0
        } else {
            2.0 * p * r / (p + r)
        }
    }
}

/// Scores over a set of pages.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Summary {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
    pub accuracy: f64,
}

/// Python's `\w` for `str` patterns: alphanumeric (letters in categories
/// L*, numbers N*) or the underscore. Rust's `is_alphanumeric` also counts
/// combining vowel signs of some scripts as alphabetic; those are left out
/// here as Python does.
fn is_word(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_alphanumeric() || c == '_';
    }
    c.is_alphanumeric() && !is_combining_mark(c)
}

/// Spacing and non-spacing marks that Rust calls alphabetic
/// (`Other_Alphabetic`) but Python does not: the Indic and South-East Asian
/// vowel signs and the like, and circled letters (`ⓒ`). Ranges cover the
/// common scripts.
fn is_combining_mark(c: char) -> bool {
    let u = c as u32;
    matches!(u,
        0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x05BF | 0x05C1..=0x05C2
        | 0x05C4..=0x05C5 | 0x05C7 | 0x0610..=0x061A | 0x064B..=0x065F | 0x0670
        | 0x06D6..=0x06DC | 0x06DF..=0x06E4 | 0x06E7..=0x06E8 | 0x06EA..=0x06ED
        | 0x0900..=0x0903 | 0x093A..=0x093C | 0x093E..=0x094F | 0x0951..=0x0957 | 0x0962..=0x0963
        | 0x0981..=0x0983 | 0x09BC | 0x09BE..=0x09CD | 0x09D7 | 0x09E2..=0x09E3
        | 0x0A01..=0x0A03 | 0x0A3C..=0x0A51 | 0x0A70..=0x0A71 | 0x0A75
        | 0x0A81..=0x0A83 | 0x0ABC | 0x0ABE..=0x0ACD | 0x0AE2..=0x0AE3
        | 0x0B01..=0x0B03 | 0x0B3C | 0x0B3E..=0x0B57 | 0x0B62..=0x0B63
        | 0x0B82 | 0x0BBE..=0x0BCD | 0x0BD7
        | 0x0C00..=0x0C04 | 0x0C3C | 0x0C3E..=0x0C56 | 0x0C62..=0x0C63
        | 0x0C81..=0x0C83 | 0x0CBC | 0x0CBE..=0x0CD6 | 0x0CE2..=0x0CE3
        | 0x0D00..=0x0D03 | 0x0D3B..=0x0D3C | 0x0D3E..=0x0D4D | 0x0D57 | 0x0D62..=0x0D63
        | 0x0D81..=0x0D83 | 0x0DCA..=0x0DDF | 0x0DF2..=0x0DF3
        | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E | 0x0EB1 | 0x0EB4..=0x0EBC | 0x0EC8..=0x0ECE
        | 0x0F71..=0x0F84 | 0x102B..=0x103E | 0x1056..=0x1059 | 0x17B4..=0x17D3
        | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0x302A..=0x302F | 0x3099..=0x309A
        | 0xFE20..=0xFE2F
        // Circled and squared letters (symbols with Other_Alphabetic).
        | 0x24B6..=0x24E9 | 0x1F130..=0x1F149 | 0x1F150..=0x1F169 | 0x1F170..=0x1F189
    )
}

/// The word tokens of `text`.
pub fn tokenize(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, c) in text.char_indices() {
        match (is_word(c), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push(&text[s..i]);
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push(&text[s..]);
    }
    out
}

/// A text ready for scoring: its tokens and its sorted shingles, both as
/// 64-bit hashes. Hashing instead of comparing strings keeps scoring fast
/// (the benchmark test scores 30-odd outputs); with a few thousand shingles
/// per page a collision has a probability around 10^-12 and the scores of the
/// stored outputs reproduce the published ones.
#[derive(Debug, Clone, Default)]
pub struct Prepared {
    tokens: Vec<u64>,
    shingles: Vec<u64>,
}

fn hash_token(t: &str) -> u64 {
    // FNV-1a, then a final mix so nearby tokens spread over all bits.
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in t.as_bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    mix(h)
}

fn mix(mut h: u64) -> u64 {
    h ^= h >> 33;
    h = h.wrapping_mul(0xff51_afd7_ed55_8ccd);
    h ^= h >> 33;
    h = h.wrapping_mul(0xc4ce_b9fe_1a85_ec53);
    h ^ (h >> 33)
}

/// Tokenizes and shingles `text` (4-grams; a text of fewer than four tokens
/// is one shorter shingle).
pub fn prepare(text: &str) -> Prepared {
    let tokens: Vec<u64> = tokenize(text).into_iter().map(hash_token).collect();
    let shingle = |w: &[u64]| {
        w.iter()
            .fold(w.len() as u64, |acc, &t| mix(acc.rotate_left(17) ^ t))
    };
    let mut shingles: Vec<u64> = if tokens.is_empty() {
        Vec::new()
    } else if tokens.len() < 4 {
        vec![shingle(&tokens)]
    } else {
        tokens.windows(4).map(shingle).collect()
    };
    shingles.sort_unstable();
    Prepared { tokens, shingles }
}

/// Scores one page: `truth` is the true article body, `pred` the extracted one.
pub fn score_page(truth: &str, pred: &str) -> PageScore {
    score_prepared(&prepare(truth), &prepare(pred))
}

/// As [`score_page`], on prepared texts (prepare the truth once).
pub fn score_prepared(truth: &Prepared, pred: &Prepared) -> PageScore {
    // Multiset intersection and differences of two sorted lists.
    let (t, p) = (&truth.shingles, &pred.shingles);
    let (mut i, mut j) = (0, 0);
    let (mut tp, mut fp, mut fn_) = (0u64, 0u64, 0u64);
    while i < t.len() && j < p.len() {
        match t[i].cmp(&p[j]) {
            std::cmp::Ordering::Equal => {
                tp += 1;
                i += 1;
                j += 1;
            }
            std::cmp::Ordering::Less => {
                fn_ += 1;
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                fp += 1;
                j += 1;
            }
        }
    }
    fn_ += (t.len() - i) as u64;
    fp += (p.len() - j) as u64;
    let s = (tp + fp + fn_) as f64;
    let (tp, fp, fn_) = if s > 0.0 {
        (tp as f64 / s, fp as f64 / s, fn_ as f64 / s)
    } else {
        (0.0, 0.0, 0.0)
    };
    PageScore {
        tp,
        fp,
        fn_,
        exact: truth.tokens == pred.tokens,
    }
}

fn precision(s: &PageScore) -> f64 {
    if s.fp == 0.0 && s.fn_ == 0.0 {
        1.0
    } else if s.tp == 0.0 && s.fp == 0.0 {
        0.0
    } else {
        s.tp / (s.tp + s.fp)
    }
}

fn recall(s: &PageScore) -> f64 {
    if s.fp == 0.0 && s.fn_ == 0.0 {
        1.0
    } else if s.tp == 0.0 && s.fn_ == 0.0 {
        0.0
    } else {
        s.tp / (s.tp + s.fn_)
    }
}

fn mean(values: impl Iterator<Item = f64>) -> f64 {
    let (sum, n) = values.fold((0.0, 0usize), |(s, n), v| (s + v, n + 1));
    if n == 0 {
        0.0
    } else {
        sum / n as f64
    }
}

/// Precision, recall, F1 and accuracy over pages, as the benchmark computes them.
pub fn summarize(pages: &[PageScore]) -> Summary {
    let precision = mean(pages.iter().filter(|s| s.tp + s.fp > 0.0).map(precision));
    let recall = mean(pages.iter().filter(|s| s.tp + s.fn_ > 0.0).map(recall));
    let f1 = if precision + recall == 0.0 {
        0.0
    } else {
        2.0 * precision * recall / (precision + recall)
    };
    let accuracy = mean(pages.iter().map(|s| if s.exact { 1.0 } else { 0.0 }));
    Summary {
        precision,
        recall,
        f1,
        accuracy,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_follow_python_word_class() {
        assert_eq!(
            tokenize("It’s 3.5%, naïve_x — ok!"),
            ["It", "s", "3", "5", "naïve_x", "ok"]
        );
        assert_eq!(tokenize("हिन्दी"), ["ह", "न", "द"]);
    }

    #[test]
    fn page_scores() {
        let s = score_page("a b c d e", "a b c d e");
        assert_eq!((s.tp, s.fp, s.fn_, s.exact), (1.0, 0.0, 0.0, true));
        let s = score_page("a b c d e", "a b c d x");
        // shingles: truth {abcd, bcde}, pred {abcd, bcdx}
        assert!((s.tp - 1.0 / 3.0).abs() < 1e-12 && (s.fp - 1.0 / 3.0).abs() < 1e-12);
        let s = score_page("a b", "");
        assert_eq!((s.tp, s.fp, s.fn_), (0.0, 0.0, 1.0));
        let sum = summarize(&[score_page("a b c d", "a b c d"), score_page("a b", "")]);
        assert_eq!((sum.precision, sum.recall, sum.accuracy), (1.0, 0.5, 0.5));
    }
}
