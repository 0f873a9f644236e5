//! MinHash signatures of texts, for estimating the Jaccard similarity of their
//! word shingle sets without comparing the texts.
//!
//! One hash per shingle, not one per shingle and permutation: the 64-bit
//! shingle hash is mixed once and its top bits choose one of [`BINS`] bins,
//! where the minimum of the low bits is kept ("one permutation hashing").
//! Bins no shingle fell into borrow from the next filled bin, with an offset
//! so that borrowed values cannot collide with real ones by accident
//! (densification). The cost is linear in the text, independent of the
//! number of bins, which is what makes 20,000+ articles a second possible.
//!
//! Every hash is xxh3 or a fixed mixer, so signatures are stable across runs,
//! machines and versions and may be persisted.

use crate::tokens::Reader;

/// Number of values in a signature.
pub const BINS: usize = 128;

/// Words per shingle: 5, as the peers' duplicate benchmarks use.
pub const SHINGLE_WORDS: usize = 5;

/// A text's MinHash signature.
#[derive(Clone, PartialEq, Eq)]
pub struct Signature(pub [u32; BINS]);

impl std::fmt::Debug for Signature {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Signature({:08x}..)", self.0[0])
    }
}

impl Signature {
    /// The estimated Jaccard similarity of the two texts' shingle sets: the
    /// share of bins holding the same value.
    pub fn similarity(&self, other: &Signature) -> f64 {
        let same = self
            .0
            .iter()
            .zip(other.0.iter())
            .filter(|(a, b)| a == b)
            .count();
        same as f64 / BINS as f64
    }
}

/// A fixed 64-bit mixer (the SplitMix64 finalizer): spreads the bits of a
/// shingle hash so that bin choice and value are independent.
#[inline]
fn mix(mut x: u64) -> u64 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    x ^ (x >> 31)
}

/// Reusable buffers, so that signing many texts allocates nothing per text.
#[derive(Default)]
pub struct Signer {
    words: Vec<u64>,
    reader: Reader,
}

impl Signer {
    pub fn new() -> Signer {
        Signer::default()
    }

    /// The signature of `text`, or `None` when it has no words at all. A text
    /// shorter than a shingle is signed by the one shingle it has.
    pub fn sign(&mut self, text: &str) -> Option<Signature> {
        self.words.clear();
        self.reader.read(text, Some(&mut self.words), 0);
        sign_words(&self.words)
    }
}

/// The signature of a text given the hashes of its lower-cased words, in
/// order (see [`crate::tokens::Reader::read`]); `None` when there are none.
pub(crate) fn sign_words(words: &[u64]) -> Option<Signature> {
    if words.is_empty() {
        return None;
    }
    let mut mins = [u32::MAX; BINS];
    let mut filled = [false; BINS];
    let k = SHINGLE_WORDS.min(words.len());
    for window in words.windows(k) {
        // Order matters within a shingle: combine with distinct odd
        // multipliers rather than a plain xor.
        let mut h = 0u64;
        for w in window {
            h = h.rotate_left(17).wrapping_mul(0x9e37_79b9_7f4a_7c15) ^ w;
        }
        let m = mix(h);
        let bin = (m >> 57) as usize; // top 7 bits: 128 bins
        let value = m as u32;
        if value <= mins[bin] {
            mins[bin] = value;
            filled[bin] = true;
        }
    }
    densify(&mut mins, &filled);
    Some(Signature(mins))
}

/// Fills empty bins from the next filled bin to the right (wrapping), each
/// step mixing in the distance so two texts agree on a borrowed bin only when
/// they agree on the bin it was borrowed from.
fn densify(mins: &mut [u32; BINS], filled: &[bool; BINS]) {
    if filled.iter().all(|f| *f) {
        return;
    }
    for i in 0..BINS {
        if filled[i] {
            continue;
        }
        let mut step = 1;
        while step < BINS && !filled[(i + step) % BINS] {
            step += 1;
        }
        let src = mins[(i + step) % BINS];
        mins[i] = mix((src as u64) << 8 | step as u64) as u32;
    }
}

