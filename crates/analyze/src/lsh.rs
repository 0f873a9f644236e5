//! A banded LSH index over MinHash signatures: finds the documents whose
//! estimated similarity to a query is likely above a threshold without
//! comparing it to every document.
//!
//! The signature's [`BINS`] values are cut into `bands` bands of `rows`
//! values; two documents become candidates when any band is identical. The
//! chance of that for documents of Jaccard similarity `s` is
//! `1 - (1 - s^rows)^bands`; [`LshIndex::for_threshold`] picks the layout for a
//! threshold, and candidates are then checked on their full signatures. A
//! query reads the newest [`MAX_BUCKET_WALK`] documents of each of its
//! buckets.
//!
//! Memory: per document the low 16 bits of each signature value (`BINS` × 2
//! bytes), a 16-byte sketch of its first values, one link per band, and one
//! bucket-head entry per band (32-bit key, 32-bit document, in a flat
//! open-addressing table); most buckets are singly linked lists through the
//! flat array of links, so there is no per-bucket allocation, and the few
//! crowded ones are rings (below).
//!
//! At a million documents none of this fits in a cache, and a query is a
//! string of cache misses: one per band for its bucket head, and per bucket
//! entry read one for its link and one for its signature. So the heads of
//! all bands are looked up together; the short buckets are walked side by
//! side, one entry of each per round, so that the misses of a round do not
//! wait for one another; a bucket that has grown to [`RING_FROM`] documents
//! (text that many documents share: boilerplate, stock phrases) keeps its
//! newest ones in a flat ring instead of a chain, so that all of them are
//! read at once rather than one link after another, each with its sketch
//! beside it; a candidate is first compared on its sketch, a sixteenth of
//! its signature's size, which turns most of those sharing only boilerplate
//! away before their signatures are read, and the signatures of those that
//! pass are requested together. The large arrays live in huge pages where
//! the system has them (`crate::huge`), so that these reads do not also
//! miss the TLB. None of this changes which documents are compared or
//! found.

use crate::minhash::{Signature, BINS};

const NONE: u32 = u32::MAX;

/// A bucket-head value with this bit set is the index of a [`Ring`]; without
/// it, the newest document of a chain.
const RING: u32 = 1 << 31;

/// A chain that reaches this many documents becomes a [`Ring`].
pub const RING_FROM: usize = 8;

/// Band key (32 bits of its hash) → the bucket's head: its newest document,
/// or its ring. One open-addressing table (linear probing, no deletions).
/// Two bands colliding in 32 bits only share a bucket: their documents are
/// candidates checked on their signatures, never wrongly reported.
#[derive(Default)]
struct Heads {
    /// `key << 32 | head`, or [`EMPTY`]; the slot from the key's low bits
    /// (keys are hashes).
    slots: Vec<u64>,
    len: usize,
}

/// Heads are below [`NONE`], so no entry equals this.
const EMPTY: u64 = u64::MAX;

impl Heads {
    #[inline]
    fn slot(&self, key: u32) -> usize {
        key as usize & (self.slots.len().wrapping_sub(1))
    }

    /// The entry a lookup of `key` reads first (to have it on its way).
    #[inline]
    fn first(&self, key: u32) -> u64 {
        if self.slots.is_empty() {
            return EMPTY;
        }
        self.slots[self.slot(key)]
    }

    /// The slot holding `key`, if any.
    fn find(&self, key: u32) -> Option<usize> {
        if self.slots.is_empty() {
            return None;
        }
        let mask = self.slots.len() - 1;
        let mut s = self.slot(key);
        loop {
            let v = self.slots[s];
            if v == EMPTY {
                return None;
            }
            if (v >> 32) as u32 == key {
                return Some(s);
            }
            s = (s + 1) & mask;
        }
    }

    fn get(&self, key: u32) -> u32 {
        self.find(key).map_or(NONE, |s| self.slots[s] as u32)
    }

