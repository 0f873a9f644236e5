//! The tokenized article: built once, then every query of every topic is
//! evaluated against it.

use crate::text::{for_each_word, push_lower};

/// A field of an article a query term can look in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Field {
    Title,
    Body,
    Provider,
}

impl Field {
    pub const ALL: [Field; 3] = [Field::Title, Field::Body, Field::Provider];

    /// The name used in queries (`title:`).
    pub fn name(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Body => "body",
            Field::Provider => "provider",
        }
    }

    pub(crate) fn bit(self) -> u8 {
        match self {
            Field::Title => 1,
            Field::Body => 2,
            Field::Provider => 4,
        }
    }

    pub(crate) fn from_name(name: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| f.name().eq_ignore_ascii_case(name))
    }
}

/// One word in a field: its lower-cased form (in the field's `lower` buffer) and
/// its original form (in the field's `text`).
#[derive(Debug, Clone, Copy)]
struct Token {
    lower: (u32, u32),
    original: (u32, u32),
}

/// One distinct lower-cased word of a field and where its positions are.
#[derive(Debug, Clone, Copy)]
struct VocabEntry {
    /// The word, as a range of the field's `lower` buffer.
    word: (u32, u32),
    /// Its positions, as a range of the field's `postings`.
    postings: (u32, u32),
    /// [`word_hash`] of the word.
    hash: u64,
}

/// The index of one field: words in order (for phrases and NEAR), a sorted
/// vocabulary with positions (prefix look-ups by binary search) and a hash
/// table over it (exact look-ups: one probe, since a query word's hash is
/// computed once, when the query is parsed).
#[derive(Debug, Clone, Default)]
pub(crate) struct FieldIndex {
    text: String,
    lower: String,
    tokens: Vec<Token>,
    vocab: Vec<VocabEntry>,
    postings: Vec<u32>,
    /// Open addressing, linear probing: vocabulary index + 1, 0 for empty.
    table: Vec<u32>,
    /// Vocabulary indices in word order, each with its word's [`sort_key`].
    sorted: Vec<(u64, u32)>,
}

/// The whole text lower-cased, when that changes no character's length in
/// bytes (true of ASCII and of most other text); `None` otherwise. Each
/// character is lower-cased on its own, as [`push_lower`] does.
fn lower_in_place(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.bytes().position(|b| b >= 0x80) {
        out.push_str(&rest[..at]);
        let c = rest[at..].chars().next().expect("a character starts here");
        let mut lower = c.to_lowercase();
        match (lower.next(), lower.next()) {
            (Some(l), None) if l.len_utf8() == c.len_utf8() => out.push(l),
            _ => return None,
        }
        rest = &rest[at + c.len_utf8()..];
    }
    out.push_str(rest);
    out.make_ascii_lowercase();
    Some(out)
}

/// A word's first 8 bytes as a big-endian integer (zero-padded): integer
/// order is the words' order as far as those bytes go.
fn sort_key(word: &str) -> u64 {
    let mut b = [0u8; 8];
    let n = word.len().min(8);
    b[..n].copy_from_slice(&word.as_bytes()[..n]);
    u64::from_be_bytes(b)
}

/// The hash of a lower-cased word for [`FieldIndex`]'s table: FxHash-style
/// multiply-rotate over 8-byte chunks. In memory only, never persisted.
pub(crate) fn word_hash(word: &str) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = word.len() as u64;
    let mut chunks = word.as_bytes().chunks_exact(8);
    for c in &mut chunks {
        let v = u64::from_le_bytes(c.try_into().expect("8 bytes"));
        h = (h.rotate_left(5) ^ v).wrapping_mul(K);
    }
    let mut tail = [0u8; 8];
    let rest = chunks.remainder();
    tail[..rest.len()].copy_from_slice(rest);
    h = (h.rotate_left(5) ^ u64::from_le_bytes(tail)).wrapping_mul(K);
    h ^ (h >> 29)
}

