//! Properties of the scores over generated inputs (a fixed-seed generator, so
//! every run checks the same cases) and directional checks: each signal moves
//! the score the way it should.

use chrono::{DateTime, Duration, TimeZone, Utc};
use newsdesk_model::{EditorAction, EditorOverride};
use newsdesk_score::{
    decide, heat, quality, DecisionInput, HeatConfig, LeadImage, ProviderTable, QualityBars,
    QualityConfig, QualityInput, Reason, Scorer, StoryMember,
};

/// xorshift64*: small, deterministic.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
    fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }
}

const WORDS: &[&str] = &[
    "cloud",
    "market",
    "Amazon",
    "said",
    "revenue",
    "35%",
    "$41.8",
    "billion",
    "growth",
    "AI",
    "model",
    "the",
    "of",
    "and",
    "CAGR",
    "forecast",
    "key",
    "players",
    "quarter",
    "Microsoft",
    "“We",
    "expect",
    "more,”",
    "analysts",
    "report.",
    "via",
    "originally",
    "appeared",
    "on",
    "2027",
    "regions",
    "SHOCKING",
    "!!",
    "research",
    "data",
    "chips",
    "Nvidia",
    "Reuters",
];

const TITLES: &[&str] = &[
    "AWS leads $42B global cloud services market in Q1, Microsoft 2nd",
    "You won't believe what this AI did next",
    "7 ways to use machine learning today",
    "AI IN FINTECH MARKET WILL EXPLODE NOW",
    "Is this the end of the cloud???",
    "AI",
    "AI in Fintech Market 2021 Growth Analysis, Share, Demand by Regions, Types and Analysis of Key Players- Research Forecasts to 2027",
    "Become an FT subscriber to read:",
    "",
    "Nvidia unveils a new data-center chip",
];

const PROVIDERS: &[(&str, &str)] = &[
    ("Reuters", "reuters.com"),
    ("ZDNet", "zdnet.com"),
    ("PR Newswire", "prnewswire.com"),
    ("Someone", "someone.example"),
    ("Medium", "medium.com"),
    ("", ""),
];

fn text(rng: &mut Rng, max_words: usize) -> String {
    let n = rng.below(max_words + 1);
    let mut s = String::new();
    for i in 0..n {
        if i > 0 {
            s.push(if rng.chance(5) { '\n' } else { ' ' });
        }
        s.push_str(rng.pick::<&str>(WORDS));
    }
    s
}

struct Owned {
    title: String,
    excerpt: Option<String>,
    body: Option<String>,
    provider: (&'static str, &'static str),
    image: Option<(Option<u32>, Option<u32>)>,
    duplicate: bool,
    links: Option<usize>,
    url: Option<&'static str>,
}

impl Owned {
    fn gen(rng: &mut Rng) -> Owned {
        Owned {
            title: if rng.chance(70) {
                rng.pick(TITLES).to_string()
            } else {
                text(rng, 25)
            },
            excerpt: rng.chance(80).then(|| text(rng, 60)),
            body: rng.chance(60).then(|| text(rng, 600)),
            provider: *rng.pick(PROVIDERS),
            image: rng.chance(70).then(|| {
                let w = rng.chance(80).then(|| rng.below(2000) as u32);
                let h = rng.chance(80).then(|| rng.below(1500) as u32);
                (w, h)
            }),
            duplicate: rng.chance(20),
            links: rng.chance(40).then(|| rng.below(80)),
            url: rng
                .chance(30)
                .then(|| *rng.pick(&["https://x.example/press-release/a", "https://x.example/a"])),
        }
    }

    fn input(&self) -> QualityInput<'_> {
        QualityInput {
            title: &self.title,
            excerpt: self.excerpt.as_deref(),
            body: self.body.as_deref(),
            provider_name: Some(self.provider.0),
            provider_domain: Some(self.provider.1),
            lead_image: self.image.map(|(width, height)| LeadImage {
                url: None,
                width,
                height,
            }),
            is_duplicate: self.duplicate,
            link_count: self.links,
            url: self.url,
        }
    }
}

const COMPONENTS: &[&str] = &["source", "depth", "originality", "image", "title", "spam"];

