//! A small, forgiving HTML tree for extraction.
//!
//! Not a conforming HTML5 tree builder: extraction needs the nesting of blocks,
//! the text and a few attributes, fast. So this is one pass over the text with
//! `memchr`, nodes in one flat arena in document order (a parent always comes
//! before its children, which lets callers aggregate bottom-up by walking the
//! arena backwards, without recursion), and names, attributes and text kept as
//! byte ranges into the source, decoded only when asked. The tree-building
//! rules cover what real pages rely on: void elements, raw-text elements
//! (`script`, `style`, ...), implied ends of `p`, `li`, `dd`/`dt`, table cells
//! and rows, end tags matched against the open elements (unmatched ones are
//! ignored), and a depth cap so hostile nesting cannot blow up later passes.

use std::ops::Range;

/// Deepest nesting kept; deeper elements become siblings at this depth.
pub const MAX_DEPTH: usize = 256;

/// Node index in the arena.
pub type NodeId = u32;
/// "No node".
pub const NONE: NodeId = u32::MAX;

macro_rules! tags {
    ($($variant:ident = $name:literal),* $(,)?) => {
        /// Element names the extractor cares about; everything else is `Other`.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Tag { $($variant,)* Other }

        impl Tag {
            fn from_name(name: &[u8]) -> Tag {
                let mut buf = [0u8; 12];
                if name.len() > buf.len() {
                    return Tag::Other;
                }
                for (d, s) in buf.iter_mut().zip(name) {
                    *d = s.to_ascii_lowercase();
                }
                match &buf[..name.len()] {
                    $($name => Tag::$variant,)*
                    _ => Tag::Other,
                }
            }
        }
    };
}

tags! {
    A = b"a", Abbr = b"abbr", Address = b"address", Area = b"area", Article = b"article",
    Aside = b"aside", Audio = b"audio", B = b"b", Base = b"base", Bdi = b"bdi", Big = b"big",
    Blockquote = b"blockquote", Body = b"body", Br = b"br", Button = b"button", Canvas = b"canvas",
    Caption = b"caption", Center = b"center", Cite = b"cite", Code = b"code", Col = b"col",
    Dd = b"dd", Del = b"del", Details = b"details", Dfn = b"dfn", Dialog = b"dialog", Div = b"div",
    Dl = b"dl", Dt = b"dt", Em = b"em", Embed = b"embed", Fieldset = b"fieldset",
    Figcaption = b"figcaption", Figure = b"figure", Font = b"font", Footer = b"footer",
    Form = b"form", Frameset = b"frameset", H1 = b"h1", H2 = b"h2", H3 = b"h3", H4 = b"h4", H5 = b"h5",
    H6 = b"h6", Head = b"head", Header = b"header", Hgroup = b"hgroup", Hr = b"hr", Html = b"html",
    I = b"i", Iframe = b"iframe", Img = b"img", Input = b"input", Ins = b"ins", Kbd = b"kbd",
    Label = b"label", Legend = b"legend", Li = b"li", Link = b"link", Main = b"main", Mark = b"mark",
    Menu = b"menu", Meta = b"meta", Nav = b"nav", Noembed = b"noembed", Noframes = b"noframes",
    Noscript = b"noscript", Object = b"object", Ol = b"ol", Optgroup = b"optgroup",
    Option = b"option", P = b"p", Param = b"param", Picture = b"picture", Plaintext = b"plaintext",
    Pre = b"pre", Q = b"q", S = b"s", Samp = b"samp", Script = b"script", Section = b"section",
    Select = b"select", Small = b"small", Source = b"source", Span = b"span", Strike = b"strike",
    Strong = b"strong", Style = b"style", Sub = b"sub", Summary = b"summary", Sup = b"sup",
    Svg = b"svg", Math = b"math", Table = b"table", Tbody = b"tbody", Td = b"td",
    Template = b"template", Textarea = b"textarea", Tfoot = b"tfoot", Th = b"th", Thead = b"thead",
    Time = b"time", Title = b"title", Tr = b"tr", Track = b"track", Tt = b"tt", U = b"u", Ul = b"ul",
    Var = b"var", Video = b"video", Wbr = b"wbr", Xmp = b"xmp",
}

