//! Scoring a clustering against labelled truth: pairwise and B-cubed
//! precision/recall/F1 for stories, and precision/recall for duplicates;
//! reading truth files ([`parse_truth`]).

use std::collections::HashMap;
use std::hash::Hash;

use serde::Serialize;

/// One labelled article of a truth file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TruthItem {
    /// The feed entry's guid, when the truth names it.
    pub guid: Option<String>,
    /// The article's URL, when the truth names it.
    pub url: Option<String>,
    /// Its true story (numbers are kept as their decimal text).
    pub story: String,
    /// The URL of the article it copies, when it is a copy.
    pub duplicate_of: Option<String>,
}

/// A truth file that cannot be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{source_name}:{line}: {message}")]
pub struct TruthError {
    pub source_name: String,
    pub line: usize,
    pub message: String,
}

/// Reads a truth file: JSON lines (a generated newsroom's `truth.jsonl`
/// with `id` (its URL), `story` and `duplicateOf`; or a shared set's with
/// `guid`, `url`, `story`), or a tab-separated table with a header line
/// naming at least `story` and one of `url`/`guid` (optionally
/// `duplicate_of`). Story ids may be strings or numbers. Blank lines and,
/// in tables, lines starting with `#` are skipped. `source_name` names the
/// file in errors.
pub fn parse_truth(text: &str, source_name: &str) -> Result<Vec<TruthItem>, TruthError> {
    let err = |line: usize, message: String| TruthError {
        source_name: source_name.to_string(),
        line,
        message,
    };
    let first = text
        .lines()
        .map(str::trim)
        .find(|l| !l.is_empty() && !l.starts_with('#'));
    let Some(first) = first else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    if !first.starts_with('{') {
        // A table: the first line that is not a comment is the header.
        let mut header: Option<Vec<String>> = None;
        for (n, line) in text.lines().enumerate() {
            if line.trim().is_empty() || line.starts_with('#') {
                continue;
            }
            let cells: Vec<&str> = line.split('\t').map(str::trim).collect();
            let Some(h) = &header else {
                let h: Vec<String> = cells.iter().map(|c| c.to_ascii_lowercase()).collect();
                if !h.iter().any(|c| c == "story") || !h.iter().any(|c| c == "url" || c == "guid") {
                    return Err(err(
                        n + 1,
                        "expected a tab-separated header naming `story` and `url` or `guid`".into(),
                    ));
                }
                header = Some(h);
                continue;
            };
            let cell = |name: &str| {
                h.iter()
                    .position(|c| c == name)
                    .and_then(|i| cells.get(i))
                    .filter(|v| !v.is_empty())
                    .map(|v| v.to_string())
            };
            let story = cell("story")
                .ok_or_else(|| err(n + 1, "expected a value in the `story` column".into()))?;
            let item = TruthItem {
                guid: cell("guid"),
                url: cell("url"),
                story,
                duplicate_of: cell("duplicate_of").or_else(|| cell("duplicateof")),
            };
            if item.guid.is_none() && item.url.is_none() {
                return Err(err(n + 1, "expected a `url` or `guid` value".into()));
            }
            out.push(item);
        }
        return Ok(out);
    }
    for (n, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let v: serde_json::Value = serde_json::from_str(line)
            .map_err(|e| err(n + 1, format!("expected one JSON object per line: {e}")))?;
        let text_of = |key: &str| -> Result<Option<String>, TruthError> {
            match v.get(key) {
                None | Some(serde_json::Value::Null) => Ok(None),
                Some(serde_json::Value::String(s)) => Ok(Some(s.clone())),
                Some(serde_json::Value::Number(x)) => Ok(Some(x.to_string())),
                Some(other) => Err(err(
                    n + 1,
                    format!("expected `{key}` to be a string or a number, found {other}"),
                )),
            }
        };
        let story =
            text_of("story")?.ok_or_else(|| err(n + 1, "expected a `story` field".into()))?;
        let url = match text_of("url")? {
            Some(u) => Some(u),
            // A generated newsroom names its articles by URL in `id`.
            None => text_of("id")?,
        };
        let item = TruthItem {
            guid: text_of("guid")?,
            url,
            story,
            duplicate_of: match text_of("duplicateOf")? {
                Some(d) => Some(d),
                None => text_of("duplicate_of")?,
            },
        };
        if item.guid.is_none() && item.url.is_none() {
            return Err(err(n + 1, "expected a `guid`, `url` or `id` field".into()));
        }
        out.push(item);
    }
    Ok(out)
}

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
    fn truth_is_read_from_json_lines_and_tables() {
        let jsonl = "{\"guid\": \"uci-1\", \"url\": \"http://a/1\", \"story\": \"dX\"}\n\n\
            {\"id\": \"http://b/2\", \"story\": 7, \"duplicateOf\": \"http://b/1\"}\n";
        let t = parse_truth(jsonl, "t.jsonl").unwrap();
        assert_eq!(t[0].guid.as_deref(), Some("uci-1"));
        assert_eq!(t[0].story, "dX");
        assert_eq!(t[1].url.as_deref(), Some("http://b/2"));
        assert_eq!(t[1].story, "7");
        assert_eq!(t[1].duplicate_of.as_deref(), Some("http://b/1"));
        let tsv = "# comment\nurl\tstory\tduplicate_of\ttitle\nhttp://a\ts1\t\tA\nhttp://b\ts1\thttp://a\tB\n";
        let t = parse_truth(tsv, "t.tsv").unwrap();
        assert_eq!(t.len(), 2);
        assert_eq!(t[0].duplicate_of, None);
        assert_eq!(t[1].duplicate_of.as_deref(), Some("http://a"));
        let e = parse_truth("{\"story\": [1]}\n", "bad.jsonl").unwrap_err();
        assert_eq!(e.line, 1);
        assert!(
            e.to_string().starts_with("bad.jsonl:1: expected `story`"),
            "{e}"
        );
        let e = parse_truth("url\tstory\nhttp://a\t\n", "bad.tsv").unwrap_err();
        assert_eq!(e.line, 2);
        assert!(parse_truth("title\tx\n", "bad.tsv").is_err());
    }

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