#[test]
fn quality_components_sum_and_stay_in_range() {
    let (config, providers) = (QualityConfig::default(), ProviderTable::default());
    let mut rng = Rng(0x5eed_1234_abcd_0001);
    for _ in 0..1000 {
        let o = Owned::gen(&mut rng);
        let b = quality(&o.input(), &config, &providers);
        assert!(b.is_consistent(), "{b}");
        assert!((config.min..=config.max).contains(&b.score), "{b}");
        let names: Vec<&str> = b.components.iter().map(|c| c.name.as_str()).collect();
        assert_eq!(&names[..6], COMPONENTS, "{b}");
        assert!(names.len() == 6 || names[6] == "clamp", "{b}");
        assert!(b.components.iter().all(|c| !c.reason.is_empty()));
        // Deterministic.
        assert_eq!(b, quality(&o.input(), &config, &providers));
    }
}

#[test]
fn clamp_holds_with_extreme_weights() {
    let providers = ProviderTable::default();
    let input = QualityInput {
        title: "Nvidia unveils a new data-center chip",
        provider_domain: Some("reuters.com"),
        lead_image: Some(LeadImage {
            url: None,
            width: Some(1200),
            height: Some(800),
        }),
        ..QualityInput::default()
    };
    let mut high = QualityConfig::default();
    high.source.points = 10_000.0;
    let b = quality(&input, &high, &providers);
    assert_eq!(b.score, 150);
    assert!(b.is_consistent());
    assert!(b.points("clamp") < 0);

    let mut low = QualityConfig::default();
    low.originality.duplicate = 10_000.0;
    let b = quality(
        &QualityInput {
            is_duplicate: true,
            ..input
        },
        &low,
        &providers,
    );
    assert_eq!(b.score, 0);
    assert!(b.points("clamp") > 0);
    assert!(b.is_consistent());

    let narrow = QualityConfig {
        min: -20,
        max: 40,
        ..QualityConfig::default()
    };
    let b = quality(&input, &narrow, &providers);
    assert_eq!(b.score, 40);
    assert!(b.is_consistent());
}

/// A mid-range article to move one signal at a time (far from the clamp).
fn base() -> QualityInput<'static> {
    QualityInput {
        title: "Cloud spending grew in the first quarter, analysts say",
        excerpt: Some("Spending on cloud infrastructure grew in the first quarter."),
        body: None,
        provider_name: Some("Someone"),
        provider_domain: Some("someone.example"),
        lead_image: None,
        is_duplicate: false,
        link_count: None,
        url: None,
    }
}

fn score(input: &QualityInput<'_>) -> i64 {
    let b = Scorer::default().quality(input);
    assert!(
        b.component("clamp").is_none(),
        "move signals away from the clamp: {b}"
    );
    b.score
}

#[test]
fn source_credibility_orders_the_score() {
    let order = [
        "reuters.com",
        "nytimes.com",
        "zdnet.com",
        "someone.example",
        "prnewswire.com",
    ];
    let scores: Vec<i64> = order
        .iter()
        .map(|d| {
            score(&QualityInput {
                provider_domain: Some(d),
                provider_name: None,
                ..base()
            })
        })
        .collect();
    assert!(scores.windows(2).all(|w| w[0] > w[1]), "{scores:?}");
}

#[test]
fn a_press_release_is_credited_as_one_wherever_hosted() {
    let hosted = |url: Option<&'static str>, excerpt: &'static str| {
        score(&QualityInput {
            provider_domain: Some("marketwatch.com"),
            url,
            excerpt: Some(excerpt),
            ..base()
        })
    };
    let plain = hosted(Some("https://www.marketwatch.com/story/x"), "Cloud grew.");
    assert!(
        hosted(
            Some("https://www.marketwatch.com/press-release/x"),
            "Cloud grew."
        ) < plain
    );
    assert!(hosted(None, "DUBLIN--(BUSINESS WIRE)--Cloud grew.") < plain);
}

