//! The fast path of [`sanitize_html`](super::sanitize_html): an HTML tokenizer and tree check for
//! the subset of HTML whose parse is the token stream itself (no implied,
//! reopened or moved elements), producing byte for byte what
//! html5ever + ammonia + html5ever's serializer produce. It returns `None`
//! at the first construct outside that subset, and the caller falls back to
//! the full parser. Only elements of the allowlist are ever written, and
//! their attributes pass the same checks and filter as on the full path.

use std::borrow::Cow;

use ammonia::Url;

use super::{allowed_attribute, filter_attribute, is_url_attr, url_allowed};

/// Nesting deeper than this is left to the full parser.
const MAX_STACK: usize = 256;

/// The document's base URL, parsed only when a relative URL needs it.
pub(super) struct Base<'a> {
    raw: Option<&'a str>,
    parsed: Option<Option<Url>>,
}

impl<'a> Base<'a> {
    pub(super) fn new(raw: Option<&'a str>) -> Self {
        Base { raw, parsed: None }
    }

    fn get(&mut self) -> Option<&Url> {
        let raw = self.raw;
        self.parsed
            .get_or_insert_with(|| raw.and_then(|b| Url::parse(b.trim()).ok()))
            .as_ref()
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// Handled by "any other start tag" (or as a formatting element,
    /// which without misnesting comes to the same).
    Phrase,
    /// `br`, `img`, `wbr`: inserted and popped at once.
    Void,
    /// `hr`: like a void element, but closes an open `p` first.
    Hr,
    /// Elements whose start tag closes an open `p`.
    Block,
    Heading,
    /// `pre`: a block that also drops one newline right after its tag.
    Pre,
    /// `li`, only directly inside `ul`/`ol`.
    ListItem,
    /// `dd`/`dt`, only directly inside `dl`.
    DefItem,
}

fn tag(name: &str) -> Option<(&'static str, Kind)> {
    use Kind::*;
    Some(match name {
        "a" => ("a", Phrase),
        "abbr" => ("abbr", Phrase),
        "acronym" => ("acronym", Phrase),
        "b" => ("b", Phrase),
        "bdi" => ("bdi", Phrase),
        "bdo" => ("bdo", Phrase),
        "big" => ("big", Phrase),
        "cite" => ("cite", Phrase),
        "code" => ("code", Phrase),
        "del" => ("del", Phrase),
        "dfn" => ("dfn", Phrase),
        "em" => ("em", Phrase),
        "font" => ("font", Phrase),
        "i" => ("i", Phrase),
        "ins" => ("ins", Phrase),
        "kbd" => ("kbd", Phrase),
        "mark" => ("mark", Phrase),
        "q" => ("q", Phrase),
        "s" => ("s", Phrase),
        "samp" => ("samp", Phrase),
        "small" => ("small", Phrase),
        "span" => ("span", Phrase),
        "strike" => ("strike", Phrase),
        "strong" => ("strong", Phrase),
        "sub" => ("sub", Phrase),
        "sup" => ("sup", Phrase),
        "time" => ("time", Phrase),
        "tt" => ("tt", Phrase),
        "u" => ("u", Phrase),
        "var" => ("var", Phrase),
        "br" => ("br", Void),
        "img" => ("img", Void),
        "wbr" => ("wbr", Void),
        "hr" => ("hr", Hr),
        "address" => ("address", Block),
        "article" => ("article", Block),
        "aside" => ("aside", Block),
        "blockquote" => ("blockquote", Block),
        "center" => ("center", Block),
        "div" => ("div", Block),
        "dl" => ("dl", Block),
        "figcaption" => ("figcaption", Block),
        "figure" => ("figure", Block),
        "footer" => ("footer", Block),
        "header" => ("header", Block),
        "nav" => ("nav", Block),
        "ol" => ("ol", Block),
        "p" => ("p", Block),
        "section" => ("section", Block),
        "ul" => ("ul", Block),
        "h1" => ("h1", Heading),
        "h2" => ("h2", Heading),
        "h3" => ("h3", Heading),
        "h4" => ("h4", Heading),
        "h5" => ("h5", Heading),
        "h6" => ("h6", Heading),
        "pre" => ("pre", Pre),
        "li" => ("li", ListItem),
        "dd" => ("dd", DefItem),
        "dt" => ("dt", DefItem),
        _ => return None,
    })
}

#[cfg(test)]
pub(super) fn all_tags() -> Vec<&'static str> {
    super::TAGS
        .iter()
        .chain(["script", "table", "svg", "math", "nobr", "o:p"].iter())
        .filter_map(|t| tag(t).map(|(n, _)| n))
        .collect()
}

