//! Dates as publishers write them, to UTC.
//!
//! Feeds and pages break RFC 2822 in well-known ways (wrong weekdays, zone
//! names, full month names, missing seconds), so this is a small lenient parser
//! of our own rather than chrono's strict ones. It never invents a time: a date
//! without one is midnight UTC, never "now".

use crate::error::NormalizeError;
use chrono::{DateTime, Duration, NaiveDate, NaiveDateTime, NaiveTime, TimeZone, Utc};

/// Earliest year accepted: older "dates" in news metadata are placeholders.
pub const MIN_YEAR: i32 = 1900;
/// Latest year accepted: later ones are typos or sentinel values.
pub const MAX_YEAR: i32 = 2200;

/// Parses a publication date to UTC. Accepts RFC 3339 / ISO 8601 (with or
/// without offset, `T` or space, fractional seconds, date only = midnight
/// UTC), RFC 2822 and its common violations (wrong weekday, zone names such as
/// `PDT`/`EST`/`GMT`/`UT`/`Z`, military zones, two-digit years, missing
/// seconds, full month names, month-first order), `YYYYMMDD`, and Unix epoch
/// seconds (9–10 digits) or milliseconds (13 digits). Text without a zone is
/// taken as UTC.
///
/// Rejects `0000-00-00` and other impossible dates, and years outside
/// 1900–2200, with an error naming the value.
///
/// ```
/// use newsdesk_normalize::{format_date, parse_date};
/// let d = parse_date("Thu, 6 July 2017 15:30 PDT").unwrap();
/// assert_eq!(format_date(&d), "2017-07-06T22:30:00Z");
/// ```
pub fn parse_date(s: &str) -> Result<DateTime<Utc>, NormalizeError> {
    let value = s.trim();
    if value.is_empty() {
        return Err(NormalizeError::Empty { what: "date" });
    }
    let parsed = if value.bytes().all(|b| b.is_ascii_digit()) {
        parse_digits(value)
    } else if value.as_bytes()[0].is_ascii_digit() && looks_iso(value) {
        parse_iso(value)
    } else {
        parse_textual(value)
    };
    let dt = parsed.map_err(|kind| kind.into_error(value))?;
    let year = chrono::Datelike::year(&dt);
    if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
        return Err(NormalizeError::DateOutOfRange {
            value: value.to_string(),
            min: MIN_YEAR,
            max: MAX_YEAR,
        });
    }
    Ok(dt)
}

