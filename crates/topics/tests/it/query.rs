//! The query language: parsing (operators, precedence, errors with positions,
//! a property test over generated queries and random strings) and matching.

use newsdesk_topics::{Doc, Query, QueryErrorKind};

fn q(text: &str) -> Query {
    Query::parse(text).unwrap_or_else(|e| panic!("{text:?}: {e}"))
}

fn err(text: &str) -> String {
    match Query::parse(text) {
        Ok(query) => panic!("{text:?} parsed as {query}"),
        Err(e) => e.to_string(),
    }
}

fn hit(query: &str, title: &str, body: &str) -> bool {
    q(query).matches(&Doc::new(title, body, ""))
}

// ---------------------------------------------------------------- parsing

#[test]
fn operators_parse_to_their_canonical_form() {
    for (input, canonical) in [
        ("cloud", "cloud"),
        ("a AND b", "a AND b"),
        ("a b", "a AND b"),
        ("a OR b", "a OR b"),
        ("NOT a", "NOT a"),
        ("a NOT b", "a AND NOT b"),
        ("a AND NOT b", "a AND NOT b"),
        ("(a OR b) c", "(a OR b) AND c"),
        ("\"machine learning\"", "\"machine learning\""),
        ("\"AI\"/c", "\"AI\"/c"),
        ("learn*", "learn*"),
        ("\"deep learn*\"", "\"deep learn*\""),
        ("title:ai", "title:ai"),
        ("title: ai", "title:ai"),
        ("BODY:\"a b\"", "body:\"a b\""),
        (
            "provider:(reuters OR ap)",
            "provider:reuters OR provider:ap",
        ),
        ("title:(a b)", "title:a AND title:b"),
        ("a NEAR/5 b", "a NEAR/5 b"),
        ("(a OR \"b c\") NEAR/2 d", "(a OR \"b c\") NEAR/2 d"),
        ("re:Invent", "\"re Invent\""),
        ("GPT-3", "\"GPT 3\""),
        ("\"AND\"", "\"AND\""),
        ("“smart quotes”", "\"smart quotes\""),
        ("and or not", "and AND or AND not"),
        ("Facebook's", "Facebook"),
    ] {
        assert_eq!(q(input).to_string(), canonical, "{input}");
    }
}

#[test]
fn precedence_scope_near_not_and_or() {
    // AND binds tighter than OR, explicit or implied.
    assert_eq!(q("a OR b c"), q("a OR (b AND c)"));
    assert_eq!(q("a OR b AND c"), q("a OR (b AND c)"));
    assert_eq!(q("a b OR c"), q("(a AND b) OR c"));
    // NOT binds tighter than AND, NEAR tighter than NOT.
    assert_eq!(q("NOT a b"), q("(NOT a) AND b"));
    assert_eq!(q("NOT a NEAR/3 b"), q("NOT (a NEAR/3 b)"));
    assert_eq!(q("a NEAR/3 b c"), q("(a NEAR/3 b) AND c"));
    // A scope takes one term, phrase or group.
    assert_eq!(q("title:a b"), q("(title:a) AND b"));
    // Flattening: the same query however grouped.
    assert_eq!(q("(a OR b) OR c"), q("a OR (b OR c)"));
    assert_eq!(q("a (b c)"), q("a b c"));
    assert_ne!(q("a OR b c"), q("(a OR b) c"));
    // Case counts only where the query says so.
    assert_eq!(q("AWS"), q("aws"));
    assert_eq!(q("\"Machine Learning\""), q("machine-learning"));
    assert_ne!(q("\"AWS\"/c"), q("\"aws\"/c"));
    assert_ne!(q("\"AWS\"/c"), q("AWS"));
}