impl Tag {
    /// Elements that never have children.
    pub fn is_void(self) -> bool {
        matches!(
            self,
            Tag::Area
                | Tag::Base
                | Tag::Br
                | Tag::Col
                | Tag::Embed
                | Tag::Hr
                | Tag::Img
                | Tag::Input
                | Tag::Link
                | Tag::Meta
                | Tag::Param
                | Tag::Source
                | Tag::Track
                | Tag::Wbr
        )
    }

    /// Elements whose content is text up to the matching end tag.
    fn is_raw_text(self) -> bool {
        matches!(
            self,
            Tag::Script
                | Tag::Style
                | Tag::Textarea
                | Tag::Title
                | Tag::Xmp
                | Tag::Iframe
                | Tag::Noembed
                | Tag::Noframes
                | Tag::Noscript
                | Tag::Plaintext
        )
    }

    /// Elements that start a new block of text (and close an open `p`).
    pub fn is_block(self) -> bool {
        matches!(
            self,
            Tag::Address
                | Tag::Article
                | Tag::Aside
                | Tag::Blockquote
                | Tag::Body
                | Tag::Caption
                | Tag::Center
                | Tag::Dd
                | Tag::Details
                | Tag::Dialog
                | Tag::Div
                | Tag::Dl
                | Tag::Dt
                | Tag::Fieldset
                | Tag::Figcaption
                | Tag::Figure
                | Tag::Footer
                | Tag::Form
                | Tag::H1
                | Tag::H2
                | Tag::H3
                | Tag::H4
                | Tag::H5
                | Tag::H6
                | Tag::Header
                | Tag::Hgroup
                | Tag::Hr
                | Tag::Html
                | Tag::Legend
                | Tag::Li
                | Tag::Main
                | Tag::Menu
                | Tag::Nav
                | Tag::Ol
                | Tag::P
                | Tag::Pre
                | Tag::Section
                | Tag::Summary
                | Tag::Table
                | Tag::Tbody
                | Tag::Thead
                | Tag::Tfoot
                | Tag::Td
                | Tag::Th
                | Tag::Tr
                | Tag::Ul
                | Tag::Br
                | Tag::Select
                | Tag::Option
                | Tag::Textarea
                | Tag::Video
                | Tag::Audio
                | Tag::Iframe
                | Tag::Picture
        )
    }

    pub fn is_heading(self) -> bool {
        matches!(
            self,
            Tag::H1 | Tag::H2 | Tag::H3 | Tag::H4 | Tag::H5 | Tag::H6
        )
    }

    /// Start tags that imply the end of an open `p`.
    fn closes_p(self) -> bool {
        self.is_block()
            && !matches!(
                self,
                Tag::Br
                    | Tag::Select
                    | Tag::Option
                    | Tag::Textarea
                    | Tag::Video
                    | Tag::Audio
                    | Tag::Iframe
                    | Tag::Picture
                    | Tag::Td
                    | Tag::Th
                    | Tag::Tr
                    | Tag::Tbody
                    | Tag::Thead
                    | Tag::Tfoot
                    | Tag::Caption
                    | Tag::Body
                    | Tag::Html
            )
    }
}

/// One attribute: byte ranges into the source.
#[derive(Debug, Clone)]
pub struct Attr {
    pub name: Range<u32>,
    pub value: Range<u32>,
}

#[derive(Debug, Clone)]
pub enum Kind {
    Element {
        tag: Tag,
        name: Range<u32>,
        attrs: Range<u32>,
    },
    /// Text; `raw` for script/style content (no character references).
    Text { range: Range<u32>, raw: bool },
}

#[derive(Debug, Clone)]
pub struct Node {
    pub kind: Kind,
    pub parent: NodeId,
    pub first_child: NodeId,
    pub last_child: NodeId,
    pub next_sibling: NodeId,
}

/// The parsed page. Node 0 is the document root (an `Other` element with no
/// name).
pub struct Dom<'a> {
    pub src: &'a str,
    pub nodes: Vec<Node>,
    pub attrs: Vec<Attr>,
}

