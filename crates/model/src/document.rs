//! The seed record format: YAML front matter between `---` lines, then an
//! optional body (a Jekyll `_news` collection item).
//!
//! [`Document::parse`] reads a record into an [`Article`] plus the [`Layout`]
//! the file was written in; [`Document::to_bytes`] writes it back. A record read
//! and written unchanged gives back the same bytes: the layout keeps what the
//! typed fields cannot (each scalar's quoting, blank lines, key order, extra
//! keys). A document the desk writes itself uses [`Layout::default`], the
//! seeds' layout.

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};

use crate::article::{Article, Image, Provider};
use crate::yaml::{self, Entry, Node, Scalar, ScalarStyle};

/// An error reading a document; `line` is 1-based in the file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {}{message}", field.as_deref().map(|f| format!("{f}: ")).unwrap_or_default())]
pub struct DocumentError {
    pub line: usize,
    /// The field's path, such as `related[2].publishedDateTime`.
    pub field: Option<String>,
    pub message: String,
}

/// How a document was written: what the typed fields cannot carry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Layout {
    /// Scalars whose quoting differs from the seeds' default, by field path.
    pub styles: HashMap<String, ScalarStyle>,
    /// Top-level keys in file order, when it differs from the seeds' order.
    pub order: Option<Vec<String>>,
    /// Blank lines before top-level keys, where they differ from the seeds'.
    pub blanks: HashMap<String, usize>,
    /// Top-level keys the record format does not define, with their raw values.
    pub extra: Vec<(String, String)>,
    /// Text between the front matter's last line and the closing `---`
    /// (trailing blank lines).
    pub trailing_blank_lines: usize,
    /// A UTF-8 byte-order mark before the opening `---`.
    pub bom: bool,
    /// `\r\n` line ends.
    pub crlf: bool,
    /// Line number of each field path, for messages about the values.
    pub lines: HashMap<String, usize>,
}

/// A parsed record: the article it describes, the body after the front
/// matter, and the layout it was written in.
#[derive(Debug, Clone, PartialEq)]
pub struct Document {
    pub article: Article,
    /// Everything after the closing `---` line, verbatim. The seeds have `"\n"`.
    pub body: String,
    pub layout: Layout,
}

/// The top-level keys in the seeds' order.
pub const FIELD_ORDER: &[&str] = &[
    "category",
    "title",
    "excerpt",
    "publishedDateTime",
    "originalUrl",
    "webUrl",
    "ampWebUrl",
    "cdnAmpWebUrl",
    "type",
    "quality",
    "heat",
    "published",
    "provider",
    "topics",
    "images",
    "related",
    "secured",
];

const RELATED_ORDER: &[&str] = &[
    "title",
    "excerpt",
    "publishedDateTime",
    "originalUrl",
    "webUrl",
    "ampWebUrl",
    "cdnAmpWebUrl",
    "type",
    "provider",
    "quality",
    "heat",
    "published",
    "topics",
    "images",
];

/// Keys preceded by one blank line in the seeds.
fn default_blank_before(key: &str) -> usize {
    match key {
        "provider" | "topics" | "images" | "related" | "secured" => 1,
        _ => 0,
    }
}

/// The seeds write these strings plain and every other string double-quoted.
fn default_style(path: &str) -> ScalarStyle {
    let leaf = path.rsplit('.').next().unwrap_or(path);
    let leaf = leaf.split('[').next().unwrap_or(leaf);
    let in_provider = path.contains("provider.");
    match leaf {
        "category" | "type" => ScalarStyle::Plain,
        "name" | "domain" if in_provider => ScalarStyle::Plain,
        "topics" => ScalarStyle::Plain,
        _ => ScalarStyle::DoubleQuoted,
    }
}

/// Formats a date the way the seeds do: RFC 3339, seconds, `Z`.
pub fn format_date(dt: &DateTime<Utc>) -> String {
    dt.to_rfc3339_opts(SecondsFormat::Secs, true)
}

