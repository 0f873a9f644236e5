//! Reader for the Reuters-21578 newswire collection (`reut2-*.sgm`).
//!
//! The files are SGML written by a known, simple program: every story sits
//! between a `<REUTERS ...>` line and a `</REUTERS>` line, and the elements
//! inside do not nest beyond `<TEXT>` and the `<D>` items of the category
//! fields. So instead of a general SGML parser this is one forward scan over
//! the bytes that only looks at `<` positions, which keeps it fast enough for
//! the ingest throughput benchmark and lets a damaged story be skipped
//! without losing its neighbours.

use std::fmt;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// One newswire story of the collection.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReutersStory {
    /// `NEWID`: the story's id in Reuters-21578 (1..=21578, chronological).
    pub new_id: u32,
    /// `OLDID`: the id the story had in Reuters-22173, when present.
    pub old_id: Option<u32>,
    /// `LEWISSPLIT`: `TRAIN`, `TEST` or `NOT-USED` (empty when absent).
    pub lewis_split: String,
    /// `CGISPLIT`: `TRAINING-SET` or `PUBLISHED-TESTSET` (empty when absent).
    pub cgi_split: String,
    /// `TOPICS` attribute: `YES` → `Some(true)`, `NO` → `Some(false)`,
    /// `BYPASS` (or absent) → `None`. It says whether the *original* data had
    /// topics, not whether [`topics`](Self::topics) is empty.
    pub has_topics: Option<bool>,
    /// `<DATE>`, read as UTC with the hundredths of a second dropped; `None`
    /// when the element is missing or unreadable.
    pub date: Option<DateTime<Utc>>,
    /// The `<D>` items of `<TOPICS>`.
    pub topics: Vec<String>,
    /// The `<D>` items of `<PLACES>`.
    pub places: Vec<String>,
    /// The `<D>` items of `<PEOPLE>`.
    pub people: Vec<String>,
    /// The `<D>` items of `<ORGS>`.
    pub orgs: Vec<String>,
    /// The `<D>` items of `<EXCHANGES>`.
    pub exchanges: Vec<String>,
    /// The `<D>` items of `<COMPANIES>` (always empty in the distribution).
    pub companies: Vec<String>,
    /// `<TITLE>`, whitespace collapsed, case kept as given.
    pub title: Option<String>,
    /// `<DATELINE>` without the dash that separates it from the body,
    /// e.g. `SALVADOR, Feb 26`.
    pub dateline: Option<String>,
    /// `<AUTHOR>`, whitespace collapsed.
    pub author: Option<String>,
    /// The story text. For normal stories: `<BODY>` with paragraphs separated
    /// by a blank line, wrapped lines joined, and the `Reuter` sign-off
    /// removed. For `TYPE="UNPROC"` stories (tables, price lists) the whole
    /// `<TEXT>` with its line structure kept. `None` for `TYPE="BRIEF"`
    /// stories, whose only text is the title.
    pub body: Option<String>,
    /// `TYPE` attribute of `<TEXT>`: `BRIEF` or `UNPROC`; `None` for normal
    /// stories.
    pub text_type: Option<String>,
    /// The `<UNKNOWN>` material (wire routing codes), control characters
    /// removed; several elements are joined with a newline.
    pub unknown: Option<String>,
}

/// Which side of the ModApte split a story belongs to (see the collection's
/// README, section VIII.B).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum ModApte {
    /// `LEWISSPLIT="TRAIN"` and `TOPICS="YES"`.
    Train,
    /// `LEWISSPLIT="TEST"` and `TOPICS="YES"`.
    Test,
}

impl ReutersStory {
    /// The story's ModApte side, or `None` when ModApte does not use it.
    pub fn modapte(&self) -> Option<ModApte> {
        if self.has_topics != Some(true) {
            return None;
        }
        match self.lewis_split.as_str() {
            "TRAIN" => Some(ModApte::Train),
            "TEST" => Some(ModApte::Test),
            _ => None,
        }
    }
}

/// A story that could not be read. The rest of the file is still returned.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReutersProblem {
    /// The story's `NEWID`, when its opening tag was readable.
    pub new_id: Option<u32>,
    /// Byte offset of the story's `<REUTERS` tag.
    pub offset: usize,
    /// 1-based line of the story's `<REUTERS` tag.
    pub line: usize,
    /// What was wrong, for a person to read.
    pub reason: String,
}

