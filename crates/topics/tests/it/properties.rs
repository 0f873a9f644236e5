//! Property tests of the query language: the parser never panics, and a
//! parsed query means what a straightforward evaluator of the same tree says.

use newsdesk_topics::{Doc, Query, TopicSet};
use proptest::prelude::*;

/// A query tree over a tiny vocabulary, so that random documents hit it.
#[derive(Debug, Clone)]
enum Tree {
    Word(&'static str),
    Prefix(&'static str),
    Phrase(&'static str, &'static str),
    Title(Box<Tree>),
    Not(Box<Tree>),
    And(Box<Tree>, Box<Tree>),
    Or(Box<Tree>, Box<Tree>),
    Near(&'static str, &'static str, usize),
}

const VOCAB: &[&str] = &["cloud", "vision", "robot", "chip", "model", "azure"];

fn word() -> impl Strategy<Value = &'static str> {
    proptest::sample::select(VOCAB)
}

fn tree() -> impl Strategy<Value = Tree> {
    let leaf = prop_oneof![
        4 => word().prop_map(Tree::Word),
        1 => word().prop_map(|w| Tree::Prefix(&w[..3])),
        2 => (word(), word()).prop_map(|(a, b)| Tree::Phrase(a, b)),
        1 => (word(), word(), 1usize..4).prop_map(|(a, b, n)| Tree::Near(a, b, n)),
    ];
    leaf.prop_recursive(4, 24, 2, |inner| {
        prop_oneof![
            inner.clone().prop_map(|t| Tree::Not(Box::new(t))),
            inner.clone().prop_map(|t| Tree::Title(Box::new(t))),
            (inner.clone(), inner.clone()).prop_map(|(a, b)| Tree::And(Box::new(a), Box::new(b))),
            (inner.clone(), inner).prop_map(|(a, b)| Tree::Or(Box::new(a), Box::new(b))),
        ]
    })
}

/// Scopes do not nest: a title scope inside another is dropped.
fn strip_titles(t: &Tree) -> Tree {
    match t {
        Tree::Title(inner) => strip_titles(inner),
        Tree::Not(a) => Tree::Not(Box::new(strip_titles(a))),
        Tree::And(a, b) => Tree::And(Box::new(strip_titles(a)), Box::new(strip_titles(b))),
        Tree::Or(a, b) => Tree::Or(Box::new(strip_titles(a)), Box::new(strip_titles(b))),
        other => other.clone(),
    }
}

fn normalize(t: &Tree) -> Tree {
    match t {
        Tree::Title(inner) => Tree::Title(Box::new(strip_titles(inner))),
        Tree::Not(a) => Tree::Not(Box::new(normalize(a))),
        Tree::And(a, b) => Tree::And(Box::new(normalize(a)), Box::new(normalize(b))),
        Tree::Or(a, b) => Tree::Or(Box::new(normalize(a)), Box::new(normalize(b))),
        other => other.clone(),
    }
}

/// Fully parenthesised, so precedence does not matter here.
fn render(t: &Tree) -> String {
    match t {
        Tree::Word(w) => w.to_string(),
        Tree::Prefix(p) => format!("{p}*"),
        Tree::Phrase(a, b) => format!("\"{a} {b}\""),
        Tree::Title(inner) => format!("title:({})", render(inner)),
        Tree::Not(a) => format!("(NOT {})", render(a)),
        Tree::And(a, b) => format!("({} AND {})", render(a), render(b)),
        Tree::Or(a, b) => format!("({} OR {})", render(a), render(b)),
        Tree::Near(a, b, n) => format!("({a} NEAR/{n} {b})"),
    }
}

fn has_phrase(words: &[&str], a: &str, b: &str) -> bool {
    words.windows(2).any(|w| w[0] == a && w[1] == b)
}

fn near(words: &[&str], a: &str, b: &str, n: usize) -> bool {
    for (i, x) in words.iter().enumerate() {
        for (j, y) in words.iter().enumerate() {
            if i != j && *x == a && *y == b && i.abs_diff(j) <= n {
                return true;
            }
        }
    }
    false
}

/// The reference meaning, over the title's and the body's words.
fn eval(t: &Tree, fields: &[&[&str]]) -> bool {
    match t {
        Tree::Word(w) => fields.iter().any(|f| f.contains(w)),
        Tree::Prefix(p) => fields.iter().any(|f| f.iter().any(|w| w.starts_with(p))),
        Tree::Phrase(a, b) => fields.iter().any(|f| has_phrase(f, a, b)),
        Tree::Title(inner) => eval(inner, &fields[..1]),
        Tree::Not(a) => !eval(a, fields),
        Tree::And(a, b) => eval(a, fields) && eval(b, fields),
        Tree::Or(a, b) => eval(a, fields) || eval(b, fields),
        Tree::Near(a, b, n) => fields.iter().any(|f| near(f, a, b, *n)),
    }
}

fn words() -> impl Strategy<Value = Vec<&'static str>> {
    proptest::collection::vec(word(), 0..8)
}

