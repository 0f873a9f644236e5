//! Highlighted, HTML-escaped snippets.

/// Escapes text for HTML element content and attribute values.
pub(crate) fn escape_into(out: &mut String, text: &str) {
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
}

pub(crate) fn escape(text: &str) -> String {
    let mut s = String::with_capacity(text.len());
    escape_into(&mut s, text);
    s
}

/// The start of a text up to `max_chars` characters, cut at a word boundary,
/// escaped, with `…` when cut.
pub(crate) fn lead(text: &str, max_chars: usize) -> String {
    let text = text.trim();
    match text.char_indices().nth(max_chars) {
        None => escape(text),
        Some((cut, _)) => {
            let head = &text[..cut];
            let head = match head.rfind(char::is_whitespace) {
                Some(sp) if sp > cut / 2 => &head[..sp],
                _ => head,
            };
            let mut s = escape(head.trim_end());
            s.push('…');
            s
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_and_cuts() {
        assert_eq!(
            escape("<a href=\"x\">&'"),
            "&lt;a href=&quot;x&quot;&gt;&amp;&#39;"
        );
        assert_eq!(lead("short <b>", 100), "short &lt;b&gt;");
        assert_eq!(lead("one two three four", 9), "one two…");
        assert_eq!(lead("ééééé", 2), "éé…");
    }
}
