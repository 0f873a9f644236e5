//! One pass over a text for both of its readers: the MinHash signer, which
//! needs every word (runs of letters and digits), and the story features,
//! which need the first tokens of the lead with their sentence starts.
//!
//! A feature token is a run of letters and digits together with the `.` and
//! `,` inside or right after it ("9.6", "1,200", "U.S.", "said."), trailing
//! marks trimmed; the signer's words are the pieces of a token between those
//! marks. Both are lower-cased once, into one buffer. Reading a text once
//! instead of twice is most of what the desk spends per article.

use xxhash_rust::xxh3::xxh3_64;

/// One feature token.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Token {
    /// Byte range in the text (trailing `.` and `,` trimmed).
    pub start: usize,
    pub end: usize,
    /// Byte range of its lower-cased form: in the text itself when it has
    /// no capitals, else in [`Reader::lowered`].
    pub lower_start: usize,
    pub lower_end: usize,
    pub lower_in_text: bool,
    /// First token of a sentence (its capital says nothing).
    pub sentence_start: bool,
    /// Starts with an ASCII digit.
    pub digit: bool,
    /// Starts with a capital letter.
    pub capital: bool,
}

/// Reusable buffers for reading texts.
#[derive(Default)]
pub(crate) struct Reader {
    /// The feature tokens of the text read last.
    pub tokens: Vec<Token>,
    /// Lower-cased forms of tokens with capitals (see [`Token::lower_start`]).
    pub lowered: Vec<u8>,
}

const ALNUM: u8 = 1;
/// `.` and `,`: inside a token they separate the signer's words.
const MARK: u8 = 2;
/// Part of a token once it has started.
const PART: u8 = ALNUM | MARK;
/// Ends a sentence when it stands outside a token.
const SENTENCE: u8 = 4;
const UPPER: u8 = 8;
const DIGIT: u8 = 64;
/// White space, as `char::is_whitespace` has it.
const SPACE: u8 = 16;
/// A byte of a character beyond ASCII.
const HIGH: u8 = 32;

/// Classes of the bytes.
static CLASS: [u8; 256] = {
    let mut t = [HIGH; 256];
    let mut c = 0;
    while c < 128 {
        let b = c as u8;
        t[c] = 0;
        if b.is_ascii_alphanumeric() {
            t[c] = ALNUM;
        }
        if b.is_ascii_uppercase() {
            t[c] |= UPPER;
        }
        if b.is_ascii_digit() {
            t[c] |= DIGIT;
        }
        if b == b' ' || (b >= 0x09 && b <= 0x0d) {
            t[c] |= SPACE;
        }
        c += 1;
    }
    t[b'.' as usize] = MARK | SENTENCE;
    t[b',' as usize] = MARK;
    t[b'!' as usize] = SENTENCE;
    t[b'?' as usize] = SENTENCE;
    t[b'\n' as usize] |= SENTENCE;
    t[b':' as usize] = SENTENCE;
    t[b'"' as usize] = SENTENCE;
    t
};

/// The character at byte `i` of `text` (a character boundary).
#[inline]
fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or('\0')
}

#[inline]
fn push_lower(out: &mut Vec<u8>, c: char) {
    let mut buf = [0u8; 4];
    for l in c.to_lowercase() {
        out.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
    }
}

/// The signer's hash of a lower-cased word.
#[inline]
pub(crate) fn word_hash(lower: &[u8]) -> u64 {
    xxh3_64(lower)
}