impl FieldIndex {
    fn new(text: &str) -> FieldIndex {
        if text.is_empty() {
            return FieldIndex::default();
        }
        let mut index = FieldIndex {
            text: text.to_string(),
            tokens: Vec::with_capacity(text.len() / 5 + 1),
            ..FieldIndex::default()
        };
        if let Some(lower) = lower_in_place(text) {
            // Lower-casing kept every character's length: words sit at the
            // same offsets in both buffers.
            index.lower = lower;
            for_each_word(text, |w| {
                let span = (w.start as u32, w.end as u32);
                index.tokens.push(Token {
                    lower: span,
                    original: span,
                });
            });
        } else {
            index.lower = String::with_capacity(text.len());
            for_each_word(text, |w| {
                let start = index.lower.len();
                push_lower(&mut index.lower, &text[w.start..w.end]);
                index.tokens.push(Token {
                    lower: (start as u32, index.lower.len() as u32),
                    original: (w.start as u32, w.end as u32),
                });
            });
        }
        // Group positions by word through the hash table: each token gets its
        // word's vocabulary id (first occurrence order), then the postings are
        // laid out per word, positions ascending.
        let size = (index.tokens.len() * 2).next_power_of_two().max(4);
        index.table = vec![0; size];
        let mut token_word = Vec::with_capacity(index.tokens.len());
        let mut counts: Vec<u32> = Vec::with_capacity(index.tokens.len());
        index.vocab.reserve(index.tokens.len());
        for pos in 0..index.tokens.len() {
            let word = index.lower_at(pos);
            let hash = word_hash(word);
            let mut slot = hash as usize & (size - 1);
            let v = loop {
                match index.table[slot] {
                    0 => {
                        let v = index.vocab.len() as u32;
                        index.table[slot] = v + 1;
                        index.vocab.push(VocabEntry {
                            word: index.tokens[pos].lower,
                            postings: (0, 0),
                            hash,
                        });
                        counts.push(0);
                        break v;
                    }
                    v if index.vocab_word(&index.vocab[v as usize - 1]) == word => break v - 1,
                    _ => slot = (slot + 1) & (size - 1),
                }
            };
            counts[v as usize] += 1;
            token_word.push(v);
        }
        let mut next = 0u32;
        for (entry, &count) in index.vocab.iter_mut().zip(&counts) {
            entry.postings = (next, next);
            next += count;
        }
        index.postings = vec![0; index.tokens.len()];
        for (pos, &v) in token_word.iter().enumerate() {
            let end = &mut index.vocab[v as usize].postings.1;
            index.postings[*end as usize] = pos as u32;
            *end += 1;
        }
        // The sorted vocabulary, for prefixes. Most comparisons are settled by
        // the words' first 8 bytes as an integer.
        let mut sorted: Vec<(u64, u32)> = (0..index.vocab.len())
            .map(|v| (sort_key(index.vocab_word(&index.vocab[v])), v as u32))
            .collect();
        sorted.sort_unstable_by(|a, b| {
            a.0.cmp(&b.0).then_with(|| {
                index
                    .vocab_word(&index.vocab[a.1 as usize])
                    .cmp(index.vocab_word(&index.vocab[b.1 as usize]))
            })
        });
        index.sorted = sorted;
        index
    }

    pub(crate) fn len(&self) -> usize {
        self.tokens.len()
    }

    pub(crate) fn lower_at(&self, pos: usize) -> &str {
        let (s, e) = self.tokens[pos].lower;
        &self.lower[s as usize..e as usize]
    }

    pub(crate) fn original_at(&self, pos: usize) -> &str {
        let (s, e) = self.tokens[pos].original;
        &self.text[s as usize..e as usize]
    }

    fn vocab_word(&self, entry: &VocabEntry) -> &str {
        &self.lower[entry.word.0 as usize..entry.word.1 as usize]
    }

    fn positions_of(&self, entry: &VocabEntry) -> &[u32] {
        &self.postings[entry.postings.0 as usize..entry.postings.1 as usize]
    }

    /// The sorted positions of a lower-cased word (empty when absent);
    /// `hash` is [`word_hash`] of the word.
    pub(crate) fn positions(&self, word: &str, hash: u64) -> &[u32] {
        let mask = self.table.len().wrapping_sub(1);
        let mut slot = hash as usize & mask;
        loop {
            match self.table.get(slot) {
                None | Some(0) => return &[],
                Some(&v) => {
                    let entry = &self.vocab[v as usize - 1];
                    if self.vocab_word(entry) == word {
                        return self.positions_of(entry);
                    }
                }
            }
            slot = (slot + 1) & mask;
        }
    }

    /// Whether `f` holds for a position of a word starting with the lower-cased
    /// `prefix` (stops at the first).
    pub(crate) fn any_prefix_position(&self, prefix: &str, mut f: impl FnMut(u32) -> bool) -> bool {
        // Words with the prefix share its first bytes (up to 8): find their run
        // of keys by integer search, then check the whole prefix.
        let key = sort_key(prefix);
        let n = prefix.len().min(8) as u32;
        let mask = u64::MAX.checked_shl(64 - 8 * n).unwrap_or(0);
        let start = self.sorted.partition_point(|&(k, _)| k < key);
        for &(k, v) in &self.sorted[start..] {
            if (k ^ key) & mask != 0 {
                break;
            }
            let entry = &self.vocab[v as usize];
            if prefix.len() > 8 && !self.vocab_word(entry).starts_with(prefix) {
                continue;
            }
            if self.positions_of(entry).iter().any(|&p| f(p)) {
                return true;
            }
        }
        false
    }