#[test]
fn errors_say_what_was_expected_and_where() {
    for (input, message) in [
        ("", "empty query: expected a term, phrase or '(' at column 1"),
        ("   ", "empty query: expected a term, phrase or '(' at column 1"),
        ("machine AND )", "expected a term, phrase or '(' after AND, found ')' at column 13"),
        ("AI AND", "expected a term, phrase or '(' after AND, found end of query at column 7"),
        ("OR cloud", "expected a term, phrase or '(', found OR at column 1"),
        ("a OR OR b", "expected a term, phrase or '(' after OR, found OR at column 6"),
        ("NOT", "expected a term, phrase or '(' after NOT, found end of query at column 4"),
        ("()", "expected a term, phrase or '(' after '(', found ')' at column 2"),
        ("(a OR b", "expected ')' to close the '(' at column 1, found end of query at column 8"),
        ("a) b", "')' without a matching '(' at column 2"),
        ("\"open phrase", "unclosed quote: expected a closing '\"' at column 1"),
        ("\"\"", "empty phrase: expected words between the quotes at column 2"),
        ("a \"--\"", "'--' has no letters or digits to match at column 4"),
        ("&&", "'&&' has no letters or digits to match at column 1"),
        ("*", "'*' may only end a word (after a letter or digit), in '*' at column 1"),
        ("ma*chine", "'*' may only end a word (after a letter or digit), in 'ma*chine' at column 1"),
        ("gpt-*", "'*' may only end a word (after a letter or digit), in 'gpt-*' at column 1"),
        ("\"AI\"/x", "unknown phrase flag '/x': expected '/c' (case-sensitive) at column 5"),
        ("a NEAR b", "NEAR needs a distance, as in NEAR/5 at column 3"),
        ("a NEAR/ b", "expected a distance from 1 to 1000 after NEAR/, found '' at column 8"),
        ("a NEAR/0 b", "expected a distance from 1 to 1000 after NEAR/, found '0' at column 8"),
        ("a NEAR/+3 b", "expected a distance from 1 to 1000 after NEAR/, found '+3' at column 8"),
        ("a NEAR/1001 b", "expected a distance from 1 to 1000 after NEAR/, found '1001' at column 8"),
        ("a NEAR/3", "expected a term, phrase or '(' after NEAR/3, found end of query at column 9"),
        (
            "(a b) NEAR/3 c",
            "NEAR/3 needs a term, phrase or OR group of them on its left, found an AND group at column 1",
        ),
        (
            "a NEAR/3 (b OR NOT c)",
            "NEAR/3 needs a term, phrase or OR group of them on its right, found an OR group with something other than terms at column 10",
        ),
        ("a NEAR/3 b NEAR/3 c", "NEAR/n cannot be chained: join NEAR groups with AND at column 12"),
        (
            "title:a NEAR/3 body:b",
            "the two sides of NEAR/3 look in different fields, so they are never near at column 9",
        ),
        ("title:(a body:b)", "field scope 'body:' inside 'title:' at column 10"),
        ("title:", "expected a term, phrase or '(' after 'title:', found end of query at column 7"),
        ("title:NOT a", "expected a term, phrase or '(' after 'title:', found NOT at column 7"),
        // Columns count characters, not bytes.
        ("é AND )", "expected a term, phrase or '(' after AND, found ')' at column 7"),
    ] {
        assert_eq!(err(input), message, "{input}");
    }
}

#[test]
fn error_offsets_are_bytes_and_columns_are_characters() {
    let e = Query::parse("ü ü AND").unwrap_err();
    assert_eq!((e.offset, e.column), (9, 8));
    assert!(matches!(e.kind, QueryErrorKind::ExpectedOperand { .. }));
}

#[test]
fn nesting_is_bounded() {
    let deep = format!("{}a{}", "(".repeat(200), ")".repeat(200));
    assert!(err(&deep).contains("nested more than 64 levels"));
    let nots = format!("{}a", "NOT ".repeat(200));
    assert!(err(&nots).contains("nested more than 64 levels"));
    let ok = format!("{}a{}", "(".repeat(60), ")".repeat(60));
    assert_eq!(q(&ok), q("a"));
}

