//! Near-duplicate lookup on real newswire text, checked against the exact
//! Jaccard similarity of every pair that shares a shingle.

use std::collections::{HashMap, HashSet};

use newsdesk_analyze::{LshIndex, Signer};

fn shingle_set(text: &str) -> HashSet<u64> {
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    let k = 5.min(words.len());
    if k == 0 {
        return HashSet::new();
    }
    words
        .windows(k)
        .map(|w| xxhash_rust::xxh3::xxh3_64(w.join(" ").as_bytes()))
        .collect()
}

#[test]
fn lsh_finds_the_pairs_exact_jaccard_finds() {
    let Some(dir) = newsdesk_testkit::shared("data/reuters-21578") else {
        return;
    };
    let mut texts = Vec::new();
    for n in 0..4 {
        let path = dir.join(format!("reut2-00{n}.sgm"));
        let bytes = std::fs::read(&path).unwrap();
        let batch =
            newsdesk_ingest::reuters::parse_sgml(&bytes, &path.display().to_string()).unwrap();
        texts.extend(batch.stories.into_iter().filter_map(|s| s.body));
    }
    assert!(texts.len() > 3000);

    // Exact: every pair sharing a shingle, through an inverted index.
    let sets: Vec<HashSet<u64>> = texts.iter().map(|t| shingle_set(t)).collect();
    let mut postings: HashMap<u64, Vec<usize>> = HashMap::new();
    for (i, s) in sets.iter().enumerate() {
        for h in s {
            postings.entry(*h).or_default().push(i);
        }
    }
    let mut shared: HashMap<(usize, usize), usize> = HashMap::new();
    for docs in postings.values() {
        if docs.len() > 200 {
            continue; // boilerplate shingles ("said in a statement"); real pairs share others
        }
        for (x, &a) in docs.iter().enumerate() {
            for &b in &docs[x + 1..] {
                *shared.entry((b, a)).or_default() += 1;
            }
        }
    }
    let jaccard = |p: (usize, usize)| -> f64 {
        let inter = sets[p.0].intersection(&sets[p.1]).count();
        let union = sets[p.0].len() + sets[p.1].len() - inter;
        inter as f64 / union as f64
    };
    let truth: HashSet<(usize, usize)> = shared
        .keys()
        .copied()
        .filter(|p| jaccard(*p) >= 0.8)
        .collect();

    let mut signer = Signer::new();
    let mut index = LshIndex::for_threshold(0.8);
    let mut ids = Vec::new();
    let mut found = HashSet::new();
    for (i, t) in texts.iter().enumerate() {
        let Some(sig) = signer.sign(t) else { continue };
        for (doc, _) in index.query(&sig) {
            found.insert((i, ids[doc as usize]));
        }
        index.insert(&sig);
        ids.push(i);
    }
    let hit = found.intersection(&truth).count() as f64;
    let recall = hit / truth.len() as f64;
    // A found pair is right when its exact similarity is near the threshold:
    // estimates at 128 hashes are off by a few hundredths.
    let near = found.iter().filter(|p| jaccard(**p) >= 0.7).count() as f64;
    let precision = near / found.len() as f64;
    eprintln!(
        "{} texts, {} exact pairs ≥ 0.8, {} found: recall {recall:.3}, precision (exact ≥ 0.7) {precision:.3}",
        texts.len(),
        truth.len(),
        found.len()
    );
    assert!(truth.len() > 20, "the sample has real near-duplicates");
    assert!(recall >= 0.9, "recall {recall:.3}");
    assert!(precision >= 0.95, "precision {precision:.3}");
}
