//! A small, bounded XML tree for feeds.
//!
//! Feeds are small and their vocabularies are mixed (RSS with Dublin Core,
//! Atom with MediaRSS, ...), so a tree with namespace prefixes rewritten to
//! well-known ones is simpler to read fields from than a stream, and still
//! fast. Building it is lenient like a feed reader must be: undeclared HTML
//! entities, mismatched end tags and undeclared prefixes are recovered from and
//! reported as problems. It is also bounded: nesting depth and the expansion of
//! DTD-declared entities have hard limits so hostile input cannot hang us or
//! exhaust memory.

use std::borrow::Cow;

use quick_xml::events::{BytesStart, Event};
use quick_xml::Reader;

use super::entities;

/// Deeper nesting than this is not a feed but an attack or a bug.
pub(crate) const MAX_DEPTH: usize = 256;
/// Total characters that DTD-declared entities may expand to in one document.
const MAX_ENTITY_EXPANSION: usize = 1 << 20;
/// Entities referring to entities referring to ... deeper than this are refused.
const MAX_ENTITY_NESTING: usize = 8;
/// After this many syntax errors the document is garbage, not a feed.
const MAX_ERRORS: usize = 32;

/// "No node": the end of a sibling chain, an element without children, no
/// `xml:base`/`xml:lang`.
const NONE: u32 = u32::MAX;
/// More nodes or attributes than this do not fit the tree's 32-bit links
/// (and are no feed).
const MAX_NODES: usize = 1 << 30;

/// One node of a document: an element or a text node. All nodes of a
/// document live in one vector, in document order, linked by index, so a
/// document costs a handful of allocations however many elements it has.
///
/// Names, attribute values and text borrow from the decoded document where
/// they appear in it verbatim (most do).
#[derive(Debug)]
struct Slot<'a> {
    /// An element's name with its namespace replaced by a well-known prefix
    /// (`dc:creator`, `media:content`; elements of the core feed vocabularies,
    /// Atom, RSS 0.90, RSS 1.0 and no namespace, have no prefix); a text
    /// node's text.
    name: Cow<'a, str>,
    /// The local name as written, used when re-serializing XHTML content.
    local: Cow<'a, str>,
    text: bool,
    /// The element's attributes: `Tree::attrs[attrs.0..attrs.1]`.
    attrs: (u32, u32),
    /// `xml:base` in effect here, resolved to an absolute URL when possible,
    /// and `xml:lang`: indexes into `Tree::strings`, shared with the parent
    /// unless this element sets its own.
    base: u32,
    lang: u32,
    first_child: u32,
    next_sibling: u32,
}

/// The nodes of a document and what they share.
#[derive(Debug, Default)]
pub(crate) struct Tree<'a> {
    nodes: Vec<Slot<'a>>,
    /// Attributes of all elements, with the same prefix rewriting as names;
    /// values unescaped.
    attrs: Vec<(Cow<'a, str>, Cow<'a, str>)>,
    /// `xml:base` and `xml:lang` values.
    strings: Vec<String>,
}

impl Tree<'_> {
    fn string(&self, at: u32) -> Option<&str> {
        if at == NONE {
            None
        } else {
            self.strings.get(at as usize).map(String::as_str)
        }
    }
}

/// A handle on an element of a parsed document.
#[derive(Clone, Copy)]
pub(crate) struct El<'a> {
    tree: &'a Tree<'a>,
    at: u32,
}

/// A child of an element, as [`El::children`] yields it.
#[derive(Clone, Copy)]
pub(crate) enum Child<'a> {
    Element(El<'a>),
    Text(&'a str),
}

/// The children of an element, in document order.
pub(crate) struct Children<'a> {
    tree: &'a Tree<'a>,
    next: u32,
}

impl<'a> Iterator for Children<'a> {
    type Item = Child<'a>;