/// RFC 3339 in UTC with second precision and `Z`, the record format's
/// `publishedDateTime` (`2021-05-04T05:54:00Z`).
pub fn format_date(dt: &DateTime<Utc>) -> String {
    dt.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// Why a value failed, before the value is attached.
enum Failure {
    Unrecognized,
    Impossible,
    OutOfRange,
}

impl Failure {
    fn into_error(self, value: &str) -> NormalizeError {
        let value = value.to_string();
        match self {
            Failure::Unrecognized => NormalizeError::UnrecognizedDate { value },
            Failure::Impossible => NormalizeError::ImpossibleDate { value },
            Failure::OutOfRange => NormalizeError::DateOutOfRange {
                value,
                min: MIN_YEAR,
                max: MAX_YEAR,
            },
        }
    }
}

type Parsed = Result<DateTime<Utc>, Failure>;

fn parse_digits(v: &str) -> Parsed {
    match v.len() {
        8 => {
            let n =
                |r: std::ops::Range<usize>| v[r].parse::<u32>().map_err(|_| Failure::Unrecognized);
            let year = n(0..4)? as i32;
            build(year, n(4..6)?, n(6..8)?, 0, 0, 0, 0, 0)
        }
        9 | 10 => {
            let secs: i64 = v.parse().map_err(|_| Failure::Unrecognized)?;
            Utc.timestamp_opt(secs, 0)
                .single()
                .ok_or(Failure::OutOfRange)
        }
        13 => {
            let ms: i64 = v.parse().map_err(|_| Failure::Unrecognized)?;
            Utc.timestamp_millis_opt(ms)
                .single()
                .ok_or(Failure::OutOfRange)
        }
        _ => Err(Failure::Unrecognized),
    }
}

/// `YYYY-MM-DD` or `YYYY/MM/DD` at the start.
fn looks_iso(v: &str) -> bool {
    let b = v.as_bytes();
    b.len() >= 10
        && b[..4].iter().all(u8::is_ascii_digit)
        && (b[4] == b'-' || b[4] == b'/')
        && b[7] == b[4]
}

fn parse_iso(v: &str) -> Parsed {
    let num = |s: &str| -> Result<u32, Failure> {
        if s.is_empty() || !s.bytes().all(|b| b.is_ascii_digit()) {
            return Err(Failure::Unrecognized);
        }
        s.parse().map_err(|_| Failure::Unrecognized)
    };
    let year = num(&v[0..4])? as i32;
    let month = num(v.get(5..7).ok_or(Failure::Unrecognized)?)?;
    let day = num(v.get(8..10).ok_or(Failure::Unrecognized)?)?;
    let rest = &v[10..];
    if rest.trim().is_empty() {
        return build(year, month, day, 0, 0, 0, 0, 0);
    }
    let rest = rest
        .strip_prefix(['T', 't', ' '])
        .ok_or(Failure::Unrecognized)?
        .trim_start();
    // Time: HH:MM[:SS[.fraction]]
    let time_end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.' || c == ','))
        .unwrap_or(rest.len());
    let (time, zone) = rest.split_at(time_end);
    let (hms, frac) = match time.find(['.', ',']) {
        Some(i) => (&time[..i], &time[i + 1..]),
        None => (time, ""),
    };
    let mut fields = hms.split(':');
    let hour = num(fields.next().unwrap_or(""))?;
    let minute = num(fields.next().ok_or(Failure::Unrecognized)?)?;
    let second = match fields.next() {
        Some(s) => num(s)?,
        None => 0,
    };
    if fields.next().is_some() {
        return Err(Failure::Unrecognized);
    }
    let nanos = if frac.is_empty() {
        0
    } else {
        let digits: String = frac.chars().take(9).collect();
        let n = num(&digits)?;
        n * 10u32.pow(9 - digits.len() as u32)
    };
    let offset = parse_zone(zone.trim())?;
    build(year, month, day, hour, minute, second, nanos, offset)
}

/// RFC 2822 and the shapes real feeds and pages use instead:
/// `[Weekday,] D Month YYYY [HH:MM[:SS]] [zone]`, `Month D, YYYY ...`.
fn parse_textual(v: &str) -> Parsed {
    let cleaned: String = v.chars().map(|c| if c == ',' { ' ' } else { c }).collect();
    let mut tokens: Vec<&str> = cleaned.split_whitespace().collect();
    // The weekday carries no information (and is often wrong): drop it.
    if tokens.first().is_some_and(|t| weekday(t)) {
        tokens.remove(0);
    }
    let mut day = None;
    let mut month = None;
    let mut year = None;
    let mut time = None;
    let mut offset = None;
    let mut pm = None;
    for (i, tok) in tokens.iter().enumerate() {
        let t = tok.trim_end_matches('.');
        if let Some(m) = month_number(t) {
            if month.replace(m).is_some() {
                return Err(Failure::Unrecognized);
            }
        } else if t.contains(':') && time.is_none() {
            time = Some(parse_hms(t)?);
        } else if t.eq_ignore_ascii_case("am") || t.eq_ignore_ascii_case("pm") {
            pm = Some(t.eq_ignore_ascii_case("pm"));
        } else if t.bytes().all(|b| b.is_ascii_digit()) && !t.is_empty() {
            let n: u32 = t.parse().map_err(|_| Failure::Unrecognized)?;
            if t.len() >= 3 && year.is_none() {
                year = Some(n as i32);
            } else if day.is_none() && (month.is_some() || i == 0) {
                day = Some(n);
            } else if year.is_none() {
                year = Some(expand_two_digit_year(n));
            } else {
                return Err(Failure::Unrecognized);
            }
        } else if let Some(d) = ordinal_day(t) {
            if day.replace(d).is_some() {
                return Err(Failure::Unrecognized);
            }
        } else if time.is_some() || year.is_some() {
            // Anything after the date parts must be a zone: `GMT`, `+0200`,
            // `GMT+2`, `(PDT)` comments.
            let z = t.trim_matches(|c| c == '(' || c == ')');
            if z.is_empty() {
                continue;
            }
            if offset.is_some() {
                // `+0000 (UTC)`: a trailing comment after the zone.
                if tok.starts_with('(') {
                    continue;
                }
                return Err(Failure::Unrecognized);
            }
            offset = Some(parse_zone(z)?);
        } else {
            return Err(Failure::Unrecognized);
        }
    }
    let (Some(day), Some(month), Some(year)) = (day, month, year) else {
        return Err(Failure::Unrecognized);
    };
    let (mut hour, minute, second) = time.unwrap_or((0, 0, 0));
    match pm {
        Some(true) if hour < 12 => hour += 12,
        Some(false) if hour == 12 => hour = 0,
        Some(_) if hour > 12 => return Err(Failure::Impossible),
        _ => {}
    }
    build(
        year,
        month,
        day,
        hour,
        minute,
        second,
        0,
        offset.unwrap_or(0),
    )
}

fn parse_hms(t: &str) -> Result<(u32, u32, u32), Failure> {
    let parts: Vec<&str> = t.split(':').collect();
    if !(2..=3).contains(&parts.len())
        || parts
            .iter()
            .any(|p| p.is_empty() || p.len() > 2 || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        return Err(Failure::Unrecognized);
    }
    let n = |s: &str| s.parse::<u32>().map_err(|_| Failure::Unrecognized);
    Ok((
        n(parts[0])?,
        n(parts[1])?,
        parts.get(2).map_or(Ok(0), |s| n(s))?,
    ))
}

/// RFC 2822 §4.3: two-digit years 00–49 are 2000–2049, 50–99 are 1950–1999.
fn expand_two_digit_year(n: u32) -> i32 {
    match n {
        0..=49 => 2000 + n as i32,
        50..=99 => 1900 + n as i32,
        _ => n as i32,
    }
}

fn ordinal_day(t: &str) -> Option<u32> {
    let lower = t.to_ascii_lowercase();
    let digits = lower
        .strip_suffix("st")
        .or_else(|| lower.strip_suffix("nd"))
        .or_else(|| lower.strip_suffix("rd"))
        .or_else(|| lower.strip_suffix("th"))?;
    (!digits.is_empty() && digits.len() <= 2 && digits.bytes().all(|b| b.is_ascii_digit()))
        .then(|| digits.parse().ok())
        .flatten()
}

fn weekday(t: &str) -> bool {
    let lower = t.trim_end_matches('.').to_ascii_lowercase();
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    lower.len() >= 3
        && DAYS
            .iter()
            .any(|d| *d == lower || (lower.len() <= 4 && d.starts_with(lower.as_str())))
}

fn month_number(t: &str) -> Option<u32> {
    let lower = t.to_ascii_lowercase();
    const MONTHS: [&str; 12] = [
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
    if lower.len() < 3 {
        return None;
    }
    MONTHS
        .iter()
        .position(|m| *m == lower || (lower.len() <= 4 && m.starts_with(lower.as_str())))
        .map(|i| i as u32 + 1)
}

/// A zone to seconds east of UTC: `Z`, `±HH:MM`, `±HHMM`, `±HH`, `UT`, `UTC`,
/// `GMT` (optionally followed by an offset), the North American names RFC 2822
/// defines, a few unambiguous others seen in feeds, and military letters.
fn parse_zone(z: &str) -> Result<i32, Failure> {
    if z.is_empty() {
        return Ok(0);
    }
    let upper = z.to_ascii_uppercase();
    for prefix in ["UTC", "GMT", "UT"] {
        if let Some(rest) = upper.strip_prefix(prefix) {
            if rest.is_empty() {
                return Ok(0);
            }
            if rest.starts_with(['+', '-']) {
                return numeric_offset(rest);
            }
        }
    }
    if upper.starts_with(['+', '-']) {
        return numeric_offset(&upper);
    }
    let hours = match upper.as_str() {
        "Z" => 0,
        "EST" => -5,
        "EDT" => -4,
        "CST" => -6,
        "CDT" => -5,
        "MST" => -7,
        "MDT" => -6,
        "PST" => -8,
        "PDT" => -7,
        "AKST" => -9,
        "AKDT" => -8,
        "HST" => -10,
        "WET" => 0,
        "WEST" | "CET" => 1,
        "CEST" | "EET" => 2,
        "EEST" | "MSK" => 3,
        "SGT" | "HKT" | "AWST" => 8,
        "JST" | "KST" => 9,
        "AEST" => 10,
        "AEDT" => 11,
        "NZST" => 12,
        "NZDT" => 13,
        // RFC 5322 §4.3: the military zones were defined with the wrong sign
        // in RFC 822, so their meaning is unknowable; read them as UTC.
        m if m.len() == 1 && m.as_bytes()[0].is_ascii_alphabetic() && m != "J" => 0,
        _ => return Err(Failure::Unrecognized),
    };
    Ok(hours * 3600)
}

fn numeric_offset(s: &str) -> Result<i32, Failure> {
    let sign = if s.starts_with('-') { -1 } else { 1 };
    let digits: String = s[1..].chars().filter(|c| *c != ':').collect();
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(Failure::Unrecognized);
    }
    let (h, m) = match digits.len() {
        1 | 2 => (digits.parse::<i32>().unwrap_or(99), 0),
        3 => (
            digits[..1].parse().unwrap_or(99),
            digits[1..].parse().unwrap_or(99),
        ),
        _ => (
            digits[..2].parse().unwrap_or(99),
            digits[2..].parse().unwrap_or(99),
        ),
    };
    if h > 14 || m > 59 {
        return Err(Failure::Impossible);
    }
    Ok(sign * (h * 3600 + m * 60))
}

#[allow(clippy::too_many_arguments)]
fn build(
    year: i32,
    month: u32,
    day: u32,
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
    offset_secs: i32,
) -> Parsed {
    let date = NaiveDate::from_ymd_opt(year, month, day).ok_or(Failure::Impossible)?;
    // A leap second (`23:59:60`) is kept as the last second of the minute.
    let second = if second == 60 { 59 } else { second };
    let time =
        NaiveTime::from_hms_nano_opt(hour, minute, second, nanos).ok_or(Failure::Impossible)?;
    let local = NaiveDateTime::new(date, time);
    let utc = local
        .checked_sub_signed(Duration::seconds(i64::from(offset_secs)))
        .ok_or(Failure::OutOfRange)?;
    Ok(Utc.from_utc_datetime(&utc))
}