    /// Positions of the words starting with `prefix`, appended to `out` (unsorted).
    pub(crate) fn prefix_positions(&self, prefix: &str, out: &mut Vec<u32>) {
        self.any_prefix_position(prefix, |p| {
            out.push(p);
            false
        });
    }
}

/// An article tokenized for matching: its title, body and provider, each with
/// word positions, lower-cased words and their original case.
///
/// Build it once per article; evaluating a [`crate::Query`] or classifying with a
/// [`crate::TopicSet`] only reads it.
#[derive(Debug, Clone)]
pub struct Doc {
    fields: [FieldIndex; 3],
}

impl Doc {
    /// Tokenizes an article. `provider` is whatever names the publisher (the
    /// desk passes its name and domain, `"Reuters reuters.com"`).
    pub fn new(title: &str, body: &str, provider: &str) -> Doc {
        Doc {
            fields: [
                FieldIndex::new(title),
                FieldIndex::new(body),
                FieldIndex::new(provider),
            ],
        }
    }

    /// Calls `f` with each distinct lower-cased word of each field and its
    /// [`word_hash`].
    pub(crate) fn for_each_word(&self, mut f: impl FnMut(&str, u64)) {
        for index in &self.fields {
            for entry in &index.vocab {
                f(index.vocab_word(entry), entry.hash);
            }
        }
    }

    pub(crate) fn field(&self, field: Field) -> &FieldIndex {
        &self.fields[field as usize]
    }

    /// How many words a field holds.
    pub fn word_count(&self, field: Field) -> usize {
        self.field(field).len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn index_finds_words_prefixes_and_original_case() {
        let doc = Doc::new("AWS and aws: Amazon’s AWS", "", "");
        let title = doc.field(Field::Title);
        let at = |w: &str| title.positions(w, word_hash(w)).to_vec();
        assert_eq!(at("aws"), [0, 2, 4]);
        assert_eq!(at("amazon"), [3]);
        assert!(at("am").is_empty());
        assert!(at("").is_empty());
        let empty = Doc::new("", "", "");
        assert!(empty
            .field(Field::Title)
            .positions("x", word_hash("x"))
            .is_empty());
        assert!(title.any_prefix_position("am", |p| p == 3));
        assert!(!title.any_prefix_position("b", |_| true));
        let mut out = Vec::new();
        title.prefix_positions("a", &mut out);
        out.sort_unstable();
        assert_eq!(out, [0, 1, 2, 3, 4]);
        assert_eq!(title.original_at(2), "aws");
        assert_eq!(title.original_at(4), "AWS");
        assert_eq!(doc.word_count(Field::Body), 0);
    }

    #[test]
    fn lower_case_in_place_or_per_word() {
        assert_eq!(lower_in_place("Ab É’s").as_deref(), Some("ab é’s"));
        // `İ` lower-cases to two characters: the per-word path takes over.
        assert_eq!(lower_in_place("İstanbul"), None);
        let doc = Doc::new("İstanbul AI", "Ünïcode CAFÉ", "");
        let title = doc.field(Field::Title);
        assert_eq!(title.lower_at(0), "i\u{307}stanbul");
        assert_eq!(title.original_at(0), "İstanbul");
        assert_eq!(title.lower_at(1), "ai");
        assert_eq!(title.original_at(1), "AI");
        let body = doc.field(Field::Body);
        assert_eq!((body.lower_at(1), body.original_at(1)), ("café", "CAFÉ"));
    }

    #[test]
    fn hash_table_finds_every_word_of_a_long_text() {
        let text: String = (0..5000).map(|i| format!("w{i} ")).collect();
        let doc = Doc::new("", &text, "");
        let body = doc.field(Field::Body);
        for i in (0..5000).step_by(7) {
            let w = format!("w{i}");
            assert_eq!(body.positions(&w, word_hash(&w)), &[i as u32]);
        }
        assert!(body.positions("w5000", word_hash("w5000")).is_empty());
        assert_ne!(word_hash("abcdefgh1"), word_hash("abcdefgh2"));
    }

    #[test]
    fn prefixes_longer_and_shorter_than_the_integer_key() {
        let doc = Doc::new(
            "internationalization internationalisation international intern interns internet i",
            "",
            "",
        );
        let title = doc.field(Field::Title);
        let found = |p: &str| {
            let mut out = Vec::new();
            title.prefix_positions(p, &mut out);
            out.sort_unstable();
            out
        };
        assert_eq!(found("internationali"), [0, 1]);
        assert_eq!(found("internationaliz"), [0]);
        assert_eq!(found("internation"), [0, 1, 2]);
        assert_eq!(found("intern"), [0, 1, 2, 3, 4, 5]);
        assert_eq!(found("interne"), [5]);
        assert_eq!(found("i"), [0, 1, 2, 3, 4, 5, 6]);
        assert_eq!(found("internationalizations"), Vec::<u32>::new());
        assert_eq!(found("j"), Vec::<u32>::new());
    }
}