/// The exact Jaccard similarity of two texts' shingle sets, for tests and
/// for checking estimates.
pub fn exact_jaccard(a: &str, b: &str) -> f64 {
    fn shingles(t: &str) -> std::collections::HashSet<Vec<String>> {
        let words: Vec<String> = t
            .split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_lowercase)
            .collect();
        let k = SHINGLE_WORDS.min(words.len().max(1));
        words.windows(k).map(|w| w.to_vec()).collect()
    }
    let (a, b) = (shingles(a), shingles(b));
    if a.is_empty() && b.is_empty() {
        return 1.0;
    }
    a.intersection(&b).count() as f64 / a.union(&b).count() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str =
        "Amazon Web Services was the leading cloud service provider with 32 per cent \
        market share in the first quarter of 2021, as cloud infrastructure services spending grew \
        35 per cent to 41.8 billion dollars, analysts at Canalys said on Thursday. Microsoft Azure \
        came second with 19 per cent, followed by Google Cloud with 7 per cent and Alibaba Cloud.";

    #[test]
    fn identical_texts_have_identical_signatures() {
        let mut s = Signer::new();
        let a = s.sign(TEXT).unwrap();
        let b = s.sign(&TEXT.to_uppercase()).unwrap();
        assert_eq!(a, b, "case does not matter");
        assert_eq!(a.similarity(&b), 1.0);
    }

    #[test]
    fn estimates_track_exact_jaccard() {
        let mut s = Signer::new();
        let words: Vec<&str> = TEXT.split(' ').collect();
        // Drop ever more words from the end: similarity falls off, and the
        // estimate follows the exact value within the error MinHash allows
        // at 128 bins (standard deviation about 0.044 at J = 0.5).
        for cut in [0, 5, 10, 20, 30, 40] {
            let other = words[..words.len() - cut].join(" ");
            let exact = exact_jaccard(TEXT, &other);
            let est = s.sign(TEXT).unwrap().similarity(&s.sign(&other).unwrap());
            assert!(
                (exact - est).abs() < 0.15,
                "cut {cut}: exact {exact:.3} estimate {est:.3}"
            );
        }
    }

    #[test]
    fn unrelated_texts_look_unrelated() {
        let mut s = Signer::new();
        let a = s.sign(TEXT).unwrap();
        let b = s
            .sign("The city council approved the new budget for road repairs and school buildings after a long debate on Monday evening about taxes and parking.")
            .unwrap();
        assert!(a.similarity(&b) < 0.1, "{}", a.similarity(&b));
    }

    #[test]
    fn short_and_empty_texts() {
        let mut s = Signer::new();
        assert!(s.sign("").is_none());
        assert!(s.sign(" ,;- ").is_none());
        let a = s.sign("Live updates").unwrap();
        let b = s.sign("live UPDATES!").unwrap();
        assert_eq!(a, b);
        assert!(
            s.sign("Live updates")
                .unwrap()
                .similarity(&s.sign("Morning briefing").unwrap())
                < 0.1
        );
    }

    #[test]
    fn signatures_are_stable_across_versions() {
        // Persisted signatures must not change with a dependency update: pin
        // a few values.
        let sig = Signer::new()
            .sign("the quick brown fox jumps over the lazy dog")
            .unwrap();
        let again = Signer::new()
            .sign("the quick brown fox jumps over the lazy dog")
            .unwrap();
        assert_eq!(sig, again);
        let pinned: u64 = sig.0.iter().fold(0u64, |h, v| h.rotate_left(5) ^ *v as u64);
        assert_eq!(
            pinned, PINNED,
            "signature values changed: persisted signatures would break"
        );
    }

    const PINNED: u64 = 6728223169224988261;
}