impl fmt::Display for ReutersProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.new_id {
            Some(id) => write!(f, "line {} (NEWID {}): {}", self.line, id, self.reason),
            None => write!(f, "line {}: {}", self.line, self.reason),
        }
    }
}

/// Everything read from one `.sgm` file.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ReutersBatch {
    /// The stories that were read, in file order.
    pub stories: Vec<ReutersStory>,
    /// The stories that could not be read, in file order.
    pub problems: Vec<ReutersProblem>,
}

/// Why a whole input was rejected.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ReutersError {
    /// The input holds no `<REUTERS` element at all (empty, binary, another format).
    #[error("{file}: not a Reuters-21578 SGML file: no <REUTERS> element found")]
    NotReuters {
        /// The `source` name given to [`parse_sgml`].
        file: String,
    },
}

/// Reads one Reuters-21578 SGML file.
///
/// `source` names the input in errors (usually the file name). Bytes that are
/// not valid UTF-8 are read as Windows-1252; control characters other than
/// newline and tab are dropped; the SGML entities of the collection
/// (`&lt;`, `&gt;`, `&amp;`, `&#N;`) are decoded.
///
/// A damaged story (cut off, unclosed element, missing or bad `NEWID`)
/// becomes a [`ReutersProblem`] and the scan carries on with the next story.
/// Only an input without any `<REUTERS` element is an error.
pub fn parse_sgml(bytes: &[u8], source: &str) -> Result<ReutersBatch, ReutersError> {
    let mut batch = ReutersBatch::default();
    let mut saw_story = false;
    let mut scratch = String::new();
    let mut pos = 0;
    while let Some(lt) = find_byte(bytes, pos, b'<') {
        match read_tag(bytes, lt) {
            Some(t) if t.tag == Tag::Reuters && !t.close => {
                saw_story = true;
                let (outcome, next) = parse_story(bytes, lt, t, &mut scratch);
                match outcome {
                    Ok(story) => batch.stories.push(story),
                    Err((new_id, reason)) => batch.problems.push(ReutersProblem {
                        new_id,
                        offset: lt,
                        line: 0,
                        reason,
                    }),
                }
                pos = next;
            }
            _ => pos = lt + 1,
        }
    }
    if !saw_story {
        return Err(ReutersError::NotReuters {
            file: source.to_owned(),
        });
    }
    fill_line_numbers(bytes, &mut batch.problems);
    Ok(batch)
}