/// A small deterministic generator (xorshift), so the property tests need no
/// dependency and every failure reproduces.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "ai",
    "Cloud",
    "learn*",
    "re:Invent",
    "GPT-3",
    "naïve",
    "Ünï*",
    "x1",
];

fn gen_operand(rng: &mut Rng, depth: usize, scoped: bool) -> String {
    let scope = |rng: &mut Rng, s: String| -> String {
        if scoped {
            return s;
        }
        match rng.below(6) {
            0 => format!("title:{s}"),
            1 => format!("body:{s}"),
            2 => format!("provider:{s}"),
            _ => s,
        }
    };
    match if depth == 0 {
        rng.below(2)
    } else {
        rng.below(5)
    } {
        0 => {
            let w = rng.pick(WORDS).to_string();
            scope(rng, w)
        }
        1 => {
            let n = 1 + rng.below(3);
            let words: Vec<&str> = (0..n).map(|_| rng.pick(WORDS)).collect();
            let flag = if rng.below(3) == 0 { "/c" } else { "" };
            let p = format!("\"{}\"{flag}", words.join(" "));
            scope(rng, p)
        }
        2 => {
            let inner_scoped = scoped || rng.below(3) == 0;
            let inner = gen_query(rng, depth - 1, inner_scoped);
            if inner_scoped && !scoped {
                format!("title:({inner})")
            } else {
                format!("({inner})")
            }
        }
        3 => format!("NOT {}", gen_operand(rng, depth - 1, scoped)),
        _ => {
            // NEAR between terms, phrases or OR groups of them, in default fields.
            let side = |rng: &mut Rng| -> String {
                if rng.below(3) == 0 {
                    format!("({} OR \"{}\")", rng.pick(WORDS), rng.pick(WORDS))
                } else {
                    rng.pick(WORDS).to_string()
                }
            };
            let (l, r) = (side(rng), side(rng));
            format!("{l} NEAR/{} {r}", 1 + rng.below(20))
        }
    }
}

fn gen_query(rng: &mut Rng, depth: usize, scoped: bool) -> String {
    let n = 1 + rng.below(3);
    let mut out = gen_operand(rng, depth, scoped);
    for _ in 1..n {
        let op = rng.pick(&[" AND ", " OR ", " ", " AND NOT "]);
        out.push_str(op);
        out.push_str(&gen_operand(rng, depth, scoped));
    }
    out
}

#[test]
fn property_generated_queries_parse_and_their_canonical_form_parses_back_equal() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let doc = Doc::new(
        "Cloud AI re:Invent",
        "GPT-3 is naïve; ünïcode x1 learns",
        "Reuters",
    );
    for _ in 0..3000 {
        let text = gen_query(&mut rng, 3, false);
        let query = q(&text);
        let canonical = query.to_string();
        let again = q(&canonical);
        assert_eq!(again, query, "{text} → {canonical}");
        assert_eq!(
            again.to_string(),
            canonical,
            "canonical form is a fixed point"
        );
        assert_eq!(again.matches(&doc), query.matches(&doc));
    }
}

#[test]
fn property_random_strings_never_panic() {
    let alphabet: Vec<char> = "aZ9 ()\"“”*:/-'’é中\tANDORNOTEARtitlebodyprovider/c/5NEAR/3"
        .chars()
        .collect();
    let mut rng = Rng(42);
    let doc = Doc::new("a title", "a body", "provider");
    for _ in 0..20000 {
        let len = rng.below(24);
        let text: String = (0..len)
            .map(|_| alphabet[rng.below(alphabet.len())])
            .collect();
        match Query::parse(&text) {
            Ok(query) => {
                query.matches(&doc);
                assert_eq!(q(&query.to_string()), query, "{text:?}");
            }
            Err(e) => {
                assert!(
                    e.offset <= text.len() && text.is_char_boundary(e.offset),
                    "{text:?}: {e}"
                );
                assert_eq!(e.column, text[..e.offset].chars().count() + 1);
            }
        }
    }
    // Token soup: operators and keywords in random order.
    let tokens = [
        "AND",
        "OR",
        "NOT",
        "NEAR/2",
        "(",
        ")",
        "title:",
        "body:",
        "\"a b\"",
        "\"c\"/c",
        "x*",
        "y",
        "provider:",
    ];
    for _ in 0..20000 {
        let n = rng.below(10);
        let text: Vec<&str> = (0..n).map(|_| rng.pick(&tokens)).collect();
        let text = text.join(" ");
        if let Ok(query) = Query::parse(&text) {
            query.matches(&doc);
            assert_eq!(q(&query.to_string()), query, "{text:?}");
        }
    }
}

