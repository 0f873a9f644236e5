//! A bad value names the file, line, key and what was expected.

use newsdesk_config::ConfigError;

use crate::{data_dir, load};

fn error_of(text: &str) -> String {
    let dir = data_dir(&[("newsdesk.toml", text)]);
    let e = load(dir.path(), &[]).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("newsdesk.toml:"), "the file is named: {msg}");
    msg
}

#[test]
fn a_value_of_the_wrong_type() {
    let msg = error_of("[server]\naddr = \"127.0.0.1:8080\"\nreaders = \"four\"\n");
    assert!(msg.contains("newsdesk.toml:3"), "{msg}");
    assert!(msg.contains("`server.readers`"), "{msg}");
    assert!(msg.contains("expected a whole number"), "{msg}");
    assert!(msg.contains("\"four\""), "{msg}");
}

#[test]
fn a_value_out_of_range() {
    let msg = error_of("[server]\nanonymous_rate = -5\n");
    assert!(
        msg.contains("newsdesk.toml:2") && msg.contains("`server.anonymous_rate`"),
        "{msg}"
    );
    assert!(msg.contains("found -5"), "{msg}");
}

#[test]
fn an_address_without_a_port() {
    let msg = error_of("[server]\naddr = \"localhost\"\n");
    assert!(msg.contains("expected an address HOST:PORT"), "{msg}");
}

#[test]
fn a_list_with_a_number_in_it() {
    let msg = error_of("[server]\ncors_origins = [\"https://a.example\", 3]\n");
    assert!(
        msg.contains("`server.cors_origins`") && msg.contains("a list of strings"),
        "{msg}"
    );
}

#[test]
fn an_unknown_key_suggests_the_near_one() {
    let msg = error_of("[fetch]\nuser_agent = \"x\"\n\nper_host_dealy_ms = 10\n");
    assert!(msg.contains("newsdesk.toml:4"), "{msg}");
    assert!(
        msg.contains("unknown key `fetch.per_host_dealy_ms`"),
        "{msg}"
    );
    assert!(
        msg.contains("did you mean `fetch.per_host_delay_ms`"),
        "{msg}"
    );
}

#[test]
fn a_key_in_the_wrong_section_suggests_its_section() {
    let msg = error_of("readers = 3\n");
    assert!(msg.contains("did you mean `server.readers`"), "{msg}");
}

#[test]
fn a_key_nothing_like_any_other_has_no_suggestion() {
    let dir = data_dir(&[("newsdesk.toml", "[server]\nzzzzzz = 1\n")]);
    match load(dir.path(), &[]).unwrap_err() {
        ConfigError::UnknownKey {
            suggestion,
            key,
            line,
            ..
        } => {
            assert_eq!(key, "server.zzzzzz");
            assert_eq!(line, 2);
            assert_eq!(suggestion, None);
        }
        e => panic!("{e:?}"),
    }
}

#[test]
fn an_unknown_section() {
    let msg = error_of("[servre]\nreaders = 3\n");
    assert!(
        msg.contains("newsdesk.toml:1") && msg.contains("unknown key `servre`"),
        "{msg}"
    );
}

#[test]
fn a_section_that_is_not_a_table() {
    let msg = error_of("server = 3\n");
    assert!(msg.contains("`server`: expected a table"), "{msg}");
}

#[test]
fn key_material_and_the_data_folder_are_refused_in_a_file() {
    let msg = error_of("keys = \"k1:c2VjcmV0\"\n");
    assert!(msg.contains("`keys` cannot be set in a file"), "{msg}");
    assert!(!msg.contains("c2VjcmV0"), "the key is not echoed: {msg}");
    let msg = error_of("\ndata_dir = \"/elsewhere\"\n");
    assert!(
        msg.contains("newsdesk.toml:2") && msg.contains("`data_dir` cannot be set"),
        "{msg}"
    );
}

#[test]
fn toml_syntax_errors_give_the_line() {
    let msg = error_of("[server]\nreaders = 3\naddr = \n");
    assert!(msg.contains("newsdesk.toml:3"), "{msg}");
}

#[test]
fn a_bad_variable_names_the_variable_and_what_was_expected() {
    let dir = data_dir(&[]);
    let e = load(dir.path(), &[("NEWSDESK_SERVER_KEY_RATE", "lots")]).unwrap_err();
    assert!(matches!(&e, ConfigError::BadEnv { var, .. } if var == "NEWSDESK_SERVER_KEY_RATE"));
    let msg = e.to_string();
    assert!(msg.contains("NEWSDESK_SERVER_KEY_RATE"), "{msg}");
    assert!(
        msg.contains("expected a whole number") && msg.contains("\"lots\""),
        "{msg}"
    );

    let msg = load(
        dir.path(),
        &[("NEWSDESK_SERVER_TRUST_FORWARDED_FOR", "maybe")],
    )
    .unwrap_err()
    .to_string();
    assert!(msg.contains("true or false"), "{msg}");
}

#[test]
fn a_folder_where_the_file_should_be_is_an_error_naming_it() {
    let dir = data_dir(&[]);
    std::fs::create_dir(dir.path().join("newsdesk.toml")).unwrap();
    let msg = load(dir.path(), &[]).unwrap_err().to_string();
    assert!(msg.contains("newsdesk.toml"), "{msg}");
}