/// Sixty distinct words: a text cycling through them repeats none over 2%.
const VOCABULARY: &[&str] = &[
    "growth",
    "cloud",
    "services",
    "customers",
    "quarter",
    "rivals",
    "spending",
    "region",
    "providers",
    "capacity",
    "demand",
    "contracts",
    "pricing",
    "software",
    "hardware",
    "chips",
    "training",
    "models",
    "engineers",
    "partners",
    "startups",
    "investors",
    "analysts",
    "margins",
    "profits",
    "losses",
    "budgets",
    "regulators",
    "europe",
    "asia",
    "america",
    "banks",
    "retailers",
    "hospitals",
    "schools",
    "factories",
    "networks",
    "storage",
    "security",
    "outages",
    "latency",
    "bandwidth",
    "energy",
    "cooling",
    "buildings",
    "land",
    "permits",
    "workers",
    "unions",
    "courts",
    "lawsuits",
    "patents",
    "licenses",
    "exports",
    "imports",
    "tariffs",
    "currency",
    "inflation",
    "rates",
    "forecasts",
];

fn body(words: usize, with_figures: bool, with_quotes: bool) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push(if i % 60 == 0 { '\n' } else { ' ' });
        }
        s.push_str(VOCABULARY[i % VOCABULARY.len()]);
        if i % 12 == 11 {
            s.push('.');
        }
    }
    if with_figures {
        s.push_str(
            " Revenue rose 35% to $41.8 billion, up from $30.9 billion, with 1,200 new customers.",
        );
    }
    if with_quotes {
        s.push_str(" “We are seeing demand everywhere we look,” she said. “It is not slowing down at all,” he added.");
    }
    s
}

#[test]
fn depth_grows_with_substance() {
    let at = |b: &str| {
        let s = Scorer::default().quality(&QualityInput {
            body: Some(b),
            ..base()
        });
        s.points("depth")
    };
    let lengths = [20, 100, 300, 600, 1000, 2000];
    let depths: Vec<i64> = lengths
        .iter()
        .map(|&n| at(&body(n, false, false)))
        .collect();
    assert!(depths.windows(2).all(|w| w[0] <= w[1]), "{depths:?}");
    assert!(depths[0] < depths[4], "{depths:?}");
    let plain = at(&body(400, false, false));
    assert!(at(&body(400, true, false)) > plain);
    assert!(at(&body(400, false, true)) > plain);
    assert!(at(&body(400, true, true)) > at(&body(400, true, false)));
    // A long body beats the neutral no-body value; a teaser does not.
    let none = Scorer::default().quality(&base()).points("depth");
    assert!(at(&body(1000, true, true)) > none);
    assert!(at(&body(30, false, false)) < none);
}

#[test]
fn copies_and_pointers_lose_originality() {
    let own = score(&base());
    assert!(
        score(&QualityInput {
            is_duplicate: true,
            ..base()
        }) < own
    );
    for pointer in [
        "This article originally appeared on Example News.",
        "The post Cloud grows appeared first on Other Site.",
        "Read the full story at example.com",
        "(via The Verge)",
    ] {
        assert!(
            score(&QualityInput {
                excerpt: Some(pointer),
                ..base()
            }) < own,
            "{pointer}"
        );
    }
    // A site's own feed footer is not aggregation.
    assert_eq!(
        score(&QualityInput {
            excerpt: Some("The post Cloud grows appeared first on Someone."),
            ..base()
        }),
        own
    );
    // A short body linking out.
    let short = "Cloud spending grew again. Read about it on the other site.";
    let with_links = score(&QualityInput {
        body: Some(short),
        link_count: Some(1),
        ..base()
    });
    let without = score(&QualityInput {
        body: Some(short),
        link_count: Some(0),
        ..base()
    });
    assert!(with_links < without);
}

#[test]
fn images_rank_by_size() {
    let img = |w: Option<u32>, h: Option<u32>, url: Option<&'static str>| {
        score(&QualityInput {
            lead_image: Some(LeadImage {
                url,
                width: w,
                height: h,
            }),
            ..base()
        })
    };
    let none = score(&base());
    let large = img(Some(1200), Some(675), None);
    let unknown = img(None, None, None);
    let small = img(Some(300), Some(200), None);
    let logo = img(
        Some(1200),
        Some(675),
        Some("https://x.example/img/site_logo.png"),
    );
    assert!(large > unknown && unknown > small && small > none);
    assert_eq!(logo, small);
}

