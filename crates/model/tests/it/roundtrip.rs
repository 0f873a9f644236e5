//! Every real record reads and writes back to the same bytes.

use std::path::{Path, PathBuf};

use newsdesk_model::document::first_difference;
use newsdesk_model::Document;

fn records(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir).unwrap().flatten().collect();
    entries.sort_by_key(|e| e.path());
    for e in entries {
        let p = e.path();
        if p.is_dir() {
            records(&p, out);
        } else if p.extension().is_some_and(|x| x == "md")
            && p.parent().is_some_and(|d| d.ends_with("_news"))
        {
            out.push(p);
        }
    }
}

#[test]
fn seeds_and_corpus_round_trip_byte_for_byte() {
    let Some(shared) = newsdesk_testkit::shared_dir() else {
        return;
    };
    let mut files = Vec::new();
    for seed in [
        "000_93f67b1c04ce6a33.txt",
        "001_a481c78f1bcc3ae6.txt",
        "003_705e3db1a494e3e3.txt",
    ] {
        files.push(shared.join("seeds").join(seed));
    }
    records(&shared.join("corpus/everyday-ai"), &mut files);
    assert_eq!(files.len(), 198, "3 seeds + 195 corpus records");
    let mut failures = Vec::new();
    for f in &files {
        let text = std::fs::read_to_string(f).unwrap();
        match Document::parse(&text) {
            Ok(doc) => {
                let back = doc.to_string_lossless();
                if let Some(line) = first_difference(&text, &back) {
                    let want = text.lines().nth(line.saturating_sub(1)).unwrap_or("");
                    let got = back.lines().nth(line.saturating_sub(1)).unwrap_or("");
                    failures.push(format!(
                        "{}: differs from line {line}:\n  want {want}\n  got  {got}",
                        f.display()
                    ));
                }
                assert!(!doc.article.title.is_empty(), "{}: no title", f.display());
                assert!(
                    doc.article.published_at.is_some(),
                    "{}: no date",
                    f.display()
                );
            }
            Err(e) => failures.push(format!("{}: {e}", f.display())),
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} failed:\n{}",
        failures.len(),
        files.len(),
        failures.join("\n")
    );
}

#[test]
fn seed_000_fields_are_read_as_the_site_wrote_them() {
    let Some(path) = newsdesk_testkit::shared("seeds/000_93f67b1c04ce6a33.txt") else {
        return;
    };
    let doc = Document::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    let a = &doc.article;
    assert_eq!(
        a.title,
        "AWS leads $42B global Cloud services market in Q1, Microsoft 2nd"
    );
    assert_eq!(a.quality, Some(76));
    assert_eq!(a.heat, Some(-1));
    assert_eq!(a.published, Some(false));
    assert_eq!(
        a.published_at.unwrap().to_rfc3339(),
        "2021-05-04T05:54:00+00:00"
    );
    let p = a.provider.as_ref().unwrap();
    assert_eq!(
        (p.name.as_str(), p.domain.as_str()),
        ("Sify.com", "sify.com")
    );
    assert_eq!(a.topics, ["Microsoft AI", "AI", "AWS AI"]);
    assert_eq!(a.images[0].width, Some(700));
    assert_eq!(a.images[0].is_cached, Some(true));
    assert_eq!(a.related.len(), 4);
    let twin = &a.related[3];
    assert_eq!(twin.title, a.title);
    assert_eq!(twin.quality, Some(56));
    assert_eq!(twin.provider.as_ref().unwrap().domain, "sify.com");
    assert!(twin.images.is_empty());
    assert!(a.secured.as_ref().unwrap().contains(';'));
}

#[test]
fn documents_the_desk_writes_use_the_seeds_layout() {
    let Some(seeds) = newsdesk_testkit::shared("seeds") else {
        return;
    };
    for seed in [
        "000_93f67b1c04ce6a33.txt",
        "001_a481c78f1bcc3ae6.txt",
        "003_705e3db1a494e3e3.txt",
    ] {
        let text = std::fs::read_to_string(seeds.join(seed)).unwrap();
        let parsed = Document::parse(&text).unwrap();
        // Only the typed article goes in: no layout from the file.
        let fresh = Document::new(parsed.article).to_string_lossless();
        assert_eq!(
            fresh, text,
            "{seed}: the desk's own layout differs from the seed's"
        );
    }
}
