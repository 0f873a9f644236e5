//! A banded LSH index over MinHash signatures: finds the documents whose
//! estimated similarity to a query is likely above a threshold without
//! comparing it to every document.
//!
//! The signature's [`BINS`] values are cut into `bands` bands of `rows`
//! values; two documents become candidates when any band is identical. The
//! chance of that for documents of Jaccard similarity `s` is
//! `1 - (1 - s^rows)^bands`; [`LshIndex::for_threshold`] picks the layout for a
//! threshold, and candidates are then checked on their full signatures.
//!
//! Memory: per document the low 16 bits of each signature value (`BINS` × 2
//! bytes), one link per band, and one bucket-head entry per band (32-bit
//! key, 32-bit document); buckets are singly linked lists through a flat
//! array, so there is no per-bucket allocation.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use crate::minhash::{Signature, BINS};

/// Band keys are already xxh3 hashes: hashing them again is wasted work.
#[derive(Default)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = self.0.rotate_left(8) ^ *b as u64;
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
    fn write_u32(&mut self, n: u32) {
        // Spread the 32 bits over the word: the map takes its bucket from the
        // low bits and its tag from the top ones.
        self.0 = (n as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
    }
}

/// Band key (32 bits of its hash) → newest document. Two bands colliding in
/// 32 bits only share a bucket: their documents are candidates checked on
/// their signatures, never wrongly reported.
type Buckets = HashMap<u32, u32, BuildHasherDefault<KeyHasher>>;

const NONE: u32 = u32::MAX;

/// Documents read per bucket, newest first. A bucket holding more is a band
/// many texts share (boilerplate, near-empty texts); its oldest members are
/// left unread rather than letting one query cost thousands of comparisons.
pub const MAX_BUCKET_WALK: usize = 64;

/// Signature values compared before the rest.
const PREFIX: usize = BINS / 4;

/// The index. Documents are numbered in insertion order (`u32`).
pub struct LshIndex {
    bands: usize,
    rows: usize,
    threshold: f64,
    /// Band key → the newest document in that bucket.
    heads: Buckets,
    /// `next[doc * bands + band]`: the previous document in the same bucket.
    next: Vec<u32>,
    /// The low 16 bits of each signature value: enough to estimate
    /// similarity (two different values agree by chance once in 65,536), at
    /// half the memory.
    signatures: Vec<u16>,
}

/// The probability that two documents of similarity `s` share a band.
pub fn candidate_probability(s: f64, bands: usize, rows: usize) -> f64 {
    1.0 - (1.0 - s.powi(rows as i32)).powi(bands as i32)
}

impl LshIndex {
    /// An index with an explicit layout; `bands * rows` must not exceed [`BINS`].
    pub fn new(bands: usize, rows: usize, threshold: f64) -> LshIndex {
        let bands = bands.clamp(1, BINS);
        let rows = rows.clamp(1, BINS / bands);
        LshIndex {
            bands,
            rows,
            threshold,
            heads: Buckets::default(),
            next: Vec::new(),
            signatures: Vec::new(),
        }
    }

    /// An index for similarity `threshold`: the layout that keeps the chance of
    /// missing a pair at the threshold + 0.05 under 1% while letting through as
    /// few pairs far below it as possible.
    pub fn for_threshold(threshold: f64) -> LshIndex {
        let mut best = (1, BINS, f64::MAX);
        for bands in 1..=BINS {
            let rows = BINS / bands;
            let miss = 1.0 - candidate_probability((threshold + 0.05).min(1.0), bands, rows);
            if miss > 0.01 {
                continue;
            }
            // Cost: how often pairs well below the threshold become candidates.
            let false_hits = candidate_probability((threshold - 0.2).max(0.0), bands, rows);
            if false_hits < best.2 {
                best = (bands, rows, false_hits);
            }
        }
        LshIndex::new(best.0, best.1, threshold)
    }

    pub fn layout(&self) -> (usize, usize) {
        (self.bands, self.rows)
    }

    pub fn len(&self) -> usize {
        self.signatures.len() / BINS
    }

    pub fn is_empty(&self) -> bool {
        self.signatures.is_empty()
    }

    /// Bytes held per indexed document, measured from the structures' sizes.
    pub fn bytes_per_document(&self) -> f64 {
        let n = self.len().max(1) as f64;
        let entry = std::mem::size_of::<(u32, u32)>() as f64 + 1.0; // + control byte
        let heads = self.heads.capacity() as f64 * entry;
        let next = self.next.capacity() as f64 * 4.0;
        let sigs = self.signatures.capacity() as f64 * 2.0;
        (heads + next + sigs) / n
    }

    fn band_key(&self, sig: &Signature, band: usize) -> u32 {
        let start = band * self.rows;
        let mut bytes = [0u8; BINS * 4];
        let slice = &sig.0[start..start + self.rows];
        for (i, v) in slice.iter().enumerate() {
            bytes[i * 4..i * 4 + 4].copy_from_slice(&v.to_le_bytes());
        }
        xxhash_rust::xxh3::xxh3_64_with_seed(&bytes[..self.rows * 4], band as u64) as u32
    }

