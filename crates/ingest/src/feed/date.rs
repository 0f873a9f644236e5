//! Lenient feed dates: RFC 822 and its many corruptions (RSS), W3C-DTF / ISO
//! 8601 (Atom, Dublin Core), all converted to UTC.
//!
//! Strict parsers reject a large share of real feeds (wrong weekday, `July`
//! spelled out, two-digit years, `PDT`), so this one ignores the weekday and
//! accepts what a reader can understand without guessing. A date without a
//! time gets midnight UTC, never "now".

use chrono::{DateTime, NaiveDate, TimeZone, Utc};

pub(crate) fn parse(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    if s.is_empty() {
        return None;
    }
    if s.len() >= 4 && s.as_bytes()[..4].iter().all(u8::is_ascii_digit) {
        if let Some(d) = parse_iso(s) {
            return Some(d);
        }
    }
    parse_rfc822(s)
}

fn month_from_name(t: &str) -> Option<u32> {
    let t = t.to_ascii_lowercase();
    let t = t.trim_end_matches('.');
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    if t.len() < 3 {
        return None;
    }
    let m = NAMES.iter().position(|n| t.starts_with(n))?;
    // `sept` and full names are fine; `mayday` is not a month.
    let full = [
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
    ];
    if t.len() == 3 || full[m].starts_with(t) || (m == 8 && t == "sept") {
        Some(m as u32 + 1)
    } else {
        None
    }
}

/// Offset in seconds east of UTC for a zone token.
fn zone_offset(t: &str) -> Option<i32> {
    let t = t.trim_matches(|c| c == '(' || c == ')');
    if let Some(rest) = t.strip_prefix(['+', '-']) {
        let sign = if t.starts_with('-') { -1 } else { 1 };
        let digits: String = rest.chars().filter(|c| *c != ':').collect();
        if !digits.chars().all(|c| c.is_ascii_digit()) {
            return None;
        }
        let (h, m) = match digits.len() {
            1 | 2 => (digits.parse::<i32>().ok()?, 0),
            3 => (
                digits[..1].parse::<i32>().ok()?,
                digits[1..].parse::<i32>().ok()?,
            ),
            4 => (
                digits[..2].parse::<i32>().ok()?,
                digits[2..].parse::<i32>().ok()?,
            ),
            _ => return None,
        };
        if h > 23 || m > 59 {
            return None;
        }
        return Some(sign * (h * 3600 + m * 60));
    }
    let up = t.to_ascii_uppercase();
    let hours = match up.as_str() {
        "GMT" | "UT" | "UTC" | "Z" | "WET" => 0,
        "EST" => -5,
        "EDT" => -4,
        "CST" => -6,
        "CDT" => -5,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        "AST" => -4,
        "ADT" => -3,
        "AKST" => -9,
        "AKDT" => -8,
        "HST" => -10,
        "BST" | "CET" | "MET" | "WEST" => 1,
        "CEST" | "MEST" | "EET" => 2,
        "EEST" | "MSK" => 3,
        "IST" => return Some(5 * 3600 + 1800),
        "JST" | "KST" => 9,
        "AEST" => 10,
        "AEDT" => 11,
        "NZST" => 12,
        "NZDT" => 13,
        // RFC 822 military zones other than Z are notoriously misused;
        // treat them as UTC rather than guess a sign.
        x if x.len() == 1 && x.chars().all(|c| c.is_ascii_alphabetic()) => 0,
        x if x.starts_with("GMT") || x.starts_with("UTC") => {
            return zone_offset(&x[3..]).or(Some(0));
        }
        _ => return None,
    };
    Some(hours * 3600)
}

