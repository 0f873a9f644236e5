//! Finding the article's text among the page's boilerplate.
//!
//! The page is cut into *blocks*: each block-level element with the text of
//! its inline content (nested blocks are blocks of their own). Every block
//! gets a weight: long blocks with few links and sentence punctuation count
//! for their length, link lists count against, short fragments a little.
//!
//! Boilerplate regions count against too: navigation, asides, headers,
//! footers, figures, forms; elements whose class or id says share, related,
//! comment, newsletter, sidebar, caption, byline, ad...; hidden elements
//! (`hidden`, `aria-hidden`, `display:none`); and teaser lists, three or more
//! sibling cards of one kind that each hold a linked title. A region is only
//! boilerplate while it holds less than three quarters of the page's prose (a
//! `has-sidebar` class on the wrapper of the whole page is a layout hint),
//! never on `<body>`, `<main>` or `<article>` themselves, and never around an
//! embedded post (`blockquote.twitter-tweet`) that the story quotes.
//!
//! Weights add up the tree in one backward pass over the arena (parents come
//! before children). The container is the element with the best balance of
//! prose in and boilerplate out, with a bonus for `<article>` and for
//! elements that name themselves the article body (`itemprop=articleBody`,
//! `article-body`, `entry-content`...), inside which short blocks (table
//! cells, list items) are not held against them. Its text is then written
//! block by block, dropping boilerplate regions, link-heavy blocks, the
//! headline `<h1>`, stock phrases ("Advertisement", "Read more"), copyright
//! lines, lines that only date the story, bylines and wire credits.

use crate::dom::{Dom, Kind, NodeId, Tag, NONE};
use crate::text::{inline_text, is_invisible_tag, push_collapsed, push_text};

/// The main text and the element it came from.
pub struct MainContent {
    pub text: String,
    /// The chosen container, `NONE` when the page had no text.
    pub root: NodeId,
}

/// Per-block counts.
#[derive(Clone, Copy, Default)]
struct Block {
    /// Visible characters (not counting whitespace).
    chars: u32,
    /// Of which inside links.
    link_chars: u32,
    /// Sentence punctuation (`.`, `,`, `!`, `?`, `;`, `:`, `”`...).
    punct: u32,
}

/// Class or id words that mark boilerplate.
const NEGATIVE: &[&str] = &[
    "comment",
    "share",
    "sharing",
    "social",
    "related",
    "recommend",
    "newsletter",
    "promo",
    "advert",
    "sponsor",
    "sidebar",
    "subscribe",
    "subscription",
    "signup",
    "sign-up",
    "breadcrumb",
    "byline",
    "author",
    "caption",
    "credit",
    "footer",
    "navigation",
    "navbar",
    "menu",
    "toolbar",
    "popup",
    "modal",
    "cookie",
    "more-stories",
    "read-more",
    "readmore",
    "most-popular",
    "mostpopular",
    "trending",
    "outbrain",
    "taboola",
    "disqus",
    "timestamp",
    "dateline",
    "widget",
    "visually-hidden",
    "sr-only",
    "screen-reader",
    "login",
    "masthead",
    "tags",
    "tagline",
    "keywords",
    "pagination",
    "pager",
    "rating",
    "print",
    "disclaimer",
    "copyright",
    "video",
    "gallery",
    "slideshow",
    "playlist",
    "article-meta",
    "post-meta",
    "entry-meta",
    "meta-",
    "inline-ad",
    "embed",
    "tooltip",
    "skip",
];

/// Class or id words that mark the article body.
const POSITIVE: &[&str] = &[
    "articlebody",
    "article-body",
    "article_body",
    "article__body",
    "articlecontent",
    "article-content",
    "article_content",
    "article__content",
    "article-text",
    "articletext",
    "story-body",
    "storybody",
    "story-content",
    "story-text",
    "storytext",
    "post-content",
    "postcontent",
    "post-body",
    "post_content",
    "entry-content",
    "entry-body",
    "entry_content",
    "body-text",
    "bodytext",
    "content-body",
    "main-content",
    "text-body",
    "richtext",
    "rich-text",
    "article-main",
];

/// Whole texts of blocks that are never article text.
const STOCK: &[&str] = &[
    "advertisement",
    "advertisements",
    "advert",
    "comments",
    "ad",
    "story continues below advertisement",
    "continue reading below",
    "continue reading",
    "read more",
    "read more:",
    "related",
    "related:",
    "share",
    "share this",
    "share this article",
    "share this story",
    "click here",
    "sponsored",
    "subscribe",
    "related articles",
    "related stories",
    "more from",
    "loading...",
    "loading",
    "you may also like",
    "you might also like",
    "topics",
    "tags",
    "related tags",
    "related topics",
    "related news",
    "related content",
    "don't miss",
    "more",
    "most popular",
    "most read",
    "post comment",
    "post a comment",
    "leave a comment",
    "leave a reply",
    "tell us what you think",
    "like this story? share it with a friend",
    "iklan",
    "publicidade",
    "publicité",
    "anzeige",
    "werbung",
    "реклама",
    "seite teilen",
    "seite drucken",
    "teilen",
    "drucken",
    "rezept drucken",
    "print recipe",
    "keine kommentare",
    "no comments",
    "inhaltsverzeichnis",
    "table of contents",
];

fn is_ad_word(w: &str) -> bool {
    w == "ad"
        || w == "ads"
        || w.starts_with("ad-")
        || w.starts_with("ad_")
        || w.starts_with("ads-")
        || w.starts_with("ads_")
        || w.ends_with("-ad")
        || w.ends_with("_ad")
        || w.ends_with("-ads")
        || w.contains("-ad-")
        || w.contains("adslot")
        || w.contains("adunit")
        || w.contains("dfp")
}

/// The attributes that decide an element's role, read in one pass.
#[derive(Default)]
struct RoleAttrs<'a> {
    class: Option<&'a str>,
    id: Option<&'a str>,
    itemprop: Option<&'a str>,
    role: Option<&'a str>,
    style: Option<&'a str>,
    hidden: bool,
}