/// Problems are rare, so line numbers are worked out once at the end rather
/// than tracked during the scan.
fn fill_line_numbers(bytes: &[u8], problems: &mut [ReutersProblem]) {
    let mut line = 1;
    let mut at = 0;
    for p in problems.iter_mut() {
        let upto = p.offset.min(bytes.len()).max(at);
        line += bytes[at..upto].iter().filter(|&&b| b == b'\n').count();
        at = upto;
        p.line = line;
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Tag {
    Reuters,
    Date,
    MkNote,
    Topics,
    Places,
    People,
    Orgs,
    Exchanges,
    Companies,
    Unknown,
    Text,
    Title,
    Dateline,
    Body,
    Author,
    D,
}

impl Tag {
    fn from_name(name: &[u8]) -> Option<Tag> {
        let mut up = [0u8; 10];
        if name.is_empty() || name.len() > up.len() {
            return None;
        }
        for (u, b) in up.iter_mut().zip(name) {
            *u = b.to_ascii_uppercase();
        }
        Some(match &up[..name.len()] {
            b"REUTERS" => Tag::Reuters,
            b"DATE" => Tag::Date,
            b"MKNOTE" => Tag::MkNote,
            b"TOPICS" => Tag::Topics,
            b"PLACES" => Tag::Places,
            b"PEOPLE" => Tag::People,
            b"ORGS" => Tag::Orgs,
            b"EXCHANGES" => Tag::Exchanges,
            b"COMPANIES" => Tag::Companies,
            b"UNKNOWN" => Tag::Unknown,
            b"TEXT" => Tag::Text,
            b"TITLE" => Tag::Title,
            b"DATELINE" => Tag::Dateline,
            b"BODY" => Tag::Body,
            b"AUTHOR" => Tag::Author,
            b"D" => Tag::D,
            _ => return None,
        })
    }

    fn name(self) -> &'static str {
        match self {
            Tag::Reuters => "REUTERS",
            Tag::Date => "DATE",
            Tag::MkNote => "MKNOTE",
            Tag::Topics => "TOPICS",
            Tag::Places => "PLACES",
            Tag::People => "PEOPLE",
            Tag::Orgs => "ORGS",
            Tag::Exchanges => "EXCHANGES",
            Tag::Companies => "COMPANIES",
            Tag::Unknown => "UNKNOWN",
            Tag::Text => "TEXT",
            Tag::Title => "TITLE",
            Tag::Dateline => "DATELINE",
            Tag::Body => "BODY",
            Tag::Author => "AUTHOR",
            Tag::D => "D",
        }
    }

    fn is_category(self) -> bool {
        matches!(
            self,
            Tag::Topics | Tag::Places | Tag::People | Tag::Orgs | Tag::Exchanges | Tag::Companies
        )
    }
}

/// A recognised tag found at some `<`.
#[derive(Debug, Clone, Copy)]
struct TagRef {
    tag: Tag,
    close: bool,
    /// Where the attributes start (just after the name).
    name_end: usize,
    /// Where the attributes end: the `>`, or where a cut-off tag stops.
    attr_end: usize,
    /// Just past the closing `>`; `None` when the tag is cut off.
    end: Option<usize>,
}

/// Finds `needle` from `from` on. Most of the input is story text between
/// tags, so this loop is the reader's hot path: it tests eight bytes at a
/// time (a byte of `x` is zero exactly where the needle is).
fn find_byte(hay: &[u8], from: usize, needle: u8) -> Option<usize> {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let tail = hay.get(from..)?;
    let pattern = ONES * u64::from(needle);
    let (words, rest) = tail.as_chunks::<8>();
    for (i, word) in words.iter().enumerate() {
        let x = u64::from_le_bytes(*word) ^ pattern;
        let zero_bytes = x.wrapping_sub(ONES) & !x & HIGHS;
        if zero_bytes != 0 {
            return Some(from + i * 8 + (zero_bytes.trailing_zeros() / 8) as usize);
        }
    }
    let done = words.len() * 8;
    rest.iter()
        .position(|&b| b == needle)
        .map(|i| from + done + i)
}

/// Recognises one of the collection's tags at `lt` (which holds `<`).
/// Anything else (a stray `<` in text, an unknown element) gives `None` and
/// is treated as text.
fn read_tag(bytes: &[u8], lt: usize) -> Option<TagRef> {
    let mut p = lt + 1;
    let close = bytes.get(p) == Some(&b'/');
    if close {
        p += 1;
    }
    let name_start = p;
    // The longest name is 9 letters; stopping early keeps `<` followed by a
    // long run of letters cheap.
    while p < bytes.len() && p - name_start <= 10 && bytes[p].is_ascii_alphabetic() {
        p += 1;
    }
    let tag = Tag::from_name(&bytes[name_start..p])?;
    match bytes.get(p) {
        Some(b'>') => {
            return Some(TagRef {
                tag,
                close,
                name_end: p,
                attr_end: p,
                end: Some(p + 1),
            })
        }
        Some(b) if b.is_ascii_whitespace() => {}
        // `<REUTERS` at the very end of a cut file is still a story start.
        None if tag == Tag::Reuters && !close => {
            return Some(TagRef {
                tag,
                close,
                name_end: p,
                attr_end: p,
                end: None,
            })
        }
        _ => return None,
    }
    // Stop at the next `<` so a cut-off tag cannot make the scan run away.
    let mut q = p;
    while q < bytes.len() {
        match bytes[q] {
            b'>' => {
                return Some(TagRef {
                    tag,
                    close,
                    name_end: p,
                    attr_end: q,
                    end: Some(q + 1),
                })
            }
            b'<' => break,
            _ => q += 1,
        }
    }
    (tag == Tag::Reuters && !close).then_some(TagRef {
        tag,
        close,
        name_end: p,
        attr_end: q,
        end: None,
    })
}

/// Calls `f(name, value)` for each `NAME="value"` pair of a tag's attribute text.
fn for_each_attr<'a>(raw: &'a [u8], mut f: impl FnMut(&'a [u8], &'a [u8])) {
    let mut p = 0;
    let n = raw.len();
    while p < n {
        while p < n && (raw[p].is_ascii_whitespace() || raw[p] == b'/') {
            p += 1;
        }
        let ns = p;
        while p < n && !raw[p].is_ascii_whitespace() && raw[p] != b'=' {
            p += 1;
        }
        let name = &raw[ns..p];
        while p < n && raw[p].is_ascii_whitespace() {
            p += 1;
        }
        if p < n && raw[p] == b'=' {
            p += 1;
            while p < n && raw[p].is_ascii_whitespace() {
                p += 1;
            }
            let value = if p < n && (raw[p] == b'"' || raw[p] == b'\'') {
                let q = raw[p];
                let vs = p + 1;
                let ve = raw[vs..].iter().position(|&b| b == q).map_or(n, |i| vs + i);
                p = (ve + 1).min(n);
                &raw[vs..ve]
            } else {
                let vs = p;
                while p < n && !raw[p].is_ascii_whitespace() {
                    p += 1;
                }
                &raw[vs..p]
            };
            if !name.is_empty() {
                f(name, value);
            }
        } else if !name.is_empty() {
            f(name, b"");
        }
    }
}

