//! `docs check` in-process: a folder's README without front matter is a
//! static file, not a document; a document missing required fields is
//! reported with its file.

use chrono::Utc;
use newsdesk_desk::docs::{check, Finding};

#[test]
fn a_folder_is_checked_document_by_document() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("README.md"), "# About this folder\n").unwrap();
    std::fs::write(
        dir.path().join("2026-03-02-thin.md"),
        "---\ntitle: Thin\n---\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("notes.txt"), "not markdown").unwrap();
    let r = check(&[dir.path().to_path_buf()], false, Utc::now());
    assert_eq!((r.documents, r.bad, r.static_files), (1, 1, 1));
    assert!(!r.findings.is_empty());
    for f in &r.findings {
        match f {
            Finding::Invalid { file, .. } => assert!(file.ends_with("2026-03-02-thin.md")),
            other => panic!("expected field problems, got {other:?}"),
        }
    }

    // A file given by name is checked even without front matter.
    let r = check(&[dir.path().join("README.md")], true, Utc::now());
    assert_eq!((r.documents, r.bad), (1, 1));
    assert!(
        matches!(r.findings[0], Finding::Syntax { .. }),
        "{:?}",
        r.findings
    );
}