impl Reader {
    /// Reads `text`: appends the hashes of all its words to `words` (when
    /// given) and keeps its first `limit` feature tokens in
    /// [`Reader::tokens`] (replacing those of the text read before).
    /// Returns the number of words separated by white space read (as
    /// [`str::split_whitespace`] counts them): all of the text's when
    /// `words` is given, else at least those up to the last token kept.
    pub fn read(&mut self, text: &str, mut words: Option<&mut Vec<u64>>, limit: usize) -> usize {
        self.tokens.clear();
        self.lowered.clear();
        let mut keep = limit > 0;
        if !keep && words.is_none() {
            return 0;
        }
        let b = text.as_bytes();
        let n = b.len();
        let lowered = &mut self.lowered;
        let mut i = 0;
        let mut sentence_start = true;
        // Words separated by white space, and whether the last character
        // was white space (or there was none).
        let mut count = 0;
        let mut spaced = true;
        while i < n {
            let class = CLASS[b[i] as usize];
            if class & HIGH == 0 {
                if class & ALNUM == 0 {
                    if class & SPACE != 0 {
                        spaced = true;
                    } else if spaced {
                        spaced = false;
                        count += 1;
                    }
                    if class & SENTENCE != 0 {
                        sentence_start = true;
                    }
                    i += 1;
                    continue;
                }
            } else {
                let ch = char_at(text, i);
                if !ch.is_alphanumeric() {
                    if ch.is_whitespace() {
                        spaced = true;
                    } else if spaced {
                        spaced = false;
                        count += 1;
                    }
                    if ch == '—' || ch == '“' {
                        sentence_start = true;
                    }
                    i += ch.len_utf8();
                    continue;
                }
            }
            // A token starts here.
            if spaced {
                spaced = false;
                count += 1;
            }
            let start = i;
            // Most tokens are ASCII: find the end and what it holds first.
            let mut j = i;
            let mut flags = 0u8;
            while let Some(&c) = b.get(j) {
                let class = CLASS[c as usize];
                if class & PART == 0 {
                    break;
                }
                flags |= class;
                j += 1;
            }
            let ascii = j == n || b[j] < 0x80 || !char_at(text, j).is_alphanumeric();
            let (lower_in_text, lower_start) = if ascii {
                i = j;
                if flags & UPPER == 0 {
                    (true, start)
                } else {
                    let at = lowered.len();
                    lowered.extend_from_slice(&b[start..j]);
                    lowered[at..].make_ascii_lowercase();
                    (false, at)
                }
            } else {
                let at = lowered.len();
                while i < n {
                    let c = b[i];
                    if c < 0x80 {
                        if CLASS[c as usize] & PART == 0 {
                            break;
                        }
                        lowered.push(c.to_ascii_lowercase());
                        i += 1;
                    } else {
                        let ch = char_at(text, i);
                        if !ch.is_alphanumeric() {
                            break;
                        }
                        push_lower(lowered, ch);
                        i += ch.len_utf8();
                    }
                }
                (false, at)
            };
            let lower_end = if lower_in_text { i } else { lowered.len() };
            let lower = if lower_in_text {
                &b[lower_start..lower_end]
            } else {
                &lowered[lower_start..lower_end]
            };
            if let Some(w) = words.as_deref_mut() {
                if ascii && flags & MARK == 0 {
                    w.push(word_hash(lower));
                } else {
                    for piece in lower.split(|c| *c == b'.' || *c == b',') {
                        if !piece.is_empty() {
                            w.push(word_hash(piece));
                        }
                    }
                }
            }
            if !keep {
                if !lower_in_text {
                    lowered.truncate(lower_start);
                }
                continue;
            }
            let trail = if ascii && flags & MARK == 0 {
                0
            } else {
                b[start..i]
                    .iter()
                    .rev()
                    .take_while(|c| **c == b'.' || **c == b',')
                    .count()
            };
            let end = i - trail;
            let first = CLASS[b[start] as usize];
            let capital = if first & HIGH == 0 {
                first & UPPER != 0
            } else {
                char_at(text, start).is_uppercase()
            };
            self.tokens.push(Token {
                start,
                end,
                lower_start,
                lower_end: lower_end - trail,
                lower_in_text,
                sentence_start,
                digit: first & DIGIT != 0,
                capital,
            });
            // "said." ends a sentence, "9." (a list number) does not.
            sentence_start =
                trail > 0 && b[i - 1] == b'.' && !b[start..end].iter().all(u8::is_ascii_digit);
            if self.tokens.len() >= limit {
                keep = false;
                if words.is_none() {
                    return count;
                }
            }
        }
        count
    }

