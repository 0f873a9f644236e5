//! The topics file: validation errors with file, line and topic; the order of an
//! article's topics; the shipped default file.

use newsdesk_topics::{Doc, TopicSet, TopicsErrorKind, DEFAULT_TOPICS};

fn set(text: &str) -> TopicSet {
    TopicSet::from_toml_str(text, "topics.toml").unwrap_or_else(|e| panic!("{e}"))
}

fn err(text: &str) -> String {
    match TopicSet::from_toml_str(text, "topics.toml") {
        Ok(_) => panic!("accepted:\n{text}"),
        Err(e) => e.to_string(),
    }
}

const TREE: &str = r#"
version = 1

[[topic]]
name = "AI"
query = '"artificial intelligence" OR "AI"/c'

[[topic]]
name = "Cloud"
query = 'cloud'

[[topic]]
name = "AWS AI"
parent = "AI"
quality_bar = 40
query = 'AWS OR SageMaker'

[[topic]]
name = "SageMaker"
parent = "AWS AI"
slug = "sagemaker-studio"
query = 'SageMaker'

[[topic]]
name = "Machine Learning"
parent = "AI"
query = '"machine learning"'

[[topic]]
name = "AWS"
parent = "Cloud"
query = 'AWS'
"#;

#[test]
fn topics_are_listed_deepest_first_then_file_order_with_parents_implied() {
    let topics = set(TREE);
    let names = |title: &str| -> Vec<String> {
        topics
            .classify_names(&Doc::new(title, "", ""))
            .into_iter()
            .map(String::from)
            .collect()
    };
    assert_eq!(
        names("AWS SageMaker brings machine learning to the cloud"),
        [
            "SageMaker",
            "AWS AI",
            "Machine Learning",
            "AWS",
            "AI",
            "Cloud"
        ]
    );
    // A matched child brings its parents even when their own queries miss.
    assert_eq!(names("SageMaker"), ["SageMaker", "AWS AI", "AI"]);
    assert_eq!(names("machine learning"), ["Machine Learning", "AI"]);
    assert_eq!(names("nothing"), Vec::<String>::new());

    let matches = topics.classify(&Doc::new("SageMaker", "", ""));
    let direct: Vec<(&str, bool)> = matches.iter().map(|m| (m.topic.name(), m.direct)).collect();
    assert_eq!(
        direct,
        [("SageMaker", true), ("AWS AI", true), ("AI", false)]
    );
}

#[test]
fn topic_fields() {
    let topics = set(TREE);
    let aws_ai = topics.get("AWS AI").expect("defined");
    assert_eq!(aws_ai.slug(), "aws-ai");
    assert_eq!(aws_ai.parent(), Some("AI"));
    assert_eq!(aws_ai.quality_bar(), Some(40));
    assert_eq!(aws_ai.depth(), 1);
    assert_eq!(
        aws_ai.query().map(|q| q.to_string()),
        Some("AWS OR SageMaker".into())
    );
    let sm = topics.get("SageMaker").expect("defined");
    assert_eq!((sm.slug(), sm.depth()), ("sagemaker-studio", 2));
    assert_eq!(topics.get("AI").and_then(|t| t.quality_bar()), None);
    assert_eq!(topics.topics().len(), 6);
    assert_eq!(topics.origin(), "topics.toml");
}