// The date's fields, as parsed; a struct would only rename them.
#[allow(clippy::too_many_arguments)]
fn build(
    y: i32,
    mo: u32,
    d: u32,
    h: u32,
    mi: u32,
    sec: u32,
    nanos: u32,
    offset: i32,
) -> Option<DateTime<Utc>> {
    let date = NaiveDate::from_ymd_opt(y, mo, d)?;
    // 24:00:00 means the end of the day; leap seconds are clamped.
    let (date, h) = if h == 24 && mi == 0 && sec == 0 {
        (date.succ_opt()?, 0)
    } else {
        (date, h)
    };
    let naive = date.and_hms_nano_opt(h, mi, sec.min(59), nanos)?;
    let local = naive - chrono::Duration::seconds(i64::from(offset));
    Some(Utc.from_utc_datetime(&local))
}

fn parse_time(t: &str) -> Option<(u32, u32, u32, u32)> {
    let mut parts = t.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next().unwrap_or("0").parse().ok()?;
    let (s, nanos) = match parts.next() {
        Some(sec) => split_fraction(sec)?,
        None => (0, 0),
    };
    if parts.next().is_some() || h > 24 || m > 59 || s > 60 {
        return None;
    }
    Some((h, m, s, nanos))
}

fn split_fraction(sec: &str) -> Option<(u32, u32)> {
    match sec.split_once(['.', ',']) {
        Some((s, frac)) => {
            let digits: String = frac.chars().take(9).collect();
            if !digits.chars().all(|c| c.is_ascii_digit()) {
                return None;
            }
            let nanos = if digits.is_empty() {
                0
            } else {
                digits.parse::<u32>().ok()? * 10u32.pow(9 - digits.len() as u32)
            };
            Some((s.parse().ok()?, nanos))
        }
        None => Some((sec.parse().ok()?, 0)),
    }
}

fn expand_year(y: i32, digits: usize) -> i32 {
    match digits {
        2 if y < 50 => 2000 + y,
        2 => 1900 + y,
        3 => 1900 + y,
        _ => y,
    }
}

fn parse_rfc822(s: &str) -> Option<DateTime<Utc>> {
    let cleaned = s.replace([',', '\u{a0}'], " ");
    let mut tokens: Vec<&str> = cleaned.split_whitespace().collect();
    // `10-Jan-2005`
    let split_dash: Vec<String>;
    if tokens
        .first()
        .is_some_and(|t| t.matches('-').count() == 2 && !t.starts_with('-'))
    {
        split_dash = tokens[0].split('-').map(str::to_string).collect();
        let rest: Vec<&str> = tokens[1..].to_vec();
        tokens = split_dash.iter().map(String::as_str).collect();
        tokens.extend(rest);
    }
    let mut day = None;
    let mut month = None;
    let mut year: Option<i32> = None;
    let mut time = None;
    let mut offset = None;
    for tok in tokens {
        if time.is_none() && tok.contains(':') && tok.starts_with(|c: char| c.is_ascii_digit()) {
            // `12:00:00+0100`, `12:00:00Z`
            let (t, z) = match tok.find(['+', '-', 'Z', 'z']) {
                Some(i) => (&tok[..i], Some(&tok[i..])),
                None => (tok, None),
            };
            time = Some(parse_time(t)?);
            if let Some(z) = z {
                offset = Some(zone_offset(z)?);
            }
            continue;
        }
        if let Some(m) = month_from_name(tok) {
            if month.is_none() {
                month = Some(m);
                continue;
            }
        }
        if tok.chars().all(|c| c.is_ascii_digit()) {
            let n: i32 = tok.parse().ok()?;
            if tok.len() <= 2 && day.is_none() {
                day = Some(n as u32);
            } else if year.is_none() {
                year = Some(expand_year(n, tok.len()));
            } else {
                return None;
            }
            continue;
        }
        if time.is_some() && offset.is_none() {
            if let Some(o) = zone_offset(tok) {
                offset = Some(o);
                continue;
            }
        }
        // Weekday names (right or wrong) and other words are ignored.
        let alpha = tok.chars().all(|c| c.is_ascii_alphabetic() || c == '.');
        if !alpha {
            return None;
        }
    }
    let (h, mi, sec, nanos) = time.unwrap_or((0, 0, 0, 0));
    build(year?, month?, day?, h, mi, sec, nanos, offset.unwrap_or(0))
}

