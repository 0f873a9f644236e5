//! The date a page was first published.
//!
//! Sources, most trusted first: a full date in the URL (`/2019/03/12/`,
//! `20190312`), JSON-LD `datePublished` (article objects first, then any
//! object, also when the JSON does not parse), publication meta tags (Open
//! Graph, Dublin Core, Parse.ly, Sailthru, citation, ...), `itemprop=
//! datePublished` and `<time pubdate>`, then dates the page shows: elements
//! whose class or id says date, time or published, a labelled date stamp
//! in a short line (`Published:`, `Stand:`, `last edited on`), the lines
//! under the headline, the main text, the whole page (visible dates in a dozen languages,
//! see [`crate::datetext`]). When the page shows no date: a date in its
//! title or description, then a timestamp anywhere in its source. Last
//! update dates (`dateModified`, `article:modified_time`) only when nothing
//! says when the page was first published; then a month in the URL
//! (`/2019/03/`), then the copyright year.
//!
//! Within one place the earliest date wins ("Published 3 May, updated 5
//! May"), and no date after the page's fetch time (when known) or before
//! 1995 is taken.

use chrono::{DateTime, NaiveDate, NaiveDateTime, NaiveTime, Utc};
use newsdesk_normalize::parse_date;
use serde_json::Value;

use crate::datetext::{dates_in, line_dates_in};
use crate::dom::{Dom, Kind, NodeId, Tag, NONE};
use crate::text::{inline_text, is_invisible_tag};

/// The publication date, as an instant and as the calendar day the page
/// states (its own time zone, which the instant may have left).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Published {
    pub instant: DateTime<Utc>,
    pub day: NaiveDate,
}

/// Earliest plausible date of a web page.
fn earliest() -> NaiveDate {
    NaiveDate::from_ymd_opt(1995, 1, 1).unwrap_or_default()
}

/// Meta keys naming the first publication, in order of trust.
const PUBLISHED_KEYS: &[&str] = &[
    "article:published_time",
    "og:article:published_time",
    "og:published_time",
    "article:published",
    "datepublished",
    "published_time",
    "article.published",
    "parsely-pub-date",
    "sailthru.date",
    "citation_publication_date",
    "citation_date",
    "citation_online_date",
    "dc.date.issued",
    "dcterms.issued",
    "dc.date.created",
    "dcterms.created",
    "prism.publicationdate",
    "pubdate",
    "publishdate",
    "publish-date",
    "publish_date",
    "published-date",
    "published_date",
    "publication_date",
    "original-publish-date",
    "article_date_original",
    "article.created",
    "datecreated",
    "date_created",
    "created",
    "cxenseparse:recs:publishtime",
    "rnews:datepublished",
    "dc.date",
    "dcterms.date",
    "date",
    "og:pubdate",
    "pub_date",
    "release_date",
    "timestamp",
];

/// Meta keys naming the last update.
const MODIFIED_KEYS: &[&str] = &[
    "article:modified_time",
    "og:updated_time",
    "datemodified",
    "dc.date.modified",
    "dcterms.modified",
    "last-modified",
    "lastmod",
    "revised",
];

/// Class or id words of elements that show a date.
const DATE_CLASS_WORDS: &[&str] = &[
    "date",
    "time",
    "publish",
    "posted",
    "byline",
    "dateline",
    "meta",
    "stamp",
    "submitted",
    "created",
    "datum",
    "fecha",
    "data-",
    "info",
    "author",
];

/// An ISO-like or worded date string from an attribute or JSON: the day
/// as written and the instant.
pub fn parse_stated(s: &str, month_first: bool) -> Option<Published> {
    let s = s.trim();
    if s.is_empty() || s.len() > 200 {
        return None;
    }
    let instant = parse_date(s).ok();
    // The day as written: `2019-03-12T23:30:00-05:00` is the 12th where it
    // was published, though the 13th in UTC.
    let b = s.as_bytes();
    let written =
        if b.len() >= 10 && b[..4].iter().all(u8::is_ascii_digit) && b[4] == b'-' && b[7] == b'-' {
            NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d").ok()
        } else {
            // `Sat, 19 Oct 2019 00:04:00 +0200` is the 19th where it was
            // written, though the 18th in UTC.
            instant.and_then(|i| {
                let utc = i.date_naive();
                dates_in(s, month_first)
                    .first()
                    .map(|d| d.0)
                    .filter(|d| (*d - utc).num_days().abs() <= 1)
            })
        };
    let day = written
        .or_else(|| instant.map(|i| i.date_naive()))
        .or_else(|| dates_in(s, month_first).first().map(|d| d.0))?;
    let instant = instant.unwrap_or_else(|| day.and_time(NaiveTime::MIN).and_utc());
    Some(Published { instant, day })
}

/// Limits on a plausible date.
struct Bounds {
    latest: Option<NaiveDate>,
}

impl Bounds {
    fn ok(&self, d: NaiveDate) -> bool {
        d >= earliest() && self.latest.is_none_or(|l| d <= l)
    }
    fn check(&self, p: Option<Published>) -> Option<Published> {
        p.filter(|p| self.ok(p.day))
    }
}

fn from_day(day: NaiveDate) -> Published {
    Published {
        instant: day.and_time(NaiveTime::MIN).and_utc(),
        day,
    }
}

