//! Extracts labelled web pages for `bench/web.py`: one JSON line per page
//! (`url`, `day`: the publication day as the page states it, `text`), then
//! one timing line (`pages`, `bytes`, `seconds`, `pages_per_s`).
//!
//! Usage: web_pages [--no-url] [--repeat N] [--limit N] LABELS.json PAGES_DIR
//!
//! LABELS.json maps each page's URL to `{"file": ...}` (the `web-dev` sets'
//! `dates.json` and `evaldata.json`). Each page gets its URL (unless
//! `--no-url`) and its file's modification time as the fetch time.
//! Decompression is not timed.

use std::io::{Read, Write};
use std::time::Instant;

use chrono::{DateTime, Utc};
use newsdesk_extract::{extract_page, PageInfo};
use serde_json::{json, Value};

fn fail(msg: String) -> ! {
    eprintln!("web_pages: {msg}");
    std::process::exit(2)
}

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut take = |flag: &str| {
        let i = args.iter().position(|a| a == flag)?;
        let v = args.get(i + 1).cloned();
        args.drain(i..(i + 2).min(args.len()));
        v
    };
    let repeat: usize = take("--repeat").map_or(1, |v| v.parse().unwrap_or(1));
    let limit: usize = take("--limit").map_or(usize::MAX, |v| v.parse().unwrap_or(usize::MAX));
    let no_url = match args.iter().position(|a| a == "--no-url") {
        Some(i) => {
            args.remove(i);
            true
        }
        None => false,
    };
    let [labels, dir] = &args[..] else {
        fail("usage: web_pages [--no-url] [--repeat N] [--limit N] LABELS.json PAGES_DIR".into())
    };
    let raw = std::fs::read(labels).unwrap_or_else(|e| fail(format!("{labels}: {e}")));
    // Python wrote the labels: a page without a date has `NaN`.
    let raw = String::from_utf8_lossy(&raw).replace(": NaN", ": null");
    let labels: Value =
        serde_json::from_str(&raw).unwrap_or_else(|e| fail(format!("{labels}: not JSON: {e}")));
    let Some(map) = labels.as_object() else {
        fail("the labels are not an object of pages".into())
    };
    let mut keys: Vec<&String> = map.keys().collect();
    keys.sort();
    keys.truncate(limit);

    let mut pages = Vec::new();
    for url in keys {
        let Some(file) = map[url].get("file").and_then(Value::as_str) else {
            fail(format!("{url}: no \"file\""))
        };
        let path = std::path::Path::new(dir).join(file);
        let raw = std::fs::read(&path).unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
        let mut html = Vec::new();
        flate2::read::MultiGzDecoder::new(&raw[..])
            .read_to_end(&mut html)
            .unwrap_or_else(|e| fail(format!("{}: {e}", path.display())));
        let fetched = std::fs::metadata(&path)
            .and_then(|m| m.modified())
            .ok()
            .map(DateTime::<Utc>::from);
        pages.push((url.clone(), html, fetched));
    }
    let bytes: usize = pages.iter().map(|p| p.1.len()).sum();

    let start = Instant::now();
    let mut out = Vec::with_capacity(pages.len());
    for round in 0..repeat {
        for (url, html, fetched) in &pages {
            let info = PageInfo {
                url: (!no_url).then_some(url.as_str()),
                charset: None,
                fetched: *fetched,
            };
            let e = extract_page(html, &info).ok();
            if round == 0 {
                out.push(e);
            }
        }
    }
    let secs = start.elapsed().as_secs_f64();

    let stdout = std::io::stdout();
    let mut w = std::io::BufWriter::new(stdout.lock());
    for ((url, _, _), e) in pages.iter().zip(&out) {
        let row = json!({
            "url": url,
            "day": e.as_ref().and_then(|e| e.published_day).map(|d| d.to_string()),
            "text": e.as_ref().map_or("", |e| e.text.as_str()),
        });
        let _ = writeln!(w, "{row}");
    }
    let n = pages.len() * repeat;
    let _ = writeln!(
        w,
        "{}",
        json!({
            "pages": pages.len(),
            "bytes": bytes,
            "repeat": repeat,
            "seconds": secs,
            "pages_per_s": n as f64 / secs.max(1e-9),
        })
    );
}