    fn next(&mut self) -> Option<Child<'a>> {
        let at = self.next;
        let slot = self.tree.nodes.get(at as usize)?;
        self.next = slot.next_sibling;
        Some(if slot.text {
            Child::Text(&slot.name)
        } else {
            Child::Element(El {
                tree: self.tree,
                at,
            })
        })
    }
}

impl<'a> El<'a> {
    fn slot(self) -> &'a Slot<'a> {
        &self.tree.nodes[self.at as usize]
    }

    pub fn name(self) -> &'a str {
        &self.slot().name
    }

    pub fn local(self) -> &'a str {
        &self.slot().local
    }

    /// `xml:base` in effect here.
    pub fn base(self) -> Option<&'a str> {
        self.tree.string(self.slot().base)
    }

    /// `xml:lang` in effect here.
    pub fn lang(self) -> Option<&'a str> {
        self.tree.string(self.slot().lang)
    }

    pub fn attrs(self) -> impl Iterator<Item = (&'a str, &'a str)> {
        let (start, end) = self.slot().attrs;
        self.tree
            .attrs
            .get(start as usize..end as usize)
            .unwrap_or_default()
            .iter()
            .map(|(k, v)| (k.as_ref(), v.as_ref()))
    }

    pub fn attr(self, name: &str) -> Option<&'a str> {
        self.attrs().find(|(n, _)| *n == name).map(|(_, v)| v)
    }

    pub fn children(self) -> Children<'a> {
        Children {
            tree: self.tree,
            next: self.slot().first_child,
        }
    }

    pub fn elements(self) -> impl Iterator<Item = El<'a>> {
        self.children().filter_map(|n| match n {
            Child::Element(e) => Some(e),
            Child::Text(_) => None,
        })
    }

    pub fn child(self, name: &str) -> Option<El<'a>> {
        self.elements().find(|e| e.name() == name)
    }

    /// The concatenated text of this element and its descendants.
    pub fn text(self) -> String {
        let mut out = String::new();
        self.collect_text(&mut out);
        out
    }

    fn collect_text(self, out: &mut String) {
        for n in self.children() {
            match n {
                Child::Text(t) => out.push_str(t),
                Child::Element(e) => e.collect_text(out),
            }
        }
    }

    pub fn has_children(self) -> bool {
        self.slot().first_child != NONE
    }

    pub fn has_element_children(self) -> bool {
        self.elements().next().is_some()
    }

    /// The text of an element whose only child is one text node.
    pub fn only_text(self) -> Option<&'a str> {
        let mut children = self.children();
        match (children.next(), children.next()) {
            (Some(Child::Text(t)), None) => Some(t),
            _ => None,
        }
    }

    /// Whether `self` and `other` are the same element.
    pub fn same(self, other: El<'_>) -> bool {
        self.at == other.at && std::ptr::eq(self.tree, other.tree)
    }
}

/// Why a document could not be read as XML at all.
#[derive(Debug)]
pub(crate) enum DomError {
    Empty,
    NotXml(String),
    TooDeep,
    EntityBomb(String),
    Truncated(String),
}

pub(crate) struct Document<'a> {
    tree: Tree<'a>,
    root: u32,
    /// The default namespace URI declared on the root, to tell versions apart.
    pub root_ns: Option<String>,
    pub problems: Vec<String>,
}

impl Document<'_> {
    pub fn root(&self) -> El<'_> {
        El {
            tree: &self.tree,
            at: self.root,
        }
    }
}