/// The index of the first byte of `h` for which `hit` holds, or
/// `h.len()`; sixteen bytes at a time, in a shape that compiles to vector
/// compares.
#[inline]
fn scan(h: &[u8], hit: impl Fn(u8) -> bool) -> usize {
    let mut i = 0;
    while let Some(chunk) = h.get(i..i + 16) {
        let chunk: &[u8; 16] = chunk.try_into().expect("16 bytes");
        if chunk.iter().fold(false, |acc, &b| acc | hit(b)) {
            break;
        }
        i += 16;
    }
    while i < h.len() && !hit(h[i]) {
        i += 1;
    }
    i
}

fn is_ws(b: u8) -> bool {
    matches!(b, b'\t' | b'\n' | b'\x0C' | b' ')
}

/// Writes text as html5ever's serializer does.
fn escape(s: &str, attr: bool, out: &mut String) {
    let bytes = s.as_bytes();
    let quote = if attr { b'"' } else { b'&' };
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        i += scan(&bytes[i..], |c| {
            (c == b'&') | (c == b'<') | (c == b'>') | (c == quote) | (c == 0xC2)
        });
        let Some(&c) = bytes.get(i) else { break };
        let rep = match c {
            b'&' => "&amp;",
            b'<' => "&lt;",
            b'>' => "&gt;",
            b'"' if attr => "&quot;",
            0xC2 if bytes.get(i + 1) == Some(&0xA0) => "&nbsp;",
            _ => {
                i += 1;
                continue;
            }
        };
        out.push_str(&s[start..i]);
        out.push_str(rep);
        i += if bytes[i] == 0xC2 { 2 } else { 1 };
        start = i;
    }
    out.push_str(&s[start..]);
}

enum CharRef {
    /// Not a reference: the `&` is literal text.
    Literal,
    /// Decoded to this text; the reference was `len` bytes long.
    Decoded(char, Option<char>, usize),
}

/// A character reference at `html[at]` (an `&`), the way html5ever's
/// tokenizer reads it; `None` where its rules get subtle (legacy
/// references without a semicolon).
fn char_ref(html: &str, at: usize) -> Option<CharRef> {
    let b = html.as_bytes();
    let rest = &b[at + 1..];
    match rest.first() {
        Some(b'#') => {
            let (hex, digits_at) = match rest.get(1) {
                Some(b'x' | b'X') => (true, 2),
                _ => (false, 1),
            };
            let radix = if hex { 16 } else { 10 };
            let mut n: u32 = 0;
            let mut too_big = false;
            let mut j = digits_at;
            while let Some(d) = rest.get(j).and_then(|c| (*c as char).to_digit(radix)) {
                n = n.wrapping_mul(radix);
                if n > 0x10FFFF {
                    too_big = true;
                }
                n = n.wrapping_add(d);
                j += 1;
            }
            if j == digits_at {
                return None;
            }
            if rest.get(j) == Some(&b';') {
                j += 1;
            }
            let c = match n {
                _ if too_big || n > 0x10FFFF => '\u{fffd}',
                0 | 0xD800..=0xDFFF => '\u{fffd}',
                0x80..=0x9F => html5ever::data::C1_REPLACEMENTS[(n - 0x80) as usize]
                    .or_else(|| char::from_u32(n))?,
                n => char::from_u32(n)?,
            };
            Some(CharRef::Decoded(c, None, j + 1))
        }
        Some(c) if c.is_ascii_alphanumeric() => {
            let run = rest
                .iter()
                .take_while(|c| c.is_ascii_alphanumeric())
                .count();
            if rest.get(run) == Some(&b';') {
                let key = &html[at + 1..at + 2 + run];
                if let Some(&(c1, c2)) = html5ever::data::NAMED_ENTITIES.get(key) {
                    if c1 != 0 {
                        let c1 = char::from_u32(c1)?;
                        let c2 = if c2 == 0 {
                            None
                        } else {
                            Some(char::from_u32(c2)?)
                        };
                        return Some(CharRef::Decoded(c1, c2, run + 2));
                    }
                }
            }
            // Legacy references (`&amp`, `&copy`) need no semicolon and
            // decode differently in text and attributes: leave those to
            // the full parser. Anything else is literal text.
            let name = &html[at + 1..at + 1 + run];
            let legacy = (1..=name.len().min(8)).any(|l| {
                html5ever::data::NAMED_ENTITIES
                    .get(&name[..l])
                    .is_some_and(|m| m.0 != 0)
            });
            if legacy {
                None
            } else {
                Some(CharRef::Literal)
            }
        }
        _ => Some(CharRef::Literal),
    }
}

