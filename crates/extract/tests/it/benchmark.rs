//! Main-text extraction on the article-extraction-benchmark (181 real pages),
//! scored with the benchmark's own metric in the same run as the stored
//! outputs of 31 other extractors.

use std::collections::BTreeMap;

use newsdesk_extract::metric::{prepare, score_prepared, summarize, Prepared, Summary};
use serde_json::Value;

use crate::common::read_gz;

/// The F1 this extractor reaches (see BENCHMARKS.md); a drop fails the test.
const OUR_F1: f64 = 0.975;

/// `id → articleBody` from an output file (flat, or under `"output"`).
fn bodies(v: &Value) -> BTreeMap<String, String> {
    let map = v
        .get("output")
        .unwrap_or(v)
        .as_object()
        .expect("an object of pages");
    map.iter()
        .map(|(k, page)| {
            let body = page
                .get("articleBody")
                .and_then(Value::as_str)
                .unwrap_or("");
            (k.clone(), body.to_string())
        })
        .collect()
}

fn score(truth: &BTreeMap<String, Prepared>, pred: &BTreeMap<String, String>) -> Summary {
    let pages: Vec<_> = truth
        .iter()
        .map(|(k, t)| score_prepared(t, &prepare(pred.get(k).map_or("", String::as_str))))
        .collect();
    summarize(&pages)
}

#[test]
fn extraction_benchmark_f1() {
    let Some(dir) = newsdesk_testkit::shared("data/extraction/article-extraction-benchmark") else {
        return;
    };
    let gt: Value =
        serde_json::from_slice(&std::fs::read(dir.join("ground-truth.json")).unwrap()).unwrap();
    let truth: BTreeMap<String, Prepared> = bodies(&gt)
        .into_iter()
        .map(|(k, t)| (k, prepare(&t)))
        .collect();
    assert_eq!(truth.len(), 181);

    let mut ours = BTreeMap::new();
    for (id, page) in gt.as_object().unwrap() {
        let html = read_gz(&dir.join("html").join(format!("{id}.html.gz")));
        let url = page.get("url").and_then(Value::as_str);
        let extracted =
            newsdesk_extract::extract(&html, url).unwrap_or_else(|e| panic!("{id}: {e}"));
        ours.insert(id.clone(), extracted.text);
    }

    let mut rows = vec![("newsdesk (ours)".to_string(), score(&truth, &ours))];
    let mut outputs: Vec<_> = std::fs::read_dir(dir.join("output"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .collect();
    outputs.sort();
    assert!(
        outputs.len() >= 31,
        "stored outputs of other extractors: {}",
        outputs.len()
    );
    for path in outputs {
        let v: Value = serde_json::from_slice(&std::fs::read(&path).unwrap()).unwrap();
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        rows.push((name, score(&truth, &bodies(&v))));
    }
    rows.sort_by(|a, b| b.1.f1.total_cmp(&a.1.f1));

    println!(
        "{:<4} {:<22} {:>6} {:>9} {:>6} {:>8}",
        "rank", "extractor", "F1", "precision", "recall", "accuracy"
    );
    for (i, (name, s)) in rows.iter().enumerate() {
        println!(
            "{:<4} {:<22} {:>6.4} {:>9.4} {:>6.4} {:>8.4}",
            i + 1,
            name,
            s.f1,
            s.precision,
            s.recall,
            s.accuracy
        );
    }

    // The reimplemented metric reproduces the published scores of the stored outputs.
    let published = [
        ("rs_trafilatura", 0.970),
        ("trafilatura", 0.958),
        ("go_trafilatura", 0.960),
        ("readability_js", 0.947),
        ("goose3", 0.896),
        ("justext", 0.804),
    ];
    for (name, f1) in published {
        let got = rows.iter().find(|r| r.0 == name).unwrap().1.f1;
        assert!(
            (got - f1).abs() < 0.0015,
            "{name}: scored {got:.4}, published {f1}"
        );
    }

    let our = rows.iter().find(|r| r.0 == "newsdesk (ours)").unwrap().1;
    assert!(our.f1 >= OUR_F1, "our F1 {:.4} fell below {OUR_F1}", our.f1);
}
