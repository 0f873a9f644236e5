//! `desk.toml`, the editorial settings file, is read beneath `newsdesk.toml`.

use std::path::PathBuf;

use newsdesk_config::{ConfigError, Source};

use crate::{data_dir, file_in, load};

const DESK: &str = "\
# today's editorial settings
topics = \"my-topics.toml\"
keep_given = false
quality_bar = 40
";

#[test]
fn desk_toml_alone_is_read_as_today() {
    let dir = data_dir(&[("desk.toml", DESK)]);
    let s = load(dir.path(), &[]).unwrap();
    assert_eq!(
        *s.editorial.topics.get(),
        Some(PathBuf::from("my-topics.toml"))
    );
    assert!(!*s.editorial.keep_given.get());
    assert_eq!(*s.editorial.quality_bar.get(), Some(40));
    assert_eq!(
        *s.editorial.quality_bar.source(),
        Source::File {
            path: file_in(dir.path(), "desk.toml"),
            line: 4
        }
    );
}

#[test]
fn newsdesk_toml_values_sit_on_top_of_the_included_file() {
    let dir = data_dir(&[
        ("desk.toml", DESK),
        (
            "newsdesk.toml",
            "[server]\nreaders = 2\n\n[editorial]\nquality_bar = 55\n",
        ),
    ]);
    let s = load(dir.path(), &[]).unwrap();
    assert_eq!(*s.editorial.quality_bar.get(), Some(55));
    assert_eq!(
        *s.editorial.quality_bar.source(),
        Source::File {
            path: file_in(dir.path(), "newsdesk.toml"),
            line: 5
        }
    );
    // The include's other values still hold.
    assert!(!*s.editorial.keep_given.get());
}

#[test]
fn editorial_settings_are_not_taken_from_the_environment() {
    let dir = data_dir(&[("desk.toml", DESK)]);
    let e = load(dir.path(), &[("NEWSDESK_EDITORIAL_QUALITY_BAR", "70")]).unwrap_err();
    assert!(
        matches!(&e, ConfigError::NotInEnv { var, .. } if var == "NEWSDESK_EDITORIAL_QUALITY_BAR")
    );
    assert!(e.to_string().contains("newsdesk.toml"), "{e}");
}

#[test]
fn an_include_can_name_another_file() {
    let dir = data_dir(&[
        ("desk.toml", DESK),
        ("editorial/ai.toml", "quality_bar = 25\n"),
        (
            "newsdesk.toml",
            "[editorial]\ninclude = \"editorial/ai.toml\"\n",
        ),
    ]);
    let s = load(dir.path(), &[]).unwrap();
    assert_eq!(*s.editorial.quality_bar.get(), Some(25));
    // desk.toml is not read when another file is named.
    assert!(*s.editorial.keep_given.get());
    assert_eq!(
        *s.editorial.include.get(),
        PathBuf::from("editorial/ai.toml")
    );
}

#[test]
fn a_named_include_that_is_missing_is_an_error() {
    let dir = data_dir(&[("newsdesk.toml", "\n[editorial]\ninclude = \"nope.toml\"\n")]);
    let e = load(dir.path(), &[]).unwrap_err();
    assert!(
        matches!(e, ConfigError::MissingInclude { line: 3, .. }),
        "{e:?}"
    );
    let msg = e.to_string();
    assert!(
        msg.contains("newsdesk.toml:3") && msg.contains("nope.toml"),
        "{msg}"
    );
}

#[test]
fn an_unknown_key_in_the_included_file_names_that_file() {
    let dir = data_dir(&[("desk.toml", "topics = \"t.toml\"\nkeep_givn = true\n")]);
    let msg = load(dir.path(), &[]).unwrap_err().to_string();
    assert!(msg.contains("desk.toml:2"), "{msg}");
    assert!(msg.contains("unknown key `keep_givn`"), "{msg}");
    assert!(msg.contains("did you mean `keep_given`"), "{msg}");
}

#[test]
fn the_included_file_holds_editorial_keys_only() {
    let dir = data_dir(&[("desk.toml", "[server]\nreaders = 2\n")]);
    let msg = load(dir.path(), &[]).unwrap_err().to_string();
    assert!(
        msg.contains("desk.toml:1") && msg.contains("unknown key `server`"),
        "{msg}"
    );
}