fn role_attrs<'a>(dom: &Dom<'a>, id: NodeId) -> RoleAttrs<'a> {
    let mut r = RoleAttrs::default();
    for (name, value) in dom.attrs(id) {
        match name.len() {
            2 if name.eq_ignore_ascii_case("id") => r.id = Some(value),
            4 if name.eq_ignore_ascii_case("role") => r.role = Some(value),
            5 if name.eq_ignore_ascii_case("class") => r.class = Some(value),
            5 if name.eq_ignore_ascii_case("style") => r.style = Some(value),
            6 if name.eq_ignore_ascii_case("hidden") => r.hidden = true,
            8 if name.eq_ignore_ascii_case("itemprop") => r.itemprop = Some(value),
            11 if name.eq_ignore_ascii_case("aria-hidden") => {
                r.hidden |= value.trim().eq_ignore_ascii_case("true")
            }
            _ => {}
        }
    }
    r
}

/// `hidden`, `aria-hidden=true`, or an inline style that hides the element.
fn is_hidden(attrs: &RoleAttrs) -> bool {
    if attrs.hidden {
        return true;
    }
    let Some(style) = attrs.style else {
        return false;
    };
    let b = style.as_bytes();
    let has = |pat: &[u8]| b.windows(pat.len()).any(|w| w.eq_ignore_ascii_case(pat));
    // Most styles hide nothing: check cheaply before normalizing.
    if !has(b"none") && !has(b"hidden") {
        return false;
    }
    let compact: Vec<u8> = b
        .iter()
        .filter(|c| !c.is_ascii_whitespace())
        .map(u8::to_ascii_lowercase)
        .collect();
    memchr::memmem::find(&compact, b"display:none").is_some()
        || memchr::memmem::find(&compact, b"visibility:hidden").is_some()
}

/// `<rt>` and `<rp>`: the reading of the characters a `<ruby>` annotates
/// (furigana over kanji) and the parentheses around it, shown above the
/// text, not part of its sentence.
fn is_ruby_annotation(name: &str) -> bool {
    name.eq_ignore_ascii_case("rt") || name.eq_ignore_ascii_case("rp")
}

/// -1 for boilerplate words in class/id, +1 for article-body words, else 0.
fn class_signal(attrs: &RoleAttrs, buf: &mut String) -> i8 {
    if let Some(v) = attrs.itemprop {
        if v.eq_ignore_ascii_case("articleBody") || v.eq_ignore_ascii_case("text") {
            return 1;
        }
    }
    if let Some(v) = attrs.role {
        let v = v.trim();
        if [
            "navigation",
            "complementary",
            "banner",
            "contentinfo",
            "menu",
            "menubar",
            "dialog",
        ]
        .iter()
        .any(|r| v.eq_ignore_ascii_case(r))
        {
            return -1;
        }
    }
    buf.clear();
    for v in [attrs.class, attrs.id].into_iter().flatten() {
        for word in v.split_ascii_whitespace() {
            // Taxonomy classes (`category-sidebar-tips`, `tag-video`) name
            // the article's topics, not the element's role.
            let b = word.as_bytes();
            let starts = |p: &[u8]| b.len() >= p.len() && b[..p.len()].eq_ignore_ascii_case(p);
            if starts(b"category-") || starts(b"tag-") {
                continue;
            }
            buf.push(' ');
            let start = buf.len();
            buf.push_str(word);
            buf[start..].make_ascii_lowercase();
        }
    }
    if buf.is_empty() {
        return 0;
    }
    let mut negative = false;
    for m in class_words().find_overlapping_iter(buf.as_str()) {
        if m.pattern().as_usize() < POSITIVE.len() {
            return 1;
        }
        negative = true;
    }
    let ad_like = |b: &[u8]| {
        memchr::memmem::find(b, b"ad").is_some() || memchr::memmem::find(b, b"dfp").is_some()
    };
    // `hidden` as a word of its own hides; inside a word it often does not
    // (`field--label-hidden` hides a field's label, not its text).
    let hides = |w: &str| matches!(w, "hidden" | "is-hidden" | "hide" | "d-none");
    // A teaser (`li.teaser`, `ul.teaser-item-list`) links to another story;
    // a `teaser-text` or `article-teaser` is often the story's own lead.
    let teaser = |w: &str| {
        matches!(w, "teaser" | "teasers")
            || w.starts_with("teaser-list")
            || w.starts_with("teaser-item")
            || w.starts_with("teaserlist")
    };
    if negative
        || (ad_like(buf.as_bytes()) && buf.split_ascii_whitespace().any(is_ad_word))
        || (buf.contains("hid") && buf.split_ascii_whitespace().any(hides))
        || (buf.contains("teaser") && buf.split_ascii_whitespace().any(teaser))
    {
        return -1;
    }
    0
}

/// One automaton for the POSITIVE then the NEGATIVE words, built once.
fn class_words() -> &'static aho_corasick::AhoCorasick {
    static WORDS: std::sync::OnceLock<aho_corasick::AhoCorasick> = std::sync::OnceLock::new();
    WORDS.get_or_init(|| {
        aho_corasick::AhoCorasick::builder()
            .kind(Some(aho_corasick::AhoCorasickKind::DFA))
            .build(POSITIVE.iter().chain(NEGATIVE))
            .expect("a fixed set of plain words builds")
    })
}

/// Tags whose subtrees are boilerplate wherever they are (guarded like class
/// words: not when they hold most of the prose).
fn is_boilerplate_tag(tag: Tag) -> bool {
    matches!(
        tag,
        Tag::Nav
            | Tag::Aside
            | Tag::Footer
            | Tag::Header
            | Tag::Figcaption
            | Tag::Form
            | Tag::Dialog
            | Tag::Menu
            | Tag::Label
            | Tag::Fieldset
            | Tag::Figure
    )
}