#[test]
fn title_problems_lower_the_score() {
    let plain = score(&base());
    for bad in [
        "You won't believe what this cloud provider did next",
        "7 ways to cut your cloud spending right now",
        "CLOUD SPENDING GREW IN THE FIRST QUARTER, ANALYSTS SAY",
        "Cloud spending grew in the first quarter!!!",
        "Is cloud spending growing?? Analysts say yes??",
        "Cloud",
        "Cloud spending grew in the first quarter, analysts say, as every provider from the largest to the smallest reported more customers than ever before",
        "Cloud | Spending | Growth in the first quarter",
        "Become an FT subscriber to read:",
    ] {
        assert!(score(&QualityInput { title: bad, ..base() }) < plain, "{bad}");
    }
    // Acronyms are not shouting.
    assert_eq!(
        score(&QualityInput {
            title: "AWS and GCP trail Azure in new IDC cloud data",
            ..base()
        }),
        plain
    );
}

/// A high-scoring article, so that big penalties stay above the clamp.
fn rich() -> QualityInput<'static> {
    QualityInput {
        provider_name: Some("Reuters"),
        provider_domain: Some("reuters.com"),
        lead_image: Some(LeadImage {
            url: None,
            width: Some(1200),
            height: Some(800),
        }),
        ..base()
    }
}

#[test]
fn spam_signals_lower_the_score() {
    let plain = score(&rich());
    let one = score(&QualityInput {
        excerpt: Some("The market will grow at a CAGR of 9%."),
        ..rich()
    });
    let many = score(&QualityInput {
        excerpt: Some(
            "The market will grow at a CAGR of 9% during the forecast period; key players, market size and competitive landscape by regions.",
        ),
        ..rich()
    });
    assert!(plain > one && one > many, "{plain} {one} {many}");

    // Link farm: many links in a short text.
    let text = body(300, false, false);
    let links = |n| {
        score(&QualityInput {
            body: Some(&text),
            link_count: Some(n),
            ..rich()
        })
    };
    let none = links(0);
    assert_eq!(links(4), none, "fewer than 5 links is no farm");
    assert!(links(8) < none, "half the density: half the penalty");
    assert!(links(15) < links(8), "5 per 100 words: the full penalty");
    assert_eq!(links(60), links(15), "the penalty is bounded");

    // Keyword stuffing.
    let normal = body(200, false, false);
    let stuffed = format!("{normal} {}", "cheap cloud hosting ".repeat(40));
    let s_normal = Scorer::default().quality(&QualityInput {
        body: Some(&normal),
        ..base()
    });
    let s_stuffed = Scorer::default().quality(&QualityInput {
        body: Some(&stuffed),
        ..base()
    });
    assert!(
        s_stuffed.points("spam") < s_normal.points("spam"),
        "{s_stuffed}"
    );
}

fn t0() -> DateTime<Utc> {
    Utc.with_ymd_and_hms(2021, 3, 10, 12, 0, 0).unwrap()
}

fn member(p: &str, c: f64, minutes_ago: i64) -> StoryMember {
    StoryMember {
        provider: p.into(),
        credibility: c,
        published_at: t0() - Duration::minutes(minutes_ago),
    }
}

fn gen_story(rng: &mut Rng) -> Vec<StoryMember> {
    let n = rng.below(12);
    (0..n)
        .map(|_| {
            member(
                &format!("p{}.example", rng.below(8)),
                rng.below(101) as f64 / 100.0,
                rng.below(7 * 24 * 60) as i64 - 60,
            )
        })
        .collect()
}

#[test]
fn heat_components_sum_and_decay_with_age() {
    let config = HeatConfig::default();
    let mut rng = Rng(0x0dd_ba11_cafe_f00d);
    for _ in 0..500 {
        let story = gen_story(&mut rng);
        let mut last = i64::MAX;
        for h in (0..24 * 10).step_by(3) {
            let b = heat(&story, t0() + Duration::hours(h), &config);
            assert!(b.is_consistent(), "{b}");
            assert!(b.score >= 0 && b.score <= 150, "{b}");
            assert!(b.points("age") <= 0, "{b}");
            assert!(b.score <= last, "heat rose with age: {last} then {b}");
            last = b.score;
        }
    }
}

#[test]
fn a_longer_half_life_keeps_stories_warmer() {
    let story = vec![member("a.com", 1.0, 600), member("b.com", 0.9, 900)];
    let short = HeatConfig {
        half_life_hours: 6.0,
        ..HeatConfig::default()
    };
    let long = HeatConfig {
        half_life_hours: 48.0,
        ..HeatConfig::default()
    };
    assert!(heat(&story, t0(), &short).score < heat(&story, t0(), &long).score);
}

