//! Multi-label scores: micro- and macro-averaged F1 over a fixed topic list.

use std::collections::HashMap;

/// F1 of every topic and the two averages.
#[derive(Debug, Clone, PartialEq)]
pub struct F1Report {
    /// F1 over all (article, topic) decisions pooled.
    pub micro_f1: f64,
    /// The mean of the per-topic F1 values.
    pub macro_f1: f64,
    /// Per topic: (topic, true positives, false positives, false negatives, F1).
    pub per_topic: Vec<(String, usize, usize, usize, f64)>,
}

/// Scores `predicted` against `truth` (parallel lists, one entry per article),
/// counting only the topics in `topics`; other topics on either side are
/// ignored. A topic's F1 is `2tp / (2tp + fp + fn)`; when that is 0/0 (the
/// topic neither occurs nor is predicted) it counts as 0, as scikit-learn's
/// default `zero_division` does.
pub fn f1_report<S: AsRef<str>, T: AsRef<str>>(
    topics: &[String],
    truth: &[Vec<S>],
    predicted: &[Vec<T>],
) -> F1Report {
    let index: HashMap<&str, usize> = topics
        .iter()
        .enumerate()
        .map(|(i, t)| (t.as_str(), i))
        .collect();
    let mut counts = vec![(0usize, 0usize, 0usize); topics.len()];
    for (t, p) in truth.iter().zip(predicted) {
        let mut want = vec![false; topics.len()];
        for x in t {
            if let Some(&i) = index.get(x.as_ref()) {
                want[i] = true;
            }
        }
        let mut got = vec![false; topics.len()];
        for x in p {
            if let Some(&i) = index.get(x.as_ref()) {
                got[i] = true;
            }
        }
        for i in 0..topics.len() {
            match (want[i], got[i]) {
                (true, true) => counts[i].0 += 1,
                (false, true) => counts[i].1 += 1,
                (true, false) => counts[i].2 += 1,
                (false, false) => {}
            }
        }
    }
    let f1 = |tp: usize, fp: usize, fn_: usize| {
        let d = 2 * tp + fp + fn_;
        if d == 0 {
            0.0
        } else {
            2.0 * tp as f64 / d as f64
        }
    };
    let (mut tp, mut fp, mut fn_) = (0, 0, 0);
    let per_topic: Vec<_> = topics
        .iter()
        .zip(&counts)
        .map(|(t, &(a, b, c))| {
            tp += a;
            fp += b;
            fn_ += c;
            (t.clone(), a, b, c, f1(a, b, c))
        })
        .collect();
    let macro_f1 = if per_topic.is_empty() {
        0.0
    } else {
        per_topic.iter().map(|p| p.4).sum::<f64>() / per_topic.len() as f64
    };
    F1Report {
        micro_f1: f1(tp, fp, fn_),
        macro_f1,
        per_topic,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn micro_and_macro() {
        let topics = vec!["a".to_owned(), "b".to_owned()];
        let truth = vec![vec!["a"], vec!["a", "b"], vec!["b", "zzz"]];
        let pred = vec![vec!["a"], vec!["a"], vec!["a", "b"]];
        let r = f1_report(&topics, &truth, &pred);
        // a: tp 2, fp 1, fn 0 → 0.8; b: tp 1, fn 1 → 2/3; micro: tp 3 fp 1 fn 1 → 0.75.
        assert!((r.micro_f1 - 0.75).abs() < 1e-12);
        assert!((r.macro_f1 - (0.8 + 2.0 / 3.0) / 2.0).abs() < 1e-12);
    }
}
