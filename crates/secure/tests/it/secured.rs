use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use newsdesk_secure::{
    Key, KeyId, Keyring, NonceKind, Sealed, SecureError, SecuredText, SecuredValue,
};

const ARTICLE: &str = "url:https://example.com/news/a";
const TEXT: &str = "Microsoft said on Tuesday that its AI revenue grew 40% — “café” ✓.";

fn ring() -> Keyring {
    Keyring::new(KeyId::new("k1").unwrap(), Key::from_bytes([7u8; 32]))
}

#[test]
fn stored_form_round_trips() {
    let ring = ring();
    let sealed = ring.seal(ARTICLE, TEXT).unwrap();
    assert_eq!(sealed.key_id.as_str(), "k1");
    assert_eq!(sealed.ciphertext.len(), TEXT.len() + 16);
    let stored = sealed.to_stored();
    assert!(stored.starts_with("v1:k1:"), "{stored}");
    assert_eq!(stored.split(':').count(), 4);
    let back = Sealed::parse(&stored).unwrap();
    assert_eq!(back, sealed);
    assert_eq!(ring.open_sealed(ARTICLE, &back).unwrap(), TEXT);
    let opened = ring.open(ARTICLE, &stored).unwrap();
    assert_eq!(opened.text, TEXT);
    assert_eq!(opened.key_id.as_str(), "k1");
}

#[test]
fn document_form_round_trips_and_matches_the_stored_form() {
    let ring = ring();
    let sealed = ring.seal(ARTICLE, TEXT).unwrap();
    let doc = sealed.to_document();
    let (ct, nonce) = doc.split_once(';').unwrap();
    assert_eq!(STANDARD.decode(nonce).unwrap().len(), 24);
    assert_eq!(STANDARD.decode(ct).unwrap(), sealed.ciphertext);
    let parsed = SecuredText::parse(&doc).unwrap();
    assert_eq!(parsed.nonce_kind(), NonceKind::XChaCha24);
    assert_eq!(parsed.plaintext_len(), Some(TEXT.len()));
    assert_eq!(parsed.to_string(), doc);
    assert_eq!(ring.open_document(ARTICLE, &parsed).unwrap().text, TEXT);
    assert_eq!(ring.open(ARTICLE, &doc).unwrap().text, TEXT);
    let doc2 = ring.seal_document(ARTICLE, TEXT).unwrap();
    assert_eq!(ring.open(ARTICLE, &doc2).unwrap().text, TEXT);
}

#[test]
fn empty_and_long_texts_round_trip() {
    let ring = ring();
    let long = "word ".repeat(200_000);
    for t in ["", "x", long.as_str()] {
        let s = ring.seal(ARTICLE, t).unwrap().to_stored();
        assert_eq!(ring.open(ARTICLE, &s).unwrap().text, t);
    }
}

#[test]
fn each_seal_uses_a_fresh_nonce() {
    let ring = ring();
    let a = ring.seal(ARTICLE, TEXT).unwrap();
    let b = ring.seal(ARTICLE, TEXT).unwrap();
    assert_ne!(a.nonce, b.nonce);
    assert_ne!(a.ciphertext, b.ciphertext);
}

fn flip(bytes: &mut [u8], i: usize) {
    bytes[i] ^= 0x01;
}

#[test]
fn any_modified_byte_is_detected_in_the_stored_form() {
    let ring = ring();
    let sealed = ring.seal(ARTICLE, TEXT).unwrap();
    for i in 0..sealed.ciphertext.len() {
        let mut t = sealed.clone();
        flip(&mut t.ciphertext, i);
        let err = ring.open(ARTICLE, &t.to_stored()).unwrap_err();
        assert!(matches!(err, SecureError::Authentication { .. }), "{err}");
    }
    for i in 0..24 {
        let mut t = sealed.clone();
        flip(&mut t.nonce, i);
        let err = ring.open(ARTICLE, &t.to_stored()).unwrap_err();
        assert!(matches!(err, SecureError::Authentication { .. }), "{err}");
    }
    // A truncated ciphertext (tag cut) and an extended one.
    let mut t = sealed.clone();
    t.ciphertext.pop();
    assert!(ring.open(ARTICLE, &t.to_stored()).is_err());
    let mut t = sealed.clone();
    t.ciphertext.push(0);
    assert!(ring.open(ARTICLE, &t.to_stored()).is_err());
}