/// Cleans `html`, or `None` when it is outside the subset handled here.
pub(super) fn clean(html: &str, base: &mut Base<'_>) -> Option<String> {
    let b = html.as_bytes();
    // The parser drops NULs and a leading byte-order mark and turns CRs
    // into LFs.
    if scan(b, |c| (c == 0) | (c == b'\r')) < b.len() || html.starts_with('\u{feff}') {
        return None;
    }
    let mut out = String::with_capacity(html.len() + html.len() / 8);
    let mut stack: Vec<&'static str> = Vec::new();
    let mut attrs: Attrs<'_> = Vec::new();
    let mut text_start = 0;
    let mut i = 0;
    while i < b.len() {
        i += scan(&b[i..], |c| (c == b'<') | (c == b'&'));
        match b.get(i) {
            None => break,
            Some(b'<') => {
                escape(&html[text_start..i], false, &mut out);
                match b.get(i + 1) {
                    Some(c) if c.is_ascii_alphabetic() => {
                        i = start_tag(html, i + 1, &mut out, &mut stack, base, &mut attrs)?;
                    }
                    Some(b'/') if b.get(i + 2).is_some_and(u8::is_ascii_alphabetic) => {
                        i = end_tag(html, i + 2, &mut out, &mut stack)?;
                    }
                    Some(b'/' | b'?') => return None,
                    Some(b'!') => i = comment(html, i)?,
                    _ => {
                        out.push_str("&lt;");
                        i += 1;
                    }
                }
                text_start = i;
            }
            Some(_) => {
                escape(&html[text_start..i], false, &mut out);
                match char_ref(html, i)? {
                    CharRef::Literal => {
                        out.push_str("&amp;");
                        i += 1;
                    }
                    CharRef::Decoded(c1, c2, len) => {
                        let mut buf = [0u8; 8];
                        let n1 = c1.encode_utf8(&mut buf).len();
                        let n2 = c2.map_or(0, |c| c.encode_utf8(&mut buf[n1..]).len());
                        let s = std::str::from_utf8(&buf[..n1 + n2]).ok()?;
                        escape(s, false, &mut out);
                        i += len;
                    }
                }
                text_start = i;
            }
        }
    }
    escape(&html[text_start..], false, &mut out);
    while let Some(open) = stack.pop() {
        out.push_str("</");
        out.push_str(open);
        out.push('>');
    }
    Some(out)
}

/// Skips a comment (ammonia strips them all) starting at `html[at]`.
fn comment(html: &str, at: usize) -> Option<usize> {
    let body = html[at..].strip_prefix("<!--")?;
    if body.starts_with('>') || body.starts_with("->") {
        return None;
    }
    let end = body.find("-->")?;
    if body[..end].contains("--!") {
        return None;
    }
    Some(at + 4 + end + 3)
}

fn end_tag(
    html: &str,
    at: usize,
    out: &mut String,
    stack: &mut Vec<&'static str>,
) -> Option<usize> {
    let b = html.as_bytes();
    let len = b[at..]
        .iter()
        .take_while(|c| !is_ws(**c) && **c != b'/' && **c != b'>')
        .count();
    let mut j = at + len;
    while j < b.len() && is_ws(b[j]) {
        j += 1;
    }
    if b.get(j) != Some(&b'>') {
        return None;
    }
    let name = &html[at..at + len];
    let top = stack.last()?;
    if !top.eq_ignore_ascii_case(name) {
        return None;
    }
    out.push_str("</");
    out.push_str(top);
    out.push('>');
    stack.pop();
    Some(j + 1)
}