/// What JSON-LD says about dates.
#[derive(Default)]
struct LdDates {
    article_published: Vec<String>,
    other_published: Vec<String>,
    modified: Vec<String>,
}

/// The page's publication date; `main` is the main-text container (or
/// `NONE`), `fetched` when the page was fetched, `language` the page's
/// language tag.
pub fn publication_date(
    dom: &Dom,
    metas: &[(String, String)],
    url: Option<&str>,
    main: NodeId,
    fetched: Option<DateTime<Utc>>,
    language: Option<&str>,
) -> Option<Published> {
    let bounds = Bounds {
        latest: fetched.map(|f| f.date_naive()),
    };
    let month_first = language.is_some_and(|l| {
        let l = l.to_ascii_lowercase();
        l == "en-us" || l == "en"
    });

    let in_url = url.and_then(url_date).filter(|&d| bounds.ok(d));
    let ld = linked_data_dates(dom);
    let stated = |s: &String| bounds.check(parse_stated(s, month_first));
    let meta_of = |keys: &[&str]| {
        keys.iter().find_map(|k| {
            metas
                .iter()
                .filter(|(mk, _)| mk == k)
                .find_map(|(_, v)| bounds.check(parse_stated(v, month_first)))
        })
    };
    let structured = meta_of(PUBLISHED_KEYS)
        .or_else(|| {
            ld.article_published
                .iter()
                .chain(&ld.other_published)
                .find_map(stated)
        })
        .or_else(|| markup_date(dom, main, url, &bounds, month_first));
    // A full date in the URL is the publisher's own filing; a structured
    // date of the same day adds the time of day.
    if let Some(day) = in_url {
        return Some(match structured {
            Some(p) if p.day == day => p,
            _ => from_day(day),
        });
    }
    if let Some(p) = structured {
        return Some(local_day(dom, metas, p));
    }
    if let Some(p) = script_date(dom, &bounds, month_first) {
        return Some(p);
    }
    // Site-specific meta keys that still say what they hold
    // (`five_hundred_pixels:uploaded`, `article.created_at`).
    let other_meta = metas.iter().find_map(|(k, v)| {
        let dated = ["publish", "creat", "upload", "date", "posted", "issued"]
            .iter()
            .any(|w| k.contains(w));
        let update = ["modif", "updat", "expir", "revis", "lastmod"]
            .iter()
            .any(|w| k.contains(w));
        if dated && !update {
            bounds.check(parse_stated(v, month_first))
        } else {
            None
        }
    });
    if other_meta.is_some() {
        return other_meta;
    }
    if let Some(p) = shown_date(dom, main, &bounds, month_first) {
        return Some(p);
    }
    if let Some(d) = image_date(dom, metas, main, &bounds) {
        return Some(from_day(d));
    }
    if let Some(p) = described_date(dom, metas, &bounds, month_first) {
        return Some(p);
    }
    if let Some(p) = source_timestamp(dom.src, &bounds) {
        return Some(p);
    }
    if let Some(p) = ld.modified.iter().find_map(stated) {
        return Some(p);
    }
    if let Some(p) = meta_of(MODIFIED_KEYS) {
        return Some(p);
    }
    if let Some(p) = bounds.check(url.and_then(url_month).map(from_day)) {
        return Some(p);
    }
    bounds.check(copyright_year(dom).map(from_day))
}

/// A date the page's title or description states (`... (News of 14
/// January 2020)`), when the page shows none.
fn described_date(
    dom: &Dom,
    metas: &[(String, String)],
    bounds: &Bounds,
    month_first: bool,
) -> Option<Published> {
    let title = dom
        .elements()
        .find(|&(_, tag)| tag == Tag::Title)
        .map(|(id, _)| dom.raw_text(id));
    metas
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "description" | "og:description" | "og:title"))
        .map(|(_, v)| v.as_str())
        .chain(title)
        .find_map(|v| {
            dates_in(v, month_first)
                .into_iter()
                .map(|d| d.0)
                .find(|&d| bounds.ok(d))
                .map(from_day)
        })
}

/// The first date with a time of day anywhere in the page source
/// (`showDate("2020/04/17 01:43:09")` in a script, a form's value): a
/// machine's timestamp, when nothing else dates the page.
fn source_timestamp(src: &str, bounds: &Bounds) -> Option<Published> {
    let b = src.as_bytes();
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|s| s.iter().all(u8::is_ascii_digit));
    let mut i = 0;
    while i + 16 <= b.len() {
        let at = i;
        i += 1;
        if !(b[at] == b'1' || b[at] == b'2') || (at > 0 && b[at - 1].is_ascii_digit()) {
            continue;
        }
        let sep = b[at + 4];
        let shape = digits(at..at + 4)
            && matches!(sep, b'-' | b'/')
            && digits(at + 5..at + 7)
            && b[at + 7] == sep
            && digits(at + 8..at + 10)
            && matches!(b[at + 10], b'T' | b' ')
            && digits(at + 11..at + 13)
            && b[at + 13] == b':'
            && digits(at + 14..at + 16);
        if !shape {
            continue;
        }
        let num = |r: std::ops::Range<usize>| src[r].parse::<u32>().unwrap_or(0);
        let day = NaiveDate::from_ymd_opt(
            num(at..at + 4) as i32,
            num(at + 5..at + 7),
            num(at + 8..at + 10),
        );
        if let Some(d) = day.filter(|&d| bounds.ok(d)) {
            return Some(from_day(d));
        }
    }
    None
}