fn count_text(s: &[u8], b: &mut Block, in_link: bool) {
    let mut chars = 0u32;
    let mut punct = 0u32;
    for (i, &c) in s.iter().enumerate() {
        if c & 0xC0 == 0x80 || c.is_ascii_whitespace() {
            continue;
        }
        chars += 1;
        if matches!(c, b'.' | b',' | b'!' | b'?' | b';' | b':' | b'"') {
            punct += 1;
        } else if c >= 0xE0 {
            // CJK and Devanagari full stops and commas: 。、，।
            let next = (s.get(i + 1).copied(), s.get(i + 2).copied());
            if matches!(
                (c, next),
                (0xE3, (Some(0x80), Some(0x81 | 0x82)))
                    | (0xEF, (Some(0xBC), Some(0x8C)))
                    | (0xE0, (Some(0xA5), Some(0xA4)))
            ) {
                punct += 1;
            }
        }
    }
    b.chars += chars;
    b.punct += punct;
    if in_link {
        b.link_chars += chars;
    }
}

/// The weight of one block for choosing the container.
fn weight(b: &Block) -> f64 {
    if b.chars == 0 {
        return 0.0;
    }
    let own = (b.chars - b.link_chars.min(b.chars)) as f64;
    let density = b.link_chars as f64 / b.chars as f64;
    if density > 0.5 {
        return -(b.chars.min(300) as f64) * 0.5;
    }
    if own >= 80.0 || (own >= 30.0 && b.punct >= 2) {
        own * (1.0 - density) + 20.0 * (b.punct.min(10) as f64)
    } else {
        SHORT
    }
}

/// The weight of a short block (a label, a date, a table cell).
const SHORT: f64 = -8.0;
/// A boilerplate region that holds this share of the page's prose or more
/// is a wrapper of the article, whatever its class says.
const BOILERPLATE_SHARE: f64 = 0.75;
/// How much boilerplate inside a container costs against its prose.
const PENALTY: f64 = 0.7;
/// The bonus of `<article>` and of elements named like an article body.
const BODY_BONUS: f64 = 1.15;
/// A teaser card holds less than this share of the page's prose.
const TEASER_SHARE: f64 = 0.3;

/// Per-node flags the passes after the first one need.
struct Marks<'m> {
    hidden: &'m [bool],
    in_link: &'m [bool],
    in_heading: &'m [bool],
}

/// Teaser lists: three or more sibling items of one element and class that
/// each hold a linked heading, or that are short cards a fifth of whose text
/// is links (`<div class="card"><a>Title</a><div>Teaser</div></div>`), are
/// links to other stories: they get a negative signal.
fn mark_teasers(dom: &Dom, marks: &Marks, blocks: &[Block], prose: &[f64], signal: &mut [i8]) {
    let n = dom.nodes.len();
    let total = prose[0];
    let mut hlink = vec![false; n];
    let mut chars = vec![0u32; n];
    let mut link_chars = vec![0u32; n];
    // Words under each node, and whether it holds a link with none (an
    // image or a whole-card overlay link).
    let mut worded = vec![false; n];
    let mut blank_link = vec![false; n];
    for i in (0..n).rev() {
        let node = &dom.nodes[i];
        let p = node.parent as usize;
        match &node.kind {
            Kind::Text { range, .. } => {
                worded[i] = !marks.hidden[i]
                    && dom.src.as_bytes()[range.start as usize..range.end as usize]
                        .iter()
                        .any(|b| !b.is_ascii_whitespace());
                if i > 0
                    && !marks.hidden[i]
                    && marks.in_link[p]
                    && marks.in_heading[p]
                    && range.end - range.start > 8
                {
                    hlink[i] = true;
                }
            }
            Kind::Element { tag, .. } => {
                if !marks.hidden[i] {
                    chars[i] += blocks[i].chars;
                    link_chars[i] += blocks[i].link_chars;
                    if *tag == Tag::A && marks.in_link[i] && !worded[i] {
                        blank_link[i] = true;
                    }
                }
            }
        }
        if i > 0 {
            worded[p] |= worded[i];
            blank_link[p] |= blank_link[i];
            hlink[p] |= hlink[i];
            chars[p] += chars[i];
            link_chars[p] += link_chars[i];
        }
    }
    let is_card = |c: NodeId| {
        let ci = c as usize;
        let Some(tag) = dom.tag(c) else {
            return false;
        };
        if tag.is_heading() || tag == Tag::A {
            return false;
        }
        hlink[ci]
            // A card whose picture or whole box is the link to the story
            // and whose words link nowhere (a forum post's avatar links to
            // its author, whose name links there too).
            || (blank_link[ci]
                && link_chars[ci] == 0
                && chars[ci] > 0
                && chars[ci] < 500
                && matches!(tag, Tag::Div | Tag::Article | Tag::Section | Tag::Li))
            || (chars[ci] < 400
                && link_chars[ci] >= 10
                && link_chars[ci] * 5 >= chars[ci]
                && matches!(tag, Tag::Div | Tag::Article | Tag::Section))
    };
    let kind_of = |c: NodeId| (dom.tag(c), dom.attr_raw(c, "class"));
    for i in 0..n {
        if marks.hidden[i] || !matches!(dom.nodes[i].kind, Kind::Element { .. }) {
            continue;
        }
        // Same element and class for all: a repeated card, not an article
        // that happens to have linked subheads.
        let mut first = None;
        let mut count = 0;
        let mut same = true;
        for c in dom.children(i as NodeId).filter(|&c| is_card(c)) {
            count += 1;
            match first {
                None => first = Some(kind_of(c)),
                Some(k) => same &= k == kind_of(c),
            }
        }
        if count < 3 || !same {
            continue;
        }
        for c in dom.children(i as NodeId).filter(|&c| is_card(c)) {
            let c = c as usize;
            if signal[c] == 0 && prose[c] < TEASER_SHARE * total {
                signal[c] = -1;
            }
        }
    }
}

