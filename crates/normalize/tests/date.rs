//! Date parsing to UTC and the record's date format.

use newsdesk_normalize::{format_date, parse_date, NormalizeError};

fn utc(s: &str) -> String {
    match parse_date(s) {
        Ok(d) => format_date(&d),
        Err(e) => format!("error: {e}"),
    }
}

#[test]
fn accepted_formats() {
    let cases = [
        // RFC 3339 / ISO 8601.
        ("2021-05-04T05:54:00Z", "2021-05-04T05:54:00Z"),
        ("2021-05-04T05:54:00.123456Z", "2021-05-04T05:54:00Z"),
        ("2021-05-04T07:54:00+02:00", "2021-05-04T05:54:00Z"),
        ("2021-05-04T01:54:00-0400", "2021-05-04T05:54:00Z"),
        ("2021-05-04T10:54:00+05", "2021-05-04T05:54:00Z"),
        ("2021-05-04 05:54:00", "2021-05-04T05:54:00Z"),
        ("2021-05-04 05:54", "2021-05-04T05:54:00Z"),
        ("2021-05-04t05:54:00z", "2021-05-04T05:54:00Z"),
        ("2021-05-04T05:54:00 UTC", "2021-05-04T05:54:00Z"),
        ("2021-05-04", "2021-05-04T00:00:00Z"),
        ("2021/05/04", "2021-05-04T00:00:00Z"),
        ("  2021-05-04T05:54:00Z  ", "2021-05-04T05:54:00Z"),
        ("2016-12-31T23:59:60Z", "2016-12-31T23:59:59Z"),
        // RFC 2822 and its real-world violations.
        ("Tue, 04 May 2021 05:54:00 +0000", "2021-05-04T05:54:00Z"),
        ("Tue, 4 May 2021 05:54:00 GMT", "2021-05-04T05:54:00Z"),
        ("Tue, 4 May 2021 05:54:00 UT", "2021-05-04T05:54:00Z"),
        ("Tue, 4 May 2021 05:54:00 Z", "2021-05-04T05:54:00Z"),
        ("Mon, 4 May 2021 05:54:00 GMT", "2021-05-04T05:54:00Z"),
        ("Thu, 6 July 2017 15:30:00 PDT", "2017-07-06T22:30:00Z"),
        ("Thu, 6 Jul 2017 15:30 EST", "2017-07-06T20:30:00Z"),
        ("6 July 2017", "2017-07-06T00:00:00Z"),
        ("06 Jul 17 15:30:00 +0100", "2017-07-06T14:30:00Z"),
        ("Sat, 01 Jan 99 00:00:00 GMT", "1999-01-01T00:00:00Z"),
        (
            "Tue, 4 May 2021 05:54:00 +0000 (UTC)",
            "2021-05-04T05:54:00Z",
        ),
        ("Tue, 4 May 2021 05:54:00 A", "2021-05-04T05:54:00Z"),
        ("Tuesday, 4 May 2021 05:54:00 CEST", "2021-05-04T03:54:00Z"),
        ("May 4, 2021 5:54 PM EDT", "2021-05-04T21:54:00Z"),
        ("May 4, 2021", "2021-05-04T00:00:00Z"),
        ("4th May 2021", "2021-05-04T00:00:00Z"),
        ("Sept 4 2021 12:00 am", "2021-09-04T00:00:00Z"),
        ("Tue May 04 05:54:00 UTC 2021", "2021-05-04T05:54:00Z"),
        ("Tue, 4 May 2021 05:54:00 GMT+2", "2021-05-04T03:54:00Z"),
        // Compact and epoch forms.
        ("20210504", "2021-05-04T00:00:00Z"),
        ("1620107640", "2021-05-04T05:54:00Z"),
        ("1620107640000", "2021-05-04T05:54:00Z"),
    ];
    for (input, expected) in cases {
        assert_eq!(utc(input), expected, "{input:?}");
    }
}

#[test]
fn rejected_values_name_the_value_and_the_expectation() {
    let impossible = [
        "0000-00-00",
        "2021-02-30",
        "2021-13-01",
        "2021-05-04T25:00:00Z",
        "31 Feb 2021",
        "20211340",
    ];
    for input in impossible {
        let err = parse_date(input).unwrap_err();
        let msg = err.to_string();
        assert!(msg.contains(input), "{input}: {msg}");
        assert!(msg.contains("expected"), "{input}: {msg}");
        if input != "0000-00-00" {
            assert!(
                matches!(err, NormalizeError::ImpossibleDate { .. }),
                "{input}: {err:?}"
            );
        }
    }
    for input in [
        "1899-12-31",
        "2201-01-01",
        "1 Jan 1850",
        "10000-01-01T00:00:00Z",
    ] {
        let err = parse_date(input).unwrap_err();
        assert!(
            matches!(
                err,
                NormalizeError::DateOutOfRange { .. } | NormalizeError::UnrecognizedDate { .. }
            ),
            "{input}: {err:?}"
        );
        assert!(err.to_string().contains(input), "{err}");
    }
    assert!(matches!(
        parse_date("1899-12-31"),
        Err(NormalizeError::DateOutOfRange {
            min: 1900,
            max: 2200,
            ..
        })
    ));
    assert!(parse_date("1900-01-01").is_ok());
    assert!(parse_date("2200-12-31").is_ok());

    for input in [
        "",
        "   ",
        "yesterday",
        "now",
        "2021",
        "May 2021",
        "12:30",
        "2021-05-04T",
        "2021-05-04X05:54",
        "Tue, 4 May 2021 05:54:00 XYZ",
        "1234567",
        "2021-05-04T05:54:00+25:00",
        "4 May 2021 5:54 pm pm extra",
    ] {
        assert!(parse_date(input).is_err(), "{input:?} should be rejected");
    }
}

#[test]
fn a_missing_time_is_midnight_never_now() {
    // Parsing the same date-only value twice, at different moments, gives the
    // same instant, and that instant is midnight.
    let a = parse_date("6 July 2017").unwrap();
    let b = parse_date("6 July 2017").unwrap();
    assert_eq!(a, b);
    assert_eq!(format_date(&a), "2017-07-06T00:00:00Z");
}

#[test]
fn odd_inputs_do_not_panic() {
    for input in [
        "2021-05-04T05:54:00.9999999999999Z",
        "2021-05-04T05:5",
        "9999999999999",
        "99999999999",
        "Mon, 99 Foo 2021",
        "٢٠٢١-٠٥-٠٤",
        "2021-05-04T05:54:00+",
        "\u{0}",
        "2021-05-04T05:54:00.Z",
        "May May 2021",
        "1 2 3 4 5",
        ":",
        "am",
        "2021-05-04 05:54:00 PDT extra",
    ] {
        let _ = parse_date(input);
    }
}

#[test]
fn format_is_second_precision_utc_with_z() {
    let d = parse_date("2021-05-04T07:54:00.987+02:00").unwrap();
    assert_eq!(format_date(&d), "2021-05-04T05:54:00Z");
    // Round trip of the seeds' own values.
    for s in [
        "2021-05-04T05:54:00Z",
        "2024-02-13T00:37:00Z",
        "2013-07-04T16:36:00Z",
    ] {
        assert_eq!(format_date(&parse_date(s).unwrap()), s);
    }
}
