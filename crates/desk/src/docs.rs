//! Checking seed-format documents as an editor of a Jekyll site would
//! before publishing: each must parse, pass validation and, when asked,
//! be written back byte for byte.

use std::path::{Path, PathBuf};

use chrono::{DateTime, Utc};
use newsdesk_model::document::first_difference;
use newsdesk_model::validate::validate;
use newsdesk_model::Document;

/// One thing wrong with one document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Finding {
    /// The file cannot be read.
    Unreadable { file: PathBuf, error: String },
    /// Not UTF-8: the first invalid byte's offset.
    NotUtf8 { file: PathBuf, offset: usize },
    /// The front matter does not parse.
    Syntax {
        file: PathBuf,
        line: usize,
        field: Option<String>,
        message: String,
    },
    /// A field fails validation.
    Invalid {
        file: PathBuf,
        line: Option<usize>,
        field: String,
        message: String,
    },
    /// Re-writing the document would change it from this line on.
    WouldChange { file: PathBuf, line: usize },
}

/// What a check found.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DocsCheck {
    /// Documents checked.
    pub documents: usize,
    /// Documents with problems.
    pub bad: usize,
    /// Documents that would change when re-written (with `roundtrip`).
    pub changed: usize,
    /// Markdown files without front matter in folders (Jekyll's static
    /// files): skipped.
    pub static_files: usize,
    /// Every finding, in file order.
    pub findings: Vec<Finding>,
}

impl std::fmt::Display for Finding {
    /// `FILE:LINE: FIELD: MESSAGE`, as an editor would look it up.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Finding::Unreadable { file, error } => {
                write!(f, "{}: cannot read: {error}", file.display())
            }
            Finding::NotUtf8 { file, offset } => write!(
                f,
                "{}: not UTF-8 (invalid byte at offset {offset}): documents must be UTF-8",
                file.display()
            ),
            Finding::Syntax {
                file,
                line,
                field,
                message,
            } => {
                let field = field
                    .as_deref()
                    .map(|f| format!("{f}: "))
                    .unwrap_or_default();
                write!(f, "{}:{line}: {field}{message}", file.display())
            }
            Finding::Invalid {
                file,
                line: Some(l),
                field,
                message,
            } => write!(f, "{}:{l}: {field}: {message}", file.display()),
            Finding::Invalid {
                file,
                line: None,
                field,
                message,
            } => write!(f, "{}: {field}: {message}", file.display()),
            Finding::WouldChange { file, line } => {
                write!(f, "{}:{line}: would change when re-written", file.display())
            }
        }
    }
}

impl DocsCheck {
    /// Whether every document is valid (and, with `roundtrip`, unchanged).
    pub fn ok(&self) -> bool {
        self.bad == 0 && self.changed == 0
    }

    /// The counts in one line (no newline).
    pub fn summary(&self, roundtrip: bool) -> String {
        let mut out = format!(
            "{} documents checked: {} valid, {} with problems",
            self.documents,
            self.documents - self.bad,
            self.bad
        );
        if self.static_files > 0 {
            out.push_str(&format!(
                ", {} Markdown files without front matter skipped",
                self.static_files
            ));
        }
        if roundtrip {
            out.push_str(&format!(", {} would change when re-written", self.changed));
        }
        out
    }
}

fn is_doc(p: &Path) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| matches!(e, "md" | "markdown"))
}

fn has_front_matter(p: &Path) -> bool {
    use std::io::Read;
    let mut head = [0u8; 8];
    let n = std::fs::File::open(p)
        .and_then(|mut f| f.read(&mut head))
        .unwrap_or(0);
    let head = &head[..n];
    let head = head.strip_prefix(b"\xef\xbb\xbf").unwrap_or(head);
    head.starts_with(b"---\n") || head.starts_with(b"---\r\n")
}

/// Checks the documents among `paths` (files, and folders read
/// recursively); with `roundtrip`, also whether re-writing would change
/// them.
pub fn check(paths: &[PathBuf], roundtrip: bool, now: DateTime<Utc>) -> DocsCheck {
    let mut out = DocsCheck::default();
    let mut files = Vec::new();
    for p in paths {
        if p.is_dir() {
            // In a folder, Markdown files without front matter are what Jekyll
            // copies as static files (a README): not documents.
            for f in newsdesk_ingest::expand_paths(std::slice::from_ref(p)) {
                if !is_doc(&f) {
                    continue;
                }
                if has_front_matter(&f) {
                    files.push(f);
                } else {
                    out.static_files += 1;
                }
            }
        } else {
            files.push(p.clone());
        }
    }
    out.documents = files.len();
    for file in files {
        let text = match std::fs::read(&file) {
            Err(e) => {
                out.findings.push(Finding::Unreadable {
                    file,
                    error: e.to_string(),
                });
                out.bad += 1;
                continue;
            }
            Ok(bytes) => match String::from_utf8(bytes) {
                Ok(t) => t,
                Err(e) => {
                    out.findings.push(Finding::NotUtf8 {
                        file,
                        offset: e.utf8_error().valid_up_to(),
                    });
                    out.bad += 1;
                    continue;
                }
            },
        };
        let doc = match Document::parse(&text) {
            Ok(d) => d,
            Err(e) => {
                out.findings.push(Finding::Syntax {
                    file,
                    line: e.line,
                    field: e.field.clone(),
                    message: e.message.clone(),
                });
                out.bad += 1;
                continue;
            }
        };
        let problems = validate(&doc, now);
        if !problems.is_empty() {
            out.bad += 1;
        }
        for p in problems {
            out.findings.push(Finding::Invalid {
                file: file.clone(),
                line: p.line,
                field: p.field,
                message: p.message,
            });
        }
        if roundtrip {
            if let Some(line) = first_difference(&text, &doc.to_string_lossless()) {
                out.findings.push(Finding::WouldChange { file, line });
                out.changed += 1;
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn findings_name_file_line_and_field() {
        let file = PathBuf::from("_news/a.md");
        let f = Finding::Invalid {
            file: file.clone(),
            line: Some(3),
            field: "date".into(),
            message: "not a date".into(),
        };
        assert_eq!(f.to_string(), "_news/a.md:3: date: not a date");
        let f = Finding::Syntax {
            file: file.clone(),
            line: 2,
            field: None,
            message: "bad".into(),
        };
        assert_eq!(f.to_string(), "_news/a.md:2: bad");
        let f = Finding::WouldChange { file, line: 7 };
        assert_eq!(f.to_string(), "_news/a.md:7: would change when re-written");
    }

    #[test]
    fn the_summary_counts_valid_documents() {
        let r = DocsCheck {
            documents: 5,
            bad: 2,
            changed: 1,
            static_files: 1,
            findings: Vec::new(),
        };
        assert_eq!(
            r.summary(true),
            "5 documents checked: 3 valid, 2 with problems, 1 Markdown files without front matter skipped, 1 would change when re-written"
        );
        assert!(!r.ok());
        assert!(DocsCheck::default().ok());
    }
}
