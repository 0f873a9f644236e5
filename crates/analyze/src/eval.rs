//! Scoring a clustering against labelled truth: pairwise and B-cubed
//! precision/recall/F1 for stories, and precision/recall for duplicates.

use std::collections::HashMap;
use std::hash::Hash;

use serde::Serialize;

/// Precision, recall and their harmonic mean.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct Prf {
    pub precision: f64,
    pub recall: f64,
    pub f1: f64,
}

impl Prf {
    pub fn new(precision: f64, recall: f64) -> Prf {
        let f1 = if precision + recall > 0.0 {
            2.0 * precision * recall / (precision + recall)
        } else {
            0.0
        };
        Prf {
            precision,
            recall,
            f1,
        }
    }
}

/// Story scores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct ClusterScores {
    pub items: usize,
    pub pairwise: Prf,
    pub bcubed: Prf,
    pub truth_clusters: usize,
    pub predicted_clusters: usize,
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

/// Scores `(truth, predicted)` cluster labels, one pair per item.
/// Pairwise: over all pairs of items placed together. B-cubed: per item, the
/// share of its predicted cluster that is truly its cluster (precision) and
/// the share of its true cluster found in its predicted one (recall),
/// averaged over items. Empty input scores 1.
pub fn score_clusters<T: Hash + Eq + Clone, P: Hash + Eq + Clone>(
    items: &[(T, P)],
) -> ClusterScores {
    if items.is_empty() {
        let one = Prf::new(1.0, 1.0);
        return ClusterScores {
            pairwise: one,
            bcubed: one,
            ..ClusterScores::default()
        };
    }
    let mut truth: HashMap<&T, u64> = HashMap::new();
    let mut pred: HashMap<&P, u64> = HashMap::new();
    let mut both: HashMap<(&T, &P), u64> = HashMap::new();
    for (t, p) in items {
        *truth.entry(t).or_default() += 1;
        *pred.entry(p).or_default() += 1;
        *both.entry((t, p)).or_default() += 1;
    }
    let together: u64 = both.values().map(|n| pairs(*n)).sum();
    let pred_pairs: u64 = pred.values().map(|n| pairs(*n)).sum();
    let truth_pairs: u64 = truth.values().map(|n| pairs(*n)).sum();
    let ratio = |a: u64, b: u64| if b == 0 { 1.0 } else { a as f64 / b as f64 };
    let (mut bp, mut br) = (0f64, 0f64);
    for ((t, p), n) in &both {
        // Each of the n items in this cell sees n correct companions.
        bp += *n as f64 * (*n as f64 / pred[p] as f64);
        br += *n as f64 * (*n as f64 / truth[t] as f64);
    }
    let total = items.len() as f64;
    ClusterScores {
        items: items.len(),
        pairwise: Prf::new(ratio(together, pred_pairs), ratio(together, truth_pairs)),
        bcubed: Prf::new(bp / total, br / total),
        truth_clusters: truth.len(),
        predicted_clusters: pred.len(),
    }
}

/// Duplicate scores.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize)]
pub struct DuplicateScores {
    /// Copies in the truth.
    pub truth_copies: usize,
    /// Articles the desk marked as copies.
    pub predicted_copies: usize,
    /// Marked copies whose original is in their true copy group.
    pub correct: usize,
    pub scores: Prf,
}

/// One article for duplicate scoring: the root of its true copy group (its
/// first publication; itself when it is an original) and the predicted
/// original mapped into truth (`None` when the desk calls it an original).
#[derive(Debug, Clone, PartialEq)]
pub struct DupItem<K> {
    pub id: K,
    pub truth_root: K,
    /// The true copy-group root of the predicted original.
    pub predicted_root: Option<K>,
}

/// A marked copy is correct when its predicted original belongs to its own
/// true copy group (choosing another member of the group as the original is
/// still the right grouping).
pub fn score_duplicates<K: Eq>(items: &[DupItem<K>]) -> DuplicateScores {
    let truth_copies = items.iter().filter(|i| i.truth_root != i.id).count();
    let predicted: Vec<&DupItem<K>> = items
        .iter()
        .filter(|i| i.predicted_root.is_some())
        .collect();
    let correct = predicted
        .iter()
        .filter(|i| i.truth_root != i.id || i.predicted_root.as_ref() != Some(&i.id))
        .filter(|i| i.predicted_root.as_ref() == Some(&i.truth_root))
        .count();
    let p = if predicted.is_empty() {
        1.0
    } else {
        correct as f64 / predicted.len() as f64
    };
    let r = if truth_copies == 0 {
        1.0
    } else {
        (correct as f64 / truth_copies as f64).min(1.0)
    };
    DuplicateScores {
        truth_copies,
        predicted_copies: predicted.len(),
        correct,
        scores: Prf::new(p, r),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn perfect_and_merged_clusterings() {
        let perfect = [(1, 'a'), (1, 'a'), (2, 'b'), (3, 'c')];
        let s = score_clusters(&perfect);
        assert_eq!(s.pairwise.f1, 1.0);
        assert_eq!(s.bcubed.f1, 1.0);
        // Everything in one cluster: recall 1, precision low.
        let lumped = [(1, 'x'), (1, 'x'), (2, 'x'), (3, 'x')];
        let s = score_clusters(&lumped);
        assert_eq!(s.pairwise.recall, 1.0);
        assert!((s.pairwise.precision - 1.0 / 6.0).abs() < 1e-9);
        assert!((s.bcubed.precision - (0.5 + 0.5 + 0.25 + 0.25) / 4.0).abs() < 1e-9);
        assert_eq!(s.bcubed.recall, 1.0);
        // Everything apart: precision 1.
        let split = [(1, 'a'), (1, 'b'), (2, 'c'), (3, 'd')];
        let s = score_clusters(&split);
        assert_eq!(s.bcubed.precision, 1.0);
        assert!((s.bcubed.recall - (0.5 + 0.5 + 1.0 + 1.0) / 4.0).abs() < 1e-9);
        assert_eq!(s.pairwise.recall, 0.0);
    }

    #[test]
    fn duplicates_scored_by_group() {
        let items = vec![
            DupItem {
                id: 1,
                truth_root: 1,
                predicted_root: None,
            },
            // A copy of 1 found, pointing at another member of its group.
            DupItem {
                id: 2,
                truth_root: 1,
                predicted_root: Some(1),
            },
            DupItem {
                id: 3,
                truth_root: 1,
                predicted_root: None,
            }, // missed
            // An original wrongly marked as a copy of 1.
            DupItem {
                id: 4,
                truth_root: 4,
                predicted_root: Some(1),
            },
        ];
        let s = score_duplicates(&items);
        assert_eq!((s.truth_copies, s.predicted_copies, s.correct), (2, 2, 1));
        assert_eq!(s.scores.precision, 0.5);
        assert_eq!(s.scores.recall, 0.5);
    }
}
