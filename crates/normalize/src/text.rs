//! Plain text from HTML, whitespace repair, excerpts and titles.

use html5ever::tendril::StrTendril;
use html5ever::tokenizer::states::RawKind;
use html5ever::tokenizer::{
    BufferQueue, TagKind, Token, TokenSink, TokenSinkResult, Tokenizer, TokenizerOpts,
};
use html5ever::TokenizerResult;
use std::cell::RefCell;

/// Plain text of an HTML fragment or page: block elements become paragraph
/// breaks (`\n\n`), `<br>` a line break, scripts, styles and other non-content
/// elements are dropped, character references (named, decimal, hex) decoded as
/// a browser would, whitespace collapsed inside paragraphs.
///
/// ```
/// use newsdesk_normalize::html_to_text;
/// assert_eq!(
///     html_to_text("<p>AWS&nbsp;&amp; Azure</p><script>x()</script><p>Q1<br>2021</p>"),
///     "AWS & Azure\n\nQ1\n2021"
/// );
/// ```
pub fn html_to_text(html: &str) -> String {
    let sink = TextSink::default();
    let tokenizer = Tokenizer::new(sink, TokenizerOpts::default());
    let input = BufferQueue::default();
    input.push_back(StrTendril::from_slice(html));
    // The tokenizer pauses at `<meta charset>` (we have text already, so the
    // hint is moot) and would at scripts if we asked; resume until done. Each
    // pause consumes input, and the bound keeps a surprise from looping.
    for _ in 0..=html.len() {
        if let TokenizerResult::Done = tokenizer.feed(&input) {
            break;
        }
    }
    tokenizer.end();
    let state = tokenizer.sink.state.into_inner();
    state.finish()
}

/// Elements whose end or start separates paragraphs.
const BLOCKS: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "body",
    "caption",
    "center",
    "dd",
    "details",
    "dialog",
    "div",
    "dl",
    "dt",
    "fieldset",
    "figcaption",
    "figure",
    "footer",
    "form",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hgroup",
    "hr",
    "html",
    "legend",
    "li",
    "main",
    "menu",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "tfoot",
    "thead",
    "tr",
    "ul",
];

/// Elements whose content is not article text.
const SKIPPED: &[&str] = &[
    "button", "datalist", "head", "iframe", "math", "noembed", "noframes", "noscript", "object",
    "script", "select", "style", "svg", "template", "textarea", "title",
];

#[derive(Default)]
struct TextSink {
    state: RefCell<TextState>,
}

#[derive(Default)]
struct TextState {
    paragraphs: Vec<String>,
    current: String,
    /// Open skipped elements, by name, innermost last.
    skipping: Vec<String>,
}

impl TextState {
    fn break_paragraph(&mut self) {
        let para = std::mem::take(&mut self.current);
        self.paragraphs.push(para);
    }

    fn finish(mut self) -> String {
        self.break_paragraph();
        let mut out: Vec<String> = Vec::new();
        for para in &self.paragraphs {
            // `<br><br>` inside one block reads as a paragraph break too.
            let mut lines: Vec<String> = Vec::new();
            for line in para.split('\n') {
                let line = collapse_spaces(line);
                if line.is_empty() {
                    if !lines.is_empty() {
                        out.push(lines.join("\n"));
                        lines.clear();
                    }
                } else {
                    lines.push(line);
                }
            }
            if !lines.is_empty() {
                out.push(lines.join("\n"));
            }
        }
        out.join("\n\n")
    }
}

impl TokenSink for TextSink {
    type Handle = ();

    fn process_token(&self, token: Token, _line: u64) -> TokenSinkResult<()> {
        let mut st = self.state.borrow_mut();
        match token {
            Token::TagToken(tag) => {
                let name: &str = &tag.name;
                let skipped = SKIPPED.contains(&name);
                match tag.kind {
                    TagKind::StartTag => {
                        if name == "body" {
                            // An unclosed `<head>` ends where the body starts.
                            st.skipping.clear();
                        }
                        if skipped && !tag.self_closing {
                            st.skipping.push(name.to_string());
                        }
                        if st.skipping.is_empty() {
                            if name == "br" {
                                st.current.push('\n');
                            } else if BLOCKS.contains(&name) {
                                st.break_paragraph();
                            } else if matches!(name, "td" | "th" | "img") {
                                st.current.push(' ');
                            }
                        }
                        // Raw-text elements must switch the tokenizer's state, or
                        // `<script>if (a<b)</script>` would be read as markup.
                        return match name {
                            "script" => TokenSinkResult::RawData(RawKind::ScriptData),
                            "style" | "xmp" | "iframe" | "noembed" | "noframes" | "noscript" => {
                                TokenSinkResult::RawData(RawKind::Rawtext)
                            }
                            "title" | "textarea" => TokenSinkResult::RawData(RawKind::Rcdata),
                            "plaintext" => TokenSinkResult::Plaintext,
                            _ => TokenSinkResult::Continue,
                        };
                    }
                    TagKind::EndTag => {
                        if skipped {
                            if let Some(pos) = st.skipping.iter().rposition(|n| n == name) {
                                st.skipping.truncate(pos);
                            }
                        } else if st.skipping.is_empty() {
                            if name == "br" {
                                // Browsers treat a stray `</br>` as `<br>`.
                                st.current.push('\n');
                            } else if BLOCKS.contains(&name) {
                                st.break_paragraph();
                            } else if matches!(name, "td" | "th") {
                                st.current.push(' ');
                            }
                        }
                    }
                }
            }
            // Source newlines are layout, not line breaks.
            Token::CharacterTokens(text) if st.skipping.is_empty() => {
                st.current
                    .extend(text.chars().map(|c| if c == '\n' { ' ' } else { c }));
            }
            _ => {}
        }
        TokenSinkResult::Continue
    }
}