/// Maps namespace URIs to the prefixes the extractor matches on.
fn canonical_prefix(uri: &str) -> Option<&'static str> {
    let uri = uri.trim();
    Some(match uri {
        "http://www.w3.org/2005/Atom"
        | "http://purl.org/atom/ns#"
        | "http://my.netscape.com/rdf/simple/0.9/"
        | "http://purl.org/rss/1.0/"
        | "http://backend.userland.com/rss2"
        | "http://blogs.law.harvard.edu/tech/rss"
        | "http://purl.org/net/rss1.1#" => "",
        "http://www.w3.org/1999/02/22-rdf-syntax-ns#" => "rdf",
        "http://purl.org/dc/elements/1.1/" | "http://purl.org/dc/elements/1.0/" => "dc",
        "http://purl.org/dc/terms/" => "dcterms",
        "http://purl.org/rss/1.0/modules/content/" => "content",
        "http://search.yahoo.com/mrss/" | "http://search.yahoo.com/mrss" => "media",
        "http://www.itunes.com/dtds/podcast-1.0.dtd"
        | "http://www.itunes.com/DTDs/Podcast-1.0.dtd" => "itunes",
        "http://www.w3.org/1999/xhtml" => "xhtml",
        "http://www.w3.org/XML/1998/namespace" => "xml",
        "http://purl.org/rss/1.0/modules/slash/" => "slash",
        "http://wellformedweb.org/CommentAPI/" => "wfw",
        "http://www.w3.org/1999/xlink" => "xlink",
        "http://www.w3.org/2000/svg" => "svg",
        "http://www.w3.org/1998/Math/MathML" => "mathml",
        "http://purl.org/rss/1.0/modules/syndication/" => "sy",
        _ => return None,
    })
}

struct Scope {
    /// (prefix as written, canonical prefix) declared on this element.
    decls: Vec<(String, String)>,
    /// Whether this element declared the default namespace, and as what.
    default: Option<String>,
    /// The scope whose `default` is in effect here (this one or an
    /// ancestor's), so finding it does not walk the scopes.
    default_from: Option<usize>,
}

/// An element being built.
struct Open {
    node: u32,
    /// Its last child so far, where the next one is linked.
    last_child: u32,
}

struct Builder<'a> {
    /// The document text the tree borrows from.
    text: &'a str,
    tree: Tree<'a>,
    /// The open elements, outermost first.
    stack: Vec<Open>,
    /// For each open element: whether it and all its ancestors are feed
    /// containers (see [`is_container`]).
    containers: Vec<bool>,
    scopes: Vec<Scope>,
    problems: Vec<String>,
    dtd_entities: Vec<(String, String)>,
    expanded: usize,
    /// The document's base URL, as an index into `tree.strings`.
    doc_base: u32,
    /// The root element, once it is closed.
    root: Option<u32>,
    root_ns: Option<String>,
    /// Name of the first unclosed element below the root when input ended.
    finished: bool,
}