    /// The slot of `key`, added (with head [`NONE`]) when missing. Valid
    /// until the next call.
    fn find_or_add(&mut self, key: u32) -> usize {
        // At most seven eighths full, as the standard map: probes of a few
        // neighbouring slots, mostly in one cache line.
        if (self.len + 1) * 8 > self.slots.len() * 7 {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut s = self.slot(key);
        loop {
            let v = self.slots[s];
            if v == EMPTY {
                self.slots[s] = (key as u64) << 32 | NONE as u64;
                self.len += 1;
                return s;
            }
            if (v >> 32) as u32 == key {
                return s;
            }
            s = (s + 1) & mask;
        }
    }

    #[inline]
    fn head(&self, slot: usize) -> u32 {
        self.slots[slot] as u32
    }

    #[inline]
    fn set_head(&mut self, slot: usize, head: u32) {
        self.slots[slot] = (self.slots[slot] & !(u32::MAX as u64)) | head as u64;
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(1024);
        let mut slots = crate::huge::with_capacity(size);
        slots.resize(size, EMPTY);
        let old = std::mem::replace(&mut self.slots, slots);
        let mask = size - 1;
        for v in old.into_iter().filter(|v| *v != EMPTY) {
            let mut s = self.slot((v >> 32) as u32);
            while self.slots[s] != EMPTY {
                s = (s + 1) & mask;
            }
            self.slots[s] = v;
        }
    }
}

/// The newest documents (at most [`MAX_BUCKET_WALK`]) of a crowded bucket,
/// in a circle: once full, a new document takes the oldest one's place.
/// Each document's sketch is kept beside it (a copy of
/// `LshIndex::sketches[doc]`, which never changes), so that reading a ring
/// is one sweep over two short arrays rather than a cache miss per member.
#[derive(Default)]
struct Ring {
    docs: Vec<u32>,
    /// `sketches[i]` is the sketch of `docs[i]`.
    sketches: Vec<u128>,
    /// Where the next document goes once the ring is full.
    oldest: usize,
}

impl Ring {
    fn push(&mut self, doc: u32, sketch: u128) {
        if self.docs.len() < MAX_BUCKET_WALK {
            self.docs.push(doc);
            self.sketches.push(sketch);
        } else {
            self.docs[self.oldest] = doc;
            self.sketches[self.oldest] = sketch;
            self.oldest = (self.oldest + 1) % MAX_BUCKET_WALK;
        }
    }
}

/// Documents read per bucket, newest first. A bucket holding more is a band
/// many texts share (boilerplate, near-empty texts); its oldest members are
/// left unread rather than letting one query cost thousands of comparisons.
pub const MAX_BUCKET_WALK: usize = 64;

/// Signature values compared before the rest.
const PREFIX: usize = BINS / 4;

/// A stored signature: the low 16 bits of each value, aligned so that the
/// values compared first ([`PREFIX`], 64 bytes) are one cache line.
#[repr(C, align(64))]
struct Stored([u16; BINS]);

/// The index. Documents are numbered in insertion order (`u32`, below
/// 2^31).
pub struct LshIndex {
    bands: usize,
    rows: usize,
    threshold: f64,
    /// Band key → the bucket's head.
    heads: Heads,
    /// `next[doc * bands + band]`: the previous document in the same
    /// bucket, while the bucket is a chain.
    next: Vec<u32>,
    /// Buckets of [`RING_FROM`] documents or more.
    rings: Vec<Ring>,
    /// The low 16 bits of each signature value: enough to estimate
    /// similarity (two different values agree by chance once in 65,536), at
    /// half the memory.
    signatures: Vec<Stored>,
    /// Per document, the low 4 bits of its first [`PREFIX`] values: a
    /// sixteenth of the signatures' size, so mostly in cache, and enough
    /// to turn away most candidates without reading their signatures.
    sketches: Vec<u128>,
    /// Scratch of [`LshIndex::walk`].
    scratch: Scratch,
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
            heads: Heads::default(),
            next: Vec::new(),
            rings: Vec::new(),
            signatures: Vec::new(),
            sketches: Vec::new(),
            scratch: Scratch::default(),
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
        self.signatures.len()
    }

    pub fn is_empty(&self) -> bool {
        self.signatures.is_empty()
    }