/// Runs of whitespace (any Unicode space, tabs, NBSP) become one space; the
/// ends are trimmed; invisible and control characters are dropped.
fn collapse_spaces(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut pending_space = false;
    for c in line.chars() {
        if is_space(c) || c == '\n' || c == '\r' {
            pending_space = !out.is_empty();
        } else if is_invisible(c) {
            continue;
        } else {
            if pending_space {
                out.push(' ');
                pending_space = false;
            }
            out.push(c);
        }
    }
    out
}

fn is_space(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t' | '\u{0B}' | '\u{0C}' | '\u{A0}' | '\u{1680}' | '\u{2000}'
            ..='\u{200A}' | '\u{202F}' | '\u{205F}' | '\u{3000}'
    )
}

/// Characters with no visible form that only get in the way of matching and
/// display. Zero-width joiners (U+200C, U+200D) are kept: Persian, Indic
/// scripts and emoji sequences need them.
fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{200B}' | '\u{2060}' | '\u{FEFF}' | '\u{00AD}' | '\u{180E}' | '\u{FFFE}' | '\u{FFFF}'
    ) || (c.is_control() && c != '\n')
}

/// Whitespace repair for text fields: NBSP and other Unicode spaces become
/// spaces, zero-width and control characters are removed, runs of spaces
/// collapse, lines are trimmed, and paragraph breaks (a blank line) are kept as
/// `\n\n` while single line breaks stay single. The result is trimmed.
///
/// ```
/// use newsdesk_normalize::clean_whitespace;
/// assert_eq!(clean_whitespace(" a\u{a0}\u{200b}b  c \r\n\r\n\n d\u{7}"), "a b c\n\nd");
/// ```
pub fn clean_whitespace(s: &str) -> String {
    let normalized = s
        .replace("\r\n", "\n")
        .replace(['\r', '\u{2028}', '\u{85}'], "\n")
        .replace('\u{2029}', "\n\n");
    let mut out = String::with_capacity(normalized.len());
    let mut blank_run = 0usize;
    for line in normalized.split('\n') {
        let line = collapse_spaces(line);
        if line.is_empty() {
            blank_run += 1;
            continue;
        }
        if !out.is_empty() {
            out.push_str(if blank_run > 0 { "\n\n" } else { "\n" });
        }
        out.push_str(&line);
        blank_run = 0;
    }
    out
}

/// An excerpt of at most `max_chars` characters (counting the suffix): the
/// text on one line, cut at a word boundary, with ` ...` appended when cut, as
/// the seed records do. Text that fits is returned whole (whitespace cleaned).
///
/// ```
/// use newsdesk_normalize::excerpt;
/// assert_eq!(excerpt("Cloud spending grew 35 per cent in the quarter", 30), "Cloud spending grew 35 per ...");
/// ```
pub fn excerpt(text: &str, max_chars: usize) -> String {
    const SUFFIX: &str = " ...";
    // One pass that collapses every whitespace run (line breaks included) to a
    // space and stops one character past the limit: only the start of a long
    // body can end up in the excerpt, so the rest is never looked at.
    let mut one_line = String::with_capacity(max_chars.min(text.len()) + 8);
    let mut count = 0usize;
    let mut pending_space = false;
    for c in text.chars() {
        if is_space(c) || matches!(c, '\n' | '\r' | '\u{85}' | '\u{2028}' | '\u{2029}') {
            pending_space = count > 0;
            continue;
        }
        if is_invisible(c) {
            continue;
        }
        if count > max_chars {
            break;
        }
        if pending_space {
            one_line.push(' ');
            count += 1;
            pending_space = false;
            if count > max_chars {
                break;
            }
        }
        one_line.push(c);
        count += 1;
    }
    if one_line.chars().count() <= max_chars {
        return one_line;
    }
    let budget = max_chars.saturating_sub(SUFFIX.len());
    if budget == 0 {
        return one_line.chars().take(max_chars).collect();
    }
    // Byte index just past the first `budget + 1` characters: a space right
    // after the budget still counts as a word boundary.
    let window_end = one_line
        .char_indices()
        .nth(budget + 1)
        .map_or(one_line.len(), |(i, _)| i);
    let window = &one_line[..window_end];
    let cut = match window.rfind(' ') {
        Some(i) if i > 0 => &one_line[..i],
        // One long word: cut inside it rather than return nothing.
        _ => {
            let end = one_line
                .char_indices()
                .nth(budget)
                .map_or(one_line.len(), |(i, _)| i);
            &one_line[..end]
        }
    };
    let cut = cut.trim_end_matches([',', ';', ':', '-', '–', '—', ' ']);
    format!("{cut}{SUFFIX}")
}

