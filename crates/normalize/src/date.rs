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
/// without offset, `T` or space, fractional seconds, basic `20031231T101455Z`
/// or extended format, hour-only times, `24:00`), W3C-DTF's reduced precisions
/// (`2003-12`, `2003`: the first instant of that month or year; a date only is
/// midnight UTC), RFC 2822 and its common violations (wrong or misplaced
/// weekday, zone names such as `PDT`/`EST`/`GMT`/`UT`/`Z`, military zones,
/// zones attached to the time, two- and three-digit years, missing or
/// fractional seconds, abbreviated or full month names, month-first order,
/// `01-Jan-2004`), `YYYYMMDD`, and Unix epoch seconds (9–10 digits) or
/// milliseconds (13 digits). Text without a zone is taken as UTC.
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
        // W3C-DTF's year-only precision.
        4 => build(digits(v, 0..4)? as i32, 1, 1, Clock::MIDNIGHT, 0),
        8 => build(
            digits(v, 0..4)? as i32,
            digits(v, 4..6)?,
            digits(v, 6..8)?,
            Clock::MIDNIGHT,
            0,
        ),
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

/// The number in `v[range]`, which the caller has checked is ASCII digits.
fn digits(v: &str, range: std::ops::Range<usize>) -> Result<u32, Failure> {
    v.get(range)
        .and_then(|d| d.parse().ok())
        .ok_or(Failure::Unrecognized)
}

/// Number of leading ASCII digits.
fn digit_run(b: &[u8]) -> usize {
    b.iter().take_while(|c| c.is_ascii_digit()).count()
}

/// `YYYY-M…`, `YYYY/M…`, or a basic `YYYYMMDD` followed by a time.
fn looks_iso(v: &str) -> bool {
    let b = v.as_bytes();
    let run = digit_run(b);
    (run == 4 && matches!(b.get(4), Some(b'-' | b'/')) && b.get(5).is_some_and(u8::is_ascii_digit))
        || (run == 8 && matches!(b.get(8), Some(b'T' | b't' | b' ')))
}

/// A one- or two-digit field at the start of `b`, and its length.
fn short_field(b: &[u8]) -> Result<(u32, usize), Failure> {
    match digit_run(b) {
        1 => Ok((u32::from(b[0] - b'0'), 1)),
        2 => Ok((u32::from(b[0] - b'0') * 10 + u32::from(b[1] - b'0'), 2)),
        _ => Err(Failure::Unrecognized),
    }
}

fn parse_iso(v: &str) -> Parsed {
    let b = v.as_bytes();
    let year = digits(v, 0..4)? as i32;
    let (month, day, rest) = if matches!(b[4], b'-' | b'/') {
        let sep = b[4];
        let (month, n) = short_field(&b[5..])?;
        let mut i = 5 + n;
        // W3C-DTF's year-and-month precision: the first of the month.
        let day = if i == b.len() {
            1
        } else if b[i] == sep {
            let (day, n) = short_field(&b[i + 1..])?;
            i += 1 + n;
            day
        } else {
            return Err(Failure::Unrecognized);
        };
        (month, day, &v[i..])
    } else {
        (digits(v, 4..6)?, digits(v, 6..8)?, &v[8..])
    };
    if rest.trim().is_empty() {
        return build(year, month, day, Clock::MIDNIGHT, 0);
    }
    let rest = rest
        .strip_prefix(['T', 't', ' '])
        .ok_or(Failure::Unrecognized)?
        .trim_start();
    let (clock, zone_text) = parse_clock(rest, true)?;
    let mut zone = Zone::default();
    for tok in zone_text.split_whitespace() {
        zone.token(tok)?;
    }
    zone.finish()?;
    build(year, month, day, clock, zone.offset.unwrap_or(0))
}

/// A time of day as written; `hour` may be 24 (the end of the day) and
/// `second` 60 (a leap second) until [`build`] resolves them.
#[derive(Clone, Copy)]
struct Clock {
    hour: u32,
    minute: u32,
    second: u32,
    nanos: u32,
}

impl Clock {
    const MIDNIGHT: Clock = Clock {
        hour: 0,
        minute: 0,
        second: 0,
        nanos: 0,
    };
}