type StoryOutcome = Result<ReutersStory, (Option<u32>, String)>;

/// Reads the story whose `<REUTERS` tag is at `start`. Returns the story (or
/// its NEWID and what went wrong) and the offset where the scan goes on.
fn parse_story(
    bytes: &[u8],
    start: usize,
    open: TagRef,
    scratch: &mut String,
) -> (StoryOutcome, usize) {
    let mut story = ReutersStory::default();
    let mut new_id_raw: Option<&[u8]> = None;
    for_each_attr(&bytes[open.name_end..open.attr_end], |name, value| {
        if name.eq_ignore_ascii_case(b"NEWID") {
            new_id_raw = Some(value);
        } else if name.eq_ignore_ascii_case(b"OLDID") {
            story.old_id = parse_u32(value);
        } else if name.eq_ignore_ascii_case(b"LEWISSPLIT") {
            story.lewis_split = String::from_utf8_lossy(value).into_owned();
        } else if name.eq_ignore_ascii_case(b"CGISPLIT") {
            story.cgi_split = String::from_utf8_lossy(value).into_owned();
        } else if name.eq_ignore_ascii_case(b"TOPICS") {
            story.has_topics = if value.eq_ignore_ascii_case(b"YES") {
                Some(true)
            } else if value.eq_ignore_ascii_case(b"NO") {
                Some(false)
            } else {
                None
            };
        }
    });
    let new_id = new_id_raw.and_then(parse_u32);

    let Some(mut pos) = open.end else {
        return (
            Err((new_id, "the <REUTERS> tag is cut off".to_owned())),
            recover(bytes, start + 1),
        );
    };
    let fail = |reason: String, at: usize| (Err((new_id, reason)), recover(bytes, at));

    // Where the open <TEXT> content starts, and its range once closed: an
    // UNPROC story has no <BODY>, so its text is taken from here.
    let mut text_open: Option<usize> = None;
    let mut text_range: Option<(usize, usize)> = None;
    let end = loop {
        let Some(lt) = find_byte(bytes, pos, b'<') else {
            return fail(
                "cut off: input ends before </REUTERS>".to_owned(),
                bytes.len(),
            );
        };
        let Some(t) = read_tag(bytes, lt) else {
            pos = lt + 1;
            continue;
        };
        let Some(t_end) = t.end else {
            // Only a cut-off `<REUTERS` has no end: the next story starts here.
            return (
                Err((
                    new_id,
                    "cut off: no </REUTERS> before the next story".to_owned(),
                )),
                lt,
            );
        };
        match (t.tag, t.close) {
            (Tag::Reuters, true) => break t_end,
            (Tag::Reuters, false) => {
                return (
                    Err((
                        new_id,
                        "cut off: no </REUTERS> before the next story".to_owned(),
                    )),
                    lt,
                )
            }
            (Tag::Text, false) => {
                for_each_attr(&bytes[t.name_end..t.attr_end], |name, value| {
                    if name.eq_ignore_ascii_case(b"TYPE") {
                        story.text_type = Some(String::from_utf8_lossy(value).into_owned());
                    }
                });
                text_open = Some(t_end);
                pos = t_end;
            }
            (Tag::Text, true) => {
                if let Some(s) = text_open.take() {
                    text_range = Some((s, lt));
                }
                pos = t_end;
            }
            // Stray closing tags and `<D>` outside a category field carry nothing.
            (_, true) | (Tag::D, false) => pos = t_end,
            (tag, false) => match scan_leaf(bytes, t_end, tag) {
                Ok((content_end, after)) => {
                    store_leaf(&mut story, tag, &bytes[t_end..content_end], scratch);
                    pos = after;
                }
                Err((at, reason)) => return fail(reason, at),
            },
        }
    };

    if text_open.is_some() {
        return (Err((new_id, "<TEXT> is not closed".to_owned())), end);
    }
    let Some(new_id) = new_id else {
        let reason = match new_id_raw {
            None => "the <REUTERS> tag has no NEWID".to_owned(),
            Some(v) => format!("NEWID=\"{}\" is not a number", String::from_utf8_lossy(v)),
        };
        return (Err((None, reason)), end);
    };
    story.new_id = new_id;

    let unproc = story
        .text_type
        .as_deref()
        .is_some_and(|t| t.eq_ignore_ascii_case("UNPROC"));
    if unproc && story.body.is_none() {
        if let Some((s, e)) = text_range {
            scratch.clear();
            decode_into(&bytes[s..e], scratch);
            story.body = raw_text(scratch);
        }
    }
    (Ok(story), end)
}