fn parse_iso(s: &str) -> Option<DateTime<Utc>> {
    let s = s.trim();
    let (date_part, rest) = match s.find(['T', 't', ' ']) {
        Some(i) => (&s[..i], s[i + 1..].trim()),
        None => (s, ""),
    };
    let (y, mo, d) = if date_part.contains('-') {
        let mut it = date_part.split('-');
        let y: i32 = it.next()?.parse().ok()?;
        let mo: u32 = it.next().map_or(Some(1), |m| m.parse().ok())?;
        let d: u32 = it.next().map_or(Some(1), |d| d.parse().ok())?;
        if it.next().is_some() {
            return None;
        }
        (y, mo, d)
    } else if date_part.len() == 8 && date_part.chars().all(|c| c.is_ascii_digit()) {
        (
            date_part[..4].parse().ok()?,
            date_part[4..6].parse().ok()?,
            date_part[6..].parse().ok()?,
        )
    } else if date_part.len() == 4 {
        (date_part.parse().ok()?, 1, 1)
    } else {
        return None;
    };
    if rest.is_empty() {
        return build(y, mo, d, 0, 0, 0, 0, 0);
    }
    let (time_part, zone) = match rest.find(['Z', 'z', '+', '-', ' ']) {
        Some(i) => (&rest[..i], rest[i..].trim()),
        None => (rest, ""),
    };
    let time_part = if !time_part.contains(':') && time_part.len() >= 4 {
        // `T101455` compact time
        let (hms, frac) = time_part.split_at(time_part.find(['.', ',']).unwrap_or(time_part.len()));
        let mut out = String::new();
        for (i, c) in hms.chars().enumerate() {
            if i > 0 && i % 2 == 0 {
                out.push(':');
            }
            out.push(c);
        }
        out.push_str(frac);
        out
    } else {
        time_part.to_string()
    };
    let (h, mi, sec, nanos) = parse_time(&time_part)?;
    let offset = if zone.is_empty() {
        0
    } else {
        zone_offset(zone)?
    };
    build(y, mo, d, h, mi, sec, nanos, offset)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn iso(s: &str) -> String {
        parse(s).map(|d| d.to_rfc3339()).unwrap_or_default()
    }

    #[test]
    fn rfc822_variants() {
        assert_eq!(
            iso("Thu, 01 Jan 2004 19:48:21 GMT"),
            "2004-01-01T19:48:21+00:00"
        );
        assert_eq!(
            iso("Thu, 6 July 2017 15:30:00 PDT"),
            "2017-07-06T22:30:00+00:00"
        );
        assert_eq!(
            iso("Mon, 01 Jan 2004 19:48:21 +0100"),
            "2004-01-01T18:48:21+00:00"
        );
        assert_eq!(iso("01 Jan 04 19:48 EST"), "2004-01-02T00:48:00+00:00");
        assert_eq!(iso("Jan 1 2004"), "2004-01-01T00:00:00+00:00");
    }

    #[test]
    fn w3cdtf_variants() {
        assert_eq!(iso("2003-12-31T10:14:55Z"), "2003-12-31T10:14:55+00:00");
        assert_eq!(
            iso("2003-12-31T10:14:55-08:00"),
            "2003-12-31T18:14:55+00:00"
        );
        assert_eq!(
            iso("2003-12-31T10:14:55.25+01:00"),
            "2003-12-31T09:14:55.250+00:00"
        );
        assert_eq!(iso("2003-12-31"), "2003-12-31T00:00:00+00:00");
        assert_eq!(iso("2003-12"), "2003-12-01T00:00:00+00:00");
        assert_eq!(iso("20031231T101455Z"), "2003-12-31T10:14:55+00:00");
    }

    #[test]
    fn garbage_is_none() {
        assert!(parse("yesterday").is_none());
        assert!(parse("2003-13-45").is_none());
        assert!(parse("").is_none());
    }
}