#[test]
fn any_modified_byte_is_detected_in_the_document_form() {
    let ring = ring();
    let doc = ring.seal(ARTICLE, TEXT).unwrap().document();
    for i in 0..doc.ciphertext.len() {
        let mut t = doc.clone();
        flip(&mut t.ciphertext, i);
        let err = ring.open(ARTICLE, &t.to_string()).unwrap_err();
        assert!(matches!(err, SecureError::NoKeyOpens { tried: 1 }), "{err}");
    }
    for i in 0..doc.nonce.len() {
        let mut t = doc.clone();
        flip(&mut t.nonce, i);
        let err = ring.open(ARTICLE, &t.to_string()).unwrap_err();
        assert!(matches!(err, SecureError::NoKeyOpens { .. }), "{err}");
    }
}

#[test]
fn modified_base64_text_never_opens() {
    // Every single-character change of the textual value gives a typed error,
    // never text and never a panic.
    let ring = ring();
    for value in [
        ring.seal(ARTICLE, TEXT).unwrap().to_stored(),
        ring.seal_document(ARTICLE, TEXT).unwrap(),
    ] {
        for (i, c) in value.char_indices() {
            for r in ['A', 'z', '+', '/', '=', ';', ':', ' ', '0'] {
                if r == c {
                    continue;
                }
                let mut v = value.clone();
                v.replace_range(i..i + c.len_utf8(), &r.to_string());
                if let Ok(o) = ring.open(ARTICLE, &v) {
                    // Only whitespace trimming at the ends may leave the
                    // value intact.
                    assert_eq!(o.text, TEXT);
                    assert!(r == ' ' && (i == 0 || i == value.len() - 1), "{v}");
                }
            }
        }
    }
}

#[test]
fn another_article_id_does_not_open() {
    let ring = ring();
    let stored = ring.seal(ARTICLE, TEXT).unwrap().to_stored();
    let err = ring
        .open("url:https://example.com/news/b", &stored)
        .unwrap_err();
    assert!(matches!(err, SecureError::Authentication { .. }), "{err}");
    let doc = ring.seal_document(ARTICLE, TEXT).unwrap();
    let err = ring.open("", &doc).unwrap_err();
    assert!(matches!(err, SecureError::NoKeyOpens { .. }), "{err}");
}

#[test]
fn another_key_does_not_open() {
    let a = ring();
    let b = Keyring::new(KeyId::new("k1").unwrap(), Key::from_bytes([8u8; 32]));
    let stored = a.seal(ARTICLE, TEXT).unwrap().to_stored();
    let err = b.open(ARTICLE, &stored).unwrap_err();
    assert!(matches!(err, SecureError::Authentication { .. }), "{err}");
    let doc = a.seal_document(ARTICLE, TEXT).unwrap();
    assert!(matches!(
        b.open(ARTICLE, &doc).unwrap_err(),
        SecureError::NoKeyOpens { tried: 1 }
    ));
    // A key id the keyring does not hold.
    let c = Keyring::new(KeyId::new("k9").unwrap(), Key::from_bytes([7u8; 32]));
    assert!(matches!(
        c.open(ARTICLE, &stored).unwrap_err(),
        SecureError::UnknownKey(id) if id == "k1"
    ));
    // Renaming the key id in the stored form to another key of the ring.
    let mut two = ring();
    two.insert(KeyId::new("k2").unwrap(), Key::from_bytes([9u8; 32]))
        .unwrap();
    let renamed = stored.replacen("v1:k1:", "v1:k2:", 1);
    assert!(matches!(
        two.open(ARTICLE, &renamed).unwrap_err(),
        SecureError::Authentication { key_id } if key_id == "k2"
    ));
}