/// Reads a front-matter date: RFC 3339 (any offset, converted to UTC), or the
/// Jekyll forms `YYYY-MM-DD HH:MM:SS [+ZZZZ]` and `YYYY-MM-DD`.
pub fn parse_date(s: &str) -> Result<DateTime<Utc>, String> {
    let s = s.trim();
    let expected =
        || format!("expected an RFC 3339 date-time such as 2021-05-04T05:54:00Z, found `{s}`");
    let dt = if let Ok(d) = DateTime::parse_from_rfc3339(s) {
        d.with_timezone(&Utc)
    } else if let Ok(d) = DateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S %z") {
        d.with_timezone(&Utc)
    } else if let Ok(d) = NaiveDateTime::parse_from_str(s, "%Y-%m-%d %H:%M:%S") {
        d.and_utc()
    } else if let Ok(d) = NaiveDate::parse_from_str(s, "%Y-%m-%d") {
        d.and_hms_opt(0, 0, 0).ok_or_else(expected)?.and_utc()
    } else {
        return Err(expected());
    };
    use chrono::Datelike;
    if dt.year() < 1900 {
        return Err(format!("the year {} is before 1900 in `{s}`", dt.year()));
    }
    Ok(dt)
}

struct Reader<'a> {
    layout: &'a mut Layout,
}

