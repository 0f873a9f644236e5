//! Header values that steer retries and polling: `Retry-After`,
//! `Cache-Control: max-age`, and the backoff between attempts.

use std::time::{Duration, SystemTime};

/// `Retry-After` as a delay from `now`: delta-seconds or an HTTP date. A date
/// in the past is zero; an unreadable value is `None`.
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let v = value.trim();
    if let Ok(secs) = v.parse::<u64>() {
        return Some(Duration::from_secs(secs));
    }
    let at = httpdate::parse_http_date(v).ok()?;
    Some(at.duration_since(now).unwrap_or(Duration::ZERO))
}

/// `max-age` of a Cache-Control value (`s-maxage` is for shared caches and
/// ignored). `no-cache`/`no-store` give `None`.
pub fn parse_max_age(value: &str) -> Option<Duration> {
    let mut max_age = None;
    for directive in value.split(',') {
        let d = directive.trim();
        let (name, arg) = match d.split_once('=') {
            Some((n, a)) => (n.trim(), Some(a.trim().trim_matches('"'))),
            None => (d, None),
        };
        if name.eq_ignore_ascii_case("no-store") || name.eq_ignore_ascii_case("no-cache") {
            return None;
        }
        if name.eq_ignore_ascii_case("max-age") {
            max_age = arg
                .and_then(|a| a.parse::<u64>().ok())
                .map(Duration::from_secs);
        }
    }
    max_age
}

/// Exponential backoff with full jitter: a uniformly random delay between
/// zero and `min(max, base × 2^attempt)` (`attempt` counts from 0).
pub fn backoff_delay(attempt: u32, base: Duration, max: Duration) -> Duration {
    let cap = base
        .checked_mul(1u32.checked_shl(attempt.min(31)).unwrap_or(u32::MAX))
        .unwrap_or(max)
        .min(max);
    let nanos = u64::try_from(cap.as_nanos()).unwrap_or(u64::MAX);
    Duration::from_nanos(fastrand::u64(0..=nanos))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        let now = httpdate::parse_http_date("Sun, 06 Nov 1994 08:49:37 GMT").unwrap();
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:51:37 GMT", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("Sun, 06 Nov 1994 08:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-5", now), None);
    }

    #[test]
    fn max_age() {
        assert_eq!(
            parse_max_age("public, max-age=300"),
            Some(Duration::from_secs(300))
        );
        assert_eq!(
            parse_max_age("max-age=\"60\", s-maxage=900"),
            Some(Duration::from_secs(60))
        );
        assert_eq!(parse_max_age("no-cache, max-age=300"), None);
        assert_eq!(parse_max_age("private"), None);
    }

    #[test]
    fn backoff_stays_under_its_cap() {
        let (base, max) = (Duration::from_millis(100), Duration::from_secs(5));
        for attempt in 0..40 {
            let d = backoff_delay(attempt, base, max);
            let cap = if attempt < 6 {
                base * (1 << attempt)
            } else {
                max
            };
            assert!(d <= cap.min(max), "{attempt}: {d:?}");
        }
    }
}