impl<'a> Dom<'a> {
    pub fn parse(src: &'a str) -> Dom<'a> {
        Builder::new(src).run()
    }

    pub fn node(&self, id: NodeId) -> &Node {
        &self.nodes[id as usize]
    }

    pub fn tag(&self, id: NodeId) -> Option<Tag> {
        match self.nodes[id as usize].kind {
            Kind::Element { tag, .. } => Some(tag),
            Kind::Text { .. } => None,
        }
    }

    pub fn is(&self, id: NodeId, t: Tag) -> bool {
        self.tag(id) == Some(t)
    }

    /// Lower-case element name (for `Other` elements such as `amp-img`).
    pub fn name(&self, id: NodeId) -> &'a str {
        match &self.nodes[id as usize].kind {
            Kind::Element { name, .. } => &self.src[name.start as usize..name.end as usize],
            Kind::Text { .. } => "",
        }
    }

    pub fn slice(&self, r: &Range<u32>) -> &'a str {
        &self.src[r.start as usize..r.end as usize]
    }

    /// The raw (undecoded) value of an attribute, by ASCII-case-insensitive name.
    pub fn attr_raw(&self, id: NodeId, name: &str) -> Option<&'a str> {
        let Kind::Element { attrs, .. } = &self.nodes[id as usize].kind else {
            return None;
        };
        self.attrs[attrs.start as usize..attrs.end as usize]
            .iter()
            .find(|a| self.slice(&a.name).eq_ignore_ascii_case(name))
            .map(|a| self.slice(&a.value))
    }

    /// All attributes of an element as (name, raw value), in source order.
    pub fn attrs(&self, id: NodeId) -> impl Iterator<Item = (&'a str, &'a str)> + '_ {
        let range = match &self.nodes[id as usize].kind {
            Kind::Element { attrs, .. } => attrs.start as usize..attrs.end as usize,
            Kind::Text { .. } => 0..0,
        };
        self.attrs[range]
            .iter()
            .map(|a| (self.slice(&a.name), self.slice(&a.value)))
    }

    /// An attribute's value with character references decoded and trimmed.
    pub fn attr(&self, id: NodeId, name: &str) -> Option<String> {
        self.attr_raw(id, name)
            .map(|v| crate::entities::decode(v).trim().to_string())
    }

    pub fn children(&self, id: NodeId) -> Children<'_, 'a> {
        Children {
            dom: self,
            next: self.nodes[id as usize].first_child,
        }
    }

    /// Elements in document order.
    pub fn elements(&self) -> impl Iterator<Item = (NodeId, Tag)> + '_ {
        self.nodes
            .iter()
            .enumerate()
            .filter_map(|(i, n)| match n.kind {
                Kind::Element { tag, .. } => Some((i as NodeId, tag)),
                Kind::Text { .. } => None,
            })
    }

    /// Is `ancestor` an ancestor of (or equal to) `id`?
    pub fn contains(&self, ancestor: NodeId, mut id: NodeId) -> bool {
        while id != NONE {
            if id == ancestor {
                return true;
            }
            id = self.nodes[id as usize].parent;
        }
        false
    }

    /// The raw text of a raw-text element (script, style, title).
    pub fn raw_text(&self, id: NodeId) -> &'a str {
        let first = self.nodes[id as usize].first_child;
        if first == NONE {
            return "";
        }
        match &self.nodes[first as usize].kind {
            Kind::Text { range, .. } => self.slice(range),
            Kind::Element { .. } => "",
        }
    }
}

pub struct Children<'d, 'a> {
    dom: &'d Dom<'a>,
    next: NodeId,
}

impl Iterator for Children<'_, '_> {
    type Item = NodeId;
    fn next(&mut self) -> Option<NodeId> {
        if self.next == NONE {
            return None;
        }
        let id = self.next;
        self.next = self.dom.nodes[id as usize].next_sibling;
        Some(id)
    }
}

struct Builder<'a> {
    src: &'a str,
    nodes: Vec<Node>,
    attrs: Vec<Attr>,
    /// Open elements: node ids, root first.
    stack: Vec<NodeId>,
    /// Elements past the depth cap that are "open" without a node: their end
    /// tags are swallowed here.
    overflow: usize,
}

fn is_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r' | b'\x0c')
}