impl Reader<'_> {
    fn note(&mut self, path: &str, line: usize) {
        self.layout.lines.insert(path.to_string(), line);
    }

    fn string(&mut self, path: &str, node: &Node) -> Result<Option<String>, DocumentError> {
        self.note(path, node.line());
        match node {
            Node::Empty { .. } => Ok(None),
            Node::Scalar(Scalar { text, style, .. }) => {
                // A plain scalar the desk itself would quote (`Y`, `no`) is
                // recorded as plain, so that it is written back as it was.
                if *style != default_style(path)
                    || (*style == ScalarStyle::Plain && !yaml::plain_safe(text))
                {
                    self.layout.styles.insert(path.to_string(), *style);
                }
                Ok(Some(text.clone()))
            }
            other => Err(err(
                path,
                other.line(),
                "expected a single value, found a block",
            )),
        }
    }

    fn required_string(&mut self, path: &str, node: &Node) -> Result<String, DocumentError> {
        self.string(path, node)?
            .ok_or_else(|| err(path, node.line(), "expected a value, found nothing"))
    }

    fn plain<'n>(
        &mut self,
        path: &str,
        node: &'n Node,
    ) -> Result<Option<&'n Scalar>, DocumentError> {
        self.note(path, node.line());
        match node {
            Node::Empty { .. } => Ok(None),
            Node::Scalar(s) => {
                if s.style != ScalarStyle::Plain {
                    self.layout.styles.insert(path.to_string(), s.style);
                }
                Ok(Some(s))
            }
            other => Err(err(
                path,
                other.line(),
                "expected a single value, found a block",
            )),
        }
    }

    fn int<T: std::str::FromStr>(
        &mut self,
        path: &str,
        node: &Node,
        what: &str,
    ) -> Result<Option<T>, DocumentError> {
        let Some(s) = self.plain(path, node)? else {
            return Ok(None);
        };
        s.text.parse::<T>().map(Some).map_err(|_| {
            err(
                path,
                s.line,
                &format!("expected {what}, found `{}`", s.text),
            )
        })
    }

    fn bool(&mut self, path: &str, node: &Node) -> Result<Option<bool>, DocumentError> {
        let Some(s) = self.plain(path, node)? else {
            return Ok(None);
        };
        match s.text.as_str() {
            "true" => Ok(Some(true)),
            "false" => Ok(Some(false)),
            other => Err(err(
                path,
                s.line,
                &format!("expected true or false, found `{other}`"),
            )),
        }
    }

    fn date(&mut self, path: &str, node: &Node) -> Result<Option<DateTime<Utc>>, DocumentError> {
        let Some(s) = self.plain(path, node)? else {
            return Ok(None);
        };
        parse_date(&s.text)
            .map(Some)
            .map_err(|m| err(path, s.line, &m))
    }

    fn seq<'n>(&mut self, path: &str, node: &'n Node) -> Result<&'n [Node], DocumentError> {
        self.note(path, node.line());
        match node {
            Node::Seq { items, .. } => Ok(items),
            Node::Empty { .. } => Ok(&[]),
            other => Err(err(path, other.line(), "expected a list (`- item` lines)")),
        }
    }

    fn map<'n>(&mut self, path: &str, node: &'n Node) -> Result<&'n [Entry], DocumentError> {
        self.note(path, node.line());
        match node {
            Node::Map { entries, .. } => Ok(entries),
            other => Err(err(
                path,
                other.line(),
                "expected a block of `key: value` lines",
            )),
        }
    }

    fn topics(&mut self, path: &str, node: &Node) -> Result<Vec<String>, DocumentError> {
        let items = self.seq(path, node)?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let p = format!("{path}[{i}]");
            out.push(self.required_string(&p, item)?);
        }
        Ok(out)
    }

    fn images(&mut self, path: &str, node: &Node) -> Result<Vec<Image>, DocumentError> {
        let items = self.seq(path, node)?;
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let base = format!("{path}[{i}]");
            let mut img = Image::default();
            let mut has_url = false;
            for e in self.map(&base, item)? {
                let p = format!("{base}.{}", e.key);
                match e.key.as_str() {
                    "url" => {
                        img.url = self.required_string(&p, &e.value)?;
                        has_url = true;
                    }
                    "width" => img.width = self.int(&p, &e.value, "a whole number of pixels")?,
                    "height" => img.height = self.int(&p, &e.value, "a whole number of pixels")?,
                    "isCached" => img.is_cached = self.bool(&p, &e.value)?,
                    "title" => img.title = self.string(&p, &e.value)?,
                    other => {
                        return Err(unknown(
                            &base,
                            other,
                            e.line,
                            "url, width, height, isCached, title",
                        ))
                    }
                }
            }
            check_order(
                &base,
                self.map(&base, item)?,
                &["url", "width", "height", "isCached", "title"],
            )?;
            if !has_url {
                return Err(err(&base, item.line(), "an image needs a `url`"));
            }
            out.push(img);
        }
        Ok(out)
    }

    fn provider(&mut self, path: &str, node: &Node) -> Result<Provider, DocumentError> {
        let mut p = Provider::default();
        let entries = self.map(path, node)?;
        for e in entries {
            let fp = format!("{path}.{}", e.key);
            match e.key.as_str() {
                "name" => p.name = self.required_string(&fp, &e.value)?,
                "domain" => p.domain = self.required_string(&fp, &e.value)?,
                "images" => p.images = self.images(&fp, &e.value)?,
                other => return Err(unknown(path, other, e.line, "name, domain, images")),
            }
        }
        check_order(path, entries, &["name", "domain", "images"])?;
        Ok(p)
    }

    /// Reads the fields an article and a related entry share. Returns `false`
    /// for a key it does not know.
    fn field(&mut self, a: &mut Article, base: &str, e: &Entry) -> Result<bool, DocumentError> {
        let p = if base.is_empty() {
            e.key.clone()
        } else {
            format!("{base}.{}", e.key)
        };
        let v = &e.value;
        match e.key.as_str() {
            "category" => a.category = self.string(&p, v)?,
            "title" => a.title = self.string(&p, v)?.unwrap_or_default(),
            "excerpt" => a.excerpt = self.string(&p, v)?,
            "publishedDateTime" => a.published_at = self.date(&p, v)?,
            "originalUrl" => a.original_url = self.string(&p, v)?,
            "webUrl" => a.web_url = self.string(&p, v)?,
            "ampWebUrl" => a.amp_web_url = self.string(&p, v)?,
            "cdnAmpWebUrl" => a.cdn_amp_web_url = self.string(&p, v)?,
            "type" => a.kind = self.string(&p, v)?,
            "quality" => a.quality = self.int(&p, v, "a whole number")?,
            "heat" => a.heat = self.int(&p, v, "a whole number")?,
            "published" => a.published = self.bool(&p, v)?,
            "provider" => a.provider = Some(self.provider(&p, v)?),
            "topics" => a.topics = self.topics(&p, v)?,
            "images" => a.images = self.images(&p, v)?,
            "secured" => a.secured = self.string(&p, v)?,
            _ => return Ok(false),
        }
        Ok(true)
    }
}

fn err(path: &str, line: usize, message: &str) -> DocumentError {
    DocumentError {
        line,
        field: (!path.is_empty()).then(|| path.to_string()),
        message: message.to_string(),
    }
}

fn unknown(path: &str, key: &str, line: usize, known: &str) -> DocumentError {
    err(
        path,
        line,
        &format!("unknown field `{key}`; expected one of {known}"),
    )
}