    /// Bytes held per indexed document, measured from the structures' sizes.
    pub fn bytes_per_document(&self) -> f64 {
        let n = self.len().max(1) as f64;
        let heads = self.heads.slots.capacity() as f64 * 8.0;
        let next = self.next.capacity() as f64 * 4.0;
        let rings: f64 = self.rings.capacity() as f64 * std::mem::size_of::<Ring>() as f64
            + self
                .rings
                .iter()
                .map(|r| r.docs.capacity() as f64 * 4.0 + r.sketches.capacity() as f64 * 16.0)
                .sum::<f64>();
        let sigs = self.signatures.capacity() as f64 * std::mem::size_of::<Stored>() as f64
            + self.sketches.capacity() as f64 * 16.0;
        (heads + next + rings + sigs) / n
    }

    fn band_key(&self, sig: &Signature, band: usize) -> u32 {
        let start = band * self.rows;
        let slice = &sig.0[start..start + self.rows];
        let mut bytes = [0u8; 64];
        if self.rows * 4 <= bytes.len() {
            for (i, v) in slice.iter().enumerate() {
                bytes[i * 4..i * 4 + 4].copy_from_slice(&v.to_le_bytes());
            }
            xxhash_rust::xxh3::xxh3_64_with_seed(&bytes[..self.rows * 4], band as u64) as u32
        } else {
            let bytes: Vec<u8> = slice.iter().flat_map(|v| v.to_le_bytes()).collect();
            xxhash_rust::xxh3::xxh3_64_with_seed(&bytes, band as u64) as u32
        }
    }

    /// The band keys of a signature, their head entries already requested
    /// from memory (the lookups that follow find them on their way). The
    /// keys are computed first and the entries read in a tight loop after,
    /// so that all the reads are under way together.
    fn band_keys(&self, sig: &Signature) -> [u32; BINS] {
        let mut keys = [0u32; BINS];
        for (band, key) in keys.iter_mut().enumerate().take(self.bands) {
            *key = self.band_key(sig, band);
        }
        let mut touch = 0u64;
        for key in &keys[..self.bands] {
            touch ^= self.heads.first(*key);
        }
        std::hint::black_box(touch);
        keys
    }

    fn signature(&self, doc: u32) -> &[u16] {
        &self.signatures[doc as usize].0
    }

    /// The band of `keys` before `band` with the same key, if any (two
    /// bands of one signature may hash alike: they are one bucket).
    fn same_key_before(keys: &[u32], band: usize) -> Option<usize> {
        keys[..band].iter().position(|k| *k == keys[band])
    }

    /// Adds a document; returns its number.
    pub fn insert(&mut self, sig: &Signature) -> u32 {
        self.add(sig, false).0
    }

    /// [`LshIndex::query`] then [`LshIndex::insert`], with one bucket probe per
    /// band instead of two. Returns the new document's number and the hits.
    pub fn query_insert(&mut self, sig: &Signature) -> (u32, Vec<(u32, f64)>) {
        self.add(sig, true)
    }

    fn add(&mut self, sig: &Signature, query: bool) -> (u32, Vec<(u32, f64)>) {
        let doc = self.len() as u32;
        assert!(doc < RING, "an LSH index holds fewer than 2^31 documents");
        let keys = self.band_keys(sig);
        let bands = self.bands;
        // Each band's bucket head before this document, and its slot.
        let mut heads = [NONE; BINS];
        let mut slots = [usize::MAX; BINS];
        for band in 0..bands {
            if let Some(same) = Self::same_key_before(&keys[..bands], band) {
                heads[band] = heads[same];
                continue;
            }
            let slot = self.heads.find_or_add(keys[band]);
            let head = self.heads.head(slot);
            heads[band] = head;
            slots[band] = slot;
            if head == NONE || head & RING == 0 {
                self.heads.set_head(slot, doc);
            }
        }
        // A later band's insert may have moved the table: slots of chains
        // are looked up again below when needed; rings need none.
        let mut lengths = [0u8; BINS];
        let hits = if query {
            let mut scratch = std::mem::take(&mut self.scratch);
            let hits = self.walk(sig, &heads[..bands], &mut scratch, &mut lengths[..bands]);
            self.scratch = scratch;
            hits
        } else {
            Vec::new()
        };
        let sk = sketch(sig);
        crate::huge::push(&mut self.signatures, Stored(sig.0.map(|v| v as u16)));
        crate::huge::push(&mut self.sketches, sk);
        crate::huge::reserve(&mut self.next, bands);
        for band in 0..bands {
            let head = heads[band];
            let first = slots[band] != usize::MAX;
            if head != NONE && head & RING != 0 {
                self.next.push(NONE);
                if first {
                    self.rings[(head & !RING) as usize].push(doc, sk);
                }
                continue;
            }
            self.next.push(head);
            // A chain the walk found long enough becomes a ring.
            if first && query && lengths[band] as usize + 1 >= RING_FROM {
                self.make_ring(keys[band], doc, band);
            }
        }
        (doc, hits)
    }

