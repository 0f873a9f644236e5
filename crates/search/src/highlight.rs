//! Finding the query's words in stored text, for titles and snippets.
//!
//! tantivy's snippet generator runs the whole analyzer (with the stemmer)
//! over every hit's text, which is most of a search's cost once snippets
//! are on. Here a text is cut into words with the cheap part of the analyzer
//! (split, lowercase, ASCII-fold) and each word's stem comes from a
//! per-thread cache filled by the full analyzer, so the matches are the
//! index's own.

use std::cell::RefCell;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::ops::Range;

use tantivy::tokenizer::{
    AsciiFoldingFilter, LowerCaser, RemoveLongFilter, SimpleTokenizer, TextAnalyzer, TokenStream,
};

use crate::schema;
use crate::snippet::escape_into;

/// Longest stretch of a text searched for a passage, in bytes: a match
/// further into a very long body is not worth scanning for.
const MAX_SCAN: usize = 64 * 1024;

/// Words whose stems a thread remembers before starting over.
const STEM_CACHE_WORDS: usize = 100_000;

thread_local! {
    static STEMS: RefCell<StemCache> = RefCell::new(StemCache::new());
}

/// A multiply-rotate hash for short keys (words): no DoS concern here, the
/// keys come from the desk's own stored text and the table is bounded.
#[derive(Default)]
struct WordHasher(u64);

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut b = [0u8; 8];
            b[..chunk.len()].copy_from_slice(chunk);
            self.0 = (self.0.rotate_left(5) ^ u64::from_le_bytes(b))
                .wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
        }
    }
    fn write_u8(&mut self, i: u8) {
        self.0 = (self.0.rotate_left(5) ^ u64::from(i)).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
    fn finish(&self) -> u64 {
        // The multiplications only carry low bits upwards: fold the high
        // bits back down, as the table indexes by the low ones.
        let h = self.0;
        (h ^ (h >> 29)).wrapping_mul(0xbf58_476d_1ce4_e5b9) ^ (h >> 32)
    }
}

struct StemCache {
    stems: HashMap<Box<str>, Box<str>, BuildHasherDefault<WordHasher>>,
    analyzer: TextAnalyzer,
}

impl StemCache {
    fn new() -> StemCache {
        StemCache {
            stems: HashMap::default(),
            analyzer: schema::english(),
        }
    }

    /// The weight of the query term a word (already split, lowercased and
    /// folded) stems to, 0 when none.
    fn weight(&mut self, word: &str, terms: &[(String, f32)]) -> f32 {
        let of = |stem: &str| {
            terms
                .iter()
                .find(|(t, _)| t == stem)
                .map_or(0.0, |(_, w)| *w)
        };
        if let Some(stem) = self.stems.get(word) {
            return of(stem);
        }
        if self.stems.len() >= STEM_CACHE_WORDS {
            self.stems.clear();
        }
        let mut stream = self.analyzer.token_stream(word);
        let stem: Box<str> = if stream.advance() {
            stream.token().text.as_str().into()
        } else {
            "".into()
        };
        drop(stream);
        let w = of(&stem);
        self.stems.insert(word.into(), stem);
        w
    }
}

/// The query's analyzed terms.
pub(crate) struct Highlighter {
    /// Analyzed query term and weight (rarer terms weigh more); a handful,
    /// so a list.
    terms: Vec<(String, f32)>,
    words: TextAnalyzer,
}

/// One word of a text that matches a query term.
struct Match {
    at: Range<usize>,
    weight: f32,
}

impl Highlighter {
    pub(crate) fn new(terms: HashMap<String, f32>) -> Highlighter {
        let mut terms: Vec<(String, f32)> = terms.into_iter().collect();
        terms.sort_by(|a, b| a.0.cmp(&b.0));
        Highlighter {
            terms,
            words: TextAnalyzer::builder(SimpleTokenizer::default())
                .filter(RemoveLongFilter::limit(schema::MAX_TOKEN_LEN))
                .filter(LowerCaser)
                .filter(AsciiFoldingFilter)
                .build(),
        }
    }