/// Nested blocks are written in one fixed order; a record in another order
/// would not round-trip, so it is refused with a message saying so.
fn check_order(path: &str, entries: &[Entry], order: &[&str]) -> Result<(), DocumentError> {
    let mut last = 0;
    for e in entries {
        let Some(i) = order.iter().position(|k| *k == e.key) else {
            continue;
        };
        if i < last {
            return Err(err(
                path,
                e.line,
                &format!(
                    "`{}` must come before `{}` (fields in the order {})",
                    order[last],
                    e.key,
                    order.join(", ")
                ),
            ));
        }
        last = i;
    }
    Ok(())
}

impl Document {
    /// Reads a record. Errors name the line and field.
    pub fn parse(text: &str) -> Result<Document, DocumentError> {
        let mut layout = Layout::default();
        let mut rest = text;
        if let Some(r) = rest.strip_prefix('\u{feff}') {
            layout.bom = true;
            rest = r;
        }
        let open_len = if rest.starts_with("---\r\n") {
            layout.crlf = true;
            5
        } else if rest.starts_with("---\n") {
            4
        } else {
            return Err(err(
                "",
                1,
                "expected the front matter to open with a `---` line",
            ));
        };
        let body_start = &rest[open_len..];
        // Find the closing delimiter line.
        let mut offset = 0;
        let mut close = None;
        for line in body_start.split_inclusive('\n') {
            let bare = line.trim_end_matches(['\n', '\r']);
            if bare == "---" || bare == "..." {
                close = Some((offset, offset + line.len()));
                break;
            }
            offset += line.len();
        }
        let Some((fm_end, after)) = close else {
            return Err(err(
                "",
                text.lines().count().max(1),
                "expected a closing `---` line after the front matter",
            ));
        };
        let front = &body_start[..fm_end];
        let body = body_start[after..].to_string();
        let front_text = front.strip_suffix('\n').unwrap_or(front);
        let front_text = front_text.strip_suffix('\r').unwrap_or(front_text);
        let trailing = front_text.len() - front_text.trim_end_matches(['\n', '\r']).len();
        layout.trailing_blank_lines = front_text[front_text.len() - trailing..]
            .matches('\n')
            .count();
        let entries = yaml::parse(front_text, 2).map_err(|e| DocumentError {
            line: e.line,
            field: None,
            message: e.message,
        })?;

        let mut article = Article::default();
        let mut r = Reader {
            layout: &mut layout,
        };
        let mut keys = Vec::with_capacity(entries.len());
        for e in &entries {
            keys.push(e.key.clone());
            if e.blank_lines_before != default_blank_before(&e.key) {
                r.layout.blanks.insert(e.key.clone(), e.blank_lines_before);
            }
            if e.key == "related" {
                let items = r.seq("related", &e.value)?;
                for (i, item) in items.iter().enumerate() {
                    let base = format!("related[{i}]");
                    let mut rel = Article::default();
                    let fields = r.map(&base, item)?;
                    for f in fields {
                        if !r.field(&mut rel, &base, f)? || f.key == "related" || f.key == "secured"
                        {
                            return Err(unknown(&base, &f.key, f.line, &RELATED_ORDER.join(", ")));
                        }
                    }
                    check_order(&base, fields, RELATED_ORDER)?;
                    article.related.push(rel);
                }
                continue;
            }
            if !r.field(&mut article, "", e)? {
                let lines = text_lines(front_text);
                let raw: Vec<&str> = lines[e.line - 2..end_line(&entries, e, front_text)]
                    .iter()
                    .map(|l| l.strip_suffix('\r').unwrap_or(l))
                    .collect();
                r.layout.extra.push((e.key.clone(), raw.join("\n")));
            }
        }
        let canonical: Vec<&str> = FIELD_ORDER
            .iter()
            .copied()
            .filter(|k| keys.iter().any(|x| x == k))
            .collect();
        let known: Vec<&str> = keys
            .iter()
            .map(String::as_str)
            .filter(|k| FIELD_ORDER.contains(k))
            .collect();
        let extras_at_end = keys
            .iter()
            .skip_while(|k| FIELD_ORDER.contains(&k.as_str()))
            .all(|k| !FIELD_ORDER.contains(&k.as_str()));
        if known != canonical || !extras_at_end {
            layout.order = Some(keys);
        }
        Ok(Document {
            article,
            body,
            layout,
        })
    }

    /// A document for `article` in the seeds' layout, with the seeds' body.
    pub fn new(article: Article) -> Document {
        Document {
            article,
            body: "\n".to_string(),
            layout: Layout::default(),
        }
    }