impl<'a> Builder<'a> {
    fn new(src: &'a str) -> Self {
        let estimate = src.len() / 60 + 16;
        let mut nodes = Vec::with_capacity(estimate);
        nodes.push(Node {
            kind: Kind::Element {
                tag: Tag::Other,
                name: 0..0,
                attrs: 0..0,
            },
            parent: NONE,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
        });
        Builder {
            src,
            nodes,
            attrs: Vec::with_capacity(estimate),
            stack: vec![0],
            overflow: 0,
        }
    }

    fn current(&self) -> NodeId {
        *self.stack.last().unwrap_or(&0)
    }

    fn append(&mut self, kind: Kind) -> NodeId {
        let parent = self.current();
        let id = self.nodes.len() as NodeId;
        self.nodes.push(Node {
            kind,
            parent,
            first_child: NONE,
            last_child: NONE,
            next_sibling: NONE,
        });
        let p = &mut self.nodes[parent as usize];
        let last = p.last_child;
        p.last_child = id;
        if last == NONE {
            p.first_child = id;
        } else {
            self.nodes[last as usize].next_sibling = id;
        }
        id
    }

    fn text(&mut self, start: usize, end: usize, raw: bool) {
        if start < end {
            self.append(Kind::Text {
                range: start as u32..end as u32,
                raw,
            });
        }
    }

    /// Is an open element named the article body (`itemprop=articleBody`,
    /// `post-body`, `entry-content`...)?
    fn in_article_body(&self) -> bool {
        self.stack.iter().rev().take(8).any(|&id| {
            let Kind::Element { attrs, .. } = &self.nodes[id as usize].kind else {
                return false;
            };
            self.attrs[attrs.start as usize..attrs.end as usize]
                .iter()
                .any(|a| {
                    let name = &self.src[a.name.start as usize..a.name.end as usize];
                    let value =
                        self.src[a.value.start as usize..a.value.end as usize].to_ascii_lowercase();
                    (name.eq_ignore_ascii_case("itemprop") && value.trim() == "articlebody")
                        || (name.eq_ignore_ascii_case("class")
                            && ["post-body", "post-content", "entry-content", "article-body"]
                                .iter()
                                .any(|w| value.contains(w)))
                })
        })
    }

    fn tag_of(&self, id: NodeId) -> Tag {
        match self.nodes[id as usize].kind {
            Kind::Element { tag, .. } => tag,
            Kind::Text { .. } => Tag::Other,
        }
    }

