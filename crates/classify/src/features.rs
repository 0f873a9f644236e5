//! TF-IDF vectors over hashed words and bigrams.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

use serde::{Deserialize, Serialize};

use crate::sparse::Csr;
use crate::text;

/// How articles become feature vectors. Persisted in the model manifest, so
/// prediction uses what training used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FeatureSettings {
    /// Word bigrams beside single words. Off by default: on Reuters ModApte
    /// they made training four times slower and lost 0.4 points of micro-F1
    /// (the l2 norm spreads over many rare bigrams).
    pub bigrams: bool,
    /// Title features kept apart from body features (`title:oil` is not `oil`)
    /// as well as counted with the body. Off by default: no gain on Reuters.
    pub title_features: bool,
    /// A feature is kept when at least this many training articles have it.
    pub min_df: u32,
    /// `1 + ln(tf)` instead of the raw count.
    pub sublinear_tf: bool,
    /// Only this many bytes of each title and body are read.
    pub max_text_bytes: usize,
}

impl Default for FeatureSettings {
    fn default() -> Self {
        FeatureSettings {
            bigrams: false,
            title_features: false,
            min_df: 2,
            sublinear_tf: true,
            max_text_bytes: 1 << 20,
        }
    }
}

/// The feature keys of one article with their counts, sorted by key.
/// `buf` is scratch space reused between articles.
pub(crate) fn article_keys(
    settings: &FeatureSettings,
    title: &str,
    body: &str,
    buf: &mut Vec<u64>,
    out: &mut Vec<(u64, u32)>,
) {
    buf.clear();
    out.clear();
    let bigrams = settings.bigrams;
    // Title and body are one word stream for the shared features (a bigram
    // does not cross from the title into the body), and the title's own
    // features go in beside them.
    let mut push_field = |field: &str, title: bool| {
        let start = buf.len();
        let mut prev: Option<u64> = None;
        text::for_each_word(field, settings.max_text_bytes, |w| {
            buf.push(w);
            if bigrams {
                if let Some(p) = prev {
                    buf.push(text::bigram(p, w));
                }
            }
            prev = Some(w);
        });
        if title {
            let end = buf.len();
            for i in start..end {
                let k = text::in_title(buf[i]);
                buf.push(k);
            }
        }
    };
    push_field(title, settings.title_features);
    push_field(body, false);
    buf.sort_unstable();
    let mut i = 0;
    while i < buf.len() {
        let k = buf[i];
        let mut j = i + 1;
        while j < buf.len() && buf[j] == k {
            j += 1;
        }
        out.push((k, (j - i) as u32));
        i = j;
    }
}

/// The keys are already uniform hashes: hashing them again is wasted work.
#[derive(Default, Clone, Copy)]
pub(crate) struct KeyHasher(u64);

impl Hasher for KeyHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for &b in bytes {
            self.0 = (self.0 << 8) | u64::from(b);
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = n;
    }
}

pub(crate) type KeyMap<V> = HashMap<u64, V, BuildHasherDefault<KeyHasher>>;

/// The features a model knows: their keys and inverse document frequencies.
#[derive(Debug, Clone)]
pub(crate) struct Vocabulary {
    /// Feature keys in index order (sorted ascending).
    pub keys: Vec<u64>,
    /// `idf[i]` for feature `i`.
    pub idf: Vec<f32>,
    index: KeyMap<u32>,
}

impl Vocabulary {
    /// Builds the lookup from persisted keys and weights.
    pub fn new(keys: Vec<u64>, idf: Vec<f32>) -> Vocabulary {
        let mut index = KeyMap::with_capacity_and_hasher(keys.len(), Default::default());
        for (i, &k) in keys.iter().enumerate() {
            index.insert(k, i as u32);
        }
        Vocabulary { keys, idf, index }
    }

    pub fn len(&self) -> usize {
        self.keys.len()
    }

    /// Smoothed idf (`ln((1 + n) / (1 + df)) + 1`) over the features seen in at
    /// least `min_df` of the `docs`.
    pub fn fit(docs: &[Vec<(u64, u32)>], min_df: u32) -> Vocabulary {
        let mut df: KeyMap<u32> = KeyMap::default();
        for d in docs {
            for &(k, _) in d {
                *df.entry(k).or_insert(0) += 1;
            }
        }
        let mut keys: Vec<u64> = df
            .iter()
            .filter(|&(_, &n)| n >= min_df.max(1))
            .map(|(&k, _)| k)
            .collect();
        keys.sort_unstable();
        let n = docs.len() as f64;
        let idf = keys
            .iter()
            .map(|k| ((1.0 + n) / (1.0 + f64::from(df[k]))).ln() as f32 + 1.0)
            .collect();
        Vocabulary::new(keys, idf)
    }

    /// Appends one article's l2-normalised TF-IDF vector to `rows`.
    pub fn push_row(&self, settings: &FeatureSettings, keys: &[(u64, u32)], rows: &mut Csr) {
        let start = rows.indices.len();
        let mut norm = 0.0f64;
        for &(k, tf) in keys {
            if let Some(&i) = self.index.get(&k) {
                let tf = if settings.sublinear_tf {
                    1.0 + (tf as f32).ln()
                } else {
                    tf as f32
                };
                let v = tf * self.idf[i as usize];
                norm += f64::from(v) * f64::from(v);
                rows.indices.push(i);
                rows.values.push(v);
            }
        }
        if norm > 0.0 {
            let inv = (1.0 / norm.sqrt()) as f32;
            for v in &mut rows.values[start..] {
                *v *= inv;
            }
        }
        // Keys were sorted by hash, not by index; the solver does not care,
        // but sorted rows make dot products friendlier to the cache.
        let row = start..rows.indices.len();
        let mut pairs: Vec<(u32, f32)> = rows.indices[row.clone()]
            .iter()
            .copied()
            .zip(rows.values[row.clone()].iter().copied())
            .collect();
        pairs.sort_unstable_by_key(|p| p.0);
        for (slot, (i, v)) in pairs.into_iter().enumerate() {
            rows.indices[start + slot] = i;
            rows.values[start + slot] = v;
        }
        rows.indptr.push(rows.indices.len());
    }
}