/// Embedded posts (`<blockquote class="twitter-tweet">` in a
/// `social-media-embed` box) are quoted in the story: negative words on the
/// post and the few boxes around it do not make it boilerplate.
fn spare_embedded_posts(dom: &Dom, hidden: &[bool], signal: &mut [i8]) {
    for (i, &h) in hidden.iter().enumerate().skip(1) {
        if h || !dom.is(i as NodeId, Tag::Blockquote) {
            continue;
        }
        let class = dom.attr_raw(i as NodeId, "class").unwrap_or("");
        let has = |w: &str| {
            class
                .as_bytes()
                .windows(w.len())
                .any(|x| x.eq_ignore_ascii_case(w.as_bytes()))
        };
        if !(has("tweet") || has("instagram")) {
            continue;
        }
        let mut id = i as NodeId;
        for _ in 0..4 {
            if id == NONE {
                break;
            }
            if signal[id as usize] < 0 && !dom.tag(id).is_some_and(is_boilerplate_tag) {
                signal[id as usize] = 0;
            }
            id = dom.node(id).parent;
        }
    }
}

/// The `<header>` around the page's headline (the first `<h1>` with
/// words) is the story's header, like an `<article>`'s: its standfirst
/// paragraph is text (unless its class or id says boilerplate).
fn spare_headline_header(
    dom: &Dom,
    hidden: &[bool],
    signal: &mut [i8],
    in_article_header: &mut [bool],
    buf: &mut String,
) -> Option<NodeId> {
    let n = dom.nodes.len();
    let h1 = (1..n).find(|&i| {
        !hidden[i]
            && dom.is(i as NodeId, Tag::H1)
            && !inline_text(dom, i as NodeId).trim().is_empty()
    })?;
    let mut a = dom.nodes[h1].parent;
    for _ in 0..4 {
        if a == NONE || a == 0 {
            return None;
        }
        if dom.is(a, Tag::Header) {
            if in_article_header[a as usize] || class_signal(&role_attrs(dom, a), buf) < 0 {
                return None;
            }
            signal[a as usize] = 0;
            let end = last_descendant(dom, a) as usize;
            for flag in &mut in_article_header[a as usize..=end] {
                *flag = true;
            }
            return Some(a);
        }
        a = dom.nodes[a as usize].parent;
    }
    None
}

/// Boilerplate does not hold the article: an element whose class or id
/// says boilerplate (`sidebar_content`, `above-footer`) but that wraps an
/// element named the article body, or the page's headline, is a layout
/// wrapper. Boilerplate tags (`<nav>`, `<header>`...) keep their role.
fn spare_article_wrappers(dom: &Dom, hidden: &[bool], prose: &[f64], signal: &mut [i8]) {
    let n = dom.nodes.len();
    let mut holds = vec![false; n];
    // The page's headline: the first `<h1>` with words (not a logo), else
    // an element that names itself the headline (`h2.entry-title`).
    let worded = |i: usize| !inline_text(dom, i as NodeId).trim().is_empty();
    let headline = (1..n)
        .find(|&i| !hidden[i] && dom.is(i as NodeId, Tag::H1) && worded(i))
        .or_else(|| {
            (1..n).find(|&i| {
                !hidden[i]
                    && matches!(dom.nodes[i].kind, Kind::Element { .. })
                    && (dom
                        .attr_raw(i as NodeId, "itemprop")
                        .is_some_and(|v| v.trim().eq_ignore_ascii_case("headline"))
                        || dom.attr_raw(i as NodeId, "class").is_some_and(|c| {
                            c.split_ascii_whitespace().any(|w| {
                                matches!(w, "entry-title" | "post-title" | "article-title")
                            })
                        }))
                    && worded(i)
            })
        });
    if let Some(h) = headline {
        holds[h] = true;
    }
    for (i, &s) in signal.iter().enumerate() {
        if s > 0 && !hidden[i] {
            holds[i] = true;
        }
    }
    for i in (1..n).rev() {
        if holds[i] {
            let p = dom.nodes[i].parent as usize;
            holds[p] = true;
        }
    }
    for i in 1..n {
        if signal[i] >= 0 || dom.tag(i as NodeId).is_some_and(is_boilerplate_tag) {
            continue;
        }
        if holds[i] {
            signal[i] = 0;
            continue;
        }
        // Inside the named article body or an `<article>`, a box holding
        // half its prose or more (`elementor-widget-container`, `div.entry.
        // share`) is a layout wrapper.
        let mut a = dom.nodes[i].parent;
        for _ in 0..6 {
            if a == NONE || a == 0 {
                break;
            }
            if signal[a as usize] > 0 || dom.is(a, Tag::Article) {
                if prose[i] > 0.0 && prose[i] * 2.0 >= prose[a as usize] {
                    signal[i] = 0;
                }
                break;
            }
            a = dom.nodes[a as usize].parent;
        }
    }
}

