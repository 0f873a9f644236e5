//! Shared helpers for the integration tests: the shared fixtures' records read
//! with a plain line scan (the record reader lives in another crate, and these
//! tests only need a handful of fields), and the mojibake table.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

/// One record or one `related` entry of a record, with the fields the tests use.
#[derive(Debug, Default, Clone)]
pub struct Entry {
    pub file: String,
    pub title: Option<String>,
    pub excerpt: Option<String>,
    pub original_url: Option<String>,
    pub web_url: Option<String>,
    pub amp_web_url: Option<String>,
    pub cdn_amp_web_url: Option<String>,
    pub provider_name: Option<String>,
    pub provider_domain: Option<String>,
}

/// All record files under a folder: `*.md` and `*.txt`, recursively, sorted.
pub fn record_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let Ok(read) = std::fs::read_dir(&d) else {
            continue;
        };
        for e in read.flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "md" || x == "txt") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

/// A scalar value as the records write it: bare, `"double"` or `'single'` quoted.
pub fn scalar(v: &str) -> String {
    let v = v.trim();
    if v.len() >= 2 && v.starts_with('"') && v.ends_with('"') {
        let inner = &v[1..v.len() - 1];
        let mut out = String::new();
        let mut chars = inner.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => out.push('\n'),
                    Some('t') => out.push('\t'),
                    Some(o) => out.push(o),
                    None => out.push('\\'),
                }
            } else {
                out.push(c);
            }
        }
        out
    } else if v.len() >= 2 && v.starts_with('\'') && v.ends_with('\'') {
        v[1..v.len() - 1].replace("''", "'")
    } else {
        v.to_string()
    }
}

/// The top-level record and its `related` entries, from one file.
pub fn entries(path: &Path) -> Vec<Entry> {
    let text = std::fs::read_to_string(path).unwrap_or_default();
    let file = path.display().to_string();
    let mut top = Entry {
        file: file.clone(),
        ..Entry::default()
    };
    let mut related: Vec<Entry> = Vec::new();
    let mut section = String::new();
    let mut in_related_provider = false;
    for line in text.lines() {
        let indent = line.len() - line.trim_start().len();
        let t = line.trim();
        let (key, value) = match t.split_once(':') {
            Some((k, v)) => (k.trim_start_matches("- ").trim(), v),
            None => continue,
        };
        if indent == 0 {
            section = key.to_string();
            set_field(&mut top, key, value, false);
            continue;
        }
        match section.as_str() {
            "provider" if indent == 2 => set_field(&mut top, key, value, true),
            "related" => {
                if indent == 2 && t.starts_with("- ") {
                    related.push(Entry {
                        file: file.clone(),
                        ..Entry::default()
                    });
                    in_related_provider = false;
                }
                let Some(cur) = related.last_mut() else {
                    continue;
                };
                if indent == 2 || indent == 4 {
                    in_related_provider = key == "provider";
                    set_field(cur, key, value, false);
                } else if indent == 6 && in_related_provider {
                    set_field(cur, key, value, true);
                }
            }
            _ => {}
        }
    }
    let mut all = vec![top];
    all.extend(related);
    all
}

fn set_field(e: &mut Entry, key: &str, value: &str, provider: bool) {
    let v = Some(scalar(value)).filter(|v| !v.is_empty());
    match (provider, key) {
        (true, "name") => e.provider_name = v,
        (true, "domain") => e.provider_domain = v,
        (false, "title") => e.title = v,
        (false, "excerpt") => e.excerpt = v,
        (false, "originalUrl") => e.original_url = v,
        (false, "webUrl") => e.web_url = v,
        (false, "ampWebUrl") => e.amp_web_url = v,
        (false, "cdnAmpWebUrl") => e.cdn_amp_web_url = v,
        _ => {}
    }
}