    /// The text of token `k` of `text` (the text last read).
    #[inline]
    pub fn word<'t>(&self, text: &'t str, k: usize) -> &'t str {
        let t = &self.tokens[k];
        &text[t.start..t.end]
    }

    /// The lower-cased form of token `k` of `text` (the text last read).
    #[inline]
    pub fn lower<'a>(&'a self, text: &'a str, k: usize) -> &'a [u8] {
        let t = &self.tokens[k];
        let from = if t.lower_in_text {
            text.as_bytes()
        } else {
            &self.lowered
        };
        &from[t.lower_start..t.lower_end]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The two readers as they were written separately, before this pass
    /// replaced them: the fused pass must give exactly their results.
    fn signer_words(text: &str) -> Vec<u64> {
        text.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(|w| {
                let lower: String = w.chars().flat_map(char::to_lowercase).collect();
                xxh3_64(lower.as_bytes())
            })
            .collect()
    }

    fn feature_tokens(text: &str, limit: usize) -> Vec<(usize, usize, bool)> {
        let mut out = Vec::new();
        let mut sentence_start = true;
        let mut start = None;
        let push = |out: &mut Vec<(usize, usize, bool)>, s: usize, e: usize, ss: &mut bool| {
            let raw = &text[s..e];
            let trimmed = raw.trim_end_matches(['.', ',']);
            out.push((s, s + trimmed.len(), *ss));
            *ss = raw.ends_with('.') && !trimmed.bytes().all(|c| c.is_ascii_digit());
        };
        for (i, c) in text.char_indices() {
            let part = c.is_alphanumeric() || ((c == '.' || c == ',') && start.is_some());
            if part {
                if start.is_none() {
                    start = Some(i);
                }
                continue;
            }
            if let Some(s) = start.take() {
                push(&mut out, s, i, &mut sentence_start);
                if out.len() >= limit {
                    return out;
                }
            }
            if matches!(c, '.' | '!' | '?' | '\n' | ':' | '—' | '“' | '"') {
                sentence_start = true;
            }
        }
        if let Some(s) = start {
            push(&mut out, s, text.len(), &mut sentence_start);
        }
        out
    }

    const TEXTS: &[&str] = &[
        "",
        " ,;- ",
        "Live updates",
        "The U.S. economy grew 2.4% in Q3, the Commerce Dept. said. Analysts: \"a surprise\".",
        "Nairobi wins $9.6B site... 1,200,000 jobs, 9. item; 10. item!Next?yes",
        "İstanbul ÇAĞLAYAN—Straße “Zitat” ΣΟΦΙΑ Ωmega café 東京 2024年 ﬁne 🙂 end.",
        "a.b,c..d,,e. .f ,g 3.,4 ..5",
        "Trailing dot.",
        "tab\tvertical\x0bfeed\x0cnbsp\u{a0}ideographic\u{3000}space",
    ];

    fn corpus() -> Vec<String> {
        let mut out: Vec<String> = TEXTS.iter().map(|s| s.to_string()).collect();
        // Pseudo-random texts over an alphabet full of edge cases.
        let alphabet: Vec<char> = "aZ9 .,!?:\n\"—“İßΣé東🙂-'\t\u{a0}".chars().collect();
        let mut x = 0x2545_f491_4f6c_dd1du64;
        for len in 0..200 {
            let s: String = (0..len)
                .map(|_| {
                    x ^= x << 13;
                    x ^= x >> 7;
                    x ^= x << 17;
                    alphabet[(x % alphabet.len() as u64) as usize]
                })
                .collect();
            out.push(s);
        }
        out
    }

    #[test]
    fn one_pass_reads_as_the_two_readers_did() {
        let mut r = Reader::default();
        for text in corpus() {
            for limit in [0, 1, 3, 160, usize::MAX] {
                let mut words = Vec::new();
                let count = r.read(&text, Some(&mut words), limit);
                assert_eq!(words, signer_words(&text), "{text:?}");
                assert_eq!(count, text.split_whitespace().count(), "{text:?}");
                let mut expect = feature_tokens(&text, limit);
                if limit == 0 {
                    expect.clear();
                }
                let got: Vec<(usize, usize, bool)> = r
                    .tokens
                    .iter()
                    .map(|t| (t.start, t.end, t.sentence_start))
                    .collect();
                assert_eq!(got, expect, "{text:?} limit {limit}");
                for k in 0..r.tokens.len() {
                    let w = r.word(&text, k);
                    assert_eq!(
                        r.tokens[k].digit,
                        w.starts_with(|c: char| c.is_ascii_digit())
                    );
                    assert_eq!(
                        r.tokens[k].capital,
                        w.chars().next().is_some_and(char::is_uppercase)
                    );
                    let lower: String = r
                        .word(&text, k)
                        .chars()
                        .flat_map(char::to_lowercase)
                        .collect();
                    assert_eq!(r.lower(&text, k), lower.as_bytes());
                }
                // Without the signer's words, the same tokens.
                r.read(&text, None, limit);
                assert_eq!(r.tokens.len(), expect.len());
            }
        }
    }
}