pub fn main_content(dom: &Dom) -> MainContent {
    let n = dom.nodes.len();
    let mut block_of: Vec<NodeId> = vec![0; n];
    let mut in_link = vec![false; n];
    let mut in_heading = vec![false; n];
    let mut in_article = vec![false; n];
    let mut in_article_header = vec![false; n];
    let mut inline_junk = vec![false; n];
    let mut hidden = vec![false; n];
    let mut blocks = vec![Block::default(); n];
    let mut signal = vec![0i8; n];
    let mut buf = String::new();

    // Top-down: visibility, links, the block each node's text belongs to.
    for i in 1..n {
        let node = &dom.nodes[i];
        let p = node.parent as usize;
        match &node.kind {
            Kind::Element { tag, .. } => {
                let tag = *tag;
                let attrs = role_attrs(dom, i as NodeId);
                hidden[i] = hidden[p]
                    || is_invisible_tag(tag)
                    || is_hidden(&attrs)
                    || (tag == Tag::Other && is_ruby_annotation(dom.name(i as NodeId)));
                // An anchor without `href` (`<a name="toc-2">`) links nowhere.
                in_link[i] =
                    in_link[p] || (tag == Tag::A && dom.attr_raw(i as NodeId, "href").is_some());
                in_heading[i] = in_heading[p] || tag.is_heading();
                in_article[i] = in_article[p] || tag == Tag::Article;
                in_article_header[i] =
                    in_article_header[p] || (tag == Tag::Header && in_article[p]);
                block_of[i] = if tag.is_block() || i == 0 {
                    i as NodeId
                } else {
                    block_of[p]
                };
                if !hidden[i] {
                    signal[i] = class_signal(&attrs, &mut buf);
                    // The page's and the article's own wrappers carry layout
                    // and taxonomy words (`has-sidebar`, `author-jane`).
                    if signal[i] < 0
                        && matches!(tag, Tag::Html | Tag::Body | Tag::Article | Tag::Main)
                    {
                        signal[i] = 0;
                    }
                    // The header of an `<article>` holds its headline and
                    // standfirst (its byline and date go by their own marks).
                    let article_header = tag == Tag::Header && in_article[p];
                    if signal[i] == 0 && is_boilerplate_tag(tag) && !article_header {
                        signal[i] = -1;
                    }
                }
                // Links inside paragraphs carry words of the sentence.
                if tag == Tag::A && signal[i] < 0 {
                    signal[i] = 0;
                }
                inline_junk[i] = !tag.is_block() && (inline_junk[p] || signal[i] < 0);
            }
            Kind::Text { range, .. } => {
                hidden[i] = hidden[p];
                // Text of a boilerplate element inside a paragraph (a hover
                // card, a share button) does not count for the paragraph.
                if !hidden[i] && !inline_junk[p] {
                    let b = block_of[p] as usize;
                    count_text(
                        &dom.src.as_bytes()[range.start as usize..range.end as usize],
                        &mut blocks[b],
                        in_link[p],
                    );
                }
            }
        }
    }

    // Prose under each element, before any boilerplate judgement.
    let mut prose = vec![0f64; n];
    for i in 0..n {
        if !hidden[i] && matches!(dom.nodes[i].kind, Kind::Element { .. }) {
            prose[i] = weight(&blocks[i]).max(0.0);
        }
    }
    for i in (1..n).rev() {
        let p = dom.nodes[i].parent as usize;
        prose[p] += prose[i];
    }
    let total = prose[0];
    if total <= 0.0 {
        return fallback(dom, &hidden);
    }

    // A `<figure>` around a table is the table's frame, not a picture's.
    for (id, tag) in dom.elements() {
        if tag != Tag::Table || hidden[id as usize] {
            continue;
        }
        let mut a = dom.nodes[id as usize].parent;
        for _ in 0..3 {
            if a == NONE || a == 0 {
                break;
            }
            if dom.is(a, Tag::Figure) {
                if signal[a as usize] < 0 {
                    signal[a as usize] = 0;
                }
                break;
            }
            a = dom.nodes[a as usize].parent;
        }
    }

    mark_teasers(
        dom,
        &Marks {
            hidden: &hidden,
            in_link: &in_link,
            in_heading: &in_heading,
        },
        &blocks,
        &prose,
        &mut signal,
    );
    spare_embedded_posts(dom, &hidden, &mut signal);
    spare_article_wrappers(dom, &hidden, &prose, &mut signal);
    let story_header =
        spare_headline_header(dom, &hidden, &mut signal, &mut in_article_header, &mut buf);

    // Boilerplate regions: negative signal, unless they hold much of the prose.
    let mut junk = vec![false; n];
    for i in 1..n {
        let p = dom.nodes[i].parent as usize;
        junk[i] = junk[p] || hidden[i] || (signal[i] < 0 && prose[i] < BOILERPLATE_SHARE * total);
        // In an article's header only the standfirst paragraph is text:
        // its labels, credits, dates and display subheads are not.
        if in_article_header[i]
            && blocks[i].chars > 0
            && (weight(&blocks[i]) <= 0.0 || !dom.is(i as NodeId, Tag::P))
        {
            junk[i] = true;
        }
    }

    // Container scores.
    let mut good = vec![0f64; n];
    let mut bad = vec![0f64; n];
    let mut short = vec![0f64; n];
    for i in 0..n {
        if hidden[i] || !matches!(dom.nodes[i].kind, Kind::Element { .. }) {
            continue;
        }
        let w = weight(&blocks[i]);
        if junk[i] {
            bad[i] += w.abs().clamp(8.0, 200.0);
        } else if w > 0.0 {
            good[i] += w;
        } else if w == SHORT {
            short[i] += -w;
        } else {
            bad[i] += -w;
        }
    }
    for i in (1..n).rev() {
        let p = dom.nodes[i].parent as usize;
        good[p] += good[i];
        bad[p] += bad[i];
        short[p] += short[i];
    }
    let mut best = 0usize;
    let mut best_score = f64::MIN;
    for i in 0..n {
        if junk[i] || good[i] <= 0.0 {
            continue;
        }
        let score = if signal[i] > 0 {
            // Named the article body: short blocks (table cells, list items,
            // subheads) inside it are content.
            good[i] * BODY_BONUS - PENALTY * bad[i]
        } else if dom.is(i as NodeId, Tag::Article) {
            good[i] * BODY_BONUS - PENALTY * (bad[i] + short[i])
        } else {
            good[i] - PENALTY * (bad[i] + short[i])
        };
        if score > best_score {
            best_score = score;
            best = i;
        }
    }

    // A paragraph is never the whole story: when one outweighs all the
    // boxes around it, the story is its box (short paragraphs, a lead line
    // and pictures around it).
    if dom.is(best as NodeId, Tag::P) {
        let p = dom.nodes[best].parent as usize;
        if p != 0 && !junk[p] && !matches!(dom.tag(p as NodeId), Some(Tag::Body | Tag::Html)) {
            best = p;
        }
    }
    let mut out = String::new();
    let mut emit = Emitter {
        dom,
        blocks: &blocks,
        junk: &junk,
        out: &mut out,
        keep_current: false,
    };
    let mut roots = with_siblings(dom, best, &blocks, &junk, &signal, &good, &bad);
    // The story's header above the container: its standfirst leads.
    if let Some(h) = story_header {
        if !junk[h as usize]
            && roots.first().is_some_and(|&r| h < r && !dom.contains(h, r))
            && !roots.iter().any(|&r| dom.contains(r, h))
        {
            roots.insert(0, h);
        }
    }
    let first_root = roots[0];
    for root in roots {
        emit.walk(root, 0);
    }
    let mut text = finish(out);
    // A container the page names its article (`<article>`, `articleBody`)
    // holds what the site calls the story; a plain box may leave the
    // standfirst above it.
    let named = signal[best] > 0 || dom.is(best as NodeId, Tag::Article);
    if let Some(lead) = (!named)
        .then(|| described_lead(dom, &hidden, first_root, &text))
        .flatten()
    {
        text = if text.is_empty() {
            lead
        } else {
            format!("{lead}\n\n{text}")
        };
    }
    MainContent {
        text,
        root: best as NodeId,
    }
}