/// A time at the start of `s`: `H[H][:MM[:SS[.fraction]]]`, or with `basic`
/// also ISO 8601's `HHMM[SS[.fraction]]`. Returns the rest, which holds the
/// zone if one is attached.
fn parse_clock(s: &str, basic: bool) -> Result<(Clock, &str), Failure> {
    let b = s.as_bytes();
    let run = digit_run(b);
    let mut clock = Clock::MIDNIGHT;
    let mut i;
    let has_seconds;
    if run == 1 || run == 2 {
        clock.hour = short_field(b)?.0;
        i = run;
        let mut has_minutes = false;
        if b.get(i) == Some(&b':') {
            let (m, n) = short_field(&b[i + 1..])?;
            clock.minute = m;
            i += 1 + n;
            has_minutes = true;
        }
        has_seconds = has_minutes && b.get(i) == Some(&b':');
        if has_seconds {
            let (sec, n) = short_field(&b[i + 1..])?;
            clock.second = sec;
            i += 1 + n;
        }
    } else if basic && (run == 4 || run == 6) {
        clock.hour = digits(s, 0..2)?;
        clock.minute = digits(s, 2..4)?;
        has_seconds = run == 6;
        if has_seconds {
            clock.second = digits(s, 4..6)?;
        }
        i = run;
    } else {
        return Err(Failure::Unrecognized);
    }
    if has_seconds && matches!(b.get(i), Some(b'.' | b',')) {
        i += 1;
        let frac = digit_run(&b[i..]);
        // Beyond nanoseconds the digits carry nothing chrono can keep.
        let kept = frac.min(9);
        let mut nanos = 0u32;
        for d in &b[i..i + kept] {
            nanos = nanos * 10 + u32::from(d - b'0');
        }
        clock.nanos = nanos * 10u32.pow(9 - kept as u32);
        i += frac;
    }
    Ok((clock, &s[i..]))
}

/// The zone tokens after a time. The first one gives the offset; after it, a
/// zone name (`-0800 PST`, `GMT GMT`) or a parenthesized comment
/// (`+0000 (UTC)`, `EST (Eastern)`) only restates it and is skipped.
#[derive(Default)]
struct Zone {
    offset: Option<i32>,
    in_comment: bool,
}

impl Zone {
    fn token(&mut self, tok: &str) -> Result<(), Failure> {
        if self.in_comment {
            self.in_comment = !tok.ends_with(')');
            return Ok(());
        }
        if let Some(inner) = tok.strip_prefix('(') {
            if self.offset.is_some() {
                self.in_comment = !inner.ends_with(')');
                return Ok(());
            }
            // `(PDT)` standing in for the zone must name one: a longer
            // comment cannot be read as an offset.
            let name = inner.strip_suffix(')').ok_or(Failure::Unrecognized)?;
            self.offset = Some(parse_zone(name)?);
            return Ok(());
        }
        match self.offset {
            None => self.offset = Some(parse_zone(tok)?),
            Some(_) if !tok.starts_with(['+', '-']) && parse_zone(tok).is_ok() => {}
            Some(_) => return Err(Failure::Unrecognized),
        }
        Ok(())
    }

    fn finish(&self) -> Result<(), Failure> {
        if self.in_comment {
            return Err(Failure::Unrecognized);
        }
        Ok(())
    }
}

/// What the words of a textual date have said so far.
#[derive(Default)]
struct Textual {
    day: Option<u32>,
    month: Option<u32>,
    year: Option<i32>,
    time: Option<Clock>,
    pm: Option<bool>,
    zone: Zone,
}

impl Textual {
    fn word(&mut self, tok: &str) -> Result<(), Failure> {
        if self.zone.in_comment || tok.starts_with('(') {
            return self.zone_word(tok);
        }
        let t = tok.strip_suffix('.').unwrap_or(tok);
        if t.as_bytes().first().is_some_and(u8::is_ascii_digit) {
            return self.numeric_word(t);
        }
        if let Some(m) = month_number(t) {
            if self.month.replace(m).is_some() {
                return Err(Failure::Unrecognized);
            }
            return Ok(());
        }
        if is_weekday(t) {
            // The weekday carries no information (and is often wrong).
            return Ok(());
        }
        if t.eq_ignore_ascii_case("am") || t.eq_ignore_ascii_case("pm") {
            return match self.pm.replace(t.eq_ignore_ascii_case("pm")) {
                Some(_) => Err(Failure::Unrecognized),
                None => Ok(()),
            };
        }
        // `Jan 1 2004 at 19:48`
        if t.eq_ignore_ascii_case("at") && self.time.is_none() {
            return Ok(());
        }
        if is_dashed_date(t) {
            return self.dashed(t);
        }
        self.zone_word(tok)
    }

