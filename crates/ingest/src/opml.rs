//! OPML subscription lists: the feeds a reader follows, with their folders.
//!
//! Readers export OPML loosely: attribute names in any case (`xmlUrl`,
//! `xmlurl`), folders nested to any depth, `title` or `text` or neither. Every
//! outline with a feed URL becomes one [`Subscription`] carrying the path of
//! folder names above it.

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

/// Deeper folder nesting than this is not a subscription list.
const MAX_DEPTH: usize = 64;

/// One feed subscription.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Subscription {
    /// `title`, else `text`, else the feed URL.
    pub title: String,
    pub xml_url: String,
    pub html_url: Option<String>,
    /// Folder names from the outermost down; empty at top level.
    pub folder: Vec<String>,
}

/// Why an OPML document could not be read. `input` is the `source` given to
/// [`parse_opml`].
#[derive(Debug, thiserror::Error)]
pub enum OpmlError {
    #[error("{input}: not well-formed xml: {reason}; expected an <opml> document")]
    Malformed { input: String, reason: String },
    #[error("{input}: not opml: expected <opml>, found {found}")]
    NotOpml { input: String, found: String },
    #[error(
        "{input}: outlines nested more than {max} deep: expected an ordinary subscription list"
    )]
    TooDeep { input: String, max: usize },
}

fn attr(e: &BytesStart<'_>, name: &str) -> Option<String> {
    e.attributes().with_checks(false).flatten().find_map(|a| {
        if a.key.as_ref().eq_ignore_ascii_case(name.as_bytes()) {
            let v = match a.unescape_value() {
                Ok(v) => v.into_owned(),
                Err(_) => String::from_utf8_lossy(&a.value).into_owned(),
            };
            let v = v.trim().to_string();
            (!v.is_empty()).then_some(v)
        } else {
            None
        }
    })
}

/// Reads the subscriptions of an OPML document.
pub fn parse_opml(bytes: &[u8], source: &str) -> Result<Vec<Subscription>, OpmlError> {
    let text = String::from_utf8_lossy(bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes));
    let mut reader = Reader::from_str(&text);
    reader.config_mut().check_end_names = false;
    let malformed = |reason: String| OpmlError::Malformed {
        input: source.to_string(),
        reason,
    };
    let mut subs = Vec::new();
    // For each open <outline>: the folder name it contributes, if it is one.
    let mut stack: Vec<Option<String>> = Vec::new();
    let mut seen_root = false;
    loop {
        let (e, empty) = match reader.read_event() {
            Ok(Event::Start(e)) => (e, false),
            Ok(Event::Empty(e)) => (e, true),
            Ok(Event::End(e)) => {
                if e.local_name().as_ref().eq_ignore_ascii_case(b"outline") {
                    stack.pop();
                }
                continue;
            }
            Ok(Event::Eof) => break,
            Ok(_) => continue,
            Err(err) => return Err(malformed(err.to_string())),
        };
        let name = String::from_utf8_lossy(e.local_name().as_ref()).into_owned();
        if !seen_root {
            if !name.eq_ignore_ascii_case("opml") {
                return Err(OpmlError::NotOpml {
                    input: source.to_string(),
                    found: format!("<{name}>"),
                });
            }
            seen_root = true;
            continue;
        }
        if !name.eq_ignore_ascii_case("outline") {
            continue;
        }
        let title = attr(&e, "title").or_else(|| attr(&e, "text"));
        let folder: Vec<String> = stack.iter().flatten().cloned().collect();
        let contributes = match attr(&e, "xmlUrl") {
            Some(xml_url) => {
                subs.push(Subscription {
                    title: title.unwrap_or_else(|| xml_url.clone()),
                    xml_url,
                    html_url: attr(&e, "htmlUrl"),
                    folder,
                });
                None
            }
            None => title,
        };
        if !empty {
            if stack.len() >= MAX_DEPTH {
                return Err(OpmlError::TooDeep {
                    input: source.to_string(),
                    max: MAX_DEPTH,
                });
            }
            stack.push(contributes);
        }
    }
    if !seen_root {
        return Err(OpmlError::NotOpml {
            input: source.to_string(),
            found: "no element".to_string(),
        });
    }
    Ok(subs)
}

#[cfg(test)]
mod tests {
    use super::*;

    const SAMPLE: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0">
  <head><title>My feeds</title></head>
  <body>
    <outline text="Top level" type="rss" xmlUrl="http://a.test/feed" htmlUrl="http://a.test/"/>
    <outline text="News" title="News">
      <outline text="World">
        <outline title="B &amp; C" xmlurl="http://b.test/rss"/>
      </outline>
      <outline text="D" XMLURL="http://d.test/atom"></outline>
    </outline>
    <outline text="Empty folder"/>
  </body>
</opml>"#;

    #[test]
    fn nested_outlines_flatten_with_their_folders() {
        let subs = parse_opml(SAMPLE.as_bytes(), "subs.opml").unwrap();
        assert_eq!(subs.len(), 3);
        assert_eq!(subs[0].title, "Top level");
        assert_eq!(subs[0].html_url.as_deref(), Some("http://a.test/"));
        assert!(subs[0].folder.is_empty());
        assert_eq!(subs[1].title, "B & C");
        assert_eq!(subs[1].xml_url, "http://b.test/rss");
        assert_eq!(subs[1].folder, vec!["News", "World"]);
        assert_eq!(subs[2].xml_url, "http://d.test/atom");
        assert_eq!(subs[2].folder, vec!["News"]);
    }

    #[test]
    fn untitled_subscription_is_named_by_its_url() {
        let subs = parse_opml(
            br#"<opml><body><outline xmlUrl="http://x.test/f"/></body></opml>"#,
            "x.opml",
        )
        .unwrap();
        assert_eq!(subs[0].title, "http://x.test/f");
    }

    #[test]
    fn non_opml_is_an_error() {
        let err = parse_opml(b"<rss><channel/></rss>", "feed.xml").unwrap_err();
        assert_eq!(
            err.to_string(),
            "feed.xml: not opml: expected <opml>, found <rss>"
        );
        assert!(parse_opml(b"<opml><body><outline", "bad.opml").is_err());
        let deep = format!(
            "<opml><body>{}</body></opml>",
            "<outline text=\"f\">".repeat(100)
        );
        assert!(matches!(
            parse_opml(deep.as_bytes(), "deep.opml"),
            Err(OpmlError::TooDeep { .. })
        ));
    }
}
