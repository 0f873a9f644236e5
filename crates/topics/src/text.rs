//! Words: the one tokenizer both articles and query terms go through, so a term
//! always means what the article index holds.
//!
//! A word is a maximal run of Unicode letters and digits (`char::is_alphanumeric`).
//! Everything else separates words: `machine-learning` is the two words `machine`
//! `learning`, `re:Invent` is `re` `invent`, `U.S.` is `u` `s`. A possessive
//! `'s` (straight or typographic apostrophe) is dropped, so `Facebook's` is the
//! one word `facebook`; other apostrophes separate (`don't` is `don` `t`).

/// One word of a text: where it sits in the text (bytes), so its original case
/// can be read back.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct WordSpan {
    pub start: usize,
    pub end: usize,
}

/// Whether the character at byte `i` is a word character, and its length.
#[inline]
fn word_char_at(text: &str, i: usize) -> (bool, usize) {
    let b = text.as_bytes()[i];
    if b < 0x80 {
        return (b.is_ascii_alphanumeric(), 1);
    }
    let c = text[i..].chars().next().expect("i is a char boundary");
    (c.is_alphanumeric(), c.len_utf8())
}

/// Calls `f` with the byte span of each word of `text`, in order.
pub(crate) fn for_each_word(text: &str, mut f: impl FnMut(WordSpan)) {
    let bytes = text.as_bytes();
    let n = bytes.len();
    let mut i = 0;
    while i < n {
        let (word, len) = word_char_at(text, i);
        if !word {
            i += len;
            continue;
        }
        let start = i;
        i += len;
        while i < n {
            let b = bytes[i];
            if b.is_ascii_alphanumeric() {
                i += 1;
            } else if b < 0x80 {
                break;
            } else {
                let (word, len) = word_char_at(text, i);
                if !word {
                    break;
                }
                i += len;
            }
        }
        f(WordSpan { start, end: i });
        // `'s` closing a word is a possessive: skip it whole.
        let apostrophe = match bytes.get(i) {
            Some(b'\'') => 1,
            Some(0xE2) if text[i..].starts_with('\u{2019}') => 3,
            _ => 0,
        };
        if apostrophe > 0 {
            let s_at = i + apostrophe;
            if matches!(bytes.get(s_at), Some(b's' | b'S'))
                && (s_at + 1 == n || !word_char_at(text, s_at + 1).0)
            {
                i = s_at + 1;
            }
        }
    }
}

/// Appends the lower-case form of `word` to `out`.
pub(crate) fn push_lower(out: &mut String, word: &str) {
    if word.is_ascii() {
        // The common case, without the per-char Unicode tables.
        let start = out.len();
        out.push_str(word);
        out[start..].make_ascii_lowercase();
    } else {
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
}

/// The words of `text`, each in original case and lower-cased.
pub(crate) fn words(text: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for_each_word(text, |w| {
        let original = &text[w.start..w.end];
        let mut lower = String::with_capacity(original.len());
        push_lower(&mut lower, original);
        out.push((original.to_string(), lower));
    });
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lower(text: &str) -> Vec<String> {
        words(text).into_iter().map(|(_, l)| l).collect()
    }

    #[test]
    fn splits_on_punctuation_and_drops_possessives() {
        assert_eq!(
            lower("Facebook's AI-powered re:Invent, U.S. don't"),
            ["facebook", "ai", "powered", "re", "invent", "u", "s", "don", "t"]
        );
        assert_eq!(lower("Amazon’s SageMaker"), ["amazon", "sagemaker"]);
        assert_eq!(lower("it's"), ["it"]);
        assert_eq!(lower("'s's"), ["s"]);
    }

    #[test]
    fn unicode_words() {
        assert_eq!(
            lower("Künstliche Intelligenz — ÉCOLE"),
            ["künstliche", "intelligenz", "école"]
        );
        assert_eq!(lower("İstanbul"), ["i̇stanbul"]);
        assert!(lower("  -- ... ").is_empty());
    }
}