#[test]
fn document_form_tries_every_key() {
    let old = ring();
    let doc = old.seal_document(ARTICLE, TEXT).unwrap();
    let mut ring = ring();
    ring.add_generated().unwrap();
    ring.add_generated().unwrap();
    assert_ne!(ring.current_id().as_str(), "k1");
    let opened = ring.open(ARTICLE, &doc).unwrap();
    assert_eq!(opened.text, TEXT);
    assert_eq!(opened.key_id.as_str(), "k1");
}

#[test]
fn rotation_moves_values_to_the_current_key() {
    let mut ring = ring();
    let v1 = ring.seal(ARTICLE, TEXT).unwrap().to_stored();
    let doc = ring.seal_document(ARTICLE, TEXT).unwrap();

    // Under the current key already: unchanged, byte for byte.
    let r = ring.rotate(ARTICLE, &v1).unwrap();
    assert!(!r.changed);
    assert_eq!(r.value, v1);

    let new_id = ring.add_generated().unwrap();
    let r = ring.rotate(ARTICLE, &v1).unwrap();
    assert!(r.changed);
    assert_eq!(r.from_key.as_str(), "k1");
    assert!(r.value.starts_with(&format!("v1:{new_id}:")));
    assert_eq!(ring.open(ARTICLE, &r.value).unwrap().text, TEXT);
    // Rotating again changes nothing.
    let again = ring.rotate(ARTICLE, &r.value).unwrap();
    assert!(!again.changed);
    assert_eq!(again.value, r.value);

    // The document form becomes the stored form under the current key.
    let r = ring.rotate(ARTICLE, &doc).unwrap();
    assert!(r.changed);
    assert_eq!(r.from_key.as_str(), "k1");
    assert!(r.value.starts_with(&format!("v1:{new_id}:")));

    // After rotation the old key can go and everything still opens.
    let rotated = ring.rotate(ARTICLE, &v1).unwrap().value;
    ring.remove(&KeyId::new("k1").unwrap()).unwrap();
    assert_eq!(ring.open(ARTICLE, &rotated).unwrap().text, TEXT);
    assert!(matches!(
        ring.open(ARTICLE, &v1).unwrap_err(),
        SecureError::UnknownKey(_)
    ));
    // A tampered value is not rotated.
    let mut bad = Sealed::parse(&rotated).unwrap();
    bad.ciphertext[0] ^= 1;
    let mut other = ring;
    other.add_generated().unwrap();
    assert!(other.rotate(ARTICLE, &bad.to_stored()).is_err());
    // Nor one sealed for another article.
    assert!(other.rotate("url:other", &rotated).is_err());
}

#[test]
fn malformed_values_give_typed_errors() {
    let ring = ring();
    let cases: &[(&str, &str)] = &[
        ("", "Malformed"),
        ("   ", "Malformed"),
        ("abcd", "Malformed"),
        ("QUJD", "Malformed"),
        (";", "Malformed"),
        ("QUJD;", "Malformed"),
        (";QUJD", "Malformed"),
        ("QUJD;QUJD;QUJD", "Malformed"),
        ("QUJD;not base64!", "Base64"),
        ("QUJ;QUJD", "Base64"),
        ("QUJD;QUJD", "NonceLength"),
        (
            "QUJD;AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
            "CiphertextTooShort",
        ),
        ("v1:k1:QUJD", "Malformed"),
        ("v1:k1:QUJD:QUJD:QUJD", "Malformed"),
        ("v2:k1:QUJD:QUJD", "UnknownVersion"),
        ("v1:bad key:QUJD:QUJD", "InvalidKeyId"),
        ("v1:k1:QUJD:QUJD", "NonceLength"),
        (
            "v1:k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA:QUJD",
            "CiphertextTooShort",
        ),
        ("v1:k1:AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA:%%%%", "Base64"),
        ("v1:k1::QUJD", "Malformed"),
        ("x:y", "Malformed"),
    ];
    for (value, kind) in cases {
        let err = ring.open(ARTICLE, value).unwrap_err();
        let debug = format!("{err:?}");
        assert!(
            debug.starts_with(kind),
            "{value:?}: expected {kind}, got {debug} ({err})"
        );
        // Every message says what was expected or what is wrong.
        assert!(!err.to_string().is_empty());
    }
    let err = SecuredText::parse("QUJD").unwrap_err();
    assert!(
        err.to_string().contains("base64(ciphertext);base64(nonce)"),
        "{err}"
    );
    let err = Sealed::parse("v1:k1").unwrap_err();
    assert!(err.to_string().contains("v1:<key-id>"), "{err}");
}