/// A timestamp written out: its wall-clock time and its UTC offset in
/// seconds (`None` when the string states none).
fn written_timestamp(s: &str) -> Option<(NaiveDateTime, Option<i64>)> {
    let b = s.as_bytes();
    if b.len() < 16 || !(b[10] == b'T' || b[10] == b' ') {
        return None;
    }
    let day = NaiveDate::parse_from_str(s.get(..10)?, "%Y-%m-%d").ok()?;
    let digits = |r: std::ops::Range<usize>| -> Option<u32> {
        let t = s.get(r)?;
        t.bytes()
            .all(|c| c.is_ascii_digit())
            .then(|| t.parse().ok())?
    };
    let h = digits(11..13)?;
    if b[13] != b':' {
        return None;
    }
    let m = digits(14..16)?;
    let mut i = 16;
    let mut sec = 0;
    if b.get(i) == Some(&b':') {
        let end = (i + 1..b.len().min(i + 3))
            .take_while(|&j| b[j].is_ascii_digit())
            .last()?;
        sec = s[i + 1..=end].parse().ok()?;
        i = end + 1;
        if b.get(i) == Some(&b'.') {
            i += 1;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
        }
    }
    let time = NaiveTime::from_hms_opt(h, m, sec)?;
    let offset = match b.get(i) {
        Some(b'Z') => Some(0),
        Some(&c @ (b'+' | b'-')) => {
            let oh = digits(i + 1..i + 3)? as i64;
            let j = if b.get(i + 3) == Some(&b':') {
                i + 4
            } else {
                i + 3
            };
            let om = digits(j..j + 2).unwrap_or(0) as i64;
            let sign = if c == b'-' { -1 } else { 1 };
            Some(sign * (oh * 3600 + om * 60))
        }
        _ => None,
    };
    Some((day.and_time(time), offset))
}

/// A structured date in UTC (`2020-12-05T23:15:00Z`) may fall on another
/// day than the one the page states where it was published: when the page
/// also writes the same instant in local time (`2020-12-06 00:15`,
/// `2020-12-05T18:15:00-05:00`), that local day is the page's.
fn local_day(dom: &Dom, metas: &[(String, String)], p: Published) -> Published {
    let utc = p.instant.naive_utc();
    if p.day != utc.date() || utc.time() == NaiveTime::MIN {
        return p;
    }
    let local_of = |s: &str| -> Option<NaiveDate> {
        let (wall, offset) = written_timestamp(s)?;
        if wall.date() == p.day || (wall.date() - p.day).num_days().abs() != 1 {
            return None;
        }
        let shift = (wall - utc).num_seconds();
        match offset {
            Some(o) if o != 0 && (shift - o).abs() <= 60 => Some(wall.date()),
            // A wall-clock time a whole number of quarter hours from the
            // instant, within a day's time zones.
            None if shift.abs() <= 14 * 3600 && shift % 900 == 0 => Some(wall.date()),
            _ => None,
        }
    };
    let scan = |text: &str| -> Option<NaiveDate> {
        let b = text.as_bytes();
        let mut i = 0;
        while i + 16 <= b.len() {
            if b[i].is_ascii_digit()
                && b[i + 4] == b'-'
                && b[i + 7] == b'-'
                && (i == 0 || !b[i - 1].is_ascii_digit())
            {
                let mut end = (i + 40).min(b.len());
                while !text.is_char_boundary(end) {
                    end -= 1;
                }
                if let Some(d) = text.get(i..end).and_then(local_of) {
                    return Some(d);
                }
                i += 10;
            } else {
                i += 1;
            }
        }
        None
    };
    let found = metas
        .iter()
        .find_map(|(_, v)| local_of(v.trim()))
        .or_else(|| {
            dom.elements().find_map(|(id, tag)| match tag {
                Tag::Script => {
                    let raw = dom.raw_text(id);
                    (raw.len() < 2_000_000).then(|| scan(raw)).flatten()
                }
                Tag::Time => dom
                    .attr_raw(id, "datetime")
                    .and_then(|v| local_of(v.trim())),
                _ => None,
            })
        });
    match found {
        Some(day) => Published {
            instant: p.instant,
            day,
        },
        None => p,
    }
}

