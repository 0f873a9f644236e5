//! Plain text from HTML, whitespace, excerpts, titles.

use newsdesk_normalize::{
    clean_whitespace, excerpt, html_to_text, normalize_text_field, title_from_text,
};

#[test]
fn html_becomes_paragraphs() {
    let cases = [
        ("<p>One</p><p>Two</p>", "One\n\nTwo"),
        ("<div>A<div>B</div>C</div>", "A\n\nB\n\nC"),
        (
            "<h1>Title</h1>Body <b>bold</b> text",
            "Title\n\nBody bold text",
        ),
        (
            "Line one<br>Line two<br/>Line three",
            "Line one\nLine two\nLine three",
        ),
        ("First<br><br>Second", "First\n\nSecond"),
        ("<ul><li>a</li><li>b</li></ul>", "a\n\nb"),
        (
            "<p>  lots   of\n\n  space\t here </p>",
            "lots of space here",
        ),
        ("<table><tr><td>1</td><td>2</td></tr></table>", "1 2"),
        ("no markup at all", "no markup at all"),
        ("", ""),
    ];
    for (html, expected) in cases {
        assert_eq!(html_to_text(html), expected, "{html:?}");
    }
}

#[test]
fn scripts_styles_and_head_are_dropped() {
    let html = "<!DOCTYPE html><html><head><title>Site</title><style>p{color:red}</style>\
        <script>if (a<b && c>d) { document.write('<p>x</p>') }</script></head>\
        <body><noscript>Enable JS</noscript><p>Real text</p><template><p>hidden</p></template>\
        <svg><text>icon</text></svg><!-- comment --><p>More</p></body></html>";
    assert_eq!(html_to_text(html), "Real text\n\nMore");
}

#[test]
fn entities_are_decoded() {
    let cases = [
        (
            "AT&amp;T &lt;tag&gt; &quot;q&quot; &#39;s",
            "AT&T <tag> \"q\" 's",
        ),
        (
            "&#8217; &#x2019; &rsquo; &hellip; &mdash; &ndash;",
            "’ ’ ’ … — –",
        ),
        (
            "caf&eacute; na&iuml;ve &euro;5 &copy; &trade; &nbsp;x",
            "café naïve €5 © ™ x",
        ),
        ("&ldquo;quoted&rdquo;", "“quoted”"),
        ("5 &lt 6 &amp no semicolon", "5 < 6 & no semicolon"),
        ("&unknownentity; &#xZZ;", "&unknownentity; &#xZZ;"),
        ("&#0; &#x110000;", "\u{FFFD} \u{FFFD}"),
    ];
    for (html, expected) in cases {
        assert_eq!(html_to_text(html), expected, "{html:?}");
    }
}

#[test]
fn broken_html_does_not_panic() {
    for html in [
        "<",
        "<p",
        "</p>",
        "<<>>",
        "<script>",
        "<style>unclosed",
        "<p>a<b>c</p></b>",
        "&",
        "&#",
        "<!--",
        "<head><p>no body",
        "<meta charset=\"utf-8\"><p>after meta</p>",
        "<plaintext><p>raw",
        "\u{0}<p>\u{0}</p>",
    ] {
        let _ = html_to_text(html);
    }
    assert_eq!(
        html_to_text("<meta charset=\"latin1\"><p>after meta</p>"),
        "after meta"
    );
    assert_eq!(html_to_text("<p>a<b>c</p></b>"), "ac");
}

#[test]
fn whitespace_is_cleaned() {
    let cases = [
        ("  a  b  ", "a b"),
        ("a\u{a0}b\u{2009}c\u{3000}d", "a b c d"),
        (
            "zero\u{200b}width\u{feff} soft\u{ad}hyphen",
            "zerowidth softhyphen",
        ),
        ("ctrl\u{7}\u{1b}chars\ttab", "ctrlchars tab"),
        ("para one\n\n\n\npara two", "para one\n\npara two"),
        ("line one\nline two", "line one\nline two"),
        ("windows\r\nline\r\n\r\nbreaks", "windows\nline\n\nbreaks"),
        ("  \n \u{a0}\n  ", ""),
        ("emoji 👩\u{200d}💻 kept", "emoji 👩\u{200d}💻 kept"),
        ("trailing   \nspaces", "trailing\nspaces"),
    ];
    for (input, expected) in cases {
        assert_eq!(clean_whitespace(input), expected, "{input:?}");
    }
}

#[test]
fn excerpts_cut_at_word_boundaries() {
    let text = "Amazon Web Services (AWS) was the leading cloud service provider with 32 per cent market share in Q1 2021";
    let e = excerpt(text, 60);
    assert!(e.ends_with(" ..."), "{e}");
    assert!(e.chars().count() <= 60, "{e}");
    assert_eq!(
        e,
        "Amazon Web Services (AWS) was the leading cloud service ..."
    );
    assert!(text.starts_with(e.trim_end_matches(" ...")));

    assert_eq!(excerpt("short text", 60), "short text");
    assert_eq!(excerpt("  spaced \n\n text  ", 60), "spaced text");
    assert_eq!(excerpt("one, two, three, four", 14), "one, two ...");
    assert_eq!(excerpt("Supercalifragilistic", 10), "Superc ...");
    assert_eq!(excerpt("abc def", 2), "ab");
    assert_eq!(excerpt("", 10), "");
    // Multi-byte characters are counted as characters.
    let e = excerpt("été à Zürich près du lac où il fait très chaud", 20);
    assert!(e.chars().count() <= 20, "{e}");
    assert_eq!(e, "été à Zürich ...");
}

#[test]
fn titles_from_raw_text() {
    // Seed 002: a raw article whose first line carries a date marker.
    let seed = " date 2020-11-08 In the third quarter of 2020, Alibaba Cloud’s growth rate was significantly faster than that of the two industry leaders Amazon Web Service and Microsoft Azure, CNBC reported on November 6. Recall that in the same period, revenue reached $ 33 billion.\n\nAlibaba Cloud is growing at full speed …";
    let t = title_from_text(seed);
    assert!(
        t.starts_with("In the third quarter of 2020, Alibaba Cloud’s growth rate"),
        "{t}"
    );
    assert!(t.chars().count() <= 114, "{t}");
    assert!(t.ends_with(" ..."), "{t}");

    let cases = [
        (
            "AWS leads cloud market\n\nBody text here.",
            "AWS leads cloud market",
        ),
        ("Short sentence. Another one follows.", "Short sentence"),
        (
            "The U.S. market grew 3.5 percent. Then more.",
            "The U.S. market grew 3.5 percent",
        ),
        (
            "Mr. Smith went to Washington. He stayed.",
            "Mr. Smith went to Washington",
        ),
        ("Is this a question? Yes.", "Is this a question?"),
        ("\n\n   \n", ""),
    ];
    for (text, expected) in cases {
        assert_eq!(title_from_text(text), expected, "{text:?}");
    }
}

#[test]
fn text_fields_are_repaired_and_cleaned() {
    assert_eq!(
        normalize_text_field("  Canalysâ€™ latest\u{a0} report "),
        "Canalys’ latest report"
    );
    assert_eq!(normalize_text_field("CafÃ©\u{200b} news"), "Café news");
    assert_eq!(normalize_text_field("Plain title"), "Plain title");
}
