//! A reader and writer for the YAML subset the seed documents use.
//!
//! The front matter is block-style YAML: mappings, sequences of mappings or
//! scalars, plain / single-quoted / double-quoted scalars, and flow sequences of
//! scalars (`[a, b]`). That subset is small enough to read exactly, which a
//! general YAML library does not: we need each scalar's quoting style and the
//! line it sits on, so that a document can be written back byte for byte and
//! every error can name its line.

use std::fmt::Write as _;

/// How a scalar was (or is to be) written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum ScalarStyle {
    Plain,
    SingleQuoted,
    DoubleQuoted,
}

/// A scalar with its style and 1-based line number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scalar {
    pub text: String,
    pub style: ScalarStyle,
    pub line: usize,
}

/// One node of the front-matter tree.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Node {
    Scalar(Scalar),
    /// A key with nothing after the colon and no nested block.
    Empty {
        line: usize,
    },
    Seq {
        items: Vec<Node>,
        line: usize,
    },
    Map {
        entries: Vec<Entry>,
        line: usize,
    },
}

/// A key of a mapping, its value, and how many blank lines stood before it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub key: String,
    pub value: Node,
    pub line: usize,
    pub blank_lines_before: usize,
}

impl Node {
    pub fn line(&self) -> usize {
        match self {
            Node::Scalar(s) => s.line,
            Node::Empty { line } | Node::Seq { line, .. } | Node::Map { line, .. } => *line,
        }
    }
}

/// A syntax error in the front matter.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SyntaxError {
    pub line: usize,
    pub message: String,
}

struct Line<'a> {
    number: usize,
    indent: usize,
    text: &'a str,
    blank_before: usize,
}

/// Nesting deeper than this is refused: real front matter is 4 levels deep, and
/// a bound keeps hostile input from exhausting the stack.
const MAX_DEPTH: usize = 64;

/// Parses front-matter lines (without the `---` delimiters) into a mapping.
/// `first_line` is the 1-based line number of the first line given.
pub fn parse(src: &str, first_line: usize) -> Result<Vec<Entry>, SyntaxError> {
    let mut lines = Vec::new();
    let mut blank = 0;
    for (i, raw) in src.split('\n').enumerate() {
        let number = first_line + i;
        let raw = raw.strip_suffix('\r').unwrap_or(raw);
        let trimmed = raw.trim_start_matches(' ');
        if trimmed.is_empty() || trimmed.starts_with('#') {
            if trimmed.is_empty() {
                blank += 1;
            }
            continue;
        }
        if trimmed.starts_with('\t') {
            return Err(SyntaxError {
                line: number,
                message: "tabs are not allowed for indentation; use spaces".into(),
            });
        }
        lines.push(Line {
            number,
            indent: raw.len() - trimmed.len(),
            text: trimmed.trim_end(),
            blank_before: blank,
        });
        blank = 0;
    }
    let mut p = Parser { lines, pos: 0 };
    if p.lines.is_empty() {
        return Ok(Vec::new());
    }
    let first = &p.lines[0];
    if first.indent != 0 {
        return Err(SyntaxError {
            line: first.number,
            message: "expected a top-level `key: value` line with no indentation".into(),
        });
    }
    let entries = p.parse_map(0, 0)?;
    if let Some(l) = p.lines.get(p.pos) {
        return Err(SyntaxError {
            line: l.number,
            message: format!(
                "unexpected indentation: expected a top-level `key: value` line, found `{}`",
                l.text
            ),
        });
    }
    Ok(entries)
}