    /// Writes the document in its layout.
    pub fn to_bytes(&self) -> Vec<u8> {
        self.to_string_lossless().into_bytes()
    }

    /// Writes the document in its layout, as text.
    pub fn to_string_lossless(&self) -> String {
        let mut w = Writer {
            out: String::with_capacity(4096),
            layout: &self.layout,
        };
        let a = &self.article;
        let mut blocks: Vec<(String, String)> = Vec::new();
        for key in FIELD_ORDER {
            let mut s = String::new();
            if w.field(&mut s, a, "", key, 0) {
                blocks.push((key.to_string(), s));
            }
        }
        if !a.related.is_empty() {
            let mut s = String::from("related:\n");
            for (i, rel) in a.related.iter().enumerate() {
                let base = format!("related[{i}]");
                let mut first = true;
                for key in RELATED_ORDER {
                    let mut item = String::new();
                    if w.field(&mut item, rel, &base, key, 4) {
                        if first {
                            s.push_str("  - ");
                            s.push_str(&item[4..]);
                            first = false;
                        } else {
                            s.push_str(&item);
                        }
                    }
                }
                if first {
                    s.push_str("  - {}\n");
                }
            }
            let at = blocks
                .iter()
                .position(|(k, _)| k == "secured")
                .unwrap_or(blocks.len());
            blocks.insert(at, ("related".into(), s));
        }
        for (k, raw) in &self.layout.extra {
            blocks.push((k.clone(), format!("{raw}\n")));
        }
        if let Some(order) = &self.layout.order {
            blocks.sort_by_key(|(k, _)| order.iter().position(|o| o == k).unwrap_or(usize::MAX));
        }
        if self.layout.bom {
            w.out.push('\u{feff}');
        }
        w.out.push_str("---\n");
        for (k, text) in &blocks {
            let blanks = self
                .layout
                .blanks
                .get(k)
                .copied()
                .unwrap_or_else(|| default_blank_before(k));
            for _ in 0..blanks {
                w.out.push('\n');
            }
            w.out.push_str(text);
        }
        for _ in 0..self.layout.trailing_blank_lines {
            w.out.push('\n');
        }
        w.out.push_str("---\n");
        w.out.push_str(&self.body);
        if self.layout.crlf {
            // Only the front matter is re-written; the body is verbatim.
            let split = w.out.len() - self.body.len();
            let (head, body) = w.out.split_at(split);
            return format!("{}{body}", head.replace('\n', "\r\n"));
        }
        w.out
    }
}

fn text_lines(s: &str) -> Vec<&str> {
    s.split('\n').collect()
}

/// The index (exclusive, 0-based into the front matter) of the last line of
/// entry `e`: the line before the next top-level key, minus blank lines.
fn end_line(entries: &[Entry], e: &Entry, front: &str) -> usize {
    let lines = text_lines(front);
    let next = entries
        .iter()
        .find(|x| x.line > e.line)
        .map(|x| x.line - 2)
        .unwrap_or(lines.len());
    let mut end = next;
    while end > e.line - 1 && lines[end - 1].trim().is_empty() {
        end -= 1;
    }
    end
}

struct Writer<'a> {
    out: String,
    layout: &'a Layout,
}