    /// Turns the chain of `key` (whose newest document is `doc`, linked in
    /// `band`) into a ring holding what a walk of the chain reads.
    fn make_ring(&mut self, key: u32, doc: u32, band: usize) {
        let Some(slot) = self.heads.find(key) else {
            return;
        };
        let mut docs = Vec::with_capacity(RING_FROM);
        let mut d = doc;
        while d != NONE && docs.len() < MAX_BUCKET_WALK {
            docs.push(d);
            d = self.next[d as usize * self.bands + band];
        }
        docs.reverse();
        docs.shrink_to(docs.len().next_power_of_two());
        let mut sketches = Vec::with_capacity(docs.capacity());
        sketches.extend(docs.iter().map(|d| self.sketches[*d as usize]));
        let ring = self.rings.len() as u32;
        self.rings.push(Ring {
            docs,
            sketches,
            oldest: 0,
        });
        self.heads.set_head(slot, RING | ring);
    }

    /// Documents whose estimated similarity to `sig` is at least the
    /// threshold, most similar first, each with its similarity.
    pub fn query(&self, sig: &Signature) -> Vec<(u32, f64)> {
        let keys = self.band_keys(sig);
        let mut heads = [NONE; BINS];
        for (head, key) in heads.iter_mut().zip(&keys[..self.bands]) {
            *head = self.heads.get(*key);
        }
        let mut lengths = [0u8; BINS];
        self.walk(
            sig,
            &heads[..self.bands],
            &mut Scratch::default(),
            &mut lengths[..self.bands],
        )
    }

    /// Reads the newest documents (at most [`MAX_BUCKET_WALK`]) of each
    /// band's bucket and compares each document met once. Rings are read
    /// whole, with the sketches they hold; chains are walked side by side,
    /// one entry of each per round, so that their misses overlap. The
    /// documents whose sketches pass are compared on their signatures only
    /// once all are known, their signatures requested from memory together.
    /// The hits come out in one order whatever the walk's. Counts the
    /// entries of each chain read in `lengths`.
    fn walk(
        &self,
        sig: &Signature,
        heads: &[u32],
        scratch: &mut Scratch,
        lengths: &mut [u8],
    ) -> Vec<(u32, f64)> {
        let Scratch { seen, passed } = scratch;
        seen.clear();
        passed.clear();
        let query = Query {
            sig,
            sketch: sketch(sig),
            // The bar the first quarter of the values must reach.
            bar: self.threshold * PREFIX as f64 - 8.0,
        };
        for head in heads {
            if *head == NONE || *head & RING == 0 {
                continue;
            }
            let ring = &self.rings[(*head & !RING) as usize];
            for (&doc, &sketch) in ring.docs.iter().zip(&ring.sketches) {
                query.screen(doc, sketch, seen, passed);
            }
        }
        // (band, document) of the chains still being walked.
        let mut cursors = [(0u32, NONE); BINS];
        let mut live = 0;
        for (band, head) in heads.iter().enumerate() {
            if *head != NONE && *head & RING == 0 {
                cursors[live] = (band as u32, *head);
                live += 1;
            }
        }
        let bands = self.bands;
        let mut round = 0;
        while live > 0 && round < MAX_BUCKET_WALK {
            round += 1;
            // Request this round's links and sketches before using any.
            let mut touch = 0u128;
            for &(band, doc) in &cursors[..live] {
                touch ^= self.next[doc as usize * bands + band as usize] as u128;
                touch ^= self.sketches[doc as usize];
            }
            std::hint::black_box(touch);
            let mut kept = 0;
            for c in 0..live {
                let (band, doc) = cursors[c];
                lengths[band as usize] += 1;
                query.screen(doc, self.sketches[doc as usize], seen, passed);
                let next = self.next[doc as usize * bands + band as usize];
                if next != NONE {
                    cursors[kept] = (band, next);
                    kept += 1;
                }
            }
            live = kept;
        }
        // The signatures' first lines (all a comparison reads of most)
        // requested before any is compared.
        let mut touch = 0u16;
        for &doc in passed.iter() {
            touch ^= self.signature(doc)[0];
        }
        std::hint::black_box(touch);
        let mut out: Vec<(u32, f64)> = passed
            .iter()
            .filter_map(|&doc| Some((doc, self.similarity(&query, doc)?)))
            .collect();
        out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }

    /// The estimated similarity of the query and document `doc`, when at
    /// least the threshold.
    #[inline]
    fn similarity(&self, query: &Query<'_>, doc: u32) -> Option<f64> {
        let (sig, other) = (query.sig, self.signature(doc));
        let agree = |from: usize, to: usize| {
            sig.0[from..to]
                .iter()
                .zip(&other[from..to])
                .filter(|(a, b)| **a as u16 == **b)
                .count()
        };
        // Most candidates from a crowded bucket share a band by boilerplate
        // and little else: the first quarter of the signature tells (a pair
        // at the threshold misses this bar with a chance under one in a
        // thousand).
        let head = agree(0, PREFIX);
        if (head as f64) < query.bar {
            return None;
        }
        let same = head + agree(PREFIX, BINS);
        let s = same as f64 / BINS as f64;
        (s >= self.threshold).then_some(s)
    }
}

/// A signature being looked up, with what its comparisons need.
struct Query<'a> {
    sig: &'a Signature,
    sketch: u128,
    /// Agreement on the first [`PREFIX`] values below which a document is
    /// not compared further.
    bar: f64,
}

impl Query<'_> {
    /// Screens document `doc` (whose sketch is `sketch`) unless met
    /// already: it goes to `passed` when its sketch reaches the bar.
    #[inline]
    fn screen(&self, doc: u32, sketch: u128, seen: &mut Vec<u32>, passed: &mut Vec<u32>) {
        if seen.contains(&doc) {
            return;
        }
        seen.push(doc);
        // Values equal in 16 bits are equal in their low 4: the sketches
        // agree at least where the signatures do, so a sketch below the
        // bar is a signature below it.
        let differ = self.sketch ^ sketch;
        let nibbles = (differ | differ >> 1 | differ >> 2 | differ >> 3) & NIBBLE_LOW_BITS;
        if ((PREFIX as u32 - nibbles.count_ones()) as f64) >= self.bar {
            passed.push(doc);
        }
    }
}

/// Scratch of a query: the documents met, and those whose sketches passed.
#[derive(Default)]
struct Scratch {
    seen: Vec<u32>,
    passed: Vec<u32>,
}

/// The low bit of every 4-bit group.
const NIBBLE_LOW_BITS: u128 = 0x1111_1111_1111_1111_1111_1111_1111_1111;