struct Parser<'a> {
    lines: Vec<Line<'a>>,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn parse_map(&mut self, indent: usize, depth: usize) -> Result<Vec<Entry>, SyntaxError> {
        let mut entries: Vec<Entry> = Vec::new();
        while let Some(line) = self.lines.get(self.pos) {
            if line.indent < indent {
                break;
            }
            if line.indent > indent {
                return Err(SyntaxError {
                    line: line.number,
                    message: format!(
                        "unexpected indentation ({} spaces where {} were expected)",
                        line.indent, indent
                    ),
                });
            }
            if line.text.starts_with("- ") || line.text == "-" {
                break;
            }
            let (number, blank_before, text) = (line.number, line.blank_before, line.text);
            self.pos += 1;
            let (key, rest) = split_key(text).ok_or_else(|| SyntaxError {
                line: number,
                message: format!("expected `key: value`, found `{text}`"),
            })?;
            if entries.iter().any(|e| e.key == key) {
                return Err(SyntaxError {
                    line: number,
                    message: format!("duplicate key `{key}`"),
                });
            }
            let value = self.parse_value(rest, number, indent, depth)?;
            entries.push(Entry {
                key: key.to_string(),
                value,
                line: number,
                blank_lines_before: blank_before,
            });
        }
        Ok(entries)
    }

    /// The value after `key:` on line `number`, whose key sits at `indent`.
    fn parse_value(
        &mut self,
        rest: &str,
        number: usize,
        indent: usize,
        depth: usize,
    ) -> Result<Node, SyntaxError> {
        if depth >= MAX_DEPTH {
            return Err(SyntaxError {
                line: number,
                message: format!("nesting deeper than {MAX_DEPTH} levels"),
            });
        }
        if !rest.is_empty() {
            return parse_inline(rest, number);
        }
        let Some(next) = self.lines.get(self.pos) else {
            return Ok(Node::Empty { line: number });
        };
        let is_seq = next.text.starts_with("- ") || next.text == "-";
        if next.indent > indent {
            let child = next.indent;
            if is_seq {
                return self.parse_seq(child, depth + 1);
            }
            let entries = self.parse_map(child, depth + 1)?;
            return Ok(Node::Map {
                entries,
                line: number + 1,
            });
        }
        // YAML also allows a sequence at the key's own indentation.
        if next.indent == indent && is_seq {
            return self.parse_seq(indent, depth + 1);
        }
        Ok(Node::Empty { line: number })
    }

    fn parse_seq(&mut self, indent: usize, depth: usize) -> Result<Node, SyntaxError> {
        let start = self.lines[self.pos].number;
        let mut items = Vec::new();
        while let Some(line) = self.lines.get(self.pos) {
            if line.indent != indent || !(line.text.starts_with("- ") || line.text == "-") {
                if line.indent > indent {
                    return Err(SyntaxError {
                        line: line.number,
                        message: format!(
                            "unexpected indentation ({} spaces) inside a list item",
                            line.indent
                        ),
                    });
                }
                break;
            }
            let number = line.number;
            let item = line.text[1..].trim_start_matches(' ');
            let item_indent = indent + (line.text.len() - item.len());
            self.pos += 1;
            if item.is_empty() {
                items.push(self.parse_value("", number, indent, depth)?);
                continue;
            }
            if item.starts_with("- ") {
                return Err(SyntaxError {
                    line: number,
                    message: "nested inline lists (`- - x`) are not supported".into(),
                });
            }
            match split_key(item) {
                Some((key, rest)) if !starts_quoted(item) => {
                    // A mapping whose first key shares the dash's line; the
                    // following keys sit at the first key's column.
                    let first = self.parse_value(rest, number, item_indent, depth)?;
                    let mut entries = vec![Entry {
                        key: key.to_string(),
                        value: first,
                        line: number,
                        blank_lines_before: 0,
                    }];
                    let more = self.parse_map(item_indent, depth + 1)?;
                    for e in more {
                        if entries.iter().any(|x| x.key == e.key) {
                            return Err(SyntaxError {
                                line: e.line,
                                message: format!("duplicate key `{}`", e.key),
                            });
                        }
                        entries.push(e);
                    }
                    items.push(Node::Map {
                        entries,
                        line: number,
                    });
                }
                _ => items.push(parse_inline(item, number)?),
            }
        }
        Ok(Node::Seq { items, line: start })
    }
}

fn starts_quoted(s: &str) -> bool {
    s.starts_with('"') || s.starts_with('\'')
}