#[test]
fn legacy_sixteen_byte_nonces_are_read_but_not_decrypted() {
    let ct = STANDARD.encode([1u8; 48]);
    let nonce = STANDARD.encode([2u8; 16]);
    let value = format!("{ct};{nonce}");
    let text = SecuredText::parse(&value).unwrap();
    assert_eq!(text.nonce_kind(), NonceKind::Legacy16);
    assert_eq!(text.plaintext_len(), None);
    assert_eq!(text.to_string(), value);
    assert!(matches!(
        SecuredValue::parse(&value).unwrap(),
        SecuredValue::Document(_)
    ));
    let err = ring().open(ARTICLE, &value).unwrap_err();
    assert!(
        matches!(err, SecureError::LegacyCipher { nonce_len: 16 }),
        "{err}"
    );
    assert!(ring().rotate(ARTICLE, &value).is_err());
}

#[test]
fn non_utf8_plaintext_is_a_typed_error() {
    // Sealed by hand with the same construction, over bytes that are not UTF-8.
    use chacha20poly1305::aead::{Aead, KeyInit, Payload};
    let key = [7u8; 32];
    let nonce = [3u8; 24];
    let cipher = chacha20poly1305::XChaCha20Poly1305::new((&key).into());
    let mut aad = b"newsdesk-secured-v1\0".to_vec();
    aad.extend_from_slice(ARTICLE.as_bytes());
    let ct = cipher
        .encrypt(
            (&nonce).into(),
            Payload {
                msg: &[0xff, 0xfe],
                aad: &aad,
            },
        )
        .unwrap();
    let value = format!("{};{}", STANDARD.encode(ct), STANDARD.encode(nonce));
    assert!(matches!(
        ring().open(ARTICLE, &value).unwrap_err(),
        SecureError::NotUtf8
    ));
}

/// The `secured` values of the seed documents: the shape is checked (we do
/// not hold the seed site's key).
#[test]
fn seed_secured_values_have_the_document_shape() {
    let Some(dir) = newsdesk_testkit::shared("seeds") else {
        return;
    };
    let mut found = 0;
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for path in entries {
        let text = std::fs::read_to_string(&path).unwrap();
        for line in text.lines() {
            let Some(v) = line.strip_prefix("secured: \"") else {
                continue;
            };
            let v = v.strip_suffix('"').expect("quoted");
            let parsed =
                SecuredText::parse(v).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(parsed.nonce.len(), 16, "{}", path.display());
            assert_eq!(parsed.nonce_kind(), NonceKind::Legacy16);
            assert_eq!(parsed.ciphertext.len() % 16, 0, "{}", path.display());
            assert_eq!(parsed.to_string(), v, "writing gives the same text");
            assert!(matches!(
                ring().open("any", v).unwrap_err(),
                SecureError::LegacyCipher { nonce_len: 16 }
            ));
            found += 1;
        }
    }
    assert_eq!(found, 3, "seeds 000, 001 and 003 carry `secured`");
}

/// Every `secured` value of the everyday-ai corpus has the seed shape.
#[test]
fn corpus_secured_values_have_the_document_shape() {
    let Some(dir) = newsdesk_testkit::shared("corpus/everyday-ai") else {
        return;
    };
    let mut stack = vec![dir];
    let mut found = 0;
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap() {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&p) else {
                continue;
            };
            for v in text.lines().filter_map(|l| l.strip_prefix("secured: \"")) {
                let v = v.strip_suffix('"').unwrap();
                let parsed =
                    SecuredText::parse(v).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
                assert_eq!(parsed.nonce_kind(), NonceKind::Legacy16, "{}", p.display());
                assert_eq!(parsed.ciphertext.len() % 16, 0, "{}", p.display());
                found += 1;
            }
        }
    }
    assert!(found >= 100, "found {found} secured values");
}