    fn numeric_word(&mut self, t: &str) -> Result<(), Failure> {
        let b = t.as_bytes();
        let run = digit_run(b);
        if run == b.len() {
            let n: u32 = t.parse().map_err(|_| Failure::Unrecognized)?;
            if run >= 3 {
                if self.year.is_some() {
                    return Err(Failure::Unrecognized);
                }
                // RFC 5322 §4.3: a three-digit year is 1900 plus its value.
                self.year = Some(if run == 3 { 1900 + n as i32 } else { n as i32 });
            } else if self.day.is_none() {
                self.day = Some(n);
            } else if self.year.is_none() {
                self.year = Some(expand_two_digit_year(n));
            } else {
                return Err(Failure::Unrecognized);
            }
            return Ok(());
        }
        if b.get(run) == Some(&b':') {
            if self.time.is_some() {
                return Err(Failure::Unrecognized);
            }
            let (clock, zone) = parse_clock(t, false)?;
            self.time = Some(clock);
            // `19:48:21+0100`, `19:48:21Z`
            if !zone.is_empty() {
                self.zone.token(zone)?;
            }
            return Ok(());
        }
        if is_dashed_date(t) {
            return self.dashed(t);
        }
        match ordinal_day(t) {
            Some(d) if self.day.is_none() => {
                self.day = Some(d);
                Ok(())
            }
            _ => Err(Failure::Unrecognized),
        }
    }

    /// `01-Jan-2004`, `Jan-01-2004`, `2004-Jan-01`: each part is a word.
    fn dashed(&mut self, t: &str) -> Result<(), Failure> {
        for part in t.split('-') {
            self.word(part)?;
        }
        Ok(())
    }

    /// Anything after the date parts must be a zone: `GMT`, `+0200`,
    /// `GMT+2`, `(PDT)`, or a comment after one.
    fn zone_word(&mut self, tok: &str) -> Result<(), Failure> {
        if self.time.is_none() && self.year.is_none() {
            return Err(Failure::Unrecognized);
        }
        self.zone.token(tok)
    }
}

/// Three dash-separated parts, each a number or a month name. Offsets
/// (`-0800`, `GMT-5`) never have this shape.
fn is_dashed_date(t: &str) -> bool {
    t.bytes().filter(|c| *c == b'-').count() == 2
        && t.split('-').all(|p| {
            !p.is_empty() && (p.bytes().all(|c| c.is_ascii_digit()) || month_number(p).is_some())
        })
}

/// RFC 2822 and the shapes real feeds and pages use instead:
/// `[Weekday,] D Month YYYY [HH:MM[:SS]] [zone]`, `Month D, YYYY ...`,
/// `D-Mon-YYYY`.
fn parse_textual(v: &str) -> Parsed {
    let mut words = Textual::default();
    for tok in v
        .split(|c: char| c.is_whitespace() || c == ',')
        .filter(|t| !t.is_empty())
    {
        words.word(tok)?;
    }
    words.zone.finish()?;
    let (Some(day), Some(month), Some(year)) = (words.day, words.month, words.year) else {
        return Err(Failure::Unrecognized);
    };
    let mut clock = words.time.unwrap_or(Clock::MIDNIGHT);
    match words.pm {
        Some(_) if words.time.is_none() => return Err(Failure::Unrecognized),
        Some(true) if clock.hour < 12 => clock.hour += 12,
        Some(false) if clock.hour == 12 => clock.hour = 0,
        Some(_) if clock.hour > 12 => return Err(Failure::Impossible),
        _ => {}
    }
    build(year, month, day, clock, words.zone.offset.unwrap_or(0))
}

/// RFC 2822 §4.3: two-digit years 00–49 are 2000–2049, 50–99 are 1950–1999.
fn expand_two_digit_year(n: u32) -> i32 {
    match n {
        0..=49 => 2000 + n as i32,
        50..=99 => 1900 + n as i32,
        _ => n as i32,
    }
}