/// Splits `key: rest` / `key:`; `None` when the line is not a mapping entry.
fn split_key(text: &str) -> Option<(&str, &str)> {
    if starts_quoted(text) {
        return None;
    }
    let mut search = 0;
    while let Some(i) = text[search..].find(':') {
        let at = search + i;
        let after = &text[at + 1..];
        if after.is_empty() || after.starts_with(' ') {
            let key = text[..at].trim_end();
            if key.is_empty() || key.contains(" #") {
                return None;
            }
            return Some((key, after.trim_start_matches(' ')));
        }
        search = at + 1;
    }
    None
}

/// A scalar or flow sequence written after `key: ` or `- `.
fn parse_inline(text: &str, line: usize) -> Result<Node, SyntaxError> {
    let err = |message: String| SyntaxError { line, message };
    match text.as_bytes()[0] {
        b'"' => {
            let (value, rest) = read_double_quoted(text).map_err(err)?;
            expect_end(rest, line)?;
            Ok(Node::Scalar(Scalar {
                text: value,
                style: ScalarStyle::DoubleQuoted,
                line,
            }))
        }
        b'\'' => {
            let (value, rest) = read_single_quoted(text).map_err(err)?;
            expect_end(rest, line)?;
            Ok(Node::Scalar(Scalar {
                text: value,
                style: ScalarStyle::SingleQuoted,
                line,
            }))
        }
        b'[' => parse_flow_seq(text, line),
        b'{' => Err(err("flow mappings (`{...}`) are not supported; use an indented block".into())),
        b'|' | b'>' => Err(err(
            "block scalars (`|` or `>`) are not supported; write the value on one line in double quotes"
                .into(),
        )),
        b'&' | b'*' | b'!' => Err(err(
            "YAML anchors, aliases and tags are not supported in front matter".into(),
        )),
        _ => {
            let value = strip_comment(text);
            Ok(Node::Scalar(Scalar {
                text: value.to_string(),
                style: ScalarStyle::Plain,
                line,
            }))
        }
    }
}

fn expect_end(rest: &str, line: usize) -> Result<(), SyntaxError> {
    let rest = rest.trim_start();
    if rest.is_empty() || rest.starts_with('#') {
        Ok(())
    } else {
        Err(SyntaxError {
            line,
            message: format!("unexpected text after the closing quote: `{rest}`"),
        })
    }
}

fn strip_comment(text: &str) -> &str {
    match text.find(" #") {
        Some(i) => text[..i].trim_end(),
        None => text,
    }
}

fn parse_flow_seq(text: &str, line: usize) -> Result<Node, SyntaxError> {
    let err = |m: &str| SyntaxError {
        line,
        message: m.to_string(),
    };
    let mut rest = &text[1..];
    let mut items = Vec::new();
    loop {
        rest = rest.trim_start();
        if let Some(r) = rest.strip_prefix(']') {
            expect_end(r, line)?;
            return Ok(Node::Seq { items, line });
        }
        let (scalar, r) = match rest.as_bytes().first() {
            None => return Err(err("unterminated flow list: expected `]`")),
            Some(b'"') => {
                let (v, r) = read_double_quoted(rest).map_err(|m| err(&m))?;
                (
                    Scalar {
                        text: v,
                        style: ScalarStyle::DoubleQuoted,
                        line,
                    },
                    r,
                )
            }
            Some(b'\'') => {
                let (v, r) = read_single_quoted(rest).map_err(|m| err(&m))?;
                (
                    Scalar {
                        text: v,
                        style: ScalarStyle::SingleQuoted,
                        line,
                    },
                    r,
                )
            }
            Some(b'[' | b'{') => return Err(err("nested flow collections are not supported")),
            Some(_) => {
                let end = rest.find([',', ']']).unwrap_or(rest.len());
                (
                    Scalar {
                        text: rest[..end].trim().to_string(),
                        style: ScalarStyle::Plain,
                        line,
                    },
                    &rest[end..],
                )
            }
        };
        items.push(Node::Scalar(scalar));
        rest = r.trim_start();
        if let Some(r) = rest.strip_prefix(',') {
            rest = r;
        } else if !rest.starts_with(']') {
            return Err(err("expected `,` or `]` in flow list"));
        }
    }
}