/// After a damaged story: where the next story (or the end of this one) is.
fn recover(bytes: &[u8], from: usize) -> usize {
    let mut pos = from;
    while let Some(lt) = find_byte(bytes, pos, b'<') {
        match read_tag(bytes, lt) {
            Some(t) if t.tag == Tag::Reuters && t.close => return t.end.unwrap_or(lt + 1),
            Some(t) if t.tag == Tag::Reuters => return lt,
            _ => pos = lt + 1,
        }
    }
    bytes.len()
}

/// Finds the closing tag of a leaf element whose content starts at `from`.
/// Returns the content end and the offset after the closing tag. Any other
/// collection tag on the way (except `<D>` items in category fields) means
/// the element was never closed.
fn scan_leaf(bytes: &[u8], from: usize, tag: Tag) -> Result<(usize, usize), (usize, String)> {
    let mut p = from;
    loop {
        let Some(lt) = find_byte(bytes, p, b'<') else {
            return Err((
                bytes.len(),
                format!("cut off: input ends inside <{}>", tag.name()),
            ));
        };
        match read_tag(bytes, lt) {
            Some(t) if t.close && t.tag == tag => return Ok((lt, t.end.unwrap_or(lt + 1))),
            Some(t) if t.tag == Tag::D && tag.is_category() => p = t.end.unwrap_or(lt + 1),
            Some(t) if t.tag == Tag::Reuters && !t.close => {
                return Err((
                    lt,
                    format!("cut off: <{}> not closed before the next story", tag.name()),
                ))
            }
            Some(_) => return Err((lt, format!("<{}> is not closed", tag.name()))),
            None => p = lt + 1,
        }
    }
}

fn store_leaf(story: &mut ReutersStory, tag: Tag, raw: &[u8], scratch: &mut String) {
    match tag {
        Tag::Date => {
            if story.date.is_none() {
                story.date = parse_date(raw);
            }
        }
        Tag::Topics => story.topics = category_items(raw, scratch),
        Tag::Places => story.places = category_items(raw, scratch),
        Tag::People => story.people = category_items(raw, scratch),
        Tag::Orgs => story.orgs = category_items(raw, scratch),
        Tag::Exchanges => story.exchanges = category_items(raw, scratch),
        Tag::Companies => story.companies = category_items(raw, scratch),
        Tag::Title => story.title = inline_text(raw, scratch),
        Tag::Author => story.author = inline_text(raw, scratch),
        Tag::Dateline => {
            story.dateline = inline_text(raw, scratch).and_then(|d| {
                let d = d.trim_end_matches(|c: char| c == '-' || c.is_whitespace());
                (!d.is_empty()).then(|| d.to_owned())
            })
        }
        Tag::Body => {
            scratch.clear();
            decode_into(raw, scratch);
            let mut out = String::with_capacity(scratch.len());
            normalize_body(scratch, &mut out);
            story.body = (!out.is_empty()).then_some(out);
        }
        Tag::Unknown => {
            scratch.clear();
            decode_into(raw, scratch);
            let text = scratch.trim();
            if !text.is_empty() {
                match &mut story.unknown {
                    Some(u) => {
                        u.push('\n');
                        u.push_str(text);
                    }
                    None => story.unknown = Some(text.to_owned()),
                }
            }
        }
        Tag::MkNote | Tag::Reuters | Tag::Text | Tag::D => {}
    }
}

