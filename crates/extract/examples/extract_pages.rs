//! Extracts the benchmark pages: `--repeat N` times it (one JSON line:
//! pages, bytes, seconds, pages_per_s), `--score GROUND_TRUTH` prints each
//! page's F1 (worst first) and the summary, `--urls ground-truth.json` only
//! takes the pages' URLs from it, `--show ID` prints one page's text.
//!
//! Usage: extract_pages [--repeat N] [--score|--urls ground-truth.json] [--show ID] FILE.html[.gz]...

use std::io::Read;
use std::time::Instant;

fn read(path: &str) -> Vec<u8> {
    let raw = std::fs::read(path).unwrap_or_else(|e| panic!("{path}: {e}"));
    if path.ends_with(".gz") {
        let mut out = Vec::new();
        flate2::read::GzDecoder::new(&raw[..])
            .read_to_end(&mut out)
            .unwrap_or_else(|e| panic!("{path}: {e}"));
        out
    } else {
        raw
    }
}

fn id_of(path: &str) -> String {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.split('.').next().unwrap_or(name).to_string()
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut take = |flag: &str| {
        let i = args.iter().position(|a| a == flag)?;
        let v = args.get(i + 1).cloned();
        args.drain(i..(i + 2).min(args.len()));
        v
    };
    let repeat: usize = take("--repeat").map_or(1, |v| v.parse().expect("--repeat N"));
    let truth_path = take("--score");
    let urls_path = take("--urls");
    let show = take("--show");
    let files = args;
    let pages: Vec<(String, Vec<u8>)> = files.iter().map(|f| (id_of(f), read(f))).collect();
    let bytes: usize = pages.iter().map(|p| p.1.len()).sum();

    let load = |p: String| -> serde_json::Value {
        serde_json::from_slice(&std::fs::read(p).expect("ground truth")).expect("json")
    };
    let truth: Option<serde_json::Value> = truth_path.map(load);
    let url_source: Option<serde_json::Value> = urls_path.map(load).or_else(|| truth.clone());
    let url = |id: &str| -> Option<String> {
        url_source
            .as_ref()?
            .get(id)?
            .get("url")?
            .as_str()
            .map(str::to_string)
    };
    let urls: Vec<Option<String>> = pages.iter().map(|(id, _)| url(id)).collect();

    if let Some(id) = show {
        let i = pages
            .iter()
            .position(|p| p.0.starts_with(&id))
            .expect("no such page");
        let e = newsdesk_extract::extract(&pages[i].1, urls[i].as_deref()).expect("extract");
        println!("{}", e.text);
        return;
    }

    let start = Instant::now();
    let mut chars = 0usize;
    for _ in 0..repeat {
        for (p, u) in pages.iter().zip(&urls) {
            if let Ok(e) = newsdesk_extract::extract(&p.1, u.as_deref()) {
                chars += e.text.len();
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();

    if let Some(truth) = &truth {
        let mut scores = Vec::new();
        for ((id, html), u) in pages.iter().zip(&urls) {
            let e = newsdesk_extract::extract(html, u.as_deref()).expect("extract");
            let t = truth[id]["articleBody"].as_str().unwrap_or("");
            scores.push((
                id.clone(),
                newsdesk_extract::metric::score_page(t, &e.text),
                u.clone(),
            ));
        }
        scores.sort_by(|a, b| a.1.f1().total_cmp(&b.1.f1()));
        for (id, s, u) in scores.iter().take(40) {
            let p = s.tp / (s.tp + s.fp).max(1e-9);
            let r = s.tp / (s.tp + s.fn_).max(1e-9);
            println!(
                "{:.3} p={p:.3} r={r:.3} {} {}",
                s.f1(),
                &id[..12],
                u.as_deref().unwrap_or("")
            );
        }
        let all: Vec<_> = scores.iter().map(|s| s.1).collect();
        let sum = newsdesk_extract::metric::summarize(&all);
        println!(
            "F1 {:.4} precision {:.4} recall {:.4} accuracy {:.4}",
            sum.f1, sum.precision, sum.recall, sum.accuracy
        );
    }
    println!(
        "{{\"pages\": {}, \"bytes\": {}, \"repeat\": {repeat}, \"seconds\": {secs:.6}, \"pages_per_s\": {:.1}, \"mb_per_s\": {:.2}, \"text_bytes\": {chars}}}",
        pages.len(),
        bytes,
        (pages.len() * repeat) as f64 / secs,
        (bytes * repeat) as f64 / secs / 1e6
    );
}