    /// Whether the query has any term to look for.
    pub(crate) fn is_empty(&self) -> bool {
        self.terms.is_empty()
    }

    fn matches(&mut self, text: &str) -> Vec<Match> {
        let mut out = Vec::new();
        if self.terms.is_empty() {
            return out;
        }
        let terms = &self.terms;
        let mut stream = self.words.token_stream(text);
        STEMS.with(|cache| {
            let mut cache = cache.borrow_mut();
            while let Some(tok) = stream.next() {
                let weight = cache.weight(&tok.text, terms);
                if weight > 0.0 {
                    out.push(Match {
                        at: tok.offset_from..tok.offset_to,
                        weight,
                    });
                }
            }
        });
        out
    }

    /// The whole text, escaped, every match marked.
    pub(crate) fn whole(&mut self, text: &str, pre: &str, post: &str) -> String {
        let matches = self.matches(text);
        let mut out = String::with_capacity(text.len() + matches.len() * (pre.len() + post.len()));
        mark(&mut out, text, 0..text.len(), &matches, pre, post);
        out
    }

    /// The passage of about `max_chars` characters holding the most (and
    /// rarest) matches, escaped, matches marked, `…` where the text is cut.
    /// `None` when nothing matches.
    pub(crate) fn passage(
        &mut self,
        text: &str,
        max_chars: usize,
        pre: &str,
        post: &str,
    ) -> Option<String> {
        let mut scan = text.len().min(MAX_SCAN);
        while !text.is_char_boundary(scan) {
            scan -= 1;
        }
        let matches = self.matches(&text[..scan]);
        if matches.is_empty() {
            return None;
        }
        // Budget in bytes, as characters of the window's own text are
        // counted at the end; a window is the matches i..j.
        let budget = max_chars.max(20);
        let mut best = (0usize, 0usize, -1.0f32);
        let mut j = 0;
        let mut sum = 0.0;
        for i in 0..matches.len() {
            if j < i {
                j = i;
                sum = 0.0;
            }
            while j < matches.len()
                && chars_between(text, matches[i].at.start, matches[j].at.end) <= budget
            {
                sum += matches[j].weight;
                j += 1;
            }
            if j == i {
                // A single word longer than the budget.
                if best.2 < 0.0 {
                    best = (i, i + 1, matches[i].weight);
                }
                continue;
            }
            if sum > best.2 + 1e-6 {
                best = (i, j, sum);
            }
            sum -= matches[i].weight;
        }
        let (i, j, _) = best;
        let first = matches[i].at.start;
        let last = matches[j - 1].at.end;
        let used = chars_between(text, first, last);
        let spare = budget.saturating_sub(used);
        let start = if chars_between(text, 0, last) <= budget {
            0
        } else {
            window_start(text, first, spare / 2, spare / 3)
        };
        let end = window_end(
            text,
            last,
            budget.saturating_sub(chars_between(text, start, last)),
        );
        let mut out = String::with_capacity(end - start + 32);
        if !text[..start].trim().is_empty() {
            out.push('…');
        }
        mark(&mut out, text, start..end, &matches[i..j], pre, post);
        if !text[end..].trim().is_empty() {
            out.push('…');
        }
        Some(out)
    }
}

fn chars_between(text: &str, from: usize, to: usize) -> usize {
    text.get(from..to).map_or(0, |s| s.chars().count())
}

/// Where a passage whose first match starts at `first` begins: the start of
/// its sentence when that is within `sentence_room` characters, else a word
/// start about `word_room` characters back.
fn window_start(text: &str, first: usize, sentence_room: usize, word_room: usize) -> usize {
    let before = &text[..first];
    let mut start = first;
    for (taken, (i, c)) in before.char_indices().rev().enumerate() {
        if taken >= sentence_room.max(word_room) {
            break;
        }
        if matches!(c, '.' | '!' | '?' | '\n') && i + c.len_utf8() < first {
            // Sentence boundary: start after it.
            return skip_space(text, i + c.len_utf8());
        }
        if taken < word_room {
            start = i;
        }
        if i == 0 && taken < sentence_room {
            return 0;
        }
    }
    if start == 0 {
        return 0;
    }
    // Move forward to the next word start.
    match text[start..first].find(char::is_whitespace) {
        Some(sp) => skip_space(text, start + sp),
        None => first,
    }
}