#[test]
fn more_credible_providers_make_a_story_hotter() {
    let config = HeatConfig::default();
    let mut story = vec![member("p0.example", 0.75, 120)];
    let mut last = heat(&story, t0(), &config).score;
    for i in 1..12 {
        story.push(member(&format!("p{i}.example"), 0.75, 120));
        let b = heat(&story, t0(), &config);
        assert!(b.score >= last, "{b}");
        if b.points("coverage") < config.coverage_max as i64 {
            assert!(b.score > last, "strictly hotter below the cap: {b}");
        }
        last = b.score;
    }

    // The same providers, more credible: hotter.
    let weak: Vec<StoryMember> = (0..4)
        .map(|i| member(&format!("p{i}.example"), 0.5, 60))
        .collect();
    let strong: Vec<StoryMember> = (0..4)
        .map(|i| member(&format!("p{i}.example"), 0.9, 60))
        .collect();
    assert!(heat(&strong, t0(), &config).score > heat(&weak, t0(), &config).score);

    // Generated: adding a credible provider at the story's newest time never cools it.
    let mut rng = Rng(0xfeed_beef_0000_0007);
    for _ in 0..500 {
        let story = gen_story(&mut rng);
        let newest = story.iter().map(|m| m.published_at).max().unwrap_or(t0());
        let mut more = story.clone();
        more.push(StoryMember {
            provider: "new-provider.example".into(),
            credibility: 0.3 + rng.below(71) as f64 / 100.0,
            published_at: newest,
        });
        assert!(heat(&more, t0(), &config).score >= heat(&story, t0(), &config).score);
    }
}

#[test]
fn copies_from_one_provider_and_release_wires_add_no_heat() {
    let config = HeatConfig::default();
    let story = vec![
        member("reuters.com", 1.0, 30),
        member("zdnet.com", 0.75, 60),
    ];
    let base = heat(&story, t0(), &config).score;
    let mut echoed = story.clone();
    for m in 0..10 {
        echoed.push(member("zdnet.com", 0.75, 40 + m));
    }
    assert_eq!(heat(&echoed, t0(), &config).score, base);
    let mut released = story.clone();
    for i in 0..10 {
        released.push(member(&format!("wire{i}.example"), 0.1, 10));
    }
    assert_eq!(heat(&released, t0(), &config).score, base);
}

#[test]
fn fast_growth_is_hotter_than_slow() {
    let config = HeatConfig::default();
    let burst: Vec<StoryMember> = (0..4)
        .map(|i| member(&format!("p{i}.example"), 0.8, 30 * i))
        .collect();
    // Same providers and the same latest article per provider, but joined long ago.
    let slow: Vec<StoryMember> = (0..4)
        .flat_map(|i| {
            [
                member(&format!("p{i}.example"), 0.8, 30 * i),
                member(&format!("p{i}.example"), 0.8, 60 * 30),
            ]
        })
        .collect();
    let (b, s) = (heat(&burst, t0(), &config), heat(&slow, t0(), &config));
    assert_eq!(
        b.points("coverage") + b.points("age"),
        s.points("coverage") + s.points("age")
    );
    assert!(b.points("velocity") > s.points("velocity"), "{b}\n{s}");
}

