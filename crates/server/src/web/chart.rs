//! Small charts drawn as inline SVG on the server: no script, no outside
//! file, no `style` attribute (the page CSP allows only the desk's own
//! stylesheet; colours come from `app.css` classes and its theme variables,
//! so the dark theme applies).
//!
//! - [`line`]: values over time (a story's heat), an area under a line with
//!   a dot per sample, the value range and the first and last times as axis
//!   labels, a `<title>` and `aria-label` that say in words what it shows,
//!   and the numbers as a table in a `<details>` below it.
//! - [`sparkline`]: a count per day as bars (a source's articles a day),
//!   days without any drawn as empty days, not left out.
//!
//! Both return markup the templates insert unescaped (`|safe`); every text
//! in it is escaped here ([`escape`]), and the only text a caller gives is
//! the chart's name.

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// The line chart's drawing area (SVG user units).
const W: f64 = 600.0;
const H: f64 = 200.0;
/// Room for the axis labels: left (values), bottom (times), and a little on
/// the other sides so dots at the edge are not cut.
const LEFT: f64 = 48.0;
const RIGHT: f64 = 12.0;
const TOP: f64 = 12.0;
const BOTTOM: f64 = 28.0;

/// A sparkline's bar width and gap, and its height.
const BAR: f64 = 4.0;
const GAP: f64 = 1.0;
const SPARK_H: f64 = 24.0;

/// One sample of a line chart.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Point {
    pub at: DateTime<Utc>,
    pub value: i64,
}

/// Text safe inside an element or a quoted attribute.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

/// A coordinate as SVG takes it: one decimal, never NaN or infinite.
fn num(v: f64) -> String {
    if v.is_finite() {
        format!("{:.1}", v)
    } else {
        "0.0".into()
    }
}

/// A time as an axis label: `14:30`, or `Dec 7 14:30` when the chart spans
/// more than one day.
fn short(at: DateTime<Utc>, dated: bool) -> String {
    if dated {
        at.format("%b %-d %H:%M").to_string()
    } else {
        at.format("%H:%M").to_string()
    }
}

/// What a line chart shows, in words (its `<title>` and `aria-label`):
/// "Heat from 40 to 212 between 09:10 and 14:30 UTC, highest 230 at 12:00".
pub fn describe(name: &str, points: &[Point]) -> String {
    let (Some(first), Some(last)) = (points.first(), points.last()) else {
        return format!("{name}: no samples");
    };
    let dated = first.at.date_naive() != last.at.date_naive();
    if points.len() == 1 {
        return format!(
            "{name} {} at {} UTC (one sample)",
            first.value,
            short(first.at, dated)
        );
    }
    let mut text = format!(
        "{name} from {} to {} between {} and {} UTC",
        first.value,
        last.value,
        short(first.at, dated),
        short(last.at, dated)
    );
    if let Some(top) = points.iter().max_by_key(|p| p.value) {
        if top.value > first.value && top.value > last.value {
            text.push_str(&format!(
                ", highest {} at {}",
                top.value,
                short(top.at, dated)
            ));
        }
    }
    text
}

/// Where each point goes in the viewBox: time along x, value up y. The
/// value axis starts at zero (or the lowest value when below it); a single
/// time or a flat series is centred rather than divided by zero.
fn place(points: &[Point]) -> (Vec<(f64, f64)>, i64, i64) {
    let lo = points.iter().map(|p| p.value).min().unwrap_or(0).min(0);
    let mut hi = points.iter().map(|p| p.value).max().unwrap_or(0).max(lo);
    if hi == lo {
        hi = lo + 1;
    }
    let t0 = points.first().map(|p| p.at.timestamp()).unwrap_or(0);
    let t1 = points.last().map(|p| p.at.timestamp()).unwrap_or(0);
    let (inner_w, inner_h) = (W - LEFT - RIGHT, H - TOP - BOTTOM);
    let xy = points
        .iter()
        .map(|p| {
            let x = if t1 > t0 {
                LEFT + inner_w * (p.at.timestamp() - t0) as f64 / (t1 - t0) as f64
            } else {
                LEFT + inner_w / 2.0
            };
            let y = TOP + inner_h * (1.0 - (p.value - lo) as f64 / (hi - lo) as f64);
            (x.clamp(0.0, W), y.clamp(0.0, H))
        })
        .collect();
    (xy, lo, hi)
}