    fn name_of(&self, id: NodeId) -> &'a str {
        match &self.nodes[id as usize].kind {
            Kind::Element { name, .. } => &self.src[name.start as usize..name.end as usize],
            Kind::Text { .. } => "",
        }
    }

    /// Pops open elements down to (and including) the nearest `target`, if
    /// it is open above any of the `boundary` elements.
    fn close_if_open(&mut self, target: Tag, boundary: &[Tag]) {
        for i in (1..self.stack.len()).rev() {
            let t = self.tag_of(self.stack[i]);
            if t == target {
                self.stack.truncate(i);
                return;
            }
            if boundary.contains(&t) {
                return;
            }
        }
    }

    fn run(mut self) -> Dom<'a> {
        let bytes = self.src.as_bytes();
        let len = bytes.len();
        let mut pos = 0;
        let mut text_start = 0;
        while pos < len {
            let Some(off) = memchr::memchr(b'<', &bytes[pos..]) else {
                break;
            };
            let lt = pos + off;
            let next = bytes.get(lt + 1).copied().unwrap_or(0);
            if next == b'!' || next == b'?' {
                self.text(text_start, lt, false);
                pos = if bytes[lt + 1..].starts_with(b"!--") {
                    match memchr::memmem::find(&bytes[lt + 4..], b"-->") {
                        Some(e) => lt + 4 + e + 3,
                        None => len,
                    }
                } else if bytes[lt + 1..].starts_with(b"![CDATA[") {
                    match memchr::memmem::find(&bytes[lt + 9..], b"]]>") {
                        Some(e) => {
                            // CDATA in HTML is a bogus comment, except in SVG/MathML;
                            // its text rarely matters for articles.
                            lt + 9 + e + 3
                        }
                        None => len,
                    }
                } else {
                    match memchr::memchr(b'>', &bytes[lt..]) {
                        Some(e) => lt + e + 1,
                        None => len,
                    }
                };
                text_start = pos;
            } else if next == b'/' {
                let name_start = lt + 2;
                let mut i = name_start;
                if i < len && bytes[i].is_ascii_alphabetic() {
                    while i < len && !is_space(bytes[i]) && bytes[i] != b'>' && bytes[i] != b'/' {
                        i += 1;
                    }
                    let name_end = i;
                    let gt = memchr::memchr(b'>', &bytes[i..]).map_or(len, |e| i + e + 1);
                    self.text(text_start, lt, false);
                    self.end_tag(name_start, name_end);
                    pos = gt;
                    text_start = pos;
                } else if i < len && bytes[i] == b'>' {
                    // `</>` is ignored.
                    self.text(text_start, lt, false);
                    pos = i + 1;
                    text_start = pos;
                } else {
                    // `</` then junk: a bogus comment up to `>`.
                    self.text(text_start, lt, false);
                    pos = memchr::memchr(b'>', &bytes[i..]).map_or(len, |e| i + e + 1);
                    text_start = pos;
                }
            } else if next.is_ascii_alphabetic() {
                self.text(text_start, lt, false);
                pos = self.start_tag(lt + 1);
                text_start = pos;
            } else {
                // A lone `<` is text.
                pos = lt + 1;
            }
        }
        self.text(text_start, len, false);
        Dom {
            src: self.src,
            nodes: self.nodes,
            attrs: self.attrs,
        }
    }

    /// Parses a start tag whose name begins at `start`; returns the position
    /// after it (and after the raw text and end tag of raw-text elements).
    fn start_tag(&mut self, start: usize) -> usize {
        let bytes = self.src.as_bytes();
        let len = bytes.len();
        let mut i = start;
        while i < len && !is_space(bytes[i]) && bytes[i] != b'>' && bytes[i] != b'/' {
            i += 1;
        }
        let name = start as u32..i as u32;
        let tag = Tag::from_name(&bytes[start..i]);
        let attr_start = self.attrs.len() as u32;
        let mut self_closing = false;
        // Attributes.
        loop {
            while i < len && (is_space(bytes[i]) || bytes[i] == b'/') {
                if bytes[i] == b'/' {
                    self_closing = true;
                }
                i += 1;
            }
            if i >= len {
                break;
            }
            if bytes[i] == b'>' {
                i += 1;
                break;
            }
            self_closing = false;
            let ns = i;
            // An attribute name may start with `=` (then it is part of the name).
            i += 1;
            while i < len && !is_space(bytes[i]) && !matches!(bytes[i], b'>' | b'/' | b'=') {
                i += 1;
            }
            let ne = i;
            while i < len && is_space(bytes[i]) {
                i += 1;
            }
            let mut value = i as u32..i as u32;
            if i < len && bytes[i] == b'=' {
                i += 1;
                while i < len && is_space(bytes[i]) {
                    i += 1;
                }
                if i < len && (bytes[i] == b'"' || bytes[i] == b'\'') {
                    let q = bytes[i];
                    let vs = i + 1;
                    let ve = memchr::memchr(q, &bytes[vs..]).map_or(len, |e| vs + e);
                    value = vs as u32..ve as u32;
                    i = (ve + 1).min(len);
                } else {
                    let vs = i;
                    while i < len && !is_space(bytes[i]) && bytes[i] != b'>' {
                        i += 1;
                    }
                    value = vs as u32..i as u32;
                }
            }
            if self.attrs.len() - (attr_start as usize) < 64 {
                self.attrs.push(Attr {
                    name: ns as u32..ne as u32,
                    value,
                });
            }
        }
        let attrs = attr_start..self.attrs.len() as u32;
        // A `<script type="text/template">` inside the article body holds
        // the markup the page renders as it loads (Blogger's post bodies):
        // its content is parsed as the page's own, the tag itself dropped.
        if tag == Tag::Script
            && self.attrs[attr_start as usize..].iter().any(|a| {
                self.src[a.name.start as usize..a.name.end as usize].eq_ignore_ascii_case("type")
                    && self.src[a.value.start as usize..a.value.end as usize]
                        .trim()
                        .eq_ignore_ascii_case("text/template")
            })
            && self.in_article_body()
        {
            self.attrs.truncate(attr_start as usize);
            return i;
        }
        self.open(tag, name, attrs, self_closing);

        if tag.is_raw_text() {
            // Text up to `</name`; we have the element open; close it.
            let text_start = i;
            let name_bytes = &bytes[start..(start + (tag_name_len(bytes, start)))];
            let mut j = i;
            let end = loop {
                match memchr::memmem::find(&bytes[j..], b"</") {
                    None => break len,
                    Some(e) => {
                        let at = j + e;
                        let after = at + 2;
                        if after + name_bytes.len() <= len
                            && bytes[after..after + name_bytes.len()]
                                .eq_ignore_ascii_case(name_bytes)
                            && bytes
                                .get(after + name_bytes.len())
                                .is_none_or(|&b| is_space(b) || b == b'>' || b == b'/')
                        {
                            break at;
                        }
                        j = after;
                    }
                }
            };
            let raw = matches!(tag, Tag::Script | Tag::Style | Tag::Xmp | Tag::Plaintext);
            if self.overflow == 0 && self.tag_of(self.current()) == tag {
                self.text(text_start, end, raw);
                self.stack.pop();
            } else if self.overflow > 0 {
                self.overflow -= 1;
            }
            if end >= len {
                return len;
            }
            return memchr::memchr(b'>', &bytes[end..]).map_or(len, |e| end + e + 1);
        }
        i
    }

    fn open(&mut self, tag: Tag, name: Range<u32>, attrs: Range<u32>, self_closing: bool) {
        // Implied end tags.
        match tag {
            Tag::Li => self.close_if_open(Tag::Li, &[Tag::Ul, Tag::Ol, Tag::Menu, Tag::Table]),
            Tag::Dd | Tag::Dt => {
                self.close_if_open(Tag::Dd, &[Tag::Dl, Tag::Table]);
                self.close_if_open(Tag::Dt, &[Tag::Dl, Tag::Table]);
            }
            Tag::Td | Tag::Th => {
                self.close_if_open(Tag::Td, &[Tag::Tr, Tag::Table]);
                self.close_if_open(Tag::Th, &[Tag::Tr, Tag::Table]);
            }
            Tag::Tr => self.close_if_open(Tag::Tr, &[Tag::Table]),
            Tag::Option => self.close_if_open(Tag::Option, &[Tag::Select]),
            // A second `<html>`/`<body>` only adds attributes in HTML; ignore it.
            Tag::Html | Tag::Body | Tag::Head
                if self.stack.iter().any(|&id| self.tag_of(id) == tag) =>
            {
                return;
            }
            _ => {}
        }
        // Body content in the head (a stray `<div>` before `<body>`) ends
        // the head, as in HTML's "in head" mode; otherwise the whole page
        // would sit in an invisible element.
        if !matches!(
            tag,
            Tag::Meta
                | Tag::Link
                | Tag::Title
                | Tag::Script
                | Tag::Style
                | Tag::Base
                | Tag::Noscript
                | Tag::Template
                | Tag::Head
                | Tag::Other
        ) && self.overflow == 0
        {
            if let Some(at) = self
                .stack
                .iter()
                .rposition(|&id| self.tag_of(id) == Tag::Head)
            {
                self.stack.truncate(at);
            }
        }
        if tag.closes_p() {
            self.close_if_open(
                Tag::P,
                &[
                    Tag::Button,
                    Tag::Table,
                    Tag::Td,
                    Tag::Th,
                    Tag::Caption,
                    Tag::Html,
                    Tag::Body,
                    Tag::Template,
                    Tag::Object,
                ],
            );
        }
        if self.overflow > 0 || self.stack.len() > MAX_DEPTH {
            // Past the cap: keep the element as a childless marker so its
            // attributes are still visible, and swallow its end tag.
            self.append(Kind::Element { tag, name, attrs });
            if !tag.is_void() && !self_closing {
                self.overflow += 1;
            }
            return;
        }
        let id = self.append(Kind::Element { tag, name, attrs });
        let foreign_self_closing = self_closing && matches!(tag, Tag::Other | Tag::Svg | Tag::Math);
        if !tag.is_void() && !foreign_self_closing {
            self.stack.push(id);
        }
    }

    fn end_tag(&mut self, start: usize, end: usize) {
        let name = &self.src[start..end];
        let tag = Tag::from_name(name.as_bytes());
        if self.overflow > 0 {
            self.overflow -= 1;
            return;
        }
        if matches!(tag, Tag::Html | Tag::Body) {
            // Content after `</body>` still belongs to the body.
            return;
        }
        if tag == Tag::Br {
            // `</br>` is a `<br>`.
            self.append(Kind::Element {
                tag: Tag::Br,
                name: start as u32..end as u32,
                attrs: 0..0,
            });
            return;
        }
        for i in (1..self.stack.len()).rev() {
            let id = self.stack[i];
            let t = self.tag_of(id);
            let matches = if tag == Tag::Other {
                t == Tag::Other && self.name_of(id).eq_ignore_ascii_case(name)
            } else {
                t == tag
            };
            if matches {
                self.stack.truncate(i);
                return;
            }
            // An end tag does not close elements outside a table cell or
            // the like it sits in, unless it names them.
            if matches!(t, Tag::Td | Tag::Th | Tag::Table | Tag::Template)
                && !matches!(
                    tag,
                    Tag::Table | Tag::Tr | Tag::Tbody | Tag::Thead | Tag::Tfoot
                )
            {
                return;
            }
        }
    }
}