/// `4th`, `1st`, `22nd`, `3rd`.
fn ordinal_day(t: &str) -> Option<u32> {
    let b = t.as_bytes();
    if !(3..=4).contains(&b.len()) {
        return None;
    }
    let (digits, suffix) = b.split_at(b.len() - 2);
    let known = [b"st", b"nd", b"rd", b"th"]
        .iter()
        .any(|s| suffix.eq_ignore_ascii_case(*s));
    if !known || !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    Some(digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')))
}

/// `t` abbreviates `full` (three letters at least), ignoring case.
fn abbreviates(t: &str, full: &str) -> bool {
    t.len() >= 3
        && t.len() <= full.len()
        && full.as_bytes()[..t.len()].eq_ignore_ascii_case(t.as_bytes())
}

fn is_weekday(t: &str) -> bool {
    const DAYS: [&str; 7] = [
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
    ];
    DAYS.iter().any(|d| abbreviates(t, d))
}

fn month_number(t: &str) -> Option<u32> {
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
    MONTHS
        .iter()
        .position(|m| abbreviates(t, m))
        .map(|i| i as u32 + 1)
}

/// Zone names, in seconds east of UTC: the ones RFC 2822 defines and others
/// common in feeds. Where a name is ambiguous the reading most feeds mean is
/// taken: `IST` is India (not Ireland or Israel), `BST` British Summer Time,
/// `AST`/`ADT` Atlantic.
const ZONE_NAMES: [(&str, i32); 37] = [
    ("Z", 0),
    ("UT", 0),
    ("UTC", 0),
    ("GMT", 0),
    ("WET", 0),
    ("EST", -5 * 3600),
    ("EDT", -4 * 3600),
    ("CST", -6 * 3600),
    ("CDT", -5 * 3600),
    ("MST", -7 * 3600),
    ("MDT", -6 * 3600),
    ("PST", -8 * 3600),
    ("PDT", -7 * 3600),
    ("AST", -4 * 3600),
    ("ADT", -3 * 3600),
    ("AKST", -9 * 3600),
    ("AKDT", -8 * 3600),
    ("HST", -10 * 3600),
    ("BST", 3600),
    ("WEST", 3600),
    ("CET", 3600),
    ("MET", 3600),
    ("CEST", 2 * 3600),
    ("MEST", 2 * 3600),
    ("EET", 2 * 3600),
    ("EEST", 3 * 3600),
    ("MSK", 3 * 3600),
    ("IST", 5 * 3600 + 1800),
    ("SGT", 8 * 3600),
    ("HKT", 8 * 3600),
    ("AWST", 8 * 3600),
    ("JST", 9 * 3600),
    ("KST", 9 * 3600),
    ("AEST", 10 * 3600),
    ("AEDT", 11 * 3600),
    ("NZST", 12 * 3600),
    ("NZDT", 13 * 3600),
];

/// A zone to seconds east of UTC: `Z`, `±HH:MM`, `±HHMM`, `±HH`, `UT`, `UTC`,
/// `GMT` (optionally followed by an offset), a name from [`ZONE_NAMES`], or a
/// military letter.
fn parse_zone(z: &str) -> Result<i32, Failure> {
    if z.is_empty() {
        return Ok(0);
    }
    if z.starts_with(['+', '-']) {
        return numeric_offset(z);
    }
    for prefix in ["UTC", "GMT", "UT"] {
        let b = z.as_bytes();
        if b.len() > prefix.len()
            && b[..prefix.len()].eq_ignore_ascii_case(prefix.as_bytes())
            && matches!(b[prefix.len()], b'+' | b'-')
        {
            return numeric_offset(&z[prefix.len()..]);
        }
    }
    if let Some((_, offset)) = ZONE_NAMES.iter().find(|(n, _)| n.eq_ignore_ascii_case(z)) {
        return Ok(*offset);
    }
    match z.as_bytes() {
        // RFC 5322 §4.3: the military zones were defined with the wrong sign
        // in RFC 822, so their meaning is unknowable; read them as UTC. `J`
        // was never a zone.
        [c] if c.is_ascii_alphabetic() && !c.eq_ignore_ascii_case(&b'J') => Ok(0),
        _ => Err(Failure::Unrecognized),
    }
}

/// `±H`, `±HH`, `±HMM`, `±HHMM`, with or without a colon. Hours go to 23 as
/// RFC 3339's and RFC 2822's grammars allow, though no zone is beyond 14.
fn numeric_offset(s: &str) -> Result<i32, Failure> {
    let sign = if s.starts_with('-') { -1 } else { 1 };
    let mut d = [0i32; 4];
    let mut n = 0;
    for c in s[1..].bytes() {
        match c {
            b':' => {}
            b'0'..=b'9' if n < 4 => {
                d[n] = i32::from(c - b'0');
                n += 1;
            }
            _ => return Err(Failure::Unrecognized),
        }
    }
    let (h, m) = match n {
        1 => (d[0], 0),
        2 => (d[0] * 10 + d[1], 0),
        3 => (d[0], d[1] * 10 + d[2]),
        4 => (d[0] * 10 + d[1], d[2] * 10 + d[3]),
        _ => return Err(Failure::Unrecognized),
    };
    if h > 23 || m > 59 {
        return Err(Failure::Impossible);
    }
    Ok(sign * (h * 3600 + m * 60))
}

fn build(year: i32, month: u32, day: u32, clock: Clock, offset_secs: i32) -> Parsed {
    let mut date = NaiveDate::from_ymd_opt(year, month, day).ok_or(Failure::Impossible)?;
    let Clock {
        mut hour,
        minute,
        second,
        nanos,
    } = clock;
    // ISO 8601's 24:00 is the end of the day, the next day's midnight.
    if hour == 24 && minute == 0 && second == 0 && nanos == 0 {
        date = date.succ_opt().ok_or(Failure::OutOfRange)?;
        hour = 0;
    }
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