/// Reads a double-quoted scalar at the start of `s`; returns it and the rest.
fn read_double_quoted(s: &str) -> Result<(String, &str), String> {
    let mut out = String::new();
    let mut chars = s[1..].char_indices();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => return Ok((out, &s[1 + i + 1..])),
            '\\' => {
                let (_, e) = chars
                    .next()
                    .ok_or("unterminated escape at the end of a double-quoted string")?;
                match e {
                    '"' => out.push('"'),
                    '\\' => out.push('\\'),
                    '/' => out.push('/'),
                    'n' => out.push('\n'),
                    't' | '\t' => out.push('\t'),
                    'r' => out.push('\r'),
                    '0' => out.push('\0'),
                    'a' => out.push('\x07'),
                    'b' => out.push('\x08'),
                    'e' => out.push('\x1b'),
                    'f' => out.push('\x0c'),
                    'v' => out.push('\x0b'),
                    ' ' => out.push(' '),
                    'N' => out.push('\u{85}'),
                    '_' => out.push('\u{a0}'),
                    'L' => out.push('\u{2028}'),
                    'P' => out.push('\u{2029}'),
                    'x' | 'u' | 'U' => {
                        let n = match e {
                            'x' => 2,
                            'u' => 4,
                            _ => 8,
                        };
                        let mut code = 0u32;
                        for _ in 0..n {
                            let (_, h) = chars.next().ok_or("truncated hex escape")?;
                            code = code * 16
                                + h.to_digit(16).ok_or_else(|| {
                                    format!("invalid hex digit `{h}` in `\\{e}` escape")
                                })?;
                        }
                        out.push(
                            char::from_u32(code).ok_or_else(|| {
                                format!("escape `\\{e}{code:X}` is not a character")
                            })?,
                        );
                    }
                    other => {
                        return Err(format!(
                            "unknown escape `\\{other}` in double-quoted string"
                        ))
                    }
                }
            }
            c => out.push(c),
        }
    }
    Err("unterminated double-quoted string: expected a closing `\"` on the same line".into())
}

fn read_single_quoted(s: &str) -> Result<(String, &str), String> {
    let mut out = String::new();
    let body = &s[1..];
    let mut iter = body.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        if c == '\'' {
            if let Some((_, '\'')) = iter.peek() {
                iter.next();
                out.push('\'');
                continue;
            }
            return Ok((out, &body[i + 1..]));
        }
        out.push(c);
    }
    Err("unterminated single-quoted string: expected a closing `'` on the same line".into())
}

/// Writes `text` as a scalar in `style`, falling back to double quotes when the
/// requested style cannot hold the text (a plain scalar that YAML would read as
/// something else, or that contains characters plain style cannot carry).
pub fn write_scalar(out: &mut String, text: &str, style: ScalarStyle) {
    match style {
        ScalarStyle::Plain if plain_safe(text) => out.push_str(text),
        ScalarStyle::SingleQuoted
            if !text.contains(['\n', '\r'])
                && !has_control(text)
                && !text.chars().any(yaml_unprintable) =>
        {
            out.push('\'');
            out.push_str(&text.replace('\'', "''"));
            out.push('\'');
        }
        _ => write_double_quoted(out, text),
    }
}

fn has_control(s: &str) -> bool {
    s.chars().any(|c| c.is_control() && c != '\t')
}

