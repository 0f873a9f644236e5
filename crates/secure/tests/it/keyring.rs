use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use newsdesk_secure::{Key, KeyId, Keyring, SecureError};
use secrecy::ExposeSecret;

const ARTICLE: &str = "url:https://example.com/a";

fn b64(byte: u8) -> String {
    STANDARD.encode([byte; 32])
}

#[test]
fn key_file_syntax() {
    let text = format!(
        "# keys\ncurrent = \"k2\"\nk1 = \"{}\"\nk2 = '{}'  # newest\n\nk-3_x = {}\n",
        b64(1),
        b64(2),
        b64(3)
    );
    let ring = Keyring::parse(&text, "keys.toml").unwrap();
    assert_eq!(ring.current_id().as_str(), "k2");
    assert_eq!(
        ring.ids().map(|k| k.as_str()).collect::<Vec<_>>(),
        ["k1", "k2", "k-3_x"]
    );
    let sealed = ring.seal(ARTICLE, "hello").unwrap();
    assert_eq!(sealed.key_id.as_str(), "k2");
    // A single key needs no `current`.
    let one = Keyring::parse(&format!("only = \"{}\"", b64(5)), "x").unwrap();
    assert_eq!(one.current_id().as_str(), "only");
}

#[test]
fn key_file_errors_name_the_line_and_never_the_key() {
    let secret = b64(9);
    let cases = [
        (format!("k1 = \"{secret}\"\nk1 = \"{secret}\""), 2, "twice"),
        (
            format!("k1 = \"{secret}\"\nk2 = \"{secret}\""),
            1,
            "current",
        ),
        (
            format!("current = \"k3\"\nk1 = \"{secret}\""),
            1,
            "not a key",
        ),
        (format!("k1 = \"{}\"", &secret[..20]), 1, "base64"),
        (
            format!("k1 = \"{}\"", STANDARD.encode([1u8; 16])),
            1,
            "16 bytes",
        ),
        (format!("k1 \"{secret}\""), 1, "name ="),
        (format!("bad id = \"{secret}\""), 1, "invalid key id"),
        (
            format!("current = \"{secret}\"\nk1 = \"{secret}\""),
            1,
            "invalid key id",
        ),
        (format!("k1 = \"{secret}"), 1, "quotes"),
        (format!("[keys]\nk1 = \"{secret}\""), 1, "sections"),
        ("# nothing\n".to_string(), 1, "no keys"),
        (String::new(), 1, "no keys"),
    ];
    for (text, line, what) in cases {
        let err = Keyring::parse(&text, "keys.toml").unwrap_err();
        let msg = err.to_string();
        assert!(
            matches!(err, SecureError::KeyFile { line: l, .. } if l == line),
            "{text:?}: {msg}"
        );
        assert!(msg.starts_with("keys.toml: line"), "{msg}");
        assert!(msg.contains(what), "{text:?}: {msg}");
        assert!(!msg.contains(&secret[..20]), "leaks key material: {msg}");
    }
}

#[test]
fn keyring_from_environment() {
    let var = "NEWSDESK_KEYS_TEST_KEYRING_FROM_ENVIRONMENT";
    assert!(Keyring::from_env_var(var).unwrap().is_none());
    std::env::set_var(var, format!("current=b; a={}; b={}", b64(1), b64(2)));
    let ring = Keyring::from_env_var(var).unwrap().unwrap();
    assert_eq!(ring.current_id().as_str(), "b");
    assert_eq!(ring.key_count(), 2);
    std::env::set_var(var, format!("a={},b={}", b64(1), b64(2)));
    let err = Keyring::from_env_var(var).unwrap_err();
    assert!(err.to_string().starts_with(var), "{err}");
    std::env::set_var(var, "   ");
    assert!(Keyring::from_env_var(var).unwrap().is_none());
    std::env::remove_var(var);
}

#[test]
fn key_file_save_load_and_permissions() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("keys.toml");
    let mut ring = Keyring::generate().unwrap();
    let first = ring.current_id().clone();
    let sealed = ring.seal(ARTICLE, "text").unwrap().to_stored();
    let second = ring.add_generated().unwrap();
    ring.save(&path).unwrap();

    let loaded = Keyring::load_file(&path).unwrap();
    assert!(loaded.warnings.is_empty(), "{:?}", loaded.warnings);
    let back = loaded.keyring;
    assert_eq!(back.current_id(), &second);
    assert!(back.contains(&first));
    assert_eq!(back.open(ARTICLE, &sealed).unwrap().text, "text");

    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).unwrap();
        let loaded = Keyring::load_file(&path).unwrap();
        assert_eq!(loaded.warnings.len(), 1);
        assert!(loaded.warnings[0].contains("644"), "{:?}", loaded.warnings);
        // Saving again restores private permissions.
        loaded.keyring.save(&path).unwrap();
        let mode = std::fs::metadata(&path).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let missing = Keyring::load_file(&dir.path().join("nope.toml")).unwrap_err();
    assert!(matches!(missing, SecureError::Io { .. }));
    assert!(missing.to_string().contains("nope.toml"));
}

#[test]
fn debug_and_errors_never_show_key_material() {
    let bytes = [0xabu8; 32];
    let encoded = STANDARD.encode(bytes);
    let key = Key::from_bytes(bytes);
    assert_eq!(key.to_base64().expose_secret(), &encoded);
    let dbg = format!("{key:?}");
    assert!(
        !dbg.contains(&encoded) && !dbg.contains("171") && !dbg.contains("ab"),
        "{dbg}"
    );

    let text = format!("current = \"k1\"\nk1 = \"{encoded}\"\nk2 = \"{}\"", b64(1));
    let ring = Keyring::parse(&text, "keys").unwrap();
    let dbg = format!("{ring:?} {ring:#?}");
    assert!(dbg.contains("k1") && dbg.contains("k2"), "{dbg}");
    assert!(!dbg.contains(&encoded) && !dbg.contains(&b64(1)), "{dbg}");
    assert!(!dbg.contains("171, 171"), "{dbg}");

    let key_file = ring.to_key_file();
    let dbg = format!("{key_file:?}");
    assert!(!dbg.contains(&encoded), "{dbg}");
    assert!(key_file.expose_secret().contains(&encoded));
}

#[test]
fn keyring_management() {
    let mut ring = Keyring::new(KeyId::new("a").unwrap(), Key::generate().unwrap());
    assert!(ring
        .insert(KeyId::new("a").unwrap(), Key::generate().unwrap())
        .is_err());
    ring.insert(KeyId::new("b").unwrap(), Key::generate().unwrap())
        .unwrap();
    assert_eq!(ring.current_id().as_str(), "a");
    let err = ring.remove(&KeyId::new("a").unwrap()).unwrap_err();
    assert!(err.to_string().contains("current"), "{err}");
    ring.set_current(&KeyId::new("b").unwrap()).unwrap();
    ring.remove(&KeyId::new("a").unwrap()).unwrap();
    assert_eq!(ring.current_id().as_str(), "b");
    assert!(ring.set_current(&KeyId::new("zz").unwrap()).is_err());
    for bad in ["", "current", "a:b", "a b", &"x".repeat(65), "é"] {
        assert!(KeyId::new(bad).is_err(), "{bad:?}");
    }
    let generated = KeyId::generate().unwrap();
    assert!(KeyId::new(generated.as_str()).is_ok());
    assert_ne!(generated, KeyId::generate().unwrap());
}