pub(crate) fn parse<'a>(text: &'a str, doc_base: Option<&str>) -> Result<Document<'a>, DomError> {
    if text.trim().is_empty() {
        return Err(DomError::Empty);
    }
    let mut reader = Reader::from_str(text);
    {
        let cfg = reader.config_mut();
        cfg.check_end_names = false;
        cfg.allow_dangling_amp = true;
        cfg.allow_unmatched_ends = true;
        cfg.expand_empty_elements = false;
        cfg.trim_text(false);
    }
    let mut b = Builder {
        text,
        tree: Tree {
            // Guesses that spare most regrowing on typical feeds.
            nodes: Vec::with_capacity(text.len() / 48 + 8),
            attrs: Vec::with_capacity(text.len() / 256 + 4),
            strings: Vec::new(),
        },
        stack: Vec::new(),
        containers: Vec::new(),
        scopes: Vec::new(),
        problems: Vec::new(),
        dtd_entities: Vec::new(),
        expanded: 0,
        doc_base: NONE,
        root: None,
        root_ns: None,
        finished: false,
    };
    if let Some(base) = doc_base {
        b.doc_base = b.push_string(base.to_string());
    }
    let mut errors = 0usize;
    let mut last_error_pos = u64::MAX;
    loop {
        let ev = reader.read_event();
        match ev {
            Ok(Event::Start(ref e) | Event::Empty(ref e)) => {
                if b.root.is_some() && b.stack.is_empty() {
                    b.problems
                        .push("content after the end of the root element".to_string());
                    break;
                }
                if b.stack.len() >= MAX_DEPTH {
                    return Err(DomError::TooDeep);
                }
                b.open(e)?;
                if matches!(ev, Ok(Event::Empty(_))) {
                    b.close_top();
                }
            }
            Ok(Event::End(e)) => {
                let name = b.borrow(e.name().into_inner());
                b.close_named(&name);
            }
            Ok(Event::Text(t)) => {
                let raw = b.borrow(t.as_ref());
                if b.stack.is_empty() {
                    if !raw.trim().is_empty() {
                        if b.root.is_none() {
                            return Err(DomError::NotXml(snippet(&raw)));
                        }
                        b.problems
                            .push("text after the end of the root element".to_string());
                    }
                    continue;
                }
                // A lone `&` is let through by the reader; it is an error
                // feeds commonly make.
                // The indentation between a container's children is never
                // read: not storing it saves a node apiece.
                if b.containers.last() == Some(&true)
                    && raw
                        .bytes()
                        .all(|c| matches!(c, b' ' | b'\t' | b'\n' | b'\r'))
                {
                    continue;
                }
                if has_byte(&raw, b'&') {
                    b.problems.push("unescaped & in text".to_string());
                }
                b.push_text(normalize_newlines(raw));
            }
            Ok(Event::CData(t)) => {
                let raw = b.borrow(t.as_ref());
                if !b.stack.is_empty() {
                    b.push_text(normalize_newlines(raw));
                }
            }
            Ok(Event::GeneralRef(r)) => {
                if b.stack.is_empty() {
                    continue;
                }
                let name = b.borrow(r.as_ref());
                // The five predefined entities are most references.
                let expansion: Cow<'static, str> = match name.as_ref() {
                    "amp" => Cow::Borrowed("&"),
                    "lt" => Cow::Borrowed("<"),
                    "gt" => Cow::Borrowed(">"),
                    "quot" => Cow::Borrowed("\""),
                    "apos" => Cow::Borrowed("'"),
                    _ => Cow::Owned(b.resolve_ref(&name)?),
                };
                b.push_text(expansion);
            }
            Ok(Event::DocType(d)) => {
                let raw = String::from_utf8_lossy(d.as_ref()).into_owned();
                b.dtd_entities = parse_entity_decls(&raw);
            }
            Ok(Event::Decl(_) | Event::PI(_) | Event::Comment(_)) => {}
            Ok(Event::Eof) => {
                b.finished = true;
                break;
            }
            Err(e) => {
                let pos = reader.error_position();
                errors += 1;
                b.problems.push(format!("xml error at byte {pos}: {e}"));
                if errors > MAX_ERRORS || pos == last_error_pos {
                    break;
                }
                last_error_pos = pos;
                if b.root.is_none() && b.stack.is_empty() {
                    return Err(DomError::NotXml(e.to_string()));
                }
            }
        }
    }
    if b.stack.len() > 1 {
        let open: Vec<&str> = b
            .stack
            .iter()
            .skip(1)
            .map(|o| b.tree.nodes[o.node as usize].name.as_ref())
            .collect();
        return Err(DomError::Truncated(format!(
            "the document ends inside <{}>",
            open.join("><")
        )));
    }
    if b.stack.len() == 1 {
        b.problems.push(format!(
            "the root element <{}> is not closed",
            b.tree.nodes[b.stack[0].node as usize].name
        ));
        b.close_top();
    }
    let _ = b.finished;
    match b.root {
        Some(root) => Ok(Document {
            tree: b.tree,
            root,
            root_ns: b.root_ns,
            problems: b.problems,
        }),
        None => Err(DomError::NotXml("no element found".to_string())),
    }
}

fn snippet(s: &str) -> String {
    let s = s.trim();
    let cut: String = s.chars().take(40).collect();
    if cut.len() < s.len() {
        format!("text {cut:?}...")
    } else {
        format!("text {cut:?}")
    }
}

