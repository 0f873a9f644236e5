use chrono::{TimeZone, Utc};
use newsdesk_secure::{ApiKeyError, ApiKeyRecord, ApiKeyRow, ApiKeyToken, Principal, Role, Scope};

fn now() -> chrono::DateTime<Utc> {
    Utc.with_ymd_and_hms(2026, 11, 4, 10, 0, 0).unwrap()
}

#[test]
fn issue_and_verify() {
    let issued =
        ApiKeyRecord::issue("reader app", Role::Reader, vec![Scope::Fulltext], now()).unwrap();
    let token = issued.token().to_string();
    assert!(token.starts_with("nd_"));
    assert_eq!(token.len(), 3 + 16 + 1 + 64);
    let rec = &issued.record;
    assert_eq!(&token[3..19], rec.id);
    // Only the hash is kept.
    let row = rec.to_row();
    let row_text = format!("{row:?}");
    assert!(!row_text.contains(&token[20..]), "{row_text}");
    assert!(row.secret_hash.starts_with("sha256:") && row.secret_hash.len() == 71);

    let p = rec.verify_str(&token).unwrap();
    assert_eq!(
        p,
        Principal {
            key_id: rec.id.clone(),
            name: "reader app".into(),
            role: Role::Reader,
            scopes: vec![Scope::Fulltext],
        }
    );
    let parsed = ApiKeyToken::parse(&format!("  {token}\n")).unwrap();
    assert_eq!(parsed.id(), rec.id);
    assert!(ApiKeyToken::verify(&parsed, Some(rec)).is_ok());
    assert!(matches!(
        ApiKeyToken::verify(&parsed, None).unwrap_err(),
        ApiKeyError::UnknownKey { .. }
    ));
    // Two keys differ in id and secret.
    let other = ApiKeyRecord::issue("x", Role::Reader, vec![], now()).unwrap();
    assert_ne!(other.record.id, rec.id);
    assert_ne!(other.token()[20..], token[20..]);
}

#[test]
fn wrong_secret_and_other_keys_fail() {
    let a = ApiKeyRecord::issue("a", Role::Admin, vec![], now()).unwrap();
    let b = ApiKeyRecord::issue("b", Role::Admin, vec![], now()).unwrap();
    let token = a.token().to_string();
    // Each changed secret digit fails.
    for i in 20..token.len() {
        let mut t = token.clone().into_bytes();
        t[i] = if t[i] == b'0' { b'1' } else { b'0' };
        let t = String::from_utf8(t).unwrap();
        assert!(matches!(
            a.record.verify_str(&t).unwrap_err(),
            ApiKeyError::WrongSecret { .. }
        ));
    }
    // A's token against B's record.
    assert!(matches!(
        b.record.verify_str(&token).unwrap_err(),
        ApiKeyError::WrongSecret { .. }
    ));
    // B's secret with A's id.
    let mixed = format!("nd_{}_{}", a.record.id, &b.token()[20..]);
    assert!(a.record.verify_str(&mixed).is_err());
}

#[test]
fn malformed_tokens_are_typed_errors() {
    let a = ApiKeyRecord::issue("a", Role::Reader, vec![], now()).unwrap();
    let t = a.token();
    let long = format!("{t}0");
    let upper = t.to_uppercase();
    let cases = [
        "",
        "nd_",
        "Bearer x",
        "nd_abc",
        &t[..t.len() - 1],
        &long,
        &upper,
        "nd_0123456789abcdef_zz",
        "nd_0123456789abcdeg_0000000000000000000000000000000000000000000000000000000000000000",
        "nd__0000000000000000000000000000000000000000000000000000000000000000",
        "nd_0123456789abcdef-0000000000000000000000000000000000000000000000000000000000000000",
        "nd_0123456789abcdef_é000000000000000000000000000000000000000000000000000000000000000",
    ];
    for c in cases {
        let err = ApiKeyToken::parse(c).unwrap_err();
        assert!(matches!(err, ApiKeyError::Malformed { .. }), "{c:?}");
        assert!(err
            .to_string()
            .contains("nd_<16 hex digits>_<64 hex digits>"));
        assert!(!err.is_forbidden());
    }
}

#[test]
fn revoked_keys_fail() {
    let mut issued = ApiKeyRecord::issue("a", Role::Editor, vec![], now()).unwrap();
    let token = issued.token().to_string();
    issued.record.touch(now());
    assert!(issued.record.verify_str(&token).is_ok());
    let later = now() + chrono::Duration::hours(1);
    issued.record.revoke(later);
    issued.record.revoke(later + chrono::Duration::hours(1));
    assert_eq!(issued.record.revoked, Some(later));
    let err = issued.record.verify_str(&token).unwrap_err();
    assert_eq!(
        err,
        ApiKeyError::Revoked {
            id: issued.record.id.clone(),
            at: later
        }
    );
    // Revocation survives the row round trip.
    let back = ApiKeyRecord::from_row(&issued.record.to_row()).unwrap();
    assert!(matches!(
        back.verify_str(&token).unwrap_err(),
        ApiKeyError::Revoked { .. }
    ));
}