/// `itemprop=datePublished` on any element, `<time pubdate>`, hAtom's
/// `published` class with a machine-readable date.
fn markup_date(
    dom: &Dom,
    main: NodeId,
    url: Option<&str>,
    bounds: &Bounds,
    month_first: bool,
) -> Option<Published> {
    // Marks after the main text date comments and teasers.
    let end = if main == NONE {
        NONE
    } else {
        last_descendant(dom, main)
    };
    for (id, tag) in dom.elements() {
        if end != NONE && id > end {
            break;
        }
        let itemprop_pub = dom
            .attr_raw(id, "itemprop")
            .is_some_and(|v| v.trim().eq_ignore_ascii_case("datePublished"));
        let time_pub = tag == Tag::Time
            && (dom.attr_raw(id, "pubdate").is_some()
                || dom.attr_raw(id, "class").is_some_and(|c| {
                    let c = c.to_ascii_lowercase();
                    c.contains("publish") || c.contains("entry-date") || c.contains("post-date")
                }));
        let abbr_pub = tag == Tag::Abbr
            && dom
                .attr_raw(id, "class")
                .is_some_and(|c| c.split_ascii_whitespace().any(|w| w == "published"));
        if !(itemprop_pub || time_pub || abbr_pub) || links_elsewhere(dom, id, url) {
            continue;
        }
        for key in ["datetime", "content", "title", "value"] {
            if let Some(p) = dom
                .attr(id, key)
                .and_then(|v| bounds.check(parse_stated(&v, month_first)))
            {
                return Some(shown_day(dom, id, p, month_first));
            }
        }
        let text = inline_text(dom, id);
        if let Some(p) = earliest_in(&text, bounds, month_first) {
            return Some(p);
        }
    }
    None
}