/// The feed's structural elements (root, channel, items and entries, each
/// below the previous): the mapping reads their child elements and
/// attributes, never their own text. Only when every ancestor is one too, so
/// that an `<item>` inside HTML content keeps its whitespace.
fn is_container(name: &str) -> bool {
    matches!(
        name,
        "rss" | "rdf:RDF" | "feed" | "channel" | "item" | "entry"
    )
}

/// Whether `s` holds the ASCII byte `b`. Most text nodes are short (a date,
/// a link, the whitespace between tags), where a plain loop is cheaper than
/// setting up `memchr`.
fn has_byte(s: &str, b: u8) -> bool {
    if s.len() < 32 {
        s.bytes().any(|c| c == b)
    } else {
        s.as_bytes().contains(&b)
    }
}

#[inline]
fn normalize_newlines(s: Cow<'_, str>) -> Cow<'_, str> {
    if has_byte(&s, b'\r') {
        Cow::Owned(without_cr(&s))
    } else {
        s
    }
}

#[cold]
fn without_cr(s: &str) -> String {
    s.replace("\r\n", "\n").replace('\r', "\n")
}

/// Text the reader did not slice from the document (it practically always
/// does).
#[cold]
fn owned_text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(s) => s.to_string(),
        Err(_) => String::from_utf8_lossy(bytes).into_owned(),
    }
}