/// Every entry of every record under the shared `rel` folder, or `None` when
/// the shared fixtures are absent (the testkit prints the skip).
pub fn shared_entries(rel: &str) -> Option<Vec<Entry>> {
    let dir = newsdesk_testkit::shared(rel)?;
    let files = record_files(&dir);
    assert!(!files.is_empty(), "no records under {}", dir.display());
    Some(files.iter().flat_map(|f| entries(f)).collect())
}

/// Mojibake repair cases: (input, expected). Both directions: broken text
/// that must be repaired, and correct text that must be left alone.
pub const MOJIBAKE_CASES: &[(&str, &str)] = &[
    // UTF-8 read as Windows-1252: punctuation.
    (
        "Canalysâ€™ latest cloud report",
        "Canalys’ latest cloud report",
    ),
    ("â€œquotedâ€\u{9d}", "“quoted”"),
    ("test scoresâ€”all of which", "test scores—all of which"),
    ("2020â€“2021", "2020–2021"),
    ("Wait for itâ€¦", "Wait for it…"),
    ("â€˜singleâ€™", "‘single’"),
    ("â€¢ bullet", "• bullet"),
    ("Azureâ„¢ and AWSÂ®", "Azure™ and AWS®"),
    ("costs â‚¬5", "costs €5"),
    ("Assurance Cloud Companyâ„¢", "Assurance Cloud Company™"),
    // Accented letters.
    ("CafÃ©", "Café"),
    ("Ã©", "é"),
    ("rÃ©sumÃ©", "résumé"),
    ("naÃ¯ve", "naïve"),
    ("Ã¼ber", "über"),
    ("MÃ¼nchen’s", "München’s"),
    ("Ã‰tÃ©", "Été"),
    ("SÃ£o Paulo", "São Paulo"),
    ("ZÃ¼rich and GenÃ¨ve", "Zürich and Genève"),
    ("espaÃ±ol", "español"),
    ("l’Ã©tÃ©", "l’été"),
    ("voilÃ  la", "voilà la"),
    ("Ã  la carte", "à la carte"),
    // Latin-1 symbols behind Â.
    ("Â£5 million", "£5 million"),
    ("25Â°C", "25°C"),
    ("Â©2021 Example", "©2021 Example"),
    ("Â½ price", "½ price"),
    // Other scripts and emoji.
    ("ÐŸÑ€Ð¸Ð²ÐµÑ‚", "Привет"),
    ("ðŸ˜€ launch", "😀 launch"),
    ("ä¸\u{AD}æ–‡", "中文"),
    ("Ä±", "ı"),
    // Twice-mangled.
    ("Ã¢â‚¬â„¢", "’"),
    ("ÃƒÂ©", "é"),
    ("ItÃ¢â‚¬â„¢s here", "It’s here"),
    // Latin-1 decoding left C1 controls for Windows-1252 quotes.
    ("\u{93}hi\u{94}", "“hi”"),
    ("it\u{92}s", "it’s"),
    // Mixed: correct and broken text in one string.
    ("It’s Ã©", "It’s é"),
    ("rÃ©sumÃ© and résumé", "résumé and résumé"),
    // Correct text that must stay as it is.
    ("Café", "Café"),
    ("naïve", "naïve"),
    ("The Mötley Crüe’s tour", "The Mötley Crüe’s tour"),
    ("CAFÉ™ and RÉ»", "CAFÉ™ and RÉ»"),
    ("São Paulo", "São Paulo"),
    ("Привет, мир", "Привет, мир"),
    ("中文 and 日本語", "中文 and 日本語"),
    (
        "“Smart quotes” — and dashes – too…",
        "“Smart quotes” — and dashes – too…",
    ),
    ("€5 or £5 or ¥5", "€5 or £5 or ¥5"),
    ("Â", "Â"),
    ("Ã", "Ã"),
    ("Ãx", "Ãx"),
    ("plain ASCII", "plain ASCII"),
    ("", ""),
    ("Assurance Cloud Company™", "Assurance Cloud Company™"),
    ("déjà vu", "déjà vu"),
    ("Straße", "Straße"),
    ("50°C ± 2°", "50°C ± 2°"),
];