/// The `<D>` items of a category field, decoded and trimmed.
fn category_items(raw: &[u8], scratch: &mut String) -> Vec<String> {
    let mut items = Vec::new();
    let mut p = 0;
    while let Some(lt) = find_byte(raw, p, b'<') {
        match read_tag(raw, lt) {
            Some(t) if t.tag == Tag::D && !t.close => {
                let s = t.end.unwrap_or(lt + 1);
                let mut q = s;
                let e = loop {
                    match find_byte(raw, q, b'<') {
                        None => break raw.len(),
                        Some(l) => match read_tag(raw, l) {
                            Some(u) if u.tag == Tag::D => break l,
                            _ => q = l + 1,
                        },
                    }
                };
                if let Some(item) = inline_text(&raw[s..e], scratch) {
                    items.push(item);
                }
                p = e;
            }
            _ => p = lt + 1,
        }
    }
    items
}

/// Decoded text with runs of whitespace collapsed to one space; `None` when blank.
fn inline_text(raw: &[u8], scratch: &mut String) -> Option<String> {
    scratch.clear();
    decode_into(raw, scratch);
    let mut out = String::with_capacity(scratch.len());
    for word in scratch.split_whitespace() {
        if !out.is_empty() {
            out.push(' ');
        }
        out.push_str(word);
    }
    (!out.is_empty()).then_some(out)
}

fn parse_u32(raw: &[u8]) -> Option<u32> {
    std::str::from_utf8(raw).ok()?.trim().parse().ok()
}

/// Reads `26-FEB-1987 15:01:01.79`. Some dates carry a doubled space or
/// trailing wire noise (`...00:02:59.13&#5;&#5;&#5;RM`), so anything after the
/// seconds is ignored.
fn parse_date(raw: &[u8]) -> Option<DateTime<Utc>> {
    let mut c = Cursor { s: raw, p: 0 };
    c.skip_ws();
    let day = c.number(1, 2)?;
    c.expect(b'-')?;
    let month = c.month()?;
    c.expect(b'-')?;
    let year = c.number(4, 4)?;
    if !c.skip_ws() {
        return None;
    }
    let hour = c.number(1, 2)?;
    c.expect(b':')?;
    let minute = c.number(2, 2)?;
    c.expect(b':')?;
    let second = c.number(2, 2)?;
    NaiveDate::from_ymd_opt(year as i32, month, day)?
        .and_hms_opt(hour, minute, second)
        .map(|dt| dt.and_utc())
}

struct Cursor<'a> {
    s: &'a [u8],
    p: usize,
}

impl Cursor<'_> {
    /// Skips spaces; says whether there were any.
    fn skip_ws(&mut self) -> bool {
        let start = self.p;
        while self.p < self.s.len() && self.s[self.p].is_ascii_whitespace() {
            self.p += 1;
        }
        self.p > start
    }

    fn expect(&mut self, b: u8) -> Option<()> {
        (self.s.get(self.p) == Some(&b)).then(|| self.p += 1)
    }

    fn number(&mut self, min: usize, max: usize) -> Option<u32> {
        let start = self.p;
        let mut v = 0u32;
        while self.p < self.s.len() && self.p - start < max && self.s[self.p].is_ascii_digit() {
            v = v * 10 + u32::from(self.s[self.p] - b'0');
            self.p += 1;
        }
        (self.p - start >= min).then_some(v)
    }

    fn month(&mut self) -> Option<u32> {
        let m = self.s.get(self.p..self.p + 3)?;
        let mut up = [0u8; 3];
        for (u, b) in up.iter_mut().zip(m) {
            *u = b.to_ascii_uppercase();
        }
        const MONTHS: [&[u8; 3]; 12] = [
            b"JAN", b"FEB", b"MAR", b"APR", b"MAY", b"JUN", b"JUL", b"AUG", b"SEP", b"OCT", b"NOV",
            b"DEC",
        ];
        let i = MONTHS.iter().position(|x| **x == up)?;
        self.p += 3;
        Some(i as u32 + 1)
    }
}