/// Is `id` inside a link to another page (a teaser card)? A link to the
/// page itself (a permalink around the date) is not.
fn links_elsewhere(dom: &Dom, id: NodeId, url: Option<&str>) -> bool {
    let last_segment = |u: &str| -> String {
        let path = u.split(['?', '#']).next().unwrap_or(u);
        path.trim_end_matches('/')
            .rsplit('/')
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    let mut a = dom.node(id).parent;
    for _ in 0..8 {
        if a == NONE || a == 0 {
            return false;
        }
        if dom.tag(a) == Some(Tag::A) {
            let Some(href) = dom.attr_raw(a, "href").map(str::trim) else {
                return false;
            };
            let target = last_segment(href);
            return !target.is_empty()
                && !href.starts_with('#')
                && url.is_some_and(|u| last_segment(u) != target);
        }
        a = dom.node(a).parent;
    }
    false
}

/// A machine-readable date in UTC (`<time datetime="2019-06-28T01:00Z">`)
/// may fall on another day than the one the element shows its readers
/// ("27 juin 2019"): the shown day, when it is a day next to it, is the
/// page's.
fn shown_day(dom: &Dom, id: NodeId, p: Published, month_first: bool) -> Published {
    let text = inline_text(dom, id);
    match dates_in(&text, month_first).first() {
        Some(&(d, _)) if d != p.day && (d - p.day).num_days().abs() == 1 => Published {
            instant: p.instant,
            day: d,
        },
        _ => p,
    }
}

/// The earliest plausible date shown in a date line.
fn earliest_in(text: &str, bounds: &Bounds, month_first: bool) -> Option<Published> {
    line_dates_in(text, month_first)
        .into_iter()
        .map(|d| d.0)
        .filter(|&d| bounds.ok(d))
        .min()
        .map(from_day)
}

/// Does a class or id value name a date holder (and not an update)?
fn is_date_class(v: &str) -> bool {
    let v = v.to_ascii_lowercase();
    DATE_CLASS_WORDS.iter().any(|w| v.contains(w))
        && !v.contains("update")
        && !v.contains("modif")
        && !v.contains("comment")
}

/// Does an element's class or id name comments or related stories? A
/// name that also says header or headline is the head of an opinion piece
/// (`ArticleHeaderComment_publishDate`), not a comment section.
fn is_aside_class(class: &str, ident: &str) -> bool {
    let c = class.to_ascii_lowercase();
    let d = ident.to_ascii_lowercase();
    let comment =
        |v: &str| v.contains("comment") && !v.contains("header") && !v.contains("headline");
    comment(&c) || comment(&d) || c.contains("related")
}

/// Visible dates, in order of where they are: `<time datetime>` and date
/// elements (by class) before the main text or inside it (a short line
/// right next to the headline before other dated elements), a labelled
/// stamp, the text right after the headline, the main text, then the
/// first date anywhere.
fn shown_date(dom: &Dom, main: NodeId, bounds: &Bounds, month_first: bool) -> Option<Published> {
    let n = dom.nodes.len();
    // Elements to skip: invisible ones and comment sections.
    let mut skip = vec![false; n];
    let mut first_h1 = NONE;
    let mut by_class: Option<Published> = None;
    let mut by_time: Option<Published> = None;
    let mut late_class: Option<Published> = None;
    let mut early_class: Option<Published> = None;
    let mut early_time: Option<Published> = None;
    let mut late_time: Option<Published> = None;
    let main_end = if main == NONE {
        n
    } else {
        last_descendant(dom, main) as usize
    };
    for i in 1..n {
        let node = &dom.nodes[i];
        let p = node.parent as usize;
        skip[i] = skip[p];
        let Kind::Element { tag, .. } = node.kind else {
            continue;
        };
        if skip[i] {
            continue;
        }
        let id = i as NodeId;
        let class = dom.attr_raw(id, "class").unwrap_or("");
        let ident = dom.attr_raw(id, "id").unwrap_or("");
        // Quotations (embedded posts) carry their own dates.
        if is_invisible_tag(tag) || tag == Tag::Blockquote || is_aside_class(class, ident) {
            skip[i] = true;
            continue;
        }
        if tag == Tag::H1 && first_h1 == NONE {
            first_h1 = id;
        }
        // Dates after the main text (teasers, footers) are less likely the
        // story's: kept apart, for when nothing comes before.
        // Dates before the headline (teaser lists, tickers) come after
        // those between the headline and the end of the main text.
        let late = i > main_end;
        let early = first_h1 == NONE || i < first_h1 as usize;
        let (time_slot, class_slot) = if late {
            (&mut late_time, &mut late_class)
        } else if early {
            (&mut early_time, &mut early_class)
        } else {
            (&mut by_time, &mut by_class)
        };
        if time_slot.is_none() && tag == Tag::Time {
            *time_slot = dom
                .attr(id, "datetime")
                .and_then(|v| bounds.check(parse_stated(&v, month_first)))
                .map(|p| shown_day(dom, id, p, month_first))
                .or_else(|| earliest_in(&inline_text(dom, id), bounds, month_first));
        }
        // Small elements only: a date line, not a wrapper named `meta-box`.
        if class_slot.is_none()
            && (last_descendant(dom, id) as usize) < i + 40
            && (is_date_class(class) || is_date_class(ident))
        {
            let text = inline_text(dom, id);
            if text.len() <= 300 {
                *class_slot = line_date(&text, bounds, month_first).or_else(|| {
                    ["datetime", "content", "title", "data-date"]
                        .iter()
                        .find_map(|k| {
                            dom.attr(id, k)
                                .and_then(|v| bounds.check(parse_stated(&v, month_first)))
                        })
                });
            }
        }
    }
    let header = if by_time.is_none() && first_h1 != NONE {
        header_date(dom, first_h1, &skip, bounds, month_first)
    } else {
        None
    };
    if let Some(p) = by_time
        .or(header)
        .or(by_class)
        .or(early_time)
        .or(early_class)
    {
        return Some(p);
    }
    if let Some(p) = labelled_date(dom, &skip, bounds, month_first) {
        return Some(p);
    }
    // The lines under the headline: bylines without a class.
    if first_h1 != NONE {
        let mut text = String::new();
        // Two-digit years count in short texts only (`, 8.5.12`), not in
        // the story's first sentences.
        let mut short = Vec::new();
        let start = first_h1 as usize;
        for (i, node) in dom.nodes.iter().enumerate().skip(start) {
            if skip[i] {
                continue;
            }
            if let Kind::Text { .. } = node.kind {
                let at = text.len();
                crate::text::push_text(dom, i as NodeId, &mut text);
                if text.len() - at <= 80 {
                    short.extend(
                        line_dates_in(&text[at..], month_first)
                            .into_iter()
                            .map(|(d, o)| (d, o + at)),
                    );
                }
                text.push(' ');
                if text.len() > 600 {
                    break;
                }
            }
        }
        let mut found = dates_in(&text, month_first);
        found.extend(short);
        found.sort_by_key(|d| d.1);
        if let Some(p) = found
            .into_iter()
            .map(|d| d.0)
            .find(|&d| bounds.ok(d))
            .map(from_day)
        {
            return Some(p);
        }
    }
    // The first date in the main text, then in dated elements after it,
    // then anywhere visible.
    let first_in = |inside: NodeId| {
        let mut text = String::new();
        for (i, node) in dom.nodes.iter().enumerate() {
            if skip[i] || !matches!(node.kind, Kind::Text { .. }) {
                continue;
            }
            if inside != NONE && !dom.contains(inside, i as NodeId) {
                continue;
            }
            crate::text::push_text(dom, i as NodeId, &mut text);
            text.push(' ');
            if text.len() > 100_000 {
                break;
            }
        }
        dates_in(&text, month_first)
            .into_iter()
            .map(|d| d.0)
            .find(|&d| bounds.ok(d))
            .map(from_day)
    };
    if main != NONE {
        if let Some(p) = first_in(main).or(late_time).or(late_class) {
            return Some(p);
        }
    }
    first_in(NONE)
}

/// Labels of a page's date stamp, publication first: a short line
/// (`[Stand: 09.10.2017, 01:40 Uhr]`, `Letzte Änderung: 14.01.2022`,
/// `Diese Seite wurde zuletzt am 29. Januar 2020 geändert`) whose date
/// follows its label.
const PUBLISHED_LABELS: &[&str] = &[
    "published",
    "posted",
    "veröffentlicht",
    "erschienen",
    "publiziert",
    "erstellt",
    "publié",
    "publicado",
    "pubblicato",
    "gepubliceerd",
    "opublikowano",
    "stand:",
    "stand -",
    "datum:",
    "date:",
];
const UPDATED_LABELS: &[&str] = &[
    "updated",
    "last modified",
    "last edited",
    "zuletzt",
    "letzte änderung",
    "aktualisiert",
    "geändert",
    "mis à jour",
    "actualizado",
    "aggiornato",
];

/// Where the first of `labels` that starts a word in `lower` ends.
fn find_label(lower: &str, labels: &[&str]) -> Option<usize> {
    labels.iter().find_map(|l| {
        lower.match_indices(l).find_map(|(at, _)| {
            let starts_word = lower[..at]
                .chars()
                .next_back()
                .is_none_or(|c| !c.is_alphanumeric());
            starts_word.then_some(at + l.len())
        })
    })
}

/// The date a publication label introduces in a date line (`Stand -
/// 12.11.2021 (Unverändert gültig seit: 05.11.2021)`, `Updated 14 March ·
/// Published 12 March`).
fn published_in(text: &str, bounds: &Bounds, month_first: bool) -> Option<Published> {
    let lower = text.to_lowercase();
    let end = find_label(&lower, PUBLISHED_LABELS)?;
    line_dates_in(&lower[end..], month_first)
        .into_iter()
        .find(|&(d, at)| at <= 30 && bounds.ok(d))
        .map(|(d, _)| from_day(d))
}

/// The date of a date line: the one a publication label introduces, else
/// the earliest.
fn line_date(text: &str, bounds: &Bounds, month_first: bool) -> Option<Published> {
    published_in(text, bounds, month_first).or_else(|| earliest_in(text, bounds, month_first))
}

/// A date stamp with its label in a short visible line: the first with a
/// publication label, else the first with an update label.
fn labelled_date(
    dom: &Dom,
    skip: &[bool],
    bounds: &Bounds,
    month_first: bool,
) -> Option<Published> {
    let texts: Vec<String> = dom
        .nodes
        .iter()
        .enumerate()
        .filter(|&(i, node)| !skip[i] && matches!(node.kind, Kind::Text { .. }))
        .map(|(i, _)| {
            let mut t = String::new();
            crate::text::push_text(dom, i as NodeId, &mut t);
            t
        })
        .filter(|t| !t.trim().is_empty())
        .collect();
    let mut updated = None;
    for (k, t) in texts.iter().enumerate() {
        if t.len() > 120 {
            continue;
        }
        let lower = t.to_lowercase();
        let (end, is_update) = match find_label(&lower, PUBLISHED_LABELS) {
            Some(e) => (e, false),
            None => match find_label(&lower, UPDATED_LABELS) {
                Some(e) if updated.is_none() => (e, true),
                _ => continue,
            },
        };
        // The label's line and the next two: the date within a few words.
        let mut after = lower[end..].to_string();
        for next in texts.iter().skip(k + 1).take(2) {
            after.push(' ');
            after.push_str(next);
        }
        let found = line_dates_in(&after, month_first)
            .into_iter()
            .find(|&(d, at)| at <= 30 && bounds.ok(d))
            .map(|(d, _)| from_day(d));
        match (found, is_update) {
            (Some(p), false) => return Some(p),
            (Some(p), true) => updated = Some(p),
            _ => {}
        }
    }
    updated
}

/// A short date line right next to the headline: the element after it,
/// else the one before it (`<p class="subline">21. Jan 2022 // Ann</p>
/// <h1>`). A headline alone in its wrapper is looked at as the wrapper.
fn header_date(
    dom: &Dom,
    h1: NodeId,
    skip: &[bool],
    bounds: &Bounds,
    month_first: bool,
) -> Option<Published> {
    let elements = |parent: NodeId| -> Vec<NodeId> {
        let mut out = Vec::new();
        let mut c = dom.node(parent).first_child;
        while c != NONE {
            if matches!(dom.node(c).kind, Kind::Element { .. }) {
                out.push(c);
            }
            c = dom.node(c).next_sibling;
        }
        out
    };
    let mut head = h1;
    let mut siblings = elements(dom.node(head).parent);
    for _ in 0..3 {
        if siblings.len() > 1 {
            break;
        }
        let parent = dom.node(head).parent;
        if parent == 0 || parent == NONE {
            break;
        }
        head = parent;
        siblings = elements(dom.node(head).parent);
    }
    let at = siblings.iter().position(|&c| c == head)?;
    let order = [at + 1, at.wrapping_sub(1)];
    order
        .iter()
        .filter_map(|&k| siblings.get(k))
        .find_map(|&sib| {
            if skip[sib as usize] {
                return None;
            }
            let text = inline_text(dom, sib);
            (text.len() <= 80)
                .then(|| line_date(&text, bounds, month_first))
                .flatten()
        })
}

/// The last node inside `id`'s subtree (arena order).
fn last_descendant(dom: &Dom, mut id: NodeId) -> NodeId {
    loop {
        let last = dom.node(id).last_child;
        if last == NONE {
            return id;
        }
        id = last;
    }
}

fn linked_data_dates(dom: &Dom) -> LdDates {
    let mut out = LdDates::default();
    for (id, tag) in dom.elements() {
        if tag != Tag::Script
            || !dom
                .attr_raw(id, "type")
                .is_some_and(|t| t.trim().eq_ignore_ascii_case("application/ld+json"))
        {
            continue;
        }
        let raw = dom.raw_text(id).trim();
        let raw = raw
            .trim_start_matches("<!--")
            .trim_start_matches("//<![CDATA[")
            .trim_end_matches("-->")
            .trim_end_matches("//]]>");
        match serde_json::from_str::<Value>(raw) {
            Ok(v) => visit(&v, &mut out, 0),
            // Broken JSON (raw newlines in strings, trailing commas) still
            // states its dates.
            Err(_) => {
                out.other_published
                    .extend(raw_field(raw, "\"datePublished\""));
                out.modified.extend(raw_field(raw, "\"dateModified\""));
            }
        }
    }
    out
}

/// The string values of `"key": "value"` (or single quotes) in text that
/// is not valid JSON.
fn raw_field(raw: &str, key: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = raw;
    while let Some(i) = rest.find(key) {
        rest = &rest[i + key.len()..];
        let after = rest.trim_start().strip_prefix(':').map(str::trim_start);
        let Some(after) = after else { continue };
        let Some(q) = after.chars().next().filter(|c| matches!(c, '"' | '\'')) else {
            continue;
        };
        let v = &after[1..];
        if let Some(end) = v.find(q) {
            out.push(v[..end].to_string());
        }
    }
    out
}

/// Publication keys that page scripts (analytics data layers, app state)
/// carry outside JSON-LD.
const SCRIPT_KEYS: &[&str] = &[
    "datePublished",
    "publishDate",
    "publishdate",
    "published_at",
    "publicationDate",
    "date_published",
    "pubDate",
    "publish_date",
];

/// A publication date in the page's other scripts.
fn script_date(dom: &Dom, bounds: &Bounds, month_first: bool) -> Option<Published> {
    for (id, tag) in dom.elements() {
        if tag != Tag::Script {
            continue;
        }
        let raw = dom.raw_text(id);
        if raw.len() > 2_000_000 {
            continue;
        }
        for key in SCRIPT_KEYS {
            for quote in ['"', '\''] {
                let quoted = format!("{quote}{key}{quote}");
                if !raw.contains(&quoted) {
                    continue;
                }
                if let Some(p) = raw_field(raw, &quoted)
                    .iter()
                    .find_map(|v| bounds.check(parse_stated(v, month_first)))
                {
                    return Some(p);
                }
            }
        }
    }
    None
}

fn is_article_type(v: &Value) -> bool {
    let is = |s: &str| {
        s.ends_with("Article")
            || matches!(
                s,
                "BlogPosting" | "Report" | "LiveBlogPosting" | "SocialMediaPosting" | "Blog"
            )
    };
    match v.get("@type") {
        Some(Value::String(s)) => is(s),
        Some(Value::Array(a)) => a.iter().any(|t| t.as_str().is_some_and(is)),
        _ => false,
    }
}

fn visit(v: &Value, out: &mut LdDates, depth: usize) {
    if depth > 8 {
        return;
    }
    match v {
        Value::Array(items) => items.iter().for_each(|i| visit(i, out, depth + 1)),
        Value::Object(map) => {
            let published = map
                .get("datePublished")
                .or_else(|| map.get("dateCreated"))
                .and_then(Value::as_str);
            if let Some(p) = published {
                if is_article_type(v) {
                    out.article_published.push(p.to_string());
                } else {
                    out.other_published.push(p.to_string());
                }
            }
            if let Some(m) = map.get("dateModified").and_then(Value::as_str) {
                out.modified.push(m.to_string());
            }
            // Nested shapes: `@graph`, `mainEntity`, `itemListElement`,
            // an article inside a WebPage.
            for (k, child) in map {
                if matches!(child, Value::Object(_) | Value::Array(_))
                    && !matches!(k.as_str(), "author" | "publisher" | "image" | "comment")
                {
                    visit(child, out, depth + 1);
                }
            }
        }
        _ => {}
    }
}

/// A full date in the path of the page's own image (`og:image`, an
/// `<img>` in the main text): the publisher filed it on the day it
/// published (`/files/2016/05/04/report.png`).
fn image_date(
    dom: &Dom,
    metas: &[(String, String)],
    main: NodeId,
    bounds: &Bounds,
) -> Option<NaiveDate> {
    let shared = metas
        .iter()
        .filter(|(k, _)| matches!(k.as_str(), "og:image" | "twitter:image" | "og:image:url"))
        .find_map(|(_, v)| url_date(v.trim()).filter(|&d| bounds.ok(d)));
    if shared.is_some() || main == NONE {
        return shared;
    }
    let end = last_descendant(dom, main);
    dom.elements()
        .filter(|&(id, tag)| tag == Tag::Img && id > main && id <= end)
        .find_map(|(id, _)| {
            dom.attr_raw(id, "src")
                .and_then(|v| url_date(v.trim()))
                .filter(|&d| bounds.ok(d))
        })
}

/// A full date in the URL's path: `/2019/03/12/`, `/2019-03-12`,
/// `_20190312`, `/2019/03/12.html`.
pub fn url_date(url: &str) -> Option<NaiveDate> {
    let path = url.split("://").nth(1).unwrap_or(url);
    let path = &path[path.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let b = path.as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    let num = |s: &[u8]| -> u32 { s.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')) };
    let ok = |y: u32, m: u32, d: u32| {
        NaiveDate::from_ymd_opt(y as i32, m, d).filter(|&d| d >= earliest())
    };
    for i in 0..b.len() {
        if !matches!(b[i], b'/' | b'-' | b'_' | b'.') {
            continue;
        }
        let rest = &b[i + 1..];
        // YYYY/MM/DD, YYYY-MM-DD, YYYY/M/D.
        if rest.len() >= 8 && digits(&rest[0..4]) && matches!(rest[4], b'/' | b'-' | b'_') {
            let sep = rest[4];
            let m_len = rest[5..].iter().take_while(|c| c.is_ascii_digit()).count();
            if (1..=2).contains(&m_len) && rest.get(5 + m_len) == Some(&sep) {
                let d_at = 6 + m_len;
                let d_len = rest[d_at..]
                    .iter()
                    .take_while(|c| c.is_ascii_digit())
                    .count();
                // `/2023/10/3-fragen-an/`: a slug that starts with a number
                // after a year and month, not a day.
                let after = rest.get(d_at + d_len).copied();
                let slug = sep == b'/' && matches!(after, Some(b'-' | b'_'));
                if (1..=2).contains(&d_len) && !slug {
                    if let Some(d) = ok(
                        num(&rest[0..4]),
                        num(&rest[5..5 + m_len]),
                        num(&rest[d_at..d_at + d_len]),
                    ) {
                        return Some(d);
                    }
                }
            }
        }
        // YYYYMMDD between separators.
        if rest.len() >= 8
            && digits(&rest[0..8])
            && rest
                .get(8)
                .is_none_or(|c| matches!(c, b'/' | b'-' | b'_' | b'.'))
        {
            if let Some(d) = ok(num(&rest[0..4]), num(&rest[4..6]), num(&rest[6..8])) {
                return Some(d);
            }
        }
    }
    None
}

/// A year and month in the URL's path (`/2019/03/`): the first of the month.
pub fn url_month(url: &str) -> Option<NaiveDate> {
    let path = url.split("://").nth(1).unwrap_or(url);
    let path = &path[path.find('/')?..];
    let path = path.split(['?', '#']).next().unwrap_or(path);
    let parts: Vec<&str> = path.split(['/', '-', '_']).collect();
    parts.windows(2).find_map(|w| {
        let (y, m) = (w[0], w[1]);
        if y.len() == 4 && m.len() == 2 && (y.bytes().chain(m.bytes())).all(|c| c.is_ascii_digit())
        {
            let d = NaiveDate::from_ymd_opt(y.parse().ok()?, m.parse().ok()?, 1)?;
            (d >= earliest()).then_some(d)
        } else {
            None
        }
    })
}

/// The latest year of a copyright line (`© 2005–2019 Example`): 1 January.
fn copyright_year(dom: &Dom) -> Option<NaiveDate> {
    let mut best: Option<i32> = None;
    for (i, node) in dom.nodes.iter().enumerate() {
        let Kind::Text { range, raw: false } = &node.kind else {
            continue;
        };
        let p = node.parent;
        if dom.tag(p).is_some_and(is_invisible_tag) {
            continue;
        }
        let _ = i;
        let s = dom.slice(range);
        let lower = s.to_ascii_lowercase();
        for mark in ["©", "&copy;", "&#169;", "copyright", "(c)"] {
            let mut from = 0;
            while let Some(at) = lower[from..].find(mark) {
                let start = from + at + mark.len();
                from = start;
                let tail: String = lower[start..].chars().take(24).collect();
                for word in tail.split(|c: char| !c.is_ascii_digit()) {
                    if word.len() == 4 {
                        if let Ok(y) = word.parse::<i32>() {
                            if (1995..=2100).contains(&y) {
                                best = Some(best.map_or(y, |b| b.max(y)));
                            }
                        }
                    }
                }
            }
        }
    }
    best.and_then(|y| NaiveDate::from_ymd_opt(y, 1, 1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_urls() {
        let d = |u: &str| url_date(u).map(|d| d.to_string());
        assert_eq!(
            d("https://a.com/2019/11/19/story").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(
            d("https://a.com/story/2019-11-19/x").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(
            d("https://a.com/news/20191119/x.html").as_deref(),
            Some("2019-11-19")
        );
        assert_eq!(d("https://a.com/2019/3/9/x").as_deref(), Some("2019-03-09"));
        assert_eq!(
            d("https://a.com/2019/03/12.html").as_deref(),
            Some("2019-03-12")
        );
        assert_eq!(d("https://a.com/2023/10/3-questions-for-ann/"), None);
        assert_eq!(
            d("https://a.com/news/2019-03-12-budget").as_deref(),
            Some("2019-03-12")
        );
        assert_eq!(d("https://a.com/news/12345678901/x"), None);
        assert_eq!(d("https://a.com/2019/13/40/x"), None);
        assert_eq!(d("https://a.com/2019/03/story"), None);
        assert_eq!(
            url_month("https://a.com/2019/03/story").map(|d| d.to_string()),
            Some("2019-03-01".into())
        );
    }

    #[test]
    fn stated_day_keeps_the_page_time_zone() {
        let p = parse_stated("2019-03-12T23:30:00-05:00", false).unwrap();
        assert_eq!(p.day.to_string(), "2019-03-12");
        assert_eq!(p.instant.to_rfc3339(), "2019-03-13T04:30:00+00:00");
        let p = parse_stated("12. März 2019", false).unwrap();
        assert_eq!(p.day.to_string(), "2019-03-12");
    }

    #[test]
    fn broken_json_still_gives_its_dates() {
        let raw = "{\"@type\": \"NewsArticle\", \"headline\": \"a\nb\", \"datePublished\" : \"2020-01-02\",}";
        assert_eq!(raw_field(raw, "\"datePublished\""), vec!["2020-01-02"]);
    }
}