impl Writer<'_> {
    fn style(&self, path: &str) -> ScalarStyle {
        self.layout
            .styles
            .get(path)
            .copied()
            .unwrap_or_else(|| default_style(path))
    }

    fn scalar(&self, s: &mut String, path: &str, key: &str, value: &str, indent: usize) {
        push_indent(s, indent);
        s.push_str(key);
        s.push_str(": ");
        self.put(s, path, value);
        s.push('\n');
    }

    /// A string value: as the file had it when it came from a file (plain
    /// where the file was plain and our reader reads it back unchanged), else
    /// in the seeds' style.
    fn put(&self, s: &mut String, path: &str, value: &str) {
        match self.layout.styles.get(path) {
            Some(ScalarStyle::Plain) if yaml::plain_readable(value) => s.push_str(value),
            _ => yaml::write_scalar(s, value, self.style(path)),
        }
    }

    fn raw(&self, s: &mut String, path: &str, key: &str, value: &str, indent: usize) {
        push_indent(s, indent);
        s.push_str(key);
        s.push_str(": ");
        // Numbers, booleans and dates are plain unless the file quoted them.
        match self.layout.styles.get(path) {
            Some(style) => yaml::write_scalar(s, value, *style),
            None => s.push_str(value),
        }
        s.push('\n');
    }

    /// Writes field `key` of `a` at `indent`; `false` when the field is absent.
    fn field(&self, s: &mut String, a: &Article, base: &str, key: &str, indent: usize) -> bool {
        let p = if base.is_empty() {
            key.to_string()
        } else {
            format!("{base}.{key}")
        };
        let opt = |v: &Option<String>| v.clone();
        let text = match key {
            "category" => opt(&a.category),
            "title" => Some(a.title.clone()),
            "excerpt" => opt(&a.excerpt),
            "originalUrl" => opt(&a.original_url),
            "webUrl" => opt(&a.web_url),
            "ampWebUrl" => opt(&a.amp_web_url),
            "cdnAmpWebUrl" => opt(&a.cdn_amp_web_url),
            "type" => opt(&a.kind),
            "secured" => opt(&a.secured),
            "publishedDateTime" => {
                return match &a.published_at {
                    Some(d) => {
                        self.raw(s, &p, key, &format_date(d), indent);
                        true
                    }
                    None => false,
                }
            }
            "quality" | "heat" => {
                let v = if key == "quality" { a.quality } else { a.heat };
                return match v {
                    Some(v) => {
                        self.raw(s, &p, key, &v.to_string(), indent);
                        true
                    }
                    None => false,
                };
            }
            "published" => {
                return match a.published {
                    Some(v) => {
                        self.raw(s, &p, key, if v { "true" } else { "false" }, indent);
                        true
                    }
                    None => false,
                }
            }
            "provider" => {
                let Some(pr) = &a.provider else { return false };
                push_indent(s, indent);
                s.push_str("provider:\n");
                self.scalar(s, &format!("{p}.name"), "name", &pr.name, indent + 2);
                self.scalar(s, &format!("{p}.domain"), "domain", &pr.domain, indent + 2);
                if !pr.images.is_empty() {
                    self.images(s, &format!("{p}.images"), &pr.images, indent + 2);
                }
                return true;
            }
            "topics" => {
                if a.topics.is_empty() {
                    return false;
                }
                push_indent(s, indent);
                s.push_str("topics:\n");
                for (i, t) in a.topics.iter().enumerate() {
                    push_indent(s, indent + 2);
                    s.push_str("- ");
                    self.put(s, &format!("{p}[{i}]"), t);
                    s.push('\n');
                }
                return true;
            }
            "images" => {
                if a.images.is_empty() {
                    return false;
                }
                self.images(s, &p, &a.images, indent);
                return true;
            }
            _ => None,
        };
        match text {
            // An untitled article still writes `title` only when it has one.
            Some(t) if !(key == "title" && t.is_empty()) => {
                self.scalar(s, &p, key, &t, indent);
                true
            }
            _ => false,
        }
    }

    fn images(&self, s: &mut String, path: &str, images: &[Image], indent: usize) {
        push_indent(s, indent);
        s.push_str("images:\n");
        for (i, img) in images.iter().enumerate() {
            let base = format!("{path}[{i}]");
            let mut item = String::new();
            self.scalar(
                &mut item,
                &format!("{base}.url"),
                "url",
                &img.url,
                indent + 4,
            );
            if let Some(w) = img.width {
                self.raw(
                    &mut item,
                    &format!("{base}.width"),
                    "width",
                    &w.to_string(),
                    indent + 4,
                );
            }
            if let Some(h) = img.height {
                self.raw(
                    &mut item,
                    &format!("{base}.height"),
                    "height",
                    &h.to_string(),
                    indent + 4,
                );
            }
            if let Some(c) = img.is_cached {
                self.raw(
                    &mut item,
                    &format!("{base}.isCached"),
                    "isCached",
                    if c { "true" } else { "false" },
                    indent + 4,
                );
            }
            if let Some(t) = &img.title {
                self.scalar(&mut item, &format!("{base}.title"), "title", t, indent + 4);
            }
            push_indent(s, indent + 2);
            s.push_str("- ");
            s.push_str(&item[indent + 4..]);
        }
    }
}

fn push_indent(s: &mut String, n: usize) {
    for _ in 0..n {
        s.push(' ');
    }
}

/// The 1-based line at which two texts first differ, `None` when they are
/// equal. A text that is a prefix of the other differs at the line after it.
pub fn first_difference(a: &str, b: &str) -> Option<usize> {
    if a == b {
        return None;
    }
    let same = a.lines().zip(b.lines()).take_while(|(x, y)| x == y).count();
    Some(same + 1)
}