/// Where a passage whose last match ends at `last` ends: up to `room` more
/// characters, cut after a word, with the punctuation that follows it.
fn window_end(text: &str, last: usize, room: usize) -> usize {
    let after = &text[last..];
    let cut = after
        .char_indices()
        .nth(room)
        .map_or(after.len(), |(i, _)| i);
    let mut end = if cut == after.len() {
        text.len()
    } else {
        // Back to the end of the last whole word.
        match after[..cut].rfind(char::is_whitespace) {
            Some(sp) => last + sp,
            None => last,
        }
    };
    // Keep the punctuation right after the last word (`.`, `?`, `”`).
    for c in text[end..].chars().take(8) {
        if c.is_whitespace() || c.is_alphanumeric() {
            break;
        }
        end += c.len_utf8();
    }
    while end > last && text[..end].ends_with(char::is_whitespace) {
        end -= text[..end].chars().next_back().map_or(1, char::len_utf8);
    }
    end
}

fn skip_space(text: &str, mut at: usize) -> usize {
    while let Some(c) = text[at..].chars().next() {
        if !c.is_whitespace() {
            break;
        }
        at += c.len_utf8();
    }
    at
}

fn mark(
    out: &mut String,
    text: &str,
    range: Range<usize>,
    matches: &[Match],
    pre: &str,
    post: &str,
) {
    let mut at = range.start;
    for m in matches {
        if m.at.start < at || m.at.end > range.end {
            continue;
        }
        escape_into(out, &text[at..m.at.start]);
        out.push_str(pre);
        escape_into(out, &text[m.at.clone()]);
        out.push_str(post);
        at = m.at.end;
    }
    escape_into(out, &text[at..range.end]);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hl(terms: &[&str]) -> Highlighter {
        Highlighter::new(terms.iter().map(|t| (t.to_string(), 1.0)).collect())
    }

    #[test]
    fn marks_stemmed_and_folded_words() {
        let mut h = hl(&["launch", "cafe"]);
        assert_eq!(
            h.whole("Launches at the Café <now>", "<b>", "</b>"),
            "<b>Launches</b> at the <b>Café</b> &lt;now&gt;"
        );
        assert_eq!(h.whole("nothing here", "<b>", "</b>"), "nothing here");
        assert!(h.passage("nothing here", 50, "<b>", "</b>").is_none());
    }

    #[test]
    fn passages_start_at_sentences_and_cut_at_words() {
        let mut h = hl(&["willow"]);
        let text = "First sentence is here, and it goes on for a good while. \
                    Quantum chips called Willow arrived today. \
                    After that a long tail of words follows and follows and follows.";
        let p = h.passage(text, 60, "[", "]").unwrap();
        assert!(
            p.starts_with("…Quantum chips called [Willow] arrived today."),
            "{p}"
        );
        assert!(p.ends_with("…") && !p.ends_with(" …"), "{p}");
        assert!(p.chars().count() <= 60 + 2 + 2, "{p}");
        // Without a sentence start close by: a word start.
        let text = format!("{} Willow {}", "word ".repeat(30), "word ".repeat(30));
        let p = h.passage(&text, 40, "[", "]").unwrap();
        assert!(p.starts_with("…word ") && p.contains("[Willow]"), "{p}");
        let p = h.passage("Willow.", 60, "[", "]").unwrap();
        assert_eq!(p, "[Willow].");
        // The densest window wins.
        let mut h = hl(&["oil", "crude"]);
        let text = format!("oil {} crude oil prices", "filler ".repeat(40));
        let p = h.passage(&text, 40, "[", "]").unwrap();
        assert!(p.contains("[crude] [oil]"), "{p}");
        // Multi-byte text and tiny budgets never split a character.
        let mut h = hl(&["eau"]);
        let p = h.passage("ééé ééé eau ééé ééé ééé", 3, "[", "]").unwrap();
        assert!(p.contains("[eau]"), "{p}");
    }
}