/// A line chart of `points` (oldest first) named `name` ("Heat"), with the
/// element id `id` (unique on its page). Empty markup for no points.
pub fn line(id: &str, name: &str, points: &[Point]) -> String {
    if points.is_empty() {
        return String::new();
    }
    let label = escape(&describe(name, points));
    let id = escape(id);
    let name = escape(name);
    let (xy, lo, hi) = place(points);
    let base = H - BOTTOM;
    let line_path: Vec<String> = xy
        .iter()
        .enumerate()
        .map(|(i, (x, y))| format!("{}{},{}", if i == 0 { "M" } else { "L" }, num(*x), num(*y)))
        .collect();
    let line_path = line_path.join(" ");
    let (first_x, last_x) = (xy[0].0, xy[xy.len() - 1].0);
    let area = format!(
        "{line_path} L{},{} L{},{} Z",
        num(last_x),
        num(base),
        num(first_x),
        num(base)
    );
    let first = points[0].at;
    let last = points[points.len() - 1].at;
    let dated = first.date_naive() != last.date_naive();
    let mut svg = format!(
        "<figure class=\"chart\"><svg class=\"chart-line\" viewBox=\"0 0 {w} {h}\" role=\"img\" aria-labelledby=\"{id}-title\" aria-label=\"{label}\" preserveAspectRatio=\"xMidYMid meet\">\
<title id=\"{id}-title\">{label}</title>\
<line class=\"chart-axis\" x1=\"{l}\" y1=\"{t}\" x2=\"{l}\" y2=\"{b}\"/>\
<line class=\"chart-axis\" x1=\"{l}\" y1=\"{b}\" x2=\"{r}\" y2=\"{b}\"/>\
<text class=\"chart-label\" x=\"{lx}\" y=\"{ty}\" text-anchor=\"end\">{hi}</text>\
<text class=\"chart-label\" x=\"{lx}\" y=\"{by}\" text-anchor=\"end\">{lo}</text>\
<text class=\"chart-label\" x=\"{l}\" y=\"{xy_}\" text-anchor=\"start\">{t_first}</text>",
        w = W,
        h = H,
        l = num(LEFT),
        t = num(TOP),
        b = num(base),
        r = num(W - RIGHT),
        lx = num(LEFT - 6.0),
        ty = num(TOP + 4.0),
        by = num(base),
        xy_ = num(H - 8.0),
        t_first = escape(&short(first, dated)),
    );
    if last != first {
        svg.push_str(&format!(
            "<text class=\"chart-label\" x=\"{}\" y=\"{}\" text-anchor=\"end\">{} UTC</text>",
            num(W - RIGHT),
            num(H - 8.0),
            escape(&short(last, dated))
        ));
    }
    if points.len() > 1 {
        svg.push_str(&format!(
            "<path class=\"chart-area\" d=\"{area}\"/><path class=\"chart-stroke\" d=\"{line_path}\"/>"
        ));
    }
    for (p, (x, y)) in points.iter().zip(&xy) {
        svg.push_str(&format!(
            "<circle class=\"chart-dot\" cx=\"{}\" cy=\"{}\" r=\"3\"><title>{} UTC: {}</title></circle>",
            num(*x),
            num(*y),
            escape(&short(p.at, dated)),
            p.value
        ));
    }
    svg.push_str("</svg>");
    svg.push_str(&format!(
        "<details class=\"chart-data\"><summary>{name} as numbers</summary><table><thead><tr><th scope=\"col\">Time (UTC)</th><th scope=\"col\">{name}</th></tr></thead><tbody>"
    ));
    for p in points {
        svg.push_str(&format!(
            "<tr><td><time datetime=\"{}\">{}</time></td><td class=\"num\">{}</td></tr>",
            p.at.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
            p.at.format("%Y-%m-%d %H:%M"),
            p.value
        ));
    }
    svg.push_str("</tbody></table></details></figure>");
    svg
}