/// Bytes copied as they are: printable ASCII except `&`, plus `\n` and `\t`.
const PLAIN: [bool; 256] = {
    let mut t = [false; 256];
    let mut b = 0x20;
    while b < 0x7f {
        t[b] = b != b'&' as usize;
        b += 1;
    }
    t[b'\n' as usize] = true;
    t[b'\t' as usize] = true;
    t
};

/// Appends the text of `raw` to `out`: entities decoded, UTF-8 kept, other
/// bytes read as Windows-1252, control characters except `\n` and `\t` dropped.
fn decode_into(raw: &[u8], out: &mut String) {
    let mut i = 0;
    let n = raw.len();
    while i < n {
        // Plain printable ASCII is by far the most common: copy it in runs.
        let run_start = i;
        while i < n && PLAIN[usize::from(raw[i])] {
            i += 1;
        }
        if i > run_start {
            if let Ok(s) = std::str::from_utf8(&raw[run_start..i]) {
                out.push_str(s);
            }
        }
        if i >= n {
            break;
        }
        let b = raw[i];
        if b == b'&' {
            match entity(&raw[i..]) {
                Some((c, len)) => {
                    push_visible(out, c);
                    i += len;
                }
                None => {
                    out.push('&');
                    i += 1;
                }
            }
        } else if b < 0x80 {
            // A control character (or DEL): wire noise.
            i += 1;
        } else {
            let (c, len) = non_ascii(&raw[i..]);
            push_visible(out, c);
            i += len;
        }
    }
}

fn push_visible(out: &mut String, c: char) {
    if !c.is_control() || c == '\n' || c == '\t' {
        out.push(c);
    }
}

/// Decodes the entity at the start of `s` (which begins with `&`).
fn entity(s: &[u8]) -> Option<(char, usize)> {
    // Long enough for `&#1114111;` and every named entity handled here.
    let window = &s[..s.len().min(12)];
    let semi = window.iter().position(|&b| b == b';')?;
    let name = &window[1..semi];
    let c = match name {
        b"lt" => '<',
        b"gt" => '>',
        b"amp" => '&',
        b"quot" => '"',
        b"apos" => '\'',
        [b'#', b'x' | b'X', hex @ ..] if !hex.is_empty() => {
            char::from_u32(u32::from_str_radix(std::str::from_utf8(hex).ok()?, 16).ok()?)?
        }
        [b'#', dec @ ..] if !dec.is_empty() && dec.iter().all(u8::is_ascii_digit) => {
            char::from_u32(std::str::from_utf8(dec).ok()?.parse().ok()?)?
        }
        _ => return None,
    };
    Some((c, semi + 1))
}

/// Decodes the character at the start of `s` (first byte >= 0x80): a valid
/// UTF-8 sequence as such, anything else as one Windows-1252 byte.
fn non_ascii(s: &[u8]) -> (char, usize) {
    let want = match s[0] {
        0xC2..=0xDF => 2,
        0xE0..=0xEF => 3,
        0xF0..=0xF4 => 4,
        _ => 0,
    };
    if want > 0 && s.len() >= want {
        if let Ok(t) = std::str::from_utf8(&s[..want]) {
            if let Some(c) = t.chars().next() {
                return (c, want);
            }
        }
    }
    (windows_1252(s[0]), 1)
}

fn windows_1252(b: u8) -> char {
    // 0x80..=0x9F are the only bytes where Windows-1252 differs from
    // Latin-1; the five unassigned ones stay C1 controls (and get dropped).
    const HIGH: [u16; 32] = [
        0x20AC, 0x0081, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021, 0x02C6, 0x2030, 0x0160,
        0x2039, 0x0152, 0x008D, 0x017D, 0x008F, 0x0090, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022,
        0x2013, 0x2014, 0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x009D, 0x017E, 0x0178,
    ];
    match b {
        0x80..=0x9F => char::from_u32(u32::from(HIGH[usize::from(b - 0x80)])).unwrap_or('\u{FFFD}'),
        _ => char::from(b),
    }
}