/// The slug of a title, as in the seed site's file names: lower case, letters
/// and digits kept, spaces and dashes one `-`, every other character dropped
/// (`Halo/Stryker` gives `halostryker`, `Rs 10.8` gives `rs-108`).
pub fn slug(title: &str) -> String {
    let mut out = String::with_capacity(title.len());
    let mut dash = false;
    for c in title.chars() {
        if c.is_alphanumeric() {
            if dash && !out.is_empty() {
                out.push('-');
            }
            dash = false;
            out.extend(c.to_lowercase());
        } else if c.is_whitespace() || matches!(c, '-' | '_' | '–' | '—') {
            dash = true;
        }
    }
    // File systems limit names to 255 bytes; keep room for the date and `.md`.
    if out.len() > 200 {
        let mut cut = 200;
        while !out.is_char_boundary(cut) {
            cut -= 1;
        }
        out.truncate(cut);
        while out.ends_with('-') {
            out.pop();
        }
    }
    if out.is_empty() {
        out.push_str("untitled");
    }
    out
}

/// The file name of an article in a Jekyll `_news` collection:
/// `YYYY-MM-DD-slug.md`, dated by publication (else `fallback`).
pub fn file_name(article: &Article, fallback: DateTime<Utc>) -> String {
    let date = article.published_at.unwrap_or(fallback);
    format!("{}-{}.md", date.format("%Y-%m-%d"), slug(&article.title))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_follow_the_site() {
        let cases = [
            (
                "Artificial intelligence tracks down leukemia",
                "artificial-intelligence-tracks-down-leukemia",
            ),
            (
                "Facebook's AI mathematician can solve university calculus problems",
                "facebooks-ai-mathematician-can-solve-university-calculus-problems",
            ),
            (
                "12-in-1: Facebook AI's new framework",
                "12-in-1-facebook-ais-new-framework",
            ),
            ("  --  ", "untitled"),
            (
                "Trolls vs Pirates: Halo/Stryker Oral Arguments",
                "trolls-vs-pirates-halostryker-oral-arguments",
            ),
            (
                "AWS leads $42B global Cloud services market in Q1, Microsoft 2nd",
                "aws-leads-42b-global-cloud-services-market-in-q1-microsoft-2nd",
            ),
        ];
        for (title, want) in cases {
            assert_eq!(slug(title), want);
        }
    }

    #[test]
    fn errors_name_line_and_field() {
        let cases = [
            (
                "---\ntitle: \"x\"\nquality: high\n---\n",
                3,
                "quality",
                "expected a whole number",
            ),
            (
                "---\npublishedDateTime: 0000-00-00\n---\n",
                2,
                "publishedDateTime",
                "expected an RFC 3339",
            ),
            (
                "---\npublished: yes\n---\n",
                2,
                "published",
                "expected true or false",
            ),
            (
                "---\nimages:\n  - url: \"a\"\n    width: -5\n---\n",
                4,
                "images[0].width",
                "pixels",
            ),
            ("---\nprovider: x\n---\n", 2, "provider", "expected a block"),
            (
                "---\nrelated:\n  - title: \"a\"\n    secured: \"b\"\n---\n",
                4,
                "related[0]",
                "unknown field `secured`",
            ),
        ];
        for (src, line, field, msg) in cases {
            let e = Document::parse(src).unwrap_err();
            assert_eq!(e.line, line, "{src:?}: {e}");
            assert_eq!(e.field.as_deref(), Some(field), "{src:?}: {e}");
            assert!(e.message.contains(msg), "{src:?}: {e}");
        }
        let e = Document::parse("title: x\n").unwrap_err();
        assert!(e.message.contains("open with a `---` line"));
        let e = Document::parse("---\ntitle: x\n").unwrap_err();
        assert!(e.message.contains("closing `---`"));
    }

    #[test]
    fn unknown_top_level_keys_are_kept_in_place() {
        let src = "---\nlayout: post\ntitle: \"T\"\ntags: [a, b]\n---\nBody\n";
        let d = Document::parse(src).unwrap();
        assert_eq!(d.article.title, "T");
        assert_eq!(d.body, "Body\n");
        assert_eq!(d.to_string_lossless(), src);
    }
}