// ---------------------------------------------------------------- matching

#[test]
fn words_match_in_any_case_in_title_or_body() {
    assert!(hit("cloud", "Cloud wars", ""));
    assert!(hit("cloud", "", "the CLOUD is big"));
    assert!(!hit("cloud", "Clouds", "cloudy"));
    assert!(!q("cloud").matches(&Doc::new("", "", "Cloud Weekly")));
    assert!(hit("Ünïcode", "ÜNÏCODE", ""));
}

#[test]
fn and_or_not() {
    assert!(hit("aws azure", "AWS and Azure", ""));
    assert!(!hit("aws azure", "AWS only", ""));
    assert!(hit("aws OR azure", "Azure only", ""));
    assert!(hit("aws NOT azure", "AWS only", ""));
    assert!(!hit("aws NOT azure", "AWS", "and Azure"));
    assert!(hit("NOT azure", "nothing here", ""));
}

#[test]
fn phrases_cross_punctuation_but_not_other_words() {
    assert!(hit("\"machine learning\"", "Machine-learning tools", ""));
    assert!(hit("\"machine learning\"", "", "machine, learning"));
    assert!(hit(
        "\"machine learning\"",
        "",
        "…about the machine.\nLearning goes on"
    ));
    assert!(!hit("\"machine learning\"", "machine deep learning", ""));
    assert!(!hit("\"machine learning\"", "learning machine", ""));
    // A phrase does not run from the title into the body.
    assert!(!hit("\"machine learning\"", "Machine", "learning"));
    // Query words are split like article words.
    assert!(hit("re:Invent", "At AWS re:Invent 2020", ""));
    assert!(hit("\"re invent\"", "At AWS re:Invent 2020", ""));
    assert!(hit("Facebook's", "Facebook’s AI lab", ""));
    assert!(hit("\"facebook ai\"", "Facebook’s AI lab", ""));
}

#[test]
fn near_works_in_both_orders_within_the_distance() {
    let body = "cloud revenue grew while the AI unit shrank";
    assert!(hit("cloud NEAR/5 AI", "", body)); // cloud … AI: 5 apart
    assert!(hit("AI NEAR/5 cloud", "", body)); // the other order
    assert!(!hit("cloud NEAR/4 AI", "", body));
    assert!(hit("revenue NEAR/1 cloud", "", body)); // adjacent is 1
                                                    // Phrases are measured between their nearest ends.
    assert!(hit("\"cloud revenue\" NEAR/4 \"AI unit\"", "", body));
    assert!(!hit("\"cloud revenue\" NEAR/3 \"AI unit\"", "", body));
    // OR groups on either side.
    assert!(hit("(azure OR cloud) NEAR/2 (grew OR fell)", "", body));
    // One occurrence is not near itself; two are.
    assert!(!hit("cloud NEAR/3 cloud", "", body));
    assert!(hit("cloud NEAR/3 cloud", "", "cloud to cloud"));
    // Not across fields.
    assert!(!hit("cloud NEAR/50 ai", "cloud", "ai"));
    // Scoped NEAR.
    assert!(hit("title:(cloud NEAR/2 AI)", "cloud and AI", ""));
    assert!(!hit("title:(cloud NEAR/2 AI)", "", "cloud and AI"));
}