impl<'a> Builder<'a> {
    /// `bytes` as text: borrowed from the document when they are a slice of
    /// it (the reader reads from the document, so they nearly always are).
    #[inline]
    fn borrow(&self, bytes: &[u8]) -> Cow<'a, str> {
        let start = (bytes.as_ptr() as usize).wrapping_sub(self.text.as_ptr() as usize);
        if let Some(s) = start
            .checked_add(bytes.len())
            .and_then(|end| self.text.get(start..end))
        {
            if s.as_bytes().as_ptr() == bytes.as_ptr() {
                return Cow::Borrowed(s);
            }
        }
        Cow::Owned(owned_text(bytes))
    }

    fn push_text(&mut self, s: Cow<'a, str>) {
        if s.is_empty() {
            return;
        }
        if let Some(top) = self.stack.last() {
            let own_last = match self.tree.nodes.get_mut(top.last_child as usize) {
                Some(slot) if slot.text => Some(&mut slot.name),
                _ => None,
            };
            if let Some(t) = own_last {
                // Text split by references grows piece by piece: leave room.
                if let Cow::Borrowed(first) = t {
                    let mut owned = String::with_capacity(2 * (first.len() + s.len()));
                    owned.push_str(first);
                    *t = Cow::Owned(owned);
                }
                t.to_mut().push_str(&s);
            } else {
                self.push_node(Slot {
                    name: s,
                    local: Cow::Borrowed(""),
                    text: true,
                    attrs: (0, 0),
                    base: NONE,
                    lang: NONE,
                    first_child: NONE,
                    next_sibling: NONE,
                });
            }
        }
    }

    /// Adds a node as the last child of the innermost open element.
    fn push_node(&mut self, slot: Slot<'a>) -> u32 {
        let at = self.tree.nodes.len() as u32;
        self.tree.nodes.push(slot);
        if let Some(top) = self.stack.last_mut() {
            let prev = if top.last_child == NONE {
                top.node
            } else {
                top.last_child
            };
            if let Some(p) = self.tree.nodes.get_mut(prev as usize) {
                if top.last_child == NONE {
                    p.first_child = at;
                } else {
                    p.next_sibling = at;
                }
            }
            top.last_child = at;
        }
        at
    }

    fn push_string(&mut self, s: String) -> u32 {
        self.tree.strings.push(s);
        self.tree.strings.len() as u32 - 1
    }

    fn lookup_prefix(&self, prefix: &str) -> Option<&str> {
        for s in self.scopes.iter().rev() {
            if let Some((_, c)) = s.decls.iter().rev().find(|(p, _)| p == prefix) {
                return Some(c);
            }
        }
        None
    }

    fn default_ns(&self) -> Option<&str> {
        let at = self.scopes.last()?.default_from?;
        self.scopes[at].default.as_deref()
    }

    /// Rewrites `prefix:local` (or bare `local`) to the canonical form.
    fn canonical_name(&mut self, qname: Cow<'a, str>, is_attr: bool) -> Cow<'a, str> {
        // Names are short: a plain loop beats a memchr set-up here.
        let colon = qname.bytes().position(|c| c == b':');
        let Some((prefix, local)) = colon.map(|i| (&qname[..i], &qname[i + 1..])) else {
            if is_attr {
                return qname;
            }
            return match self.default_ns() {
                Some("") | None => qname,
                Some(c) => Cow::Owned(format!("{c}:{qname}")),
            };
        };
        if prefix == "xml" {
            return qname;
        }
        match self.lookup_prefix(prefix) {
            Some("") => match &qname {
                Cow::Borrowed(q) => Cow::Borrowed(&q[prefix.len() + 1..]),
                Cow::Owned(_) => Cow::Owned(local.to_string()),
            },
            // The usual case: the conventional prefix for the namespace.
            Some(c) if c == prefix => qname,
            Some(c) => Cow::Owned(format!("{c}:{local}")),
            None => {
                let name = format!("{}:{local}", prefix.to_ascii_lowercase());
                self.problems
                    .push(format!("undeclared namespace prefix {prefix}"));
                Cow::Owned(name)
            }
        }
    }

    fn open(&mut self, e: &BytesStart<'_>) -> Result<(), DomError> {
        let qname = self.borrow(e.name().into_inner());
        let local = self.borrow(e.local_name().into_inner());
        if self.tree.nodes.len() >= MAX_NODES || self.tree.attrs.len() >= MAX_NODES {
            return Err(DomError::NotXml("too many elements".to_string()));
        }
        let attrs_start = self.tree.attrs.len();
        let mut scope = Scope {
            decls: Vec::new(),
            default: None,
            default_from: None,
        };
        for a in e.attributes().with_checks(false) {
            let a = match a {
                Ok(a) => a,
                Err(err) => {
                    self.problems
                        .push(format!("bad attribute in <{qname}>: {err}"));
                    continue;
                }
            };
            let key = self.borrow(a.key.into_inner());
            let raw = self.borrow(&a.value);
            let value = self.unescape(raw)?;
            if key == "xmlns" {
                if self.stack.is_empty() && self.root.is_none() {
                    self.root_ns = Some(value.trim().to_string());
                }
                let c = canonical_prefix(&value)
                    .map(str::to_string)
                    .unwrap_or_else(|| {
                        // An unknown default namespace: keep names unprefixed
                        // unless it is clearly a foreign vocabulary.
                        String::new()
                    });
                scope.default = Some(c);
            } else if let Some(p) = key.strip_prefix("xmlns:") {
                let c = canonical_prefix(&value)
                    .map(str::to_string)
                    .unwrap_or_else(|| p.to_ascii_lowercase());
                scope.decls.push((p.to_string(), c));
            } else {
                self.tree.attrs.push((key, value));
            }
        }
        scope.default_from = if scope.default.is_some() {
            Some(self.scopes.len())
        } else {
            self.scopes.last().and_then(|s| s.default_from)
        };
        self.scopes.push(scope);
        let name = self.canonical_name(qname, false);
        let attrs_end = self.tree.attrs.len();
        for i in attrs_start..attrs_end {
            let k = std::mem::take(&mut self.tree.attrs[i].0);
            self.tree.attrs[i].0 = self.canonical_name(k, true);
        }
        let parent = self
            .stack
            .last()
            .and_then(|p| self.tree.nodes.get(p.node as usize));
        let parent_base = match parent.map(|p| p.base) {
            Some(b) if b != NONE => b,
            _ => self.doc_base,
        };
        let parent_lang = parent.map_or(NONE, |p| p.lang);
        let own = &self.tree.attrs[attrs_start..attrs_end];
        let xml_base = own
            .iter()
            .find(|(k, _)| k == "xml:base")
            .map(|(_, b)| super::urls::resolve(self.tree.string(parent_base), b));
        let xml_lang = own
            .iter()
            .find(|(k, _)| k == "xml:lang")
            .map(|(_, l)| l.to_string());
        let base = match xml_base {
            Some(b) => self.push_string(b),
            None => parent_base,
        };
        let lang = match xml_lang {
            Some(l) => self.push_string(l),
            None => parent_lang,
        };
        let container = is_container(&name) && self.containers.last().copied().unwrap_or(true);
        self.containers.push(container);
        let node = self.push_node(Slot {
            name,
            local,
            text: false,
            attrs: (attrs_start as u32, attrs_end as u32),
            base,
            lang,
            first_child: NONE,
            next_sibling: NONE,
        });
        self.stack.push(Open {
            node,
            last_child: NONE,
        });
        Ok(())
    }

    fn close_top(&mut self) {
        self.scopes.pop();
        if let Some(open) = self.stack.pop() {
            self.containers.pop();
            if self.stack.is_empty() && self.root.is_none() {
                self.root = Some(open.node);
            }
        }
    }

    fn close_named(&mut self, qname: &str) {
        let local = qname.rsplit(':').next().unwrap_or(qname);
        let nodes = &self.tree.nodes;
        let Some(pos) = self
            .stack
            .iter()
            .rposition(|o| nodes.get(o.node as usize).is_some_and(|n| n.local == local))
        else {
            self.problems
                .push(format!("end tag </{qname}> without a start tag"));
            return;
        };
        if pos + 1 != self.stack.len() {
            self.problems
                .push(format!("end tag </{qname}> closes unclosed elements"));
        }
        while self.stack.len() > pos {
            self.close_top();
        }
    }

    fn resolve_ref(&mut self, name: &str) -> Result<String, DomError> {
        if let Some(num) = name.strip_prefix('#') {
            let cp = if let Some(hex) = num.strip_prefix(['x', 'X']) {
                u32::from_str_radix(hex, 16).ok()
            } else {
                num.parse::<u32>().ok()
            };
            // `&#146;` means windows-1252's right quote, not a C1 control.
            let cp = cp.and_then(char::from_u32);
            return Ok(
                match cp.map(newsdesk_normalize::charset::c1_as_windows_1252) {
                    Some(c) => c.to_string(),
                    None => {
                        self.problems
                            .push(format!("invalid character reference &{name};"));
                        String::new()
                    }
                },
            );
        }
        match name {
            "amp" => return Ok("&".into()),
            "lt" => return Ok("<".into()),
            "gt" => return Ok(">".into()),
            "quot" => return Ok("\"".into()),
            "apos" => return Ok("'".into()),
            _ => {}
        }
        if self.dtd_entities.iter().any(|(n, _)| n == name) {
            let mut out = String::new();
            self.expand_declared(name, 0, &mut out)?;
            self.expanded += out.len();
            return Ok(out);
        }
        if let Some(c) = entities::lookup(name) {
            self.problems
                .push(format!("undeclared html entity &{name}; in xml"));
            return Ok(c.to_string());
        }
        self.problems.push(format!("undefined entity &{name};"));
        Ok(format!("&{name};"))
    }

    fn expand_declared(
        &mut self,
        name: &str,
        depth: usize,
        out: &mut String,
    ) -> Result<(), DomError> {
        if depth > MAX_ENTITY_NESTING {
            return Err(DomError::EntityBomb(format!(
                "entity &{name}; nests entities more than {MAX_ENTITY_NESTING} deep"
            )));
        }
        let Some(value) = self
            .dtd_entities
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.clone())
        else {
            out.push_str(&format!("&{name};"));
            return Ok(());
        };
        let mut rest = value.as_str();
        while let Some(amp) = rest.find('&') {
            out.push_str(&rest[..amp]);
            let after = &rest[amp + 1..];
            match after.find(';') {
                Some(semi) if semi > 0 && semi < 64 => {
                    let inner = &after[..semi];
                    if inner.starts_with('#')
                        || matches!(inner, "amp" | "lt" | "gt" | "quot" | "apos")
                    {
                        let r = self.resolve_ref(inner)?;
                        out.push_str(&r);
                    } else {
                        self.expand_declared(inner, depth + 1, out)?;
                    }
                    rest = &after[semi + 1..];
                }
                _ => {
                    out.push('&');
                    rest = after;
                }
            }
            self.check_budget(out.len())?;
        }
        out.push_str(rest);
        self.check_budget(out.len())
    }

    fn check_budget(&mut self, len: usize) -> Result<(), DomError> {
        if self.expanded + len > MAX_ENTITY_EXPANSION {
            return Err(DomError::EntityBomb(format!(
                "declared entities expand to more than {MAX_ENTITY_EXPANSION} characters"
            )));
        }
        Ok(())
    }

    /// Unescapes an attribute value, with the same entity rules as text.
    fn unescape(&mut self, raw: Cow<'a, str>) -> Result<Cow<'a, str>, DomError> {
        if !raw.contains('&') {
            return Ok(normalize_attr_ws(raw));
        }
        let raw = raw.as_ref();
        let mut out = String::with_capacity(raw.len());
        let mut rest = raw;
        while let Some(amp) = rest.find('&') {
            out.push_str(&rest[..amp]);
            let after = &rest[amp + 1..];
            match after.find(';') {
                Some(semi)
                    if semi > 0
                        && semi < 64
                        && after[..semi].chars().all(|c| {
                            c.is_ascii_alphanumeric()
                                || c == '#'
                                || c == '_'
                                || c == '-'
                                || c == '.'
                        }) =>
                {
                    let r = self.resolve_ref(&after[..semi])?;
                    self.expanded += r.len();
                    out.push_str(&r);
                    rest = &after[semi + 1..];
                }
                _ => {
                    self.problems.push("unescaped & in attribute".to_string());
                    out.push('&');
                    rest = after;
                }
            }
        }
        out.push_str(rest);
        Ok(normalize_attr_ws(Cow::Owned(out)))
    }
}

