//! Text of nodes: character references decoded, HTML whitespace collapsed.

use crate::dom::{Dom, Kind, NodeId, Tag};
use crate::entities;

/// Appends `s` to `out` with runs of whitespace (HTML's and Unicode's) as one
/// space; `out` never gets a leading space or two spaces in a row.
pub fn push_collapsed(out: &mut String, s: &str) {
    let mut space = out.is_empty() || out.ends_with([' ', '\n']);
    for c in s.chars() {
        if c.is_whitespace() || c == '\u{200b}' || c == '\u{feff}' {
            if !space {
                out.push(' ');
                space = true;
            }
        } else {
            out.push(c);
            space = false;
        }
    }
}

/// Decodes a text node's content into `out`, whitespace collapsed.
pub fn push_text(dom: &Dom, id: NodeId, out: &mut String) {
    if let Kind::Text { range, raw } = &dom.node(id).kind {
        let s = dom.slice(range);
        if *raw {
            push_collapsed(out, s);
        } else {
            push_collapsed(out, &entities::decode(s));
        }
    }
}

/// Is this element's content never visible text?
pub fn is_invisible_tag(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Script
            | Tag::Style
            | Tag::Noscript
            | Tag::Template
            | Tag::Svg
            | Tag::Math
            | Tag::Head
            | Tag::Title
            | Tag::Select
            | Tag::Option
            | Tag::Optgroup
            | Tag::Textarea
            | Tag::Iframe
            | Tag::Object
            | Tag::Embed
            | Tag::Canvas
            | Tag::Noembed
            | Tag::Noframes
            | Tag::Button
            | Tag::Input
            | Tag::Audio
            | Tag::Video
            | Tag::Base
            | Tag::Link
            | Tag::Meta
    )
}

/// The visible text of a subtree on one line (for titles, bylines).
pub fn inline_text(dom: &Dom, id: NodeId) -> String {
    let mut out = String::new();
    collect(dom, id, &mut out, 0);
    let trimmed = out.trim_end();
    trimmed.to_string()
}

fn collect(dom: &Dom, id: NodeId, out: &mut String, depth: usize) {
    if depth > crate::dom::MAX_DEPTH + 8 {
        return;
    }
    for c in dom.children(id) {
        match dom.tag(c) {
            None => push_text(dom, c, out),
            Some(t) if is_invisible_tag(t) => {}
            Some(Tag::Br) => push_collapsed(out, " "),
            Some(t) if t.is_block() => {
                push_collapsed(out, " ");
                collect(dom, c, out, depth + 1);
                push_collapsed(out, " ");
            }
            Some(_) => collect(dom, c, out, depth + 1),
        }
    }
}