#[test]
fn roles_and_scopes() {
    assert!(Role::Admin.allows(Role::Editor) && Role::Admin.allows(Role::Reader));
    assert!(Role::Editor.allows(Role::Reader) && !Role::Editor.allows(Role::Admin));
    assert!(!Role::Reader.allows(Role::Editor));

    let reader = ApiKeyRecord::issue("r", Role::Reader, vec![], now()).unwrap();
    let p = reader.record.verify_str(reader.token()).unwrap();
    assert!(p.require_role(Role::Reader).is_ok());
    let err = p.require_role(Role::Editor).unwrap_err();
    assert!(err.is_forbidden());
    assert!(err.to_string().contains("role editor"), "{err}");
    let err = p.require_scope(Scope::Fulltext).unwrap_err();
    assert!(err.to_string().contains("scope fulltext"), "{err}");

    let ft = ApiKeyRecord::issue(
        "f",
        Role::Reader,
        vec![Scope::Fulltext, Scope::Fulltext],
        now(),
    )
    .unwrap();
    assert_eq!(ft.record.scopes, vec![Scope::Fulltext]);
    let p = ft.record.verify_str(ft.token()).unwrap();
    assert!(p.require_scope(Scope::Fulltext).is_ok());
    assert!(p.require_scope(Scope::Export).is_err());

    let admin = ApiKeyRecord::issue("a", Role::Admin, vec![], now()).unwrap();
    let p = admin.record.verify_str(admin.token()).unwrap();
    assert!(p.require_scope(Scope::Fulltext).is_ok() && p.require_scope(Scope::Export).is_ok());
    assert!(p.require_role(Role::Admin).is_ok());
}

#[test]
fn rows_round_trip_and_bad_rows_name_the_field() {
    let mut issued = ApiKeyRecord::issue(
        "  ci export  ",
        Role::Editor,
        vec![Scope::Export, Scope::Fulltext],
        now(),
    )
    .unwrap();
    issued.record.touch(now() + chrono::Duration::minutes(5));
    let row = issued.record.to_row();
    assert_eq!(row.name, "ci export");
    assert_eq!(row.role, "editor");
    assert_eq!(row.scopes, "fulltext,export");
    assert_eq!(row.created, "2026-11-04T10:00:00Z");
    assert_eq!(row.last_used.as_deref(), Some("2026-11-04T10:05:00Z"));
    assert_eq!(row.revoked, None);
    let back = ApiKeyRecord::from_row(&row).unwrap();
    assert_eq!(back, issued.record);
    assert!(back.verify_str(issued.token()).is_ok());

    let bad = |f: &dyn Fn(&mut ApiKeyRow), field: &str| {
        let mut r = row.clone();
        f(&mut r);
        let err = ApiKeyRecord::from_row(&r).unwrap_err();
        assert!(
            matches!(&err, ApiKeyError::BadRecord { field: got, .. } if *got == field),
            "{field}: {err}"
        );
    };
    bad(&|r| r.id = "xyz".into(), "id");
    bad(&|r| r.name = String::new(), "name");
    bad(&|r| r.name = "a\nb".into(), "name");
    bad(&|r| r.role = "owner".into(), "role");
    bad(&|r| r.scopes = "fulltext,everything".into(), "scopes");
    bad(&|r| r.created = "yesterday".into(), "created");
    bad(&|r| r.last_used = Some("2026-13-01".into()), "last_used");
    bad(&|r| r.revoked = Some("".into()), "revoked");
    bad(&|r| r.secret_hash = "md5:00".into(), "secret_hash");
    bad(&|r| r.secret_hash = "sha256:00".into(), "secret_hash");
    assert!(ApiKeyRecord::issue("", Role::Reader, vec![], now()).is_err());
}

#[test]
fn debug_never_shows_the_secret() {
    let issued = ApiKeyRecord::issue("a", Role::Reader, vec![], now()).unwrap();
    let secret = &issued.token()[20..];
    let hash_hex = &issued.record.to_row().secret_hash[7..];
    let token = ApiKeyToken::parse(issued.token()).unwrap();
    for dbg in [
        format!("{issued:?}"),
        format!("{issued:#?}"),
        format!("{:?}", issued.record),
        format!("{token:?}"),
    ] {
        assert!(!dbg.contains(secret), "{dbg}");
        assert!(!dbg.contains(hash_hex), "{dbg}");
    }
}