fn case(w: &str, upper: bool) -> String {
    if upper {
        w.to_uppercase()
    } else {
        w.to_string()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn the_parser_never_panics(text in "\\PC{0,80}") {
        let _ = Query::parse(&text);
    }

    #[test]
    fn the_parser_never_panics_on_query_like_text(
        parts in proptest::collection::vec(
            prop_oneof![
                Just("AND"), Just("OR"), Just("NOT"), Just("("), Just(")"), Just("\""),
                Just("NEAR/3"), Just("NEAR/"), Just("title:"), Just("body:"), Just("provider:"),
                Just("ai"), Just("learn*"), Just("*"), Just("/c"), Just("\"AI\"/c"), Just(":"),
            ],
            0..16,
        )
    ) {
        let text = parts.join(" ");
        if let Err(e) = Query::parse(&text) {
            // An error says where.
            prop_assert!(e.to_string().contains("column"), "{}", e);
        }
    }

    #[test]
    fn a_parsed_query_means_what_its_tree_says(
        t in tree(),
        title in words(),
        body in words(),
        upper in any::<bool>(),
    ) {
        let t = normalize(&t);
        let text = render(&t);
        let q = Query::parse(&text).map_err(|e| TestCaseError::fail(format!("{text}: {e}")))?;
        let title_text = title.iter().map(|w| case(w, upper)).collect::<Vec<_>>().join(" ");
        let body_text = body.join(", ");
        let doc = Doc::new(&title_text, &body_text, "");
        prop_assert_eq!(
            q.matches(&doc),
            eval(&t, &[&title, &body]),
            "query {} on title {:?} body {:?}", text, title_text, body_text
        );
    }

    #[test]
    fn and_binds_tighter_than_or(a in word(), b in word(), c in word(), doc in words()) {
        let loose = Query::parse(&format!("{a} OR {b} {c}")).unwrap();
        let tight = Query::parse(&format!("{a} OR ({b} AND {c})")).unwrap();
        let d = Doc::new("", &doc.join(" "), "");
        prop_assert_eq!(loose.matches(&d), tight.matches(&d));
    }

    #[test]
    fn topic_files_with_random_parents_load_or_say_why(
        parents in proptest::collection::vec(proptest::option::of(0usize..5), 5)
    ) {
        let mut text = String::new();
        for (i, p) in parents.iter().enumerate() {
            text.push_str(&format!("[[topic]]\nname = \"T{i}\"\nquery = \"w{i}\"\n"));
            if let Some(p) = p {
                text.push_str(&format!("parent = \"T{p}\"\n"));
            }
            text.push('\n');
        }
        // A cycle exists when following parents from some topic returns to it.
        let cyclic = (0..parents.len()).any(|start| {
            let mut at = start;
            for _ in 0..parents.len() {
                match parents[at] {
                    Some(p) if p == start => return true,
                    Some(p) => at = p,
                    None => return false,
                }
            }
            false
        });
        match TopicSet::from_toml_str(&text, "random.toml") {
            Ok(set) => {
                prop_assert!(!cyclic, "a cycle was accepted:\n{}", text);
                // A matched child lists its ancestors after it.
                let doc = Doc::new("w4", "", "");
                let names = set.classify_names(&doc);
                prop_assert_eq!(names.first().copied(), Some("T4"));
            }
            Err(e) => {
                prop_assert!(cyclic, "{} for:\n{}", e, text);
                prop_assert!(e.to_string().contains("random.toml"), "{}", e);
            }
        }
    }
}