/// The days from `since` to `until` (both included) with their counts from
/// `counts` (days not in it count zero). Empty when `until < since`.
pub fn fill_days(
    since: NaiveDate,
    until: NaiveDate,
    counts: &[(NaiveDate, u64)],
) -> Vec<(NaiveDate, u64)> {
    let mut out = Vec::new();
    let mut day = since;
    while day <= until {
        let n = counts
            .iter()
            .filter(|(d, _)| *d == day)
            .map(|(_, n)| *n)
            .sum();
        out.push((day, n));
        match day.checked_add_signed(Duration::days(1)) {
            Some(next) => day = next,
            None => break,
        }
    }
    out
}

/// Bars of a count per day, `days` in order (every day present, zeros
/// included, as [`fill_days`] makes them), named `what` ("articles").
/// Empty markup for no days.
pub fn sparkline(what: &str, days: &[(NaiveDate, u64)]) -> String {
    let (Some(first), Some(last)) = (days.first(), days.last()) else {
        return String::new();
    };
    let total: u64 = days.iter().map(|(_, n)| n).sum();
    let max = days.iter().map(|(_, n)| *n).max().unwrap_or(0);
    let label = escape(&format!(
        "{total} {what} from {} to {}, at most {max} a day",
        first.0.format("%b %-d"),
        last.0.format("%b %-d")
    ));
    let width = days.len() as f64 * (BAR + GAP);
    let mut svg = format!(
        "<svg class=\"spark\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{label}\"><title>{label}</title>",
        num(width),
        num(SPARK_H)
    );
    for (i, (day, n)) in days.iter().enumerate() {
        // A day without any still shows as a sliver on the baseline.
        let h = if max == 0 || *n == 0 {
            1.0
        } else {
            (SPARK_H - 1.0) * (*n as f64 / max as f64) + 1.0
        };
        let class = if *n == 0 { "spark-zero" } else { "spark-bar" };
        svg.push_str(&format!(
            "<rect class=\"{class}\" x=\"{}\" y=\"{}\" width=\"{}\" height=\"{}\" data-day=\"{day}\" data-count=\"{n}\"><title>{}: {n}</title></rect>",
            num(i as f64 * (BAR + GAP)),
            num(SPARK_H - h),
            num(BAR),
            num(h),
            day.format("%b %-d"),
        ));
    }
    svg.push_str("</svg>");
    svg
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 12, 7, h, m, 0).unwrap()
    }

    /// Every number of every `d`, `cx`/`cy`, `x`/`y` attribute.
    fn coordinates(svg: &str) -> Vec<(f64, f64)> {
        let mut out = Vec::new();
        for part in svg.split(" d=\"").skip(1) {
            let d = &part[..part.find('"').unwrap()];
            for pair in d.split(|c: char| c.is_ascii_alphabetic() || c == ' ') {
                if let Some((x, y)) = pair.split_once(',') {
                    out.push((x.parse().unwrap(), y.parse().unwrap()));
                }
            }
        }
        let attr = |s: &str, name: &str| -> f64 {
            let i = s.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
            s[i..i + s[i..].find('"').unwrap()].parse().unwrap()
        };
        for part in svg.split("<circle").skip(1) {
            out.push((attr(part, "cx"), attr(part, "cy")));
        }
        out
    }

    fn inside(svg: &str) {
        let coords = coordinates(svg);
        assert!(!coords.is_empty());
        for (x, y) in coords {
            assert!(
                (0.0..=W).contains(&x) && (0.0..=H).contains(&y),
                "({x}, {y}) outside: {svg}"
            );
        }
    }

    #[test]
    fn the_path_stays_inside_the_view_box() {
        let points = [
            Point {
                at: at(9, 10),
                value: 40,
            },
            Point {
                at: at(10, 0),
                value: 230,
            },
            Point {
                at: at(12, 0),
                value: -15,
            },
            Point {
                at: at(14, 30),
                value: 212,
            },
        ];
        let svg = line("heat", "Heat", &points);
        inside(&svg);
        assert_eq!(svg.matches("<circle").count(), 4);
        assert!(svg.contains(
            "aria-label=\"Heat from 40 to 212 between 09:10 and 14:30 UTC, highest 230 at 10:00\""
        ));
        assert_eq!(svg.matches("<tr><td>").count(), 4, "a table row per sample");
        assert!(svg.contains(">2026-12-07 14:30</time></td><td class=\"num\">212<"));
        assert!(!svg.contains("style="));
    }

    #[test]
    fn one_point_none_and_flat_values_divide_by_nothing() {
        assert_eq!(line("x", "Heat", &[]), "");
        let one = line(
            "x",
            "Heat",
            &[Point {
                at: at(9, 0),
                value: 7,
            }],
        );
        inside(&one);
        assert_eq!(one.matches("<circle").count(), 1);
        assert!(!one.contains("NaN") && !one.contains("inf"));
        let flat: Vec<Point> = (0..5)
            .map(|i| Point {
                at: at(9 + i, 0),
                value: 50,
            })
            .collect();
        let svg = line("x", "Heat", &flat);
        inside(&svg);
        assert!(!svg.contains("NaN") && !svg.contains("inf"));
        let zeros: Vec<Point> = (0..3)
            .map(|i| Point {
                at: at(9, i),
                value: 0,
            })
            .collect();
        inside(&line("x", "Heat", &zeros));
        let same_time = [
            Point {
                at: at(9, 0),
                value: 1,
            },
            Point {
                at: at(9, 0),
                value: 9,
            },
        ];
        inside(&line("x", "Heat", &same_time));
        assert_eq!(sparkline("articles", &[]), "");
        let quiet = sparkline(
            "articles",
            &fill_days(at(0, 0).date_naive(), at(0, 0).date_naive(), &[]),
        );
        assert!(!quiet.contains("NaN") && quiet.contains("data-count=\"0\""));
    }

    #[test]
    fn text_is_escaped() {
        let svg = line(
            "a\"b",
            "<b>Heat</b> & \"co\"",
            &[
                Point {
                    at: at(9, 0),
                    value: 1,
                },
                Point {
                    at: at(10, 0),
                    value: 2,
                },
            ],
        );
        assert!(!svg.contains("<b>"));
        assert!(svg.contains("&lt;b&gt;Heat&lt;/b&gt; &amp; &quot;co&quot;"));
        assert!(svg.contains("id=\"a&quot;b-title\""));
        let spark = sparkline(
            "<i>x</i>",
            &fill_days(at(0, 0).date_naive(), at(0, 0).date_naive(), &[]),
        );
        assert!(!spark.contains("<i>") && spark.contains("&lt;i&gt;x&lt;/i&gt;"));
    }

    #[test]
    fn days_without_articles_are_filled_in() {
        let d = |n: u32| NaiveDate::from_ymd_opt(2026, 12, n).unwrap();
        let days = fill_days(d(1), d(5), &[(d(2), 3), (d(5), 1)]);
        assert_eq!(
            days,
            vec![(d(1), 0), (d(2), 3), (d(3), 0), (d(4), 0), (d(5), 1)]
        );
        let svg = sparkline("articles", &days);
        assert_eq!(svg.matches("<rect").count(), 5);
        assert_eq!(svg.matches("class=\"spark-zero\"").count(), 3);
        assert!(svg.contains("aria-label=\"4 articles from Dec 1 to Dec 5, at most 3 a day\""));
        assert!(fill_days(d(5), d(1), &[]).is_empty());
    }
}