fn write_double_quoted(out: &mut String, text: &str) {
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            '\0' => out.push_str("\\0"),
            // Controls, YAML 1.1's extra line breaks (U+2028, U+2029; NEL is
            // a control) and the non-characters YAML does not allow at all.
            c if c.is_control() || yaml_unprintable(c) => {
                let _ = write!(out, "\\u{:04X}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
}

/// Whether our reader reads `text` back unchanged when written plain after
/// `key: ` or `- ` (weaker than [`plain_safe`]: YAML's other readers might
/// take `yes` for a boolean, ours keeps it as text).
pub fn plain_readable(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    text == text.trim()
        && !has_control(text)
        && !text.contains(['\n', '\r', '\t'])
        && !"\"'[{|>&*!#".contains(first)
        && !(first == '-' && (text.len() == 1 || text.starts_with("- ")))
        && !text.contains(": ")
        && !text.contains(" #")
        && !text.ends_with(':')
}

/// Whether `text` reads back as the same string when written plain, by any
/// YAML reader (Jekyll's included).
pub fn plain_safe(text: &str) -> bool {
    let Some(first) = text.chars().next() else {
        return false;
    };
    if text != text.trim()
        || has_control(text)
        || text.contains(['\n', '\r', '\t'])
        || text.chars().any(yaml_unprintable)
    {
        return false;
    }
    if looks_numeric(text) {
        return false;
    }
    if "-?:,[]{}#&*!|>'\"%@`".contains(first) {
        // `-` and `?` are fine before a non-space (`-1`, `?x`), but quoting is
        // the conservative choice for text fields.
        return false;
    }
    if text.contains(": ") || text.contains(" #") || text.ends_with(':') {
        return false;
    }
    // Words YAML 1.1 or 1.2 would read as booleans or null.
    let lower = text.to_ascii_lowercase();
    !matches!(
        lower.as_str(),
        "true" | "false" | "yes" | "no" | "on" | "off" | "y" | "n" | "null" | "~"
    )
}

/// Characters a YAML reader takes for a line break (U+2028, U+2029) or does
/// not accept at all (U+FFFE, U+FFFF), beyond the controls.
fn yaml_unprintable(c: char) -> bool {
    matches!(c, '\u{2028}' | '\u{2029}' | '\u{FFFE}' | '\u{FFFF}')
}

/// Whether some YAML reader could resolve `text` as a number, a time or a
/// date rather than a string: YAML 1.1 (Jekyll's) reads `3.10` as 3.1,
/// `1,000` as 1000, `12:30` as 750 (base 60), `0x1F`, `010` (octal) and
/// `+1` as numbers, `2024-01-05` as a date, `.5` and `.inf` as floats. Any
/// text that starts like a number and holds only number-ish characters is
/// quoted; quoting a string that did not need it changes nothing.
fn looks_numeric(text: &str) -> bool {
    let body = text.trim_start_matches(['+', '-']);
    let Some(first) = body.chars().next() else {
        return false;
    };
    if !(first.is_ascii_digit() || first == '.') {
        return false;
    }
    let lower = body.to_ascii_lowercase();
    if matches!(lower.as_str(), ".inf" | ".nan") {
        return true;
    }
    body.chars()
        .all(|c| c.is_ascii_hexdigit() || "xXoObB_.,:+-eE".contains(c))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scalar(n: &Node) -> (&str, ScalarStyle) {
        match n {
            Node::Scalar(s) => (&s.text, s.style),
            other => panic!("not a scalar: {other:?}"),
        }
    }

    #[test]
    fn reads_nested_blocks_and_styles() {
        let src = "title: \"A \\\"quoted\\\" word\"\nurl: https://x.test/a#b\n\nprovider:\n  name: X\n  images:\n    - url: /a.jpg\n      width: 50\ntopics:\n  - AI\n  - 'It''s'\n";
        let e = parse(src, 2).unwrap();
        assert_eq!(e.len(), 4);
        assert_eq!(
            scalar(&e[0].value),
            ("A \"quoted\" word", ScalarStyle::DoubleQuoted)
        );
        assert_eq!(
            scalar(&e[1].value),
            ("https://x.test/a#b", ScalarStyle::Plain)
        );
        assert_eq!(e[2].blank_lines_before, 1);
        assert_eq!(e[2].line, 5);
        let Node::Map { entries, .. } = &e[2].value else {
            panic!()
        };
        let Node::Seq { items, .. } = &entries[1].value else {
            panic!()
        };
        let Node::Map { entries: img, .. } = &items[0] else {
            panic!()
        };
        assert_eq!(img[1].key, "width");
        assert_eq!(img[1].line, 9);
        let Node::Seq { items, .. } = &e[3].value else {
            panic!()
        };
        assert_eq!(scalar(&items[1]), ("It's", ScalarStyle::SingleQuoted));
    }

    #[test]
    fn flow_lists_and_same_indent_lists() {
        let e = parse("topics: [AI, \"Machine Learning\"]\nmore:\n- a\n- b\n", 1).unwrap();
        let Node::Seq { items, .. } = &e[0].value else {
            panic!()
        };
        assert_eq!(scalar(&items[1]).0, "Machine Learning");
        let Node::Seq { items, .. } = &e[1].value else {
            panic!()
        };
        assert_eq!(items.len(), 2);
    }

    #[test]
    fn errors_name_the_line() {
        let cases = [
            ("title: \"open\n", 1, "unterminated double-quoted"),
            ("a: 1\n   b: 2\n", 2, "unexpected indentation"),
            ("a: 1\na: 2\n", 2, "duplicate key `a`"),
            ("a: 1\njust text\n", 2, "expected `key: value`"),
            ("a: |\n  x\n", 1, "block scalars"),
            ("a: \"bad \\q escape\"\n", 1, "unknown escape"),
            ("a: \"x\" trailing\n", 1, "after the closing quote"),
            ("a:\n\t- x\n", 2, "tabs"),
        ];
        for (src, line, msg) in cases {
            let err = parse(src, 1).unwrap_err();
            assert_eq!(err.line, line, "{src:?}: {err:?}");
            assert!(err.message.contains(msg), "{src:?}: {}", err.message);
        }
    }

    #[test]
    fn deep_nesting_is_refused_not_overflowed() {
        let mut src = String::new();
        for d in 0..10_000 {
            src.push_str(&" ".repeat(d));
            src.push_str("k:\n");
        }
        let err = parse(&src, 1).unwrap_err();
        assert!(err.message.contains("nesting deeper"), "{}", err.message);
    }

    #[test]
    fn scalar_writer_quotes_what_plain_cannot_hold() {
        let cases = [
            ("Sify.com", ScalarStyle::Plain, "Sify.com"),
            ("yes", ScalarStyle::Plain, "\"yes\""),
            ("a: b", ScalarStyle::Plain, "\"a: b\""),
            ("#tag", ScalarStyle::Plain, "\"#tag\""),
            ("", ScalarStyle::Plain, "\"\""),
            (
                "say \"hi\"\n",
                ScalarStyle::DoubleQuoted,
                "\"say \\\"hi\\\"\\n\"",
            ),
            ("it's", ScalarStyle::SingleQuoted, "'it''s'"),
            ("3.10", ScalarStyle::Plain, "\"3.10\""),
            ("1,000", ScalarStyle::Plain, "\"1,000\""),
            ("12:30", ScalarStyle::Plain, "\"12:30\""),
            ("-0x1F", ScalarStyle::Plain, "\"-0x1F\""),
            ("2024-01-05", ScalarStyle::Plain, "\"2024-01-05\""),
            (".inf", ScalarStyle::Plain, "\".inf\""),
            ("9to5Mac", ScalarStyle::Plain, "9to5Mac"),
            ("3M", ScalarStyle::Plain, "3M"),
            ("Line\u{2028}Sep", ScalarStyle::Plain, "\"Line\\u2028Sep\""),
            ("x\u{FFFE}", ScalarStyle::SingleQuoted, "\"x\\uFFFE\""),
        ];
        for (text, style, want) in cases {
            let mut out = String::new();
            write_scalar(&mut out, text, style);
            assert_eq!(out, want);
            let back = parse(&format!("k: {out}\n"), 1).unwrap();
            assert_eq!(scalar(&back[0].value).0, text, "round trip of {text:?}");
        }
    }
}