fn lower(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|c| c.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// A tag's attributes; reused from tag to tag so that tags with
/// attributes do not each allocate a list.
type Attrs<'h> = Vec<(Cow<'h, str>, Cow<'h, str>)>;

fn start_tag<'h>(
    html: &'h str,
    at: usize,
    out: &mut String,
    stack: &mut Vec<&'static str>,
    base: &mut Base<'_>,
    attrs: &mut Attrs<'h>,
) -> Option<usize> {
    let b = html.as_bytes();
    let len = b[at..]
        .iter()
        .take_while(|c| !is_ws(**c) && **c != b'/' && **c != b'>')
        .count();
    let (name, kind) = tag(&lower(&html[at..at + len]))?;
    attrs.clear();
    let mut j = at + len;
    // Attributes, per the tokenizer's attribute states.
    loop {
        while j < b.len() && is_ws(b[j]) {
            j += 1;
        }
        match *b.get(j)? {
            b'>' => {
                j += 1;
                break;
            }
            b'/' => {
                if b.get(j + 1) == Some(&b'>') {
                    j += 2;
                    break;
                }
                return None;
            }
            b'=' => return None,
            _ => {}
        }
        let n_len = b[j..]
            .iter()
            .take_while(|c| !is_ws(**c) && !matches!(**c, b'/' | b'>' | b'='))
            .count();
        let raw_name = &html[j..j + n_len];
        if raw_name.contains(['"', '\'', '<']) {
            return None;
        }
        j += n_len;
        while j < b.len() && is_ws(b[j]) {
            j += 1;
        }
        let mut value = Cow::Borrowed("");
        if b.get(j) == Some(&b'=') {
            j += 1;
            while j < b.len() && is_ws(b[j]) {
                j += 1;
            }
            match *b.get(j)? {
                q @ (b'"' | b'\'') => {
                    let close = j + 1 + b[j + 1..].iter().position(|c| *c == q)?;
                    value = attr_value(html, j + 1, close)?;
                    j = close + 1;
                    // `a="1"b="2"` is an error the tokenizer recovers
                    // from by starting the next attribute at once.
                }
                b'>' => {}
                _ => {
                    let v_len = b[j..]
                        .iter()
                        .take_while(|c| !is_ws(**c) && **c != b'>')
                        .count();
                    let end = j + v_len;
                    if b[j..end]
                        .iter()
                        .any(|c| matches!(c, b'"' | b'\'' | b'<' | b'=' | b'`'))
                    {
                        return None;
                    }
                    value = attr_value(html, j, end)?;
                    j = end;
                }
            }
        }
        let attr_name = lower(raw_name);
        if !attrs.iter().any(|(n, _)| *n == attr_name) {
            attrs.push((attr_name, value));
        }
    }

    // Tree construction: only where the token is inserted as is.
    let p_open = || stack.contains(&"p");
    let top = stack.last().copied();
    let ok = match kind {
        Kind::Phrase => !(name == "a" && stack.contains(&"a")),
        Kind::Void => true,
        Kind::Hr | Kind::Block | Kind::Pre => !p_open(),
        Kind::Heading => !p_open() && !matches!(top, Some("h1" | "h2" | "h3" | "h4" | "h5" | "h6")),
        Kind::ListItem => !p_open() && matches!(top, Some("ul" | "ol")),
        Kind::DefItem => !p_open() && top == Some("dl"),
    };
    if !ok || stack.len() >= MAX_STACK {
        return None;
    }

    // ammonia: allowlist and URL check, then the attribute filter (whose
    // removals are `swap_remove`s, last first: the order is kept exactly).
    attrs.retain(|(n, v)| allowed_attribute(n) && (!is_url_attr(name, n) || url_allowed(v)));
    let mut dropped = Vec::new();
    for (idx, (n, v)) in attrs.iter_mut().enumerate() {
        let base_url = if is_url_value(n) { base.get() } else { None };
        match filter_attribute(name, n, v, base_url) {
            None => dropped.push(idx),
            // Unchanged values come back as the very same slice.
            Some(Cow::Borrowed(new))
                if std::ptr::eq(new.as_ptr(), v.as_ptr()) && new.len() == v.len() => {}
            Some(Cow::Borrowed(new)) if new == v.as_ref() => {}
            Some(new) => *v = Cow::Owned(new.into_owned()),
        }
    }
    for idx in dropped.into_iter().rev() {
        attrs.swap_remove(idx);
    }

    out.push('<');
    out.push_str(name);
    for (n, v) in attrs.iter() {
        out.push(' ');
        out.push_str(n);
        out.push_str("=\"");
        escape(v, true, out);
        out.push('"');
    }
    out.push('>');
    match kind {
        Kind::Void | Kind::Hr => {}
        Kind::Pre => {
            stack.push(name);
            // The parser drops a newline right after `<pre>`.
            match b.get(j) {
                Some(b'\n') => j += 1,
                Some(b'&') => return None,
                _ => {}
            }
        }
        _ => stack.push(name),
    }
    Some(j)
}

/// Whether the attribute filter may resolve this attribute against the
/// base (so the base is parsed only when it might be needed).
fn is_url_value(name: &str) -> bool {
    super::URL_ATTRIBUTES.contains(&name)
}

/// An attribute value between `from` and `to`, character references
/// decoded.
fn attr_value(html: &str, from: usize, to: usize) -> Option<Cow<'_, str>> {
    let raw = &html[from..to];
    if !raw.contains('&') {
        return Some(Cow::Borrowed(raw));
    }
    let mut v = String::with_capacity(raw.len());
    let mut k = from;
    let mut seg = from;
    while k < to {
        if html.as_bytes()[k] != b'&' {
            k += 1;
            continue;
        }
        v.push_str(&html[seg..k]);
        // A reference must not run past the value's end.
        match char_ref(&html[..to], k)? {
            CharRef::Literal => {
                v.push('&');
                k += 1;
            }
            CharRef::Decoded(c1, c2, len) => {
                v.push(c1);
                v.extend(c2);
                k += len;
            }
        }
        seg = k;
    }
    v.push_str(&html[seg..to]);
    Some(Cow::Owned(v))
}
