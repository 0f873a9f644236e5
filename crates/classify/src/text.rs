//! From text to feature keys: words, word bigrams, each as a stable 64-bit hash.
//!
//! A feature is never stored as a string: a word is the xxh3 hash of its
//! lower-cased bytes and a bigram mixes the hashes of its two words. Models
//! persist these keys, so the tokenizer and both hash functions are part of
//! the model format: changing any of them needs a new format version.

use xxhash_rust::xxh3::xxh3_64;

/// Splits text into words: maximal runs of alphanumeric characters, lower-cased.
/// Calls `f` with the hash of each word, in order. Only the first
/// `max_bytes` bytes are read (cut at a character boundary), which bounds the
/// work and memory one article can cost.
pub(crate) fn for_each_word(text: &str, max_bytes: usize, mut f: impl FnMut(u64)) {
    let text = truncate(text, max_bytes);
    let bytes = text.as_bytes();
    let mut word: Vec<u8> = Vec::with_capacity(32);
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            if b.is_ascii_alphanumeric() {
                word.push(b.to_ascii_lowercase());
            } else if !word.is_empty() {
                f(xxh3_64(&word));
                word.clear();
            }
            i += 1;
            continue;
        }
        // Non-ASCII: decode one character (the input is a `str`, so this is valid UTF-8).
        let c = text[i..].chars().next().unwrap_or(' ');
        if c.is_alphanumeric() {
            let mut buf = [0u8; 4];
            for l in c.to_lowercase() {
                word.extend_from_slice(l.encode_utf8(&mut buf).as_bytes());
            }
        } else if !word.is_empty() {
            f(xxh3_64(&word));
            word.clear();
        }
        i += c.len_utf8();
    }
    if !word.is_empty() {
        f(xxh3_64(&word));
    }
}

/// The longest prefix of `text` of at most `max` bytes that ends on a character boundary.
pub(crate) fn truncate(text: &str, max: usize) -> &str {
    if text.len() <= max {
        return text;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    &text[..end]
}

/// The key of the bigram `a b` (order matters).
#[inline]
pub(crate) fn bigram(a: u64, b: u64) -> u64 {
    mix(a.rotate_left(21) ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xB1B1_0000_0000_0002)
}

/// The key of a feature seen in the title, distinct from the same feature in the body.
#[inline]
pub(crate) fn in_title(key: u64) -> u64 {
    mix(key ^ 0x7171_0000_0000_0003)
}

/// The SplitMix64 finalizer: a fixed bijective mixer, so stable across builds.
#[inline]
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn words(text: &str) -> Vec<u64> {
        let mut v = Vec::new();
        for_each_word(text, usize::MAX, |h| v.push(h));
        v
    }

    #[test]
    fn words_are_lower_cased_alphanumeric_runs() {
        assert_eq!(
            words("U.S. Crude-oil, 3.5 mln"),
            words("u s crude oil 3 5 MLN")
        );
        assert_eq!(words("Ärger über Öl"), words("ärger ÜBER öl"));
        assert!(words("  ,.;  ").is_empty());
        assert_eq!(words("x").len(), 1);
    }

    #[test]
    fn truncation_respects_characters() {
        assert_eq!(truncate("aé", 2), "a");
        assert_eq!(truncate("aé", 3), "aé");
        assert_eq!(words(&"ab ".repeat(1000)).len(), 1000);
        let mut n = 0;
        for_each_word(&"ab ".repeat(1000), 30, |_| n += 1);
        assert_eq!(n, 10);
    }

    #[test]
    fn keys_are_stable() {
        // Persisted in models: these values must never change within a format version.
        assert_eq!(xxh3_64(b"oil"), words("Oil")[0]);
        let w = words("crude oil");
        assert_ne!(bigram(w[0], w[1]), bigram(w[1], w[0]));
        assert_eq!(bigram(1, 2), 0xbd66_ae30_15b2_e060_u64);
        assert_eq!(in_title(1), 0xbee1_dfca_9c8e_3368_u64);
    }
}