/// The page's description (`<meta name="description">`, `og:description`,
/// `twitter:description`), whitespace collapsed.
fn description(dom: &Dom) -> Option<String> {
    for (id, tag) in dom.elements() {
        if tag == Tag::Body {
            break;
        }
        if tag != Tag::Meta {
            continue;
        }
        let key = dom
            .attr_raw(id, "name")
            .or_else(|| dom.attr_raw(id, "property"))
            .unwrap_or("");
        if ["description", "og:description", "twitter:description"]
            .iter()
            .any(|k| key.trim().eq_ignore_ascii_case(k))
        {
            if let Some(v) = dom.attr(id, "content") {
                let mut out = String::new();
                push_collapsed(&mut out, &v);
                if out.len() >= LEAD_MIN {
                    return Some(out);
                }
            }
        }
    }
    None
}

/// A standfirst shown apart from the story's body: the `<p>` before the
/// container whose words are the page's description (or its start, when
/// the description is cut short). Taken only when the text does not hold
/// it already.
fn described_lead(dom: &Dom, hidden: &[bool], first_root: NodeId, text: &str) -> Option<String> {
    if first_root == NONE || first_root == 0 {
        return None;
    }
    let desc = description(dom)?;
    let head: String = desc.chars().take(LEAD_MIN).collect();
    if text.contains(&head) {
        return None;
    }
    for (id, tag) in dom.elements() {
        if id >= first_root {
            break;
        }
        if tag != Tag::P || hidden[id as usize] || dom.contains(id, first_root) {
            continue;
        }
        let mut p = String::new();
        push_collapsed(&mut p, &inline_text(dom, id));
        let p = p.trim();
        if p.len() >= LEAD_MIN
            && (p == desc
                || desc.starts_with(p)
                || p.starts_with(desc.trim_end_matches(['.', '…'])))
        {
            return Some(p.to_string());
        }
    }
    None
}

/// A description and its paragraph are this long at least.
const LEAD_MIN: usize = 40;

/// The container and the sibling elements that continue it: an article
/// split into a lead box and a body box, or paragraphs in boxes of their
/// own. A sibling joins when it holds prose, few links and little
/// boilerplate, and nothing names it boilerplate.
fn with_siblings(
    dom: &Dom,
    best: usize,
    blocks: &[Block],
    junk: &[bool],
    signal: &[i8],
    good: &[f64],
    bad: &[f64],
) -> Vec<NodeId> {
    let parent = dom.nodes[best].parent;
    if best == 0 || parent == NONE || matches!(dom.tag(best as NodeId), Some(Tag::Body | Tag::Html))
    {
        return vec![best as NodeId];
    }
    // Characters and linked characters under each sibling.
    let subtree = |root: NodeId| -> (u32, u32) {
        let end = last_descendant(dom, root) as usize;
        let (mut c, mut l) = (0, 0);
        for b in &blocks[root as usize..=end] {
            c += b.chars;
            l += b.link_chars;
        }
        (c, l)
    };
    let mut out = Vec::new();
    for c in dom.children(parent) {
        let ci = c as usize;
        if ci == best {
            out.push(c);
            continue;
        }
        if dom.tag(c).is_none() || junk[ci] || signal[ci] < 0 || good[ci] <= 0.0 {
            continue;
        }
        let (chars, links) = subtree(c);
        if chars == 0 || links * 4 > chars || bad[ci] * 2.0 > good[ci] {
            continue;
        }
        out.push(c);
    }
    // The story split into sibling sections of one kind further up
    // (`div.content-wrapper` after `div.content-wrapper`, with teaser
    // lists and pictures between them): the wrappers around the container
    // that add no prose of their own, then their siblings of the same
    // element and class that hold prose with few links.
    let mut w = best;
    loop {
        let p = dom.nodes[w].parent;
        if p == NONE
            || p == 0
            || matches!(dom.tag(p), Some(Tag::Body | Tag::Html))
            || good[p as usize] > good[best] * 1.05
        {
            break;
        }
        w = p as usize;
    }
    let class = dom.attr_raw(w as NodeId, "class").map(str::trim);
    if w == best || dom.nodes[w].parent == NONE || class.is_none_or(str::is_empty) {
        return out;
    }
    let mut wide = Vec::new();
    for c in dom.children(dom.nodes[w].parent) {
        let ci = c as usize;
        if ci == w {
            wide.append(&mut out);
            continue;
        }
        if dom.tag(c) != dom.tag(w as NodeId)
            || dom.attr_raw(c, "class").map(str::trim) != class
            || junk[ci]
            || signal[ci] < 0
            || good[ci] <= 0.0
        {
            continue;
        }
        let (chars, links) = subtree(c);
        if chars == 0 || links * 4 > chars || bad[ci] * 2.0 > good[ci] {
            continue;
        }
        wide.push(c);
    }
    wide
}

/// The last node of `id`'s subtree (arena order).
fn last_descendant(dom: &Dom, mut id: NodeId) -> NodeId {
    loop {
        let last = dom.node(id).last_child;
        if last == NONE {
            return id;
        }
        id = last;
    }
}

/// When no block looks like prose: all visible text of the body.
fn fallback(dom: &Dom, hidden: &[bool]) -> MainContent {
    let mut out = String::new();
    for (i, node) in dom.nodes.iter().enumerate() {
        if hidden[i] {
            continue;
        }
        if let Kind::Text { .. } = node.kind {
            push_text(dom, i as NodeId, &mut out);
        }
    }
    MainContent {
        text: out.trim().to_string(),
        root: NONE,
    }
}