/// Longest title made from text, in characters, before it is cut.
const TITLE_MAX: usize = 110;

/// A title for a raw article that has none: its first heading line, or else
/// its first sentence, cut at a word boundary near 110 characters (with ` ...`
/// when cut). A leading `date YYYY-MM-DD` marker, as raw article files carry
/// it, is skipped. Empty when the text has no words.
///
/// ```
/// use newsdesk_normalize::title_from_text;
/// assert_eq!(title_from_text("AWS leads cloud market\n\nIt grew."), "AWS leads cloud market");
/// assert_eq!(title_from_text("Alibaba grew 60%. Others less."), "Alibaba grew 60%");
/// ```
pub fn title_from_text(text: &str) -> String {
    let cleaned = clean_whitespace(text);
    let Some(first_line) = cleaned.lines().map(str::trim).find(|l| !l.is_empty()) else {
        return String::new();
    };
    let line = skip_date_marker(first_line);
    let sentence = first_sentence(line);
    let title = sentence.trim_end_matches('.').trim_end();
    excerpt(title, TITLE_MAX + 4)
}

fn skip_date_marker(line: &str) -> &str {
    let mut words = line.splitn(3, ' ');
    match (words.next(), words.next(), words.next()) {
        (Some(w), Some(d), rest)
            if w.eq_ignore_ascii_case("date") && crate::date::parse_date(d).is_ok() =>
        {
            rest.unwrap_or("").trim_start()
        }
        _ => line,
    }
}

/// The text up to the first sentence end: `.`, `!` or `?` followed by a space
/// and an upper-case letter, digit or quote, and not closing an abbreviation
/// (`U.S.`, `Mr.`, `Inc.`) or a decimal number.
fn first_sentence(line: &str) -> &str {
    let chars: Vec<(usize, char)> = line.char_indices().collect();
    for (k, &(i, c)) in chars.iter().enumerate() {
        if !matches!(c, '.' | '!' | '?') {
            continue;
        }
        let next = chars.get(k + 1).map(|&(_, c)| c);
        let after = chars.get(k + 2).map(|&(_, c)| c);
        let ends = match (next, after) {
            (None, _) => true,
            (Some(' '), Some(a)) => a.is_uppercase() || a.is_ascii_digit() || "\"“‘'(".contains(a),
            _ => false,
        };
        if !ends {
            continue;
        }
        if c == '.' {
            let word_start = line[..i].rfind(' ').map_or(0, |p| p + 1);
            let word = &line[word_start..i];
            if is_abbreviation(word) {
                continue;
            }
        }
        return &line[..i + c.len_utf8()];
    }
    line
}

fn is_abbreviation(word: &str) -> bool {
    const ABBREVIATIONS: &[&str] = &[
        "mr", "mrs", "ms", "dr", "prof", "sr", "jr", "st", "inc", "ltd", "corp", "co", "vs", "etc",
        "no", "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
        "gen", "gov", "sen", "rep", "fig", "approx",
    ];
    let lower = word.trim_start_matches(['(', '"', '“']).to_lowercase();
    // Single letters and dotted initialisms: `J.`, `U.S`, `e.g`.
    lower.chars().count() == 1 || lower.contains('.') || ABBREVIATIONS.contains(&lower.as_str())
}

/// Text field repair for titles and excerpts: mojibake fixed
/// ([`crate::fix_mojibake`]), then whitespace cleaned ([`clean_whitespace`]).
///
/// ```
/// use newsdesk_normalize::normalize_text_field;
/// assert_eq!(normalize_text_field("  Canalysâ€™ \u{a0}report "), "Canalys’ report");
/// ```
pub fn normalize_text_field(s: &str) -> String {
    clean_whitespace(&crate::mojibake::fix_mojibake(s))
}
