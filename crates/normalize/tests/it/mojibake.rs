//! Mojibake repair: a table of broken and correct strings, and the seeds.

use newsdesk_normalize::fix_mojibake;
use std::borrow::Cow;

#[test]
fn table() {
    assert!(crate::common::MOJIBAKE_CASES.len() >= 40);
    let mut failures = Vec::new();
    for (input, expected) in crate::common::MOJIBAKE_CASES {
        let got = fix_mojibake(input);
        if got != *expected {
            failures.push(format!("{input:?}: got {got:?}, expected {expected:?}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn correct_text_is_borrowed_untouched() {
    for s in ["Café", "naïve", "plain", "Привет", "“quoted” — ok", "中文"] {
        assert!(matches!(fix_mojibake(s), Cow::Borrowed(_)), "{s}");
    }
}

#[test]
fn repair_is_idempotent() {
    for (input, _) in crate::common::MOJIBAKE_CASES {
        let once = fix_mojibake(input).into_owned();
        assert_eq!(fix_mojibake(&once), once, "{input:?}");
    }
}

#[test]
fn seed_excerpts_are_repaired() {
    let Some(seeds) = crate::common::shared_entries("seeds") else {
        return;
    };
    let excerpts: Vec<String> = seeds.iter().filter_map(|e| e.excerpt.clone()).collect();
    let canalys = excerpts
        .iter()
        .find(|e| e.starts_with("Canalys"))
        .expect("seed 001's related excerpt about Canalys");
    let fixed = fix_mojibake(canalys);
    assert!(
        fixed.starts_with("Canalys’ latest cloud infrastructure services report"),
        "{fixed}"
    );
    let scores = excerpts
        .iter()
        .find(|e| e.contains("test scores"))
        .expect("seed 003's related excerpt with test scores");
    assert!(
        fix_mojibake(scores).contains("test scores—all of which"),
        "{}",
        fix_mojibake(scores)
    );
    // No excerpt or title of the seeds keeps an `â€` after repair.
    for e in seeds
        .iter()
        .flat_map(|e| e.excerpt.iter().chain(e.title.iter()))
    {
        assert!(!fix_mojibake(e).contains("â€"), "{e}");
    }
}

#[test]
fn arbitrary_strings_do_not_panic() {
    let pieces = [
        "Ã", "Â", "â", "€", "\u{9d}", "ð", "Ÿ", "˜", " ", "a", "é", "\u{80}", "ï", "¿", "½",
        "\u{0}",
    ];
    // Every 3-piece combination: small, exhaustive, deterministic.
    for a in pieces {
        for b in pieces {
            for c in pieces {
                let s = format!("{a}{b}{c}");
                let _ = fix_mojibake(&s);
            }
        }
    }
}