    fn signature(&self, doc: u32) -> &[u16] {
        let at = doc as usize * BINS;
        &self.signatures[at..at + BINS]
    }

    /// Adds a document; returns its number.
    pub fn insert(&mut self, sig: &Signature) -> u32 {
        let doc = self.len() as u32;
        self.signatures.extend(sig.0.iter().map(|v| *v as u16));
        for band in 0..self.bands {
            let key = self.band_key(sig, band);
            let prev = self.heads.insert(key, doc).unwrap_or(NONE);
            self.next.push(prev);
        }
        doc
    }

    /// [`LshIndex::query`] then [`LshIndex::insert`], with one bucket probe per
    /// band instead of two. Returns the new document's number and the hits.
    pub fn query_insert(&mut self, sig: &Signature) -> (u32, Vec<(u32, f64)>) {
        let doc = self.len() as u32;
        let mut heads = Vec::with_capacity(self.bands);
        for band in 0..self.bands {
            let key = self.band_key(sig, band);
            let prev = self.heads.insert(key, doc).unwrap_or(NONE);
            heads.push(prev);
        }
        let hits = self.walk(sig, &heads);
        self.signatures.extend(sig.0.iter().map(|v| *v as u16));
        self.next.extend_from_slice(&heads);
        (doc, hits)
    }

    /// Documents whose estimated similarity to `sig` is at least the
    /// threshold, most similar first, each with its similarity.
    pub fn query(&self, sig: &Signature) -> Vec<(u32, f64)> {
        let heads: Vec<u32> = (0..self.bands)
            .map(|band| {
                let key = self.band_key(sig, band);
                self.heads.get(&key).copied().unwrap_or(NONE)
            })
            .collect();
        self.walk(sig, &heads)
    }

    /// Walks each band's bucket from its head (newest first).
    fn walk(&self, sig: &Signature, heads: &[u32]) -> Vec<(u32, f64)> {
        let mut seen: Vec<u32> = Vec::new();
        let mut out = Vec::new();
        for (band, head) in heads.iter().enumerate() {
            let mut doc = *head;
            let mut walked = 0;
            while doc != NONE && walked < MAX_BUCKET_WALK {
                walked += 1;
                if !seen.contains(&doc) {
                    seen.push(doc);
                    let other = self.signature(doc);
                    let agree = |from: usize, to: usize| {
                        sig.0[from..to]
                            .iter()
                            .zip(&other[from..to])
                            .filter(|(a, b)| **a as u16 == **b)
                            .count()
                    };
                    // Most candidates from a crowded bucket share a band by
                    // boilerplate and little else: the first quarter of the
                    // signature tells (a pair at the threshold misses this
                    // bar with a chance under one in a thousand).
                    let head = agree(0, PREFIX);
                    if (head as f64) >= self.threshold * PREFIX as f64 - 8.0 {
                        let same = head + agree(PREFIX, BINS);
                        let s = same as f64 / BINS as f64;
                        if s >= self.threshold {
                            out.push((doc, s));
                        }
                    }
                }
                doc = self.next[doc as usize * self.bands + band];
            }
        }
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::minhash::Signer;

    fn text(i: usize) -> String {
        // Distinct texts: each has words no other text has.
        (0..60)
            .map(|w| format!("w{}x{}", i, w % (7 + i % 5)))
            .collect::<Vec<_>>()
            .join(" ")
            + &format!(" topic{} end{}", i % 3, i)
    }

    #[test]
    fn layout_for_threshold_0_8() {
        let idx = LshIndex::for_threshold(0.8);
        let (b, r) = idx.layout();
        assert!(b * r <= BINS);
        assert!(candidate_probability(0.85, b, r) >= 0.99);
        assert!(candidate_probability(0.5, b, r) < 0.2, "{b}x{r}");
    }

    #[test]
    fn finds_near_duplicates_and_only_them() {
        let mut s = Signer::new();
        let mut idx = LshIndex::for_threshold(0.8);
        let base = "The regulator fined the chip maker 2.4 billion euros on Tuesday for abusing its dominant position in the market for processors used in personal computers, the largest penalty of its kind, and ordered it to stop paying rebates to computer makers that bought most of their chips from it.";
        for i in 0..200 {
            idx.insert(&s.sign(&text(i)).unwrap());
        }
        let original = idx.insert(&s.sign(base).unwrap());
        // A wire copy with a small edit at the end.
        let copy = base.replace(
            "bought most of their chips from it.",
            "bought most of their chips from the company.",
        );
        let hits = idx.query(&s.sign(&copy).unwrap());
        assert_eq!(hits.first().map(|h| h.0), Some(original), "{hits:?}");
        assert!(hits.iter().all(|h| h.0 == original), "{hits:?}");
        let fresh = idx.query(&s.sign(&text(999)).unwrap());
        assert!(fresh.is_empty(), "{fresh:?}");
        assert!(idx.bytes_per_document() > (BINS * 2) as f64);
    }
}