struct Emitter<'d, 'a> {
    dom: &'d Dom<'a>,
    blocks: &'d [Block],
    junk: &'d [bool],
    out: &'d mut String,
    /// Whether the text of the block being written is kept.
    keep_current: bool,
}

impl Emitter<'_, '_> {
    fn keep(&self, id: NodeId) -> bool {
        let b = &self.blocks[id as usize];
        if b.chars == 0 {
            return false;
        }
        let tag = self.dom.tag(id);
        // The headline comes before the text; an `<h1>` further down is a
        // section heading some sites use.
        if tag == Some(Tag::H1) && self.out.trim().is_empty() {
            return false;
        }
        let density = b.link_chars as f64 / b.chars as f64;
        let own = b.chars.saturating_sub(b.link_chars);
        // A linked lead-in ("<a>Apple buys X.</a> The deal...") is still
        // prose when enough unlinked text follows.
        density <= 0.4
            || (own >= 80 && density <= 0.7)
            // A sentence whose middle is a link.
            || (tag == Some(Tag::P) && own >= 30 && b.punct >= 1 && density <= 0.8)
    }

    fn walk(&mut self, id: NodeId, depth: usize) {
        if depth > crate::dom::MAX_DEPTH + 8 || self.junk[id as usize] {
            return;
        }
        let tag = self.dom.tag(id);
        let is_block = tag.is_some_and(|t| t.is_block()) && tag != Some(Tag::Br);
        let saved = self.keep_current;
        if is_block {
            self.out.push_str("\n\n");
            self.keep_current = self.keep(id);
        }
        for c in self.dom.children(id) {
            match self.dom.tag(c) {
                None => {
                    if self.keep_current && !self.junk[c as usize] {
                        push_text(self.dom, c, self.out);
                    }
                }
                Some(Tag::Br) => {
                    if self.keep_current {
                        self.out.push('\n');
                    }
                }
                Some(t) if is_invisible_tag(t) => {}
                Some(_) => self.walk(c, depth + 1),
            }
        }
        if is_block {
            self.out.push_str("\n\n");
            self.keep_current = saved;
        }
    }
}

/// Paragraphs trimmed, stock phrases and empty lines dropped.
fn finish(raw: String) -> String {
    let mut out = String::with_capacity(raw.len());
    let paras: Vec<&str> = raw.split("\n\n").collect();
    // What remains to be written after each paragraph, in bytes.
    let mut after = vec![0usize; paras.len() + 1];
    for (i, para) in paras.iter().enumerate().rev() {
        after[i] = after[i + 1] + para.trim().len();
    }
    for (i, para) in paras.iter().enumerate() {
        let mut p = String::new();
        for line in para.split('\n') {
            let line = line.trim();
            if line.is_empty() {
                continue;
            }
            if !p.is_empty() {
                p.push('\n');
            }
            push_collapsed(&mut p, line);
        }
        let p = p.trim();
        if p.is_empty() {
            continue;
        }
        if out.len() >= END_AFTER && is_end_marker(p) {
            // A share box between the lead and the body ("Artikel
            // teilen") or a box of links halfway through is followed by
            // more of the story than came before: it ends nothing.
            if after[i + 1] <= END_REST * out.len() {
                break;
            }
            continue;
        }
        if is_stock(p) || is_dateline(p) || is_byline(p) || is_credit(p) || is_bar(p) {
            continue;
        }
        if !out.is_empty() {
            out.push_str("\n\n");
        }
        out.push_str(p);
    }
    // The same at the start: a kicker, a section's name or a label before
    // the story's first paragraph.
    while let Some(cut) = out.find("\n\n") {
        let first = &out[..cut];
        if first.chars().count() >= LEADING_LABEL || closes_sentence(first) {
            break;
        }
        out.drain(..cut + 2);
    }
    // Short lines left at the end without a sentence's close (a heading
    // whose links were dropped, "Related Posts", a category list's title)
    // end nothing the story says; a lead-in ending in `:` may.
    while let Some(cut) = out.rfind("\n\n") {
        let last = &out[cut + 2..];
        if last.chars().count() >= TRAILING_LABEL || closes_sentence(last) {
            break;
        }
        out.truncate(cut);
    }
    out
}

/// A bar of items between `|` ("Schweiz | Praxis | Video", "2021-10-16 |
/// Botschaft", "Impressum | Datenschutz"): one short line, no sentence, no
/// contact details (`www.`, `@`, `Label:`), not a range of dates.
fn is_bar(p: &str) -> bool {
    p.len() <= BAR_MAX
        && p.contains(" | ")
        && !p.contains(['\n', '@', ':'])
        && !p.contains("www.")
        && !p.ends_with(['.', '!', '?'])
        && !p
            .split(" | ")
            .all(|part| part.bytes().any(|b| b.is_ascii_digit()))
}

/// The longest bar line, in bytes.
const BAR_MAX: usize = 150;

/// Whether a line ends like a sentence or a lead-in.
fn closes_sentence(p: &str) -> bool {
    p.ends_with([
        '.', '!', '?', ':', '"', '“', '”', ')', '…', '。', '」', '）',
    ])
}

/// A first paragraph shorter than this, in characters, and not closed like
/// a sentence, is a label.
const LEADING_LABEL: usize = 20;

/// A last paragraph shorter than this, in characters, and not closed like
/// a sentence, is a label.
const TRAILING_LABEL: usize = 30;

/// Text written before an end marker that makes it the end of the story.
const END_AFTER: usize = 400;
/// An end marker followed by more than this many times the text written
/// before it is inside the story (a share box after the lead, a "more on
/// this" box of links halfway through).
const END_REST: usize = 1;