fn tag_name_len(bytes: &[u8], start: usize) -> usize {
    bytes[start..]
        .iter()
        .position(|&b| is_space(b) || b == b'>' || b == b'/')
        .unwrap_or(bytes.len() - start)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outline(dom: &Dom, id: NodeId, out: &mut String) {
        match &dom.node(id).kind {
            Kind::Element { .. } => {
                out.push('<');
                out.push_str(&dom.name(id).to_ascii_lowercase());
                out.push('>');
                for c in dom.children(id) {
                    outline(dom, c, out);
                }
                out.push_str("</>");
            }
            Kind::Text { range, .. } => out.push_str(dom.slice(range)),
        }
    }

    fn tree(html: &str) -> String {
        let dom = Dom::parse(html);
        let mut out = String::new();
        for c in dom.children(0) {
            outline(&dom, c, &mut out);
        }
        out
    }

    #[test]
    fn implied_ends_and_raw_text() {
        assert_eq!(tree("<p>a<p>b<div>c</div>"), "<p>a</><p>b</><div>c</>");
        assert_eq!(tree("<ul><li>a<li>b</ul>x"), "<ul><li>a</><li>b</></>x");
        assert_eq!(
            tree("<script>if (a</b) x='</p>'</script>y"),
            "<script>if (a</b) x='</p>'</>y"
        );
        assert_eq!(tree("<b>x</i>y</b>z"), "<b>xy</>z");
        assert_eq!(tree("<img src=a><br/>t</br>"), "<img></><br></>t<br></>");
        assert_eq!(tree("a < b <!-- c --> d"), "a < b  d");
    }

    #[test]
    fn attributes() {
        let dom = Dom::parse(r#"<a HREF="x&amp;y" data-x=1 checked class='c d'>t</a>"#);
        let a = dom.elements().find(|&(_, t)| t == Tag::A).unwrap().0;
        assert_eq!(dom.attr(a, "href").as_deref(), Some("x&y"));
        assert_eq!(dom.attr(a, "data-x").as_deref(), Some("1"));
        assert_eq!(dom.attr(a, "checked").as_deref(), Some(""));
        assert_eq!(dom.attr(a, "class").as_deref(), Some("c d"));
    }

    #[test]
    fn depth_cap() {
        let html = "<div>".repeat(5_000) + "deep" + &"</div>".repeat(5_000);
        let dom = Dom::parse(&html);
        let mut depth = 0;
        let mut id = (dom.nodes.len() - 1) as NodeId;
        while id != NONE {
            depth += 1;
            id = dom.node(id).parent;
        }
        assert!(depth <= MAX_DEPTH + 3);
    }
}