#[test]
fn decision_precedence_holds_for_all_combinations() {
    let bars = QualityBars::new(50).with_topic("AWS AI", 70);
    let topic_sets: [&[&str]; 3] = [&[], &["AI"], &["AWS AI", "AI"]];
    let editors = [
        None,
        Some(EditorAction::Publish),
        Some(EditorAction::Unpublish),
        Some(EditorAction::Pin),
    ];
    let at = Utc.with_ymd_and_hms(2026, 3, 1, 9, 0, 0).unwrap();
    for topics in topic_sets {
        let topics: Vec<String> = topics.iter().map(|s| s.to_string()).collect();
        for quality in [0, 49, 50, 69, 70, 150] {
            for dup in [None, Some(1)] {
                for given in [None, Some(false), Some(true)] {
                    for muted in [vec![], vec!["R".to_string()]] {
                        for kept in [vec![], vec!["K".to_string()]] {
                            for action in editors {
                                let editor = action.map(|action| EditorOverride {
                                    action,
                                    editor: "alice".into(),
                                    reason: None,
                                    at,
                                });
                                let d = decide(&DecisionInput {
                                    editor: editor.as_ref(),
                                    muted_by: &muted,
                                    duplicate_of: dup,
                                    given,
                                    topics: &topics,
                                    kept_by: &kept,
                                    quality,
                                    bars: &bars,
                                });
                                let expected = match action {
                                    Some(a) => a != EditorAction::Unpublish,
                                    None if !muted.is_empty() || dup.is_some() => false,
                                    None => given.unwrap_or(
                                        !topics.is_empty() && (!kept.is_empty() || quality >= 50),
                                    ),
                                };
                                assert_eq!(d.published, expected, "{d:?}");
                                assert_eq!(d.pinned, action == Some(EditorAction::Pin));
                                assert_eq!(d.bar, (!topics.is_empty()).then_some(50));
                                // The deciding reason comes first; only an
                                // override is followed by others.
                                let first = &d.reasons[0];
                                match (action, muted.is_empty(), dup, given) {
                                    (Some(_), _, _, _) => {
                                        assert!(matches!(first, Reason::Editor(_)));
                                        let expect = 1
                                            + usize::from(!muted.is_empty())
                                            + usize::from(dup.is_some());
                                        assert_eq!(d.reasons.len(), expect, "{d:?}");
                                    }
                                    (None, false, _, _) => {
                                        assert!(matches!(first, Reason::Muted { .. }))
                                    }
                                    (None, true, Some(_), _) => {
                                        assert!(matches!(first, Reason::Duplicate { .. }))
                                    }
                                    (None, true, None, Some(p)) => {
                                        assert_eq!(first, &Reason::KeepGiven { published: p })
                                    }
                                    (None, true, None, None) if topics.is_empty() => {
                                        assert_eq!(first, &Reason::NoTopic)
                                    }
                                    (None, true, None, None) if !kept.is_empty() => {
                                        assert!(matches!(first, Reason::Kept { .. }))
                                    }
                                    (None, true, None, None) => assert!(matches!(
                                        first,
                                        Reason::PassesBar { .. } | Reason::BelowBar { .. }
                                    )),
                                }
                                if action.is_none() {
                                    assert_eq!(d.reasons.len(), 1, "{d:?}");
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

#[test]
fn arbitrary_text_never_panics() {
    const PIECES: &[&str] = &[
        "a",
        "É",
        "ß",
        "İ",
        "ﬁ",
        "“",
        "”",
        "\"",
        "'",
        "’",
        ".",
        "!",
        "?",
        "…",
        "\n",
        " ",
        "\t",
        "$",
        "%",
        "2027",
        "1,200",
        "via @",
        "(via ",
        "appeared first on ",
        "/",
        "://",
        "é",
        "日本",
        "🙂",
        "\u{301}",
        "\u{200b}",
        "market",
        "cagr",
        "|",
        "<a ",
        "www.",
        "..",
        "@",
    ];
    let scorer = Scorer::default();
    let mut rng = Rng(0xbad_c0de_0000_0042);
    let gen = |rng: &mut Rng| -> String {
        let n = rng.below(40);
        (0..n).map(|_| *rng.pick(PIECES)).collect()
    };
    for _ in 0..2000 {
        let (title, excerpt, body, name, domain, url, img) = (
            gen(&mut rng),
            gen(&mut rng),
            gen(&mut rng),
            gen(&mut rng),
            gen(&mut rng),
            gen(&mut rng),
            gen(&mut rng),
        );
        let b = scorer.quality(&QualityInput {
            title: &title,
            excerpt: Some(&excerpt),
            body: Some(&body),
            provider_name: Some(&name),
            provider_domain: Some(&domain),
            lead_image: Some(LeadImage {
                url: Some(&img),
                width: Some(rng.below(3000) as u32),
                height: None,
            }),
            is_duplicate: rng.chance(10),
            link_count: Some(rng.below(50)),
            url: Some(&url),
        });
        assert!(b.is_consistent());
        let _ = newsdesk_score::count_links(&body);
        let _ = scorer.member(Some(&name), Some(&domain), t0());
    }
}