/// Headings that open what follows a story (more stories, the author's
/// box, comments), in the languages of the pages we read: after the story
/// has begun, the text ends there.
const END_MARKERS: &[&str] = &[
    "auch interessant",
    "das könnte sie auch interessieren",
    "das könnte dich auch interessieren",
    "das könnte sie interessieren",
    "mehr zum thema",
    "weitere artikel",
    "weitere beiträge",
    "verwandte artikel",
    "ähnliche artikel",
    "ähnliche beiträge",
    "passend zum thema",
    "lesen sie auch",
    "über den autor",
    "über die autorin",
    "schreibe einen kommentar",
    "kommentare",
    "related articles",
    "related stories",
    "related posts",
    "related content",
    "more stories",
    "more from",
    "you may also like",
    "you might also like",
    "recommended for you",
    "about the author",
    "leave a reply",
    "leave a comment",
    "comments",
    "à lire aussi",
    "lire aussi",
    "sur le même sujet",
    "articles similaires",
    "noticias relacionadas",
    "te puede interesar",
    "artículos relacionados",
    "leggi anche",
    "articoli correlati",
    "potrebbe interessarti",
    "leia também",
    "artigos relacionados",
    "weitere themen",
    "weitere informationen",
    "weiterführende informationen",
    "weiterführende links",
    "empfehlungen aus dem",
    "möchten sie den artikel teilen",
    "artikel teilen",
    "beitrag teilen",
    "en savoir plus",
    "aller plus loin",
    "pour lire la suite",
    "while you are here",
    "if you enjoyed",
    "inne artykuły",
    "czytaj także",
    "czytaj też",
    "también te puede interesar",
    "contenido relacionado",
    "veja também",
    "leia mais",
    "zum weiterlesen",
    "weiterlesen",
];

/// A short paragraph that is one of [`END_MARKERS`] (trailing `:` or a
/// count such as "Kommentare (3)" allowed).
fn is_end_marker(p: &str) -> bool {
    if p.len() > 60 {
        return false;
    }
    let lower = p.to_lowercase();
    let bare = lower
        .trim_end_matches(|c: char| {
            c.is_ascii_digit() || matches!(c, ':' | '(' | ')' | ' ' | '.' | '…')
        })
        .trim();
    // "Mehr zum Thema auf example.de", "Weitere Informationen zum X:".
    END_MARKERS.iter().any(|m| {
        bare == *m || (bare.starts_with(m) && bare[m.len()..].starts_with([' ', '!', '?', '…']))
    })
}

/// A stock phrase, a copyright line or a reading-time note.
fn is_stock(p: &str) -> bool {
    if p.len() > 120 {
        return false;
    }
    let lower = p.to_lowercase();
    let bare = lower.trim_end_matches(['.', '!', ':', '…']).trim();
    STOCK.contains(&bare)
        || lower.starts_with('©')
        || lower.starts_with("copyright")
        || lower.starts_with("(c) ")
        || (p.len() < 40 && (lower.contains("min read") || lower.contains("reading time")))
}

/// Month names by their start: English, then those other languages of the
/// pages we read spell differently (German, Romance, Polish).
const MONTHS: &[&str] = &[
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec", "mär",
    "mrz", "mai", "okt", "dez", "ene", "abr", "ago", "dic", "janv", "févr", "avr", "juil", "déc",
    "giu", "lug", "ott", "sty", "lut", "kwi", "maj", "cze", "lip", "wrz", "paź", "gru",
];

/// A line that only dates the story ("Updated: 19 November 2019, 09:01 AM",
/// "20 Nov, 2019 05:47"): short, with a year and a month name or a clock
/// time, and not a sentence.
fn is_dateline(p: &str) -> bool {
    // Not the signature line of an embedded post ("— Name (@name) May 1, 2019").
    if p.len() > 90 || p.ends_with('.') || p.contains('@') || p.split_whitespace().count() > 12 {
        return false;
    }
    let words: Vec<&str> = p
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    let year = words.iter().any(|w| {
        w.len() == 4
            && w.bytes().all(|b| b.is_ascii_digit())
            && (w.starts_with("19") || w.starts_with("20"))
    }) || p.split(['.', '/', '-']).count() >= 3
        && p.bytes().filter(u8::is_ascii_digit).count() >= 6;
    if !year {
        return false;
    }
    let month = words
        .iter()
        .any(|w| w.len() >= 3 && MONTHS.iter().any(|m| w.to_ascii_lowercase().starts_with(m)));
    let clock = p
        .as_bytes()
        .windows(3)
        .any(|w| w[0].is_ascii_digit() && w[1] == b':' && w[2].is_ascii_digit());
    // "23.10.2018", "2021-04-20": nothing but the date.
    let numeric = p
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'/' | b'-' | b'|' | b' '));
    month || clock || numeric
}

/// "By Jane Doe" or "By Jane Doe on Monday, November 18th, 2019": a credit
/// line, not a sentence of the story.
fn is_byline(p: &str) -> bool {
    let Some(rest) = p.strip_prefix("By ").or_else(|| p.strip_prefix("BY ")) else {
        return false;
    };
    p.len() < 100
        && rest.split_whitespace().count() <= 14
        && rest.chars().next().is_some_and(char::is_uppercase)
        && !rest.contains(". ")
}

/// Wire credits at the end of a story: "(Reporting by ...; Editing by ...)",
/// "Additional reporting by ...", "Jane Doe contributed to this report."
fn is_credit(p: &str) -> bool {
    if p.len() > 300 {
        return false;
    }
    let lower = p.to_lowercase();
    let lower = lower.trim_start_matches('(');
    [
        "reporting by ",
        "additional reporting by ",
        "editing by ",
        "writing by ",
    ]
    .iter()
    .any(|s| lower.starts_with(s))
        || lower.contains("contributed to this report")
        || lower.ends_with("contributed reporting.")
        || (lower.contains(" contributed reporting from ") && lower.ends_with('.'))
        || lower.starts_with("associated press writer")
        || (p.len() < 120 && PICTURE_CREDITS.iter().any(|c| lower.starts_with(c)))
}

/// Labels of a picture's or a figure's credit line ("Titelbild: Jane
/// Doe/Agency", "Quelle: Landesregierung").
const PICTURE_CREDITS: &[&str] = &[
    "titelbild:",
    "beitragsbild:",
    "bild:",
    "bildquelle:",
    "bildnachweis:",
    "foto:",
    "fotos:",
    "fotocredit:",
    "abbildung:",
    "quelle:",
    "photo:",
    "photos:",
    "image:",
    "credit:",
    "source:",
];