#[test]
fn near_on_long_text_finds_far_pairs() {
    let filler = "word ".repeat(5000);
    let body = format!("alpha {filler} beta {filler} alpha gamma beta");
    assert!(hit("alpha NEAR/2 beta", "", &body));
    assert!(!hit("alpha NEAR/2 zeta", "", &body));
    assert!(hit("beta NEAR/2 alpha", "", &body));
}

#[test]
fn trailing_wildcards() {
    assert!(hit("learn*", "Learning", ""));
    assert!(hit("learn*", "learn", ""));
    assert!(hit("learn*", "e-learning", "")); // `learning` is a word of `e-learning`
    assert!(!hit("learn*", "relearn", ""));
    assert!(hit("\"deep learn*\"", "deep learners", ""));
    assert!(!hit("\"deep learn*\"", "deep sea learners", ""));
    assert!(hit(
        "\"neural net*\" NEAR/3 train*",
        "",
        "training neural networks"
    ));
    assert!(hit("\"AI*\"/c", "AIs are here", ""));
    assert!(!hit("\"AI*\"/c", "ais are here", ""));
}

#[test]
fn case_flag_makes_a_phrase_case_sensitive() {
    assert!(hit("\"AI\"/c", "New AI tools", ""));
    assert!(!hit("\"AI\"/c", "Ai Weiwei", ""));
    assert!(!hit("\"AI\"/c", "", "ai"));
    assert!(hit("AI", "Ai Weiwei", ""));
    assert!(hit("\"Apple Inc\"/c", "", "Apple Inc. said"));
    assert!(!hit("\"Apple Inc\"/c", "", "apple inc said"));
    assert!(hit("title:\"AWS\"/c", "AWS", ""));
    assert!(!hit("title:\"AWS\"/c", "Aws", ""));
}

#[test]
fn field_scopes() {
    let doc = Doc::new("Cloud news", "Azure grows", "Reuters reuters.com");
    assert!(q("title:cloud").matches(&doc));
    assert!(!q("body:cloud").matches(&doc));
    assert!(q("body:azure").matches(&doc));
    assert!(!q("title:azure").matches(&doc));
    assert!(q("provider:reuters").matches(&doc));
    assert!(q("provider:\"reuters.com\"").matches(&doc));
    assert!(
        !q("reuters").matches(&doc),
        "unscoped terms skip the provider"
    );
    assert!(q("title:(cloud OR azure) body:(azure NOT cloud)").matches(&doc));
    assert!(q("NOT provider:(ap OR afp)").matches(&doc));
    assert!(q("TITLE:cloud").matches(&doc));
}

#[test]
fn query_alone_is_usable_and_comparable() {
    let rule: Query = "title:\"press release\" OR provider:openpr"
        .parse()
        .expect("valid");
    assert_eq!(rule.source(), "title:\"press release\" OR provider:openpr");
    assert!(rule.matches(&Doc::new("x", "", "openPR openpr.com")));
    assert_eq!(rule, q("(title:\"press  release\") OR (provider:(openpr))"));
}

#[test]
fn property_random_articles_never_panic() {
    let alphabet: Vec<char> = "aZ9 .-'’sS\u{130}\u{1E9E}éÉ中\u{301}\t\n\""
        .chars()
        .collect();
    let queries = [
        q("s"),
        q("\"a s\""),
        q("a* NEAR/2 z*"),
        q("\"AZ\"/c OR title:é*"),
        q("provider:(s OR \"中\")"),
        q("NOT \"i\u{307} a\""),
    ];
    let mut rng = Rng(7);
    for _ in 0..5000 {
        let mut text = || -> String {
            let len = rng.below(40);
            (0..len)
                .map(|_| alphabet[rng.below(alphabet.len())])
                .collect()
        };
        let doc = Doc::new(&text(), &text(), &text());
        for query in &queries {
            query.matches(&doc);
        }
    }
}