/// The low 4 bits of a signature's first [`PREFIX`] values, packed.
fn sketch(sig: &Signature) -> u128 {
    sig.0[..PREFIX]
        .iter()
        .enumerate()
        .fold(0u128, |s, (i, v)| s | ((*v & 0xF) as u128) << (4 * i))
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

    /// A plain model of what a query reads: every bucket's documents in a
    /// list (by band values, not 32-bit keys), the newest
    /// [`MAX_BUCKET_WALK`] of each compared.
    struct Model {
        bands: usize,
        rows: usize,
        threshold: f64,
        buckets: std::collections::HashMap<(usize, Vec<u32>), Vec<u32>>,
        sigs: Vec<Signature>,
    }

    impl Model {
        fn query(&self, sig: &Signature) -> Vec<(u32, f64)> {
            let mut docs: Vec<u32> = Vec::new();
            for band in 0..self.bands {
                let key = (
                    band,
                    sig.0[band * self.rows..(band + 1) * self.rows].to_vec(),
                );
                if let Some(list) = self.buckets.get(&key) {
                    docs.extend(list.iter().rev().take(MAX_BUCKET_WALK));
                }
            }
            docs.sort_unstable();
            docs.dedup();
            let mut out: Vec<(u32, f64)> = docs
                .into_iter()
                .filter_map(|d| {
                    let other = &self.sigs[d as usize];
                    let agree = |from: usize, to: usize| {
                        (from..to)
                            .filter(|i| sig.0[*i] as u16 == other.0[*i] as u16)
                            .count()
                    };
                    let head = agree(0, PREFIX);
                    if (head as f64) < self.threshold * PREFIX as f64 - 8.0 {
                        return None;
                    }
                    let s = (head + agree(PREFIX, BINS)) as f64 / BINS as f64;
                    (s >= self.threshold).then_some((d, s))
                })
                .collect();
            out.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            out
        }

        fn insert(&mut self, sig: &Signature) {
            let doc = self.sigs.len() as u32;
            for band in 0..self.bands {
                let key = (
                    band,
                    sig.0[band * self.rows..(band + 1) * self.rows].to_vec(),
                );
                self.buckets.entry(key).or_default().push(doc);
            }
            self.sigs.push(sig.clone());
        }
    }

    #[test]
    fn crowded_buckets_read_as_plain_lists_would() {
        // Signatures drawn so that many share bands (a pool of a few
        // values per band), some are near copies of earlier ones, and
        // buckets grow far beyond a ring.
        let mut x = 0x9e37_79b9_7f4a_7c15u64;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        let mut idx = LshIndex::new(21, 6, 0.6);
        let (bands, rows) = idx.layout();
        let mut model = Model {
            bands,
            rows,
            threshold: 0.6,
            buckets: Default::default(),
            sigs: Vec::new(),
        };
        let pool: Vec<[u32; 6]> = (0..5)
            .map(|_| std::array::from_fn(|_| next() as u32))
            .collect();
        let mut rings_seen = false;
        let mut hits = 0;
        for i in 0..3_000 {
            let mut sig = Signature(std::array::from_fn(|_| next() as u32));
            for band in 0..bands {
                if next() % 3 == 0 {
                    let p = pool[(next() % pool.len() as u64) as usize];
                    sig.0[band * rows..(band + 1) * rows].copy_from_slice(&p);
                }
            }
            if !model.sigs.is_empty() && next() % 3 == 0 {
                // A near copy of an earlier signature that shares only
                // crowded buckets with it: one value changed in every other
                // band, so whether it is found depends on its original
                // being among the newest of such a bucket.
                let of = model.sigs[(next() % model.sigs.len() as u64) as usize].clone();
                sig = of;
                for band in 0..bands {
                    let values = &sig.0[band * rows..(band + 1) * rows];
                    if !pool.iter().any(|p| p[..] == *values) || next() % 2 == 0 {
                        sig.0[band * rows + (next() % rows as u64) as usize] = next() as u32;
                    }
                }
            }
            match next() % 10 {
                0 => {
                    // Read only.
                    assert_eq!(idx.query(&sig), model.query(&sig), "query {i}");
                }
                1 => {
                    idx.insert(&sig);
                    model.insert(&sig);
                }
                _ => {
                    let expect = model.query(&sig);
                    let (doc, found) = idx.query_insert(&sig);
                    assert_eq!(doc as usize, model.sigs.len());
                    assert_eq!(found, expect, "query_insert {i}");
                    hits += found.len();
                    model.insert(&sig);
                }
            }
            rings_seen |= !idx.rings.is_empty();
        }
        assert!(rings_seen, "the test grows rings");
        assert!(hits > 100, "{hits} hits");
        assert!(idx.rings.iter().any(|r| r.docs.len() == MAX_BUCKET_WALK));
        // A ring's sketches are its documents'.
        for r in &idx.rings {
            assert_eq!(r.docs.len(), r.sketches.len());
            for (d, s) in r.docs.iter().zip(&r.sketches) {
                assert_eq!(idx.sketches[*d as usize], *s);
            }
        }
    }
}
