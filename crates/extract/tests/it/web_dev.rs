//! Pages of any site (`../shared/data/web-dev`, see its README): publication
//! dates against htmldate's labels and main text against trafilatura's
//! must / must-not segments, with floors a little under the measured
//! figures (BENCHMARKS.md, "Pages of any site"). The peers' own scores come
//! from `bench/web.sh`, which runs them in the same process as ours.

use std::path::Path;

use chrono::{DateTime, Utc};
use newsdesk_extract::{extract_page, PageInfo};
use serde_json::Value;

use crate::common::read_gz;

/// Measured 0.938 (htmldate 1.11: 0.905 on the same pages).
const DATES_ACCURACY: f64 = 0.937;
/// Measured 0.932 (trafilatura 2.3.1: 0.917 on the same pages).
const TEXT_F1: f64 = 0.929;

fn labels(path: &Path) -> serde_json::Map<String, Value> {
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    // Python wrote the labels: a page without a date has `NaN`.
    match serde_json::from_str(&raw.replace(": NaN", ": null")) {
        Ok(Value::Object(m)) => m,
        other => panic!(
            "{}: expected an object of pages, got {other:?}",
            path.display()
        ),
    }
}

fn fetched(path: &Path) -> Option<DateTime<Utc>> {
    let modified = std::fs::metadata(path).and_then(|m| m.modified()).ok()?;
    Some(DateTime::<Utc>::from(modified))
}

#[test]
fn publication_dates_of_web_dev_pages() {
    let Some(dir) = newsdesk_testkit::shared("data/web-dev/dates") else {
        return;
    };
    let pages = labels(&dir.join("dates.json"));
    assert!(pages.len() >= 500, "{} labelled pages", pages.len());
    let mut right = 0;
    for (url, label) in &pages {
        let path = dir.join("pages").join(label["file"].as_str().unwrap());
        let info = PageInfo {
            url: Some(url),
            charset: None,
            fetched: fetched(&path),
        };
        let e = extract_page(&read_gz(&path), &info)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        // No date labelled: right when none is found.
        let want = label["date"].as_str();
        if e.published_day.map(|d| d.to_string()).as_deref() == want {
            right += 1;
        }
    }
    let accuracy = right as f64 / pages.len() as f64;
    println!("dates accuracy {accuracy:.3} on {} pages", pages.len());
    assert!(
        accuracy >= DATES_ACCURACY,
        "dates accuracy {accuracy:.3} fell below {DATES_ACCURACY}"
    );
}

#[test]
fn main_text_of_web_dev_pages() {
    let Some(dir) = newsdesk_testkit::shared("data/web-dev/extraction") else {
        return;
    };
    let pages = labels(&dir.join("evaldata.json"));
    assert!(pages.len() >= 500, "{} labelled pages", pages.len());
    let (mut tp, mut fn_, mut fp) = (0usize, 0usize, 0usize);
    for label in pages.values() {
        let path = dir.join("pages").join(label["file"].as_str().unwrap());
        let e = extract_page(&read_gz(&path), &PageInfo::default())
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        let segments = |k: &str| label[k].as_array().cloned().unwrap_or_default();
        for s in segments("with") {
            if e.text.contains(s.as_str().unwrap()) {
                tp += 1;
            } else {
                fn_ += 1;
            }
        }
        for s in segments("without") {
            if e.text.contains(s.as_str().unwrap()) {
                fp += 1;
            }
        }
    }
    let p = tp as f64 / (tp + fp).max(1) as f64;
    let r = tp as f64 / (tp + fn_).max(1) as f64;
    let f1 = 2.0 * p * r / (p + r).max(1e-9);
    println!("main text F1 {f1:.3} (P {p:.3}, R {r:.3})");
    assert!(f1 >= TEXT_F1, "main text F1 {f1:.3} fell below {TEXT_F1}");
}