/// One line of wire text without trailing blanks and without the literal
/// `^M` some stories keep from a carriage return.
fn clean_line(line: &str) -> &str {
    let line = line.trim_end();
    line.strip_suffix("^M").map_or(line, str::trim_end)
}

/// The `Reuter` sign-off in its spellings (`Reuter`, `REUTER`, `REUTER...`).
fn is_sign_off(line: &str) -> bool {
    let w = clean_line(line).trim().trim_end_matches('.');
    w.eq_ignore_ascii_case("reuter") || w.eq_ignore_ascii_case("reuters")
}

/// Drops trailing blank lines and the sign-off line(s); a few stories carry
/// it twice (`REUTER` then `Reuter`).
fn without_sign_off(text: &str) -> &str {
    let mut t = text.trim_end();
    loop {
        let (head, last) = match t.rfind('\n') {
            Some(i) => (&t[..i], &t[i + 1..]),
            None => ("", t),
        };
        if !is_sign_off(last) {
            return t;
        }
        t = head.trim_end();
    }
}

/// Paragraphs in wire copy start with an indented line; the other lines are
/// wraps of the previous one. Writes paragraphs separated by a blank line.
fn normalize_body(text: &str, out: &mut String) {
    let mut in_paragraph = false;
    for line in without_sign_off(text).split('\n') {
        let line = clean_line(line);
        if line.trim_start().is_empty() {
            in_paragraph = false;
            continue;
        }
        let indented = line.starts_with([' ', '\t']);
        if !out.is_empty() {
            out.push_str(if indented || !in_paragraph {
                "\n\n"
            } else {
                " "
            });
        }
        let mut first = true;
        for word in line.split_whitespace() {
            if !first {
                out.push(' ');
            }
            out.push_str(word);
            first = false;
        }
        in_paragraph = true;
    }
}

/// Unprocessed text (tables, price lists): keeps the line layout, trims the
/// ends and the sign-off. `None` when blank.
fn raw_text(text: &str) -> Option<String> {
    let mut out = String::with_capacity(text.len());
    for line in without_sign_off(text).split('\n') {
        let line = clean_line(line);
        if out.is_empty() && line.trim_start().is_empty() {
            continue;
        }
        out.push_str(line);
        out.push('\n');
    }
    let len = out.trim_end().len();
    out.truncate(len);
    (!out.is_empty()).then_some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decodes_entities_controls_and_windows_1252() {
        let mut s = String::new();
        decode_into(
            b"a &lt;b&gt; &amp; &#3;c&#127;&#65;\x1f\x03 \xfc \xc3\xa9 \x93q\x94 &bogus; &",
            &mut s,
        );
        assert_eq!(s, "a <b> & cA \u{fc} \u{e9} \u{201c}q\u{201d} &bogus; &");
    }

    #[test]
    fn dates_with_noise() {
        let d = parse_date(b"27-MAR-1987 00:02:59.13&#5;&#5;&#5;RM").unwrap();
        assert_eq!(d.to_rfc3339(), "1987-03-27T00:02:59+00:00");
        let d = parse_date(b" 3-MAR-1987  09:15:05.40").unwrap();
        assert_eq!(d.to_rfc3339(), "1987-03-03T09:15:05+00:00");
        assert_eq!(parse_date(b"31-FEB-1987 00:00:00.00"), None);
        assert_eq!(parse_date(b"yesterday"), None);
        assert_eq!(parse_date(b""), None);
    }

    #[test]
    fn body_paragraphs_and_sign_off() {
        let mut out = String::new();
        normalize_body(
            "First line\nwraps here.\n    Second para\ncontinues.\n\n  Third.\n REUTER...^M\n",
            &mut out,
        );
        assert_eq!(
            out,
            "First line wraps here.\n\nSecond para continues.\n\nThird."
        );
    }

    #[test]
    fn attributes() {
        let mut got = Vec::new();
        for_each_attr(br#" A="1" B='two' C=3 D "#, |n, v| {
            got.push((n.to_vec(), v.to_vec()))
        });
        assert_eq!(
            got,
            vec![
                (b"A".to_vec(), b"1".to_vec()),
                (b"B".to_vec(), b"two".to_vec()),
                (b"C".to_vec(), b"3".to_vec()),
                (b"D".to_vec(), b"".to_vec()),
            ]
        );
    }
}