#[inline]
fn normalize_attr_ws(s: Cow<'_, str>) -> Cow<'_, str> {
    // Without an early exit the scan vectorizes: values are often long URLs.
    let ws = s
        .bytes()
        .fold(false, |any, c| any | matches!(c, b'\n' | b'\r' | b'\t'));
    if ws {
        Cow::Owned(attr_ws_to_spaces(&s))
    } else {
        s
    }
}

#[cold]
fn attr_ws_to_spaces(s: &str) -> String {
    s.replace("\r\n", " ").replace(['\n', '\r', '\t'], " ")
}

/// `<!ENTITY name "value">` declarations of an internal DTD subset. Parameter
/// and external entities are ignored: a feed reader must not fetch anything.
fn parse_entity_decls(dtd: &str) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut rest = dtd;
    while let Some(at) = rest.find("<!ENTITY") {
        rest = &rest[at + "<!ENTITY".len()..];
        let decl = rest.trim_start();
        if decl.starts_with('%') {
            continue;
        }
        let name_end = decl.find(|c: char| c.is_whitespace()).unwrap_or(decl.len());
        let name = &decl[..name_end];
        let after = decl[name_end..].trim_start();
        let Some(q) = after.chars().next().filter(|c| *c == '"' || *c == '\'') else {
            continue;
        };
        let body = &after[1..];
        let Some(close) = body.find(q) else { break };
        if !name.is_empty() && out.len() < 1024 {
            out.push((name.to_string(), body[..close].to_string()));
        }
        rest = &body[close + 1..];
    }
    out
}