#[test]
fn a_topic_without_a_query_is_matched_through_its_children() {
    let topics = set(r#"
[[topic]]
name = "Hyperscalers"

[[topic]]
name = "Azure"
parent = "Hyperscalers"
query = 'Azure'
"#);
    assert_eq!(
        topics.classify_names(&Doc::new("Azure", "", "")),
        ["Azure", "Hyperscalers"]
    );
    assert!(topics
        .classify_names(&Doc::new("Hyperscalers", "", ""))
        .is_empty());
}

#[test]
fn errors_name_the_file_the_line_and_the_topic() {
    for (text, message) in [
        (
            "[[topic]]\nname = \"AI\"\nquery = 'ai'\n\n[[topic]]\nname = \"AWS AI\"\nparent = \"Al\"\nquery = 'aws'\n",
            "topics.toml:5: topic \"AWS AI\": unknown parent \"Al\"",
        ),
        (
            "[[topic]]\nname = \"A\"\nparent = \"B\"\nquery = 'a'\n[[topic]]\nname = \"B\"\nparent = \"A\"\nquery = 'b'\n",
            "topics.toml:1: topic \"A\": parents form a cycle: A → B → A",
        ),
        (
            "[[topic]]\nname = \"A\"\nparent = \"A\"\nquery = 'a'\n",
            "topics.toml:1: topic \"A\": parents form a cycle: A → A",
        ),
        (
            "[[topic]]\nname = \"AI\"\nquery = 'ai'\n[[topic]]\nname = \"AI\"\nquery = 'ml'\n",
            "topics.toml:4: topic \"AI\": duplicate topic name (first defined on line 1)",
        ),
        (
            "[[topic]]\nname = \"AI\"\nquery = 'ai'\n[[topic]]\nname = \"ai\"\nquery = 'ml'\n",
            "topics.toml:4: topic \"ai\": slug \"ai\" is also the slug of topic \"AI\"",
        ),
        (
            "[[topic]]\nname = \"AI\"\nslug = \"A I\"\nquery = 'ai'\n",
            "topics.toml:1: topic \"AI\": slug \"A I\" must be lower-case letters, digits and '-'",
        ),
        ("[[topic]]\nname = \" \"\nquery = 'ai'\n", "topics.toml:1: empty topic name"),
        (
            "[[topic]]\nname = \"AI\"\n",
            "topics.toml:1: topic \"AI\": no query and no child topics, so it could never match",
        ),
        (
            // The query error's line is the line inside a multi-line query.
            "[[topic]]\nname = \"AI\"\nquery = '''\n\"artificial intelligence\"\nOR AND ai\n'''\n",
            "topics.toml:5: topic \"AI\": query: expected a term, phrase or '(' after OR, found AND at column 30",
        ),
        (
            "[[topic]]\nname = \"AI\"\nquery = \"ai AND\"\n",
            "topics.toml:3: topic \"AI\": query: expected a term, phrase or '(' after AND, found end of query at column 7",
        ),
        ("version = 2\n", "topics.toml:1: unsupported version 2: this newsdesk reads version 1"),
    ] {
        assert_eq!(err(text), message, "{text}");
    }
}

#[test]
fn toml_errors_keep_the_line() {
    let message = err("[[topic]]\nname = \"AI\"\nquery = 'ai'\ncolour = \"red\"\n");
    assert!(message.starts_with("topics.toml:4: "), "{message}");
    assert!(message.contains("colour"), "{message}");
    let message = err("[[topic]]\nname = \"AI\nquery = 'ai'\n");
    assert!(message.starts_with("topics.toml:2: "), "{message}");
    let message = err("[[topic]]\nquery = 'ai'\n");
    assert!(message.contains("name"), "{message}");
}

#[test]
fn error_kinds_are_typed() {
    let e = TopicSet::from_toml_str(
        "[[topic]]\nname = \"A\"\nparent = \"Z\"\nquery = 'a'\n",
        "f",
    )
    .unwrap_err();
    assert_eq!(
        e.kind,
        TopicsErrorKind::UnknownParent { parent: "Z".into() }
    );
    assert_eq!(
        (e.origin.as_str(), e.line, e.topic.as_deref()),
        ("f", Some(1), Some("A"))
    );
}

#[test]
fn an_empty_file_is_an_empty_set() {
    assert!(set("").topics().is_empty());
    assert!(set("version = 1\n")
        .classify(&Doc::new("AI", "", ""))
        .is_empty());
}

#[test]
fn from_path_names_the_file() {
    let e = TopicSet::from_path(std::path::Path::new("/nonexistent/topics.toml")).unwrap_err();
    assert!(
        e.to_string()
            .starts_with("/nonexistent/topics.toml: cannot read the file"),
        "{e}"
    );
}

#[test]
fn the_default_desk_has_the_seed_site_and_cloud_topics() {
    let desk = TopicSet::default_desk();
    for name in [
        "AI",
        "Machine Learning",
        "Computer Vision",
        "Natural Language Processing",
        "AI Hardware",
        "Microsoft AI",
        "AWS AI",
        "Google AI",
        "Facebook AI",
        "IBM AI",
        "AI in Autos",
        "AI in Healthcare",
        "AI in Finance",
        "AI in Robotics",
        "TensorFlow",
        "Cloud",
        "Azure",
        "AWS",
        "Google Cloud",
        "Alibaba Cloud",
    ] {
        assert!(desk.get(name).is_some(), "{name} is missing");
    }
    assert_eq!(
        desk.get("TensorFlow").and_then(|t| t.parent()),
        Some("Google AI")
    );
    assert_eq!(desk.get("AWS").and_then(|t| t.parent()), Some("Cloud"));
    assert!(DEFAULT_TOPICS.contains("[[topic]]"));
    let doc = Doc::new(
        "Amazon releases SageMaker Studio for machine learning",
        "At re:Invent, Amazon Web Services announced an IDE.",
        "InfoQ infoq.com",
    );
    assert_eq!(
        desk.classify_names(&doc),
        ["AWS AI", "Machine Learning", "AWS", "AI", "Cloud"]
    );
}

#[test]
fn classify_agrees_with_each_query_alone() {
    // `classify` shares term results between topics; it must decide exactly as
    // each topic's query does on its own.
    let desk = TopicSet::default_desk();
    let vocabulary = [
        "AI",
        "ai",
        "Amazon",
        "AWS",
        "SageMaker",
        "machine",
        "learning",
        "Azure",
        "Microsoft",
        "Google",
        "TensorFlow",
        "Facebook",
        "IBM",
        "Watson",
        "cloud",
        "computing",
        "robot",
        "self-driving",
        "cars",
        "hospital",
        "cancer",
        "bank",
        "fintech",
        "Nvidia",
        "GPU",
        "translation",
        "software",
        "NLP",
        "computer",
        "vision",
        "syndrome",
        "neural",
        "networks",
        "artificial",
        "intelligence",
        "the",
        "and",
    ];
    let mut state = 0x2545_F491_4F6C_DD1Du64;
    let mut pick = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        vocabulary[(state % vocabulary.len() as u64) as usize]
    };
    for _ in 0..2000 {
        let title: Vec<&str> = (0..6).map(|_| pick()).collect();
        let body: Vec<&str> = (0..25).map(|_| pick()).collect();
        let doc = Doc::new(&title.join(" "), &body.join(" "), "");
        let matched = desk.classify(&doc);
        for topic in desk.topics() {
            let alone = topic.query().is_some_and(|q| q.matches(&doc));
            let direct = matched
                .iter()
                .any(|m| m.topic.name() == topic.name() && m.direct);
            assert_eq!(direct, alone, "{}: {:?} / {:?}", topic.name(), title, body);
        }
        // Every listed topic's parent is listed after it.
        for (i, m) in matched.iter().enumerate() {
            if let Some(parent) = m.topic.parent() {
                let at = matched.iter().position(|p| p.topic.name() == parent);
                assert!(
                    at.is_some_and(|at| at > i),
                    "{} before its parent",
                    m.topic.name()
                );
            }
        }
    }
}
