//! Quality: an explainable sum of source credibility, depth, originality, lead
//! image, title and spam signals. See the crate documentation for what each
//! component rewards or punishes and why.

use newsdesk_model::article::Article;

use crate::breakdown::{round, Breakdown};
use crate::config::QualityConfig;
use crate::providers::ProviderTable;
use std::sync::LazyLock;

use crate::text::{contains_phrase, has_year, lower_words, tokens, PhraseSet, TextStats};

/// The lead image as far as it is known.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct LeadImage<'a> {
    pub url: Option<&'a str>,
    pub width: Option<u32>,
    pub height: Option<u32>,
}

/// What quality is computed from; the caller fills it (see
/// [`QualityInput::from_article`]).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct QualityInput<'a> {
    pub title: &'a str,
    pub excerpt: Option<&'a str>,
    /// The plain-text body; `None` when only title and excerpt are known.
    pub body: Option<&'a str>,
    pub provider_name: Option<&'a str>,
    /// The provider's registrable domain (or any host or URL of it).
    pub provider_domain: Option<&'a str>,
    pub lead_image: Option<LeadImage<'a>>,
    /// The desk found it to be a copy of an earlier article.
    pub is_duplicate: bool,
    /// Links in the body, when known (from its HTML).
    pub link_count: Option<usize>,
    /// The article's URL, when known: a press-release section in its path
    /// (`/press-release/`) is a spam signal.
    pub url: Option<&'a str>,
}

impl<'a> QualityInput<'a> {
    /// The input for a stored article: title, excerpt, body, provider, its
    /// first image as the lead image, and the links of `content_html` when
    /// present. `is_duplicate` is left `false`; the caller sets it from the
    /// desk's copy detection.
    pub fn from_article(a: &'a Article) -> QualityInput<'a> {
        QualityInput {
            title: &a.title,
            excerpt: a.excerpt.as_deref(),
            body: a.body.as_deref().filter(|b| !b.trim().is_empty()),
            provider_name: a.provider.as_ref().map(|p| p.name.as_str()),
            provider_domain: a
                .provider
                .as_ref()
                .map(|p| p.domain.as_str())
                .filter(|d| !d.is_empty()),
            lead_image: a.images.first().map(|i| LeadImage {
                url: Some(i.url.as_str()).filter(|u| !u.is_empty()),
                width: i.width,
                height: i.height,
            }),
            is_duplicate: false,
            link_count: a.content_html.as_deref().map(count_links),
            url: a
                .web_url
                .as_deref()
                .or(a.original_url.as_deref())
                .filter(|u| !u.is_empty()),
        }
    }
}

/// The number of `<a …>` elements in an HTML fragment.
pub fn count_links(html: &str) -> usize {
    let bytes = html.as_bytes();
    let mut n = 0;
    let mut i = 0;
    while let Some(off) = html[i..].find('<') {
        let at = i + off;
        if bytes
            .get(at + 1)
            .is_some_and(|b| b.eq_ignore_ascii_case(&b'a'))
            && bytes
                .get(at + 2)
                .is_some_and(|b| b.is_ascii_whitespace() || *b == b'>')
        {
            n += 1;
        }
        i = at + 1;
    }
    n
}

/// Phrases saying the text was published elsewhere first.
const AGGREGATION_PHRASES: &[&str] = &[
    "originally appeared on",
    "originally appeared in",
    "originally appeared at",
    "originally published on",
    "originally published in",
    "originally published at",
    "originally posted on",
    "first appeared on",
    "first appeared in",
    "first published on",
    "first published in",
    "this article appeared",
    "this story appeared",
    "read the full story",
    "read the full article",
    "read the original",
    "read more at",
    "continue reading at",
    "click here to read",
    "republished with permission",
    "republished from",
    "reprinted with permission",
    "syndicated from",
    "h/t",
    "hat tip",
];

const CLICKBAIT: &[&str] = &[
    "you won't believe",
    "you wont believe",
    "you will not believe",
    "won't believe what",
    "blow your mind",
    "will shock you",
    "what happened next",
    "what happens next will",
    "one weird trick",
    "this one trick",
    "doctors hate",
    "you'll never guess",
    "can't believe",
    "jaw-dropping",
    "jaw dropping",
    "mind-blowing",
    "mind blowing",
    "shocking",
    "gone wrong",
    "must see",
    "must-see",
    "will make you",
    "the truth about",
    "goes viral",
    "broke the internet",
    "is all you need to know",
];

/// Titles of pages that are not articles: paywalls, sign-ups, errors, bot checks.
const BOILERPLATE_TITLES: &[&str] = &[
    "subscriber to read",
    "subscribe to read",
    "subscribe to continue",
    "sign in to continue",
    "log in to continue",
    "access denied",
    "page not found",
    "404 not found",
    "error 404",
    "just a moment",
    "are you a robot",
    "attention required",
    "e-newsletter",
    "newsletter sign-up",
    "newsletter signup",
];

const LIST_NOUNS: &[&str] = &[
    "things",
    "ways",
    "reasons",
    "tips",
    "tricks",
    "facts",
    "secrets",
    "signs",
    "mistakes",
    "hacks",
    "lessons",
    "myths",
    "rules",
    "habits",
    "stocks",
    "tools",
    "ideas",
    "steps",
    "examples",
    "questions",
    "apps",
    "gadgets",
];

/// Distinct phrases of market-research press releases (the "Global X Market
/// 2021 … Key Players … Forecast to 2027" genre) and the research houses that
/// issue them.
const MARKET_PHRASES: &[&str] = &[
    "cagr",
    "compound annual growth rate",
    "key players",
    "major players",
    "market players",
    "competitive analysis",
    "key vendors",
    "prominent players",
    "major giants",
    "market size",
    "forecast period",
    "research report",
    "market report",
    "market research",
    "market analysis",
    "industry analysis",
    "growth analysis",
    "market insights",
    "market trends",
    "market forecast",
    "market outlook",
    "market segmentation",
    "market study",
    "by regions",
    "by region",
    "by application",
    "by end-user",
    "by component",
    "competitive landscape",
    "swot analysis",
    "restraints",
    "next big thing",
    "regional analysis",
    "stratistics mrc",
    "qy research",
    "technavio",
    "marketsandmarkets",
    "researchandmarkets",
    "research and markets",
    "grand view research",
    "allied market research",
    "kenneth research",
    "market research future",
    "fortune business insights",
    "reportlinker",
    "orbis research",
    "verified market research",
    "transparency market research",
    "persistence market research",
    "future market insights",
    "data bridge market research",
    "mordor intelligence",
    "precedence research",
    "emergen research",
    "absolute reports",
    "market.us",
];

/// Words that, next to "market" or "industry" in a title, make it a
/// market-report title.
const MARKET_TITLE_WORDS: &[&str] = &[
    "forecast",
    "forecasts",
    "analysis",
    "report",
    "research",
    "size",
    "share",
    "trends",
    "growth",
    "demand",
    "outlook",
    "insights",
    "opportunities",
    "overview",
    "cagr",
    "players",
    "revenue",
    "segmentation",
];

/// Press-release datelines and boilerplate.
const PRESS_RELEASE: &[&str] = &[
    "/prnewswire/",
    "(business wire)",
    "(globe newswire)",
    "/globenewswire/",
    "/einpresswire",
    "(the expresswire)",
    "(heraldkeepers)",
    "/accesswire/",
    "(newsfile corp",
    "for immediate release",
    "media contact:",
    "press contact:",
];

static AGGREGATION_SET: LazyLock<PhraseSet> = LazyLock::new(|| PhraseSet::new(AGGREGATION_PHRASES));
static MARKET_SET: LazyLock<PhraseSet> = LazyLock::new(|| PhraseSet::new(MARKET_PHRASES));
static PRESS_RELEASE_SET: LazyLock<PhraseSet> = LazyLock::new(|| PhraseSet::new(PRESS_RELEASE));

/// Quality of one article. Components, in order: `source`, `depth`,
/// `originality`, `image`, `title`, `spam`, and `clamp` when the sum leaves
/// `config.min..=config.max`.
pub fn quality(
    input: &QualityInput<'_>,
    config: &QualityConfig,
    providers: &ProviderTable,
) -> Breakdown {
    let mut b = Breakdown::default();
    let body = input.body.filter(|t| tokens(t).next().is_some());
    let lower = Lowered {
        title: input.title.to_lowercase(),
        excerpt: input.excerpt.map(str::to_lowercase),
        body: body.map(str::to_lowercase),
    };
    let body_stats = body
        .zip(lower.body.as_deref())
        .map(|(text, lower)| TextStats::with_lower(text, lower));
    let release = press_release(input, &lower);
    source(&mut b, input, release.as_deref(), config, providers);
    depth(&mut b, body_stats.as_ref(), config);
    originality(&mut b, input, &lower, body_stats.as_ref(), config);
    image(&mut b, input, config);
    title(&mut b, input.title, config);
    spam(&mut b, input, &lower, body_stats.as_ref(), config);
    b.clamp(config.min, config.max);
    b
}

/// The input's texts in lower case, computed once.
struct Lowered {
    title: String,
    excerpt: Option<String>,
    /// `None` when there is no body (or only whitespace).
    body: Option<String>,
}

impl Lowered {
    /// Excerpt and body.
    fn texts(&self) -> impl Iterator<Item = &str> {
        [self.excerpt.as_deref(), self.body.as_deref()]
            .into_iter()
            .flatten()
    }
}

/// Why an article is a press release (a dateline in its text, a
/// press-release section in its URL), if it is one.
fn press_release(input: &QualityInput<'_>, lower: &Lowered) -> Option<String> {
    let mut why = Vec::new();
    if let Some(p) = lower
        .texts()
        .find_map(|t| PRESS_RELEASE_SET.find(t).first().copied())
    {
        why.push(format!("dateline {p}"));
    }
    if let Some(sec) = input.url.and_then(press_release_section) {
        why.push(format!("URL section /{sec}/"));
    }
    (!why.is_empty()).then(|| why.join(", "))
}

fn source(
    b: &mut Breakdown,
    input: &QualityInput<'_>,
    release: Option<&str>,
    config: &QualityConfig,
    providers: &ProviderTable,
) {
    let name = input.provider_name.map(str::trim).filter(|s| !s.is_empty());
    let domain = input
        .provider_domain
        .map(str::trim)
        .filter(|s| !s.is_empty());
    let c = providers.lookup(name, domain);
    let who = match (name, domain) {
        (Some(n), Some(d)) if !n.eq_ignore_ascii_case(d) => format!("{n} ({d})"),
        (Some(n), _) => n.to_string(),
        (None, Some(d)) => d.to_string(),
        (None, None) => "no provider".to_string(),
    };
    let listed = if c.matched.is_some() {
        "tier"
    } else {
        "not listed, default tier"
    };
    let mut reason = format!("{who}: {listed} {}, credibility {:.2}", c.tier, c.value);
    let mut credibility = c.value;
    if let Some(why) = release {
        let cap = config.source.press_release_credibility;
        if cap < credibility {
            credibility = cap;
            reason.push_str(&format!("; a press release ({why}): credited {cap:.2}"));
        } else {
            reason.push_str(&format!("; a press release ({why})"));
        }
    }
    b.push("source", round(config.source.points * credibility), reason);
}

fn depth(b: &mut Breakdown, stats: Option<&TextStats>, config: &QualityConfig) {
    let d = &config.depth;
    let Some(s) = stats else {
        b.push(
            "depth",
            round(d.without_body),
            "body not available: neutral depth",
        );
        return;
    };
    let (min, full) = (f64::from(d.min_words), f64::from(d.full_words));
    let words = s.words as f64;
    let length = if words <= min {
        0.0
    } else if min <= 0.0 {
        (words / full).min(1.0)
    } else {
        ((words / min).ln() / (full / min).ln()).clamp(0.0, 1.0)
    };
    let structure = if s.sentences == 0 {
        0.0
    } else {
        0.5 * (s.paragraphs.min(6) as f64 / 6.0) + 0.5 * (s.sentences.min(20) as f64 / 20.0)
    };
    let figures = s.figures.min(4) as f64 / 4.0;
    let quotes = s.quotes.min(2) as f64 / 2.0;
    let points =
        d.length * length + d.structure * structure + d.figures * figures + d.quotes * quotes;
    b.push(
        "depth",
        round(points),
        format!(
            "{} words, {} sentences, {} paragraphs, {} figures, {} quotes",
            s.words, s.sentences, s.paragraphs, s.figures, s.quotes
        ),
    );
}

fn originality(
    b: &mut Breakdown,
    input: &QualityInput<'_>,
    lowered: &Lowered,
    stats: Option<&TextStats>,
    config: &QualityConfig,
) {
    let o = &config.originality;
    if input.is_duplicate {
        b.push(
            "originality",
            -round(o.duplicate),
            "a copy of an earlier article",
        );
        return;
    }
    let mut signals: Vec<String> = Vec::new();
    for lower in lowered.texts() {
        for p in AGGREGATION_SET.find(lower) {
            let s = format!("\"{p}\"");
            if !signals.contains(&s) {
                signals.push(s);
            }
        }
        if let Some(s) = appeared_first_elsewhere(lower, input) {
            if !signals.contains(&s) {
                signals.push(s);
            }
        }
        if has_via_credit(lower) && !signals.iter().any(|s| s == "\"via\" credit") {
            signals.push("\"via\" credit".to_string());
        }
    }
    if let (Some(s), Some(links)) = (stats, input.link_count) {
        if links > 0 && s.words < o.short_body_words as usize {
            signals.push(format!(
                "short body ({} words) linking out ({links} links)",
                s.words
            ));
        }
    }
    if signals.is_empty() {
        b.push(
            "originality",
            round(o.original),
            "own text: not a copy, no aggregation signals",
        );
    } else {
        b.push(
            "originality",
            -round(o.aggregation),
            format!("aggregation signals: {}", signals.join(", ")),
        );
    }
}

/// A feed footer "The post … appeared first on X." naming another site than
/// the provider.
fn appeared_first_elsewhere(lower: &str, input: &QualityInput<'_>) -> Option<String> {
    const MARK: &str = "appeared first on ";
    let at = lower.find(MARK)?;
    let rest = &lower[at + MARK.len()..];
    let site: String = rest
        .split(['\n', '<'])
        .next()
        .unwrap_or("")
        .trim()
        .trim_end_matches('.')
        .to_string();
    let name = input.provider_name.map(str::to_lowercase);
    let label = input.provider_domain.and_then(|d| {
        d.trim()
            .to_lowercase()
            .split('.')
            .next()
            .map(str::to_string)
    });
    let own = name.is_some_and(|n| !n.trim().is_empty() && site.contains(n.trim()))
        || label.is_some_and(|l| l.len() >= 3 && site.replace(' ', "").contains(&l));
    (!own).then(|| format!("\"appeared first on {site}\""))
}

/// A "via" credit: `(via X)`, `via @x`, or a line starting with "via ".
fn has_via_credit(lower: &str) -> bool {
    lower.contains("(via ")
        || lower.contains("via @")
        || lower
            .lines()
            .any(|l| l.trim_start().starts_with("via ") && tokens(l).count() <= 8)
}

fn image(b: &mut Breakdown, input: &QualityInput<'_>, config: &QualityConfig) {
    let w = &config.image;
    let Some(img) = input.lead_image else {
        b.push("image", 0, "no lead image");
        return;
    };
    let logo = img.url.is_some_and(|u| {
        let file = u.rsplit('/').next().unwrap_or(u).to_lowercase();
        [
            "logo",
            "favicon",
            "placeholder",
            "default-image",
            "no-image",
        ]
        .iter()
        .any(|p| file.contains(p))
    });
    let (points, reason) = if logo {
        (
            w.small,
            "a logo or placeholder, not a picture of the story".to_string(),
        )
    } else {
        match (img.width, img.height) {
            (Some(x), Some(y)) if x >= w.min_width && y >= w.min_height => {
                (w.large, format!("lead image {x}×{y}"))
            }
            (Some(x), Some(y)) => (
                w.small,
                format!("lead image {x}×{y}, under {}×{}", w.min_width, w.min_height),
            ),
            (Some(x), None) if x < w.min_width => (
                w.small,
                format!("lead image {x} wide, under {}", w.min_width),
            ),
            (None, Some(y)) if y < w.min_height => (
                w.small,
                format!("lead image {y} high, under {}", w.min_height),
            ),
            _ => (w.unknown_size, "lead image of unknown size".to_string()),
        }
    };
    b.push("image", round(points), reason);
}

/// Penalties of a title, as (points, what).
fn title_problems(title: &str, config: &QualityConfig) -> Vec<(f64, String)> {
    let t = &config.title;
    let title = title.trim();
    let mut out = Vec::new();
    let lower = title.to_lowercase().replace('’', "'");

    if let Some(p) = BOILERPLATE_TITLES
        .iter()
        .find(|p| contains_phrase(&lower, p))
    {
        out.push((t.boilerplate, format!("not a headline: \"{p}\"")));
    }
    if let Some(p) = CLICKBAIT.iter().find(|p| contains_phrase(&lower, p)) {
        out.push((t.clickbait, format!("clickbait phrase \"{p}\"")));
    }
    let words = lower_words(&lower);
    let start = match words.first().map(String::as_str) {
        Some("top" | "the") => 1,
        _ => 0,
    };
    if words
        .get(start)
        .is_some_and(|w| w.chars().all(|c| c.is_ascii_digit()) && w.len() <= 3)
        && words
            .iter()
            .skip(start + 1)
            .take(3)
            .any(|w| LIST_NOUNS.contains(&w.as_str()))
    {
        out.push((t.listicle, "list title".to_string()));
    }

    let long_words: Vec<&str> = title
        .split_whitespace()
        .map(|w| w.trim_matches(|c: char| !c.is_alphabetic()))
        .filter(|w| w.chars().filter(|c| c.is_alphabetic()).count() >= 4)
        .collect();
    let caps = long_words
        .iter()
        .filter(|w| w.chars().all(|c| !c.is_alphabetic() || c.is_uppercase()))
        .count();
    if caps >= 3 && caps * 2 >= long_words.len() {
        out.push((t.shouting, format!("{caps} words in capitals")));
    }

    let bangs = title.matches('!').count();
    let questions = title.matches('?').count();
    if bangs >= 2 || questions >= 2 || title.contains("?!") || title.contains("!?") {
        out.push((t.punctuation, "repeated ! or ?".to_string()));
    }

    let n_words = tokens(title).count();
    if n_words < t.min_words as usize {
        let what = if n_words == 0 {
            "no title".to_string()
        } else {
            format!("only {n_words} words")
        };
        out.push((t.too_short, what));
    }
    let chars = title.chars().count();
    let bars = title.matches('|').count();
    if chars > t.max_chars as usize {
        out.push((t.too_long, format!("{chars} characters")));
    } else if bars >= 2 {
        out.push((t.too_long, format!("{} sections separated by |", bars + 1)));
    }
    out
}

fn title(b: &mut Breakdown, title: &str, config: &QualityConfig) {
    let problems = title_problems(title, config);
    if problems.is_empty() {
        b.push(
            "title",
            round(config.title.clean),
            "plain, informative title",
        );
    } else {
        let penalty: f64 = problems.iter().map(|(p, _)| p).sum();
        let what: Vec<&str> = problems.iter().map(|(_, w)| w.as_str()).collect();
        b.push(
            "title",
            round(config.title.clean - penalty),
            what.join(", "),
        );
    }
}

/// A forecast horizon in a title: "to 2027", "2019-2023", "2017 to 2024",
/// "by 2027", "forecast 2026", "through 2030".
fn forecast_horizon(title: &str) -> bool {
    let words = lower_words(&title.to_lowercase());
    let year = |w: &str| {
        w.len() == 4
            && w.chars().all(|c| c.is_ascii_digit())
            && w.parse::<u32>().is_ok_and(|y| (1990..=2099).contains(&y))
    };
    words.iter().enumerate().any(|(i, w)| {
        year(w)
            && i > 0
            && (matches!(
                words[i - 1].as_str(),
                "to" | "by" | "through" | "till" | "until" | "forecast" | "forecasts"
            ) || year(&words[i - 1]))
    })
}

/// Path sections that mark a page as a press release, compared without
/// `-`, `_`, spaces and case: `/press-release/`, `/news-releases/`,
/// `/mediareleases/`, `/pr_newswire/`, AP's `/Wired Release/`.
const PRESS_RELEASE_SECTIONS: &[&str] = &[
    "pressrelease",
    "pressreleases",
    "newsrelease",
    "newsreleases",
    "mediarelease",
    "mediareleases",
    "wiredrelease",
    "prnewswire",
    "businesswire",
    "globenewswire",
    "accesswire",
    "einpresswire",
];

/// The press-release section of a URL's path, if any.
fn press_release_section(url: &str) -> Option<String> {
    let rest = url.split_once("://").map_or(url, |(_, r)| r);
    let path = rest.split(['?', '#']).next().unwrap_or("");
    let mut segments = path.split('/');
    segments.next(); // the host
    segments.map(|s| s.replace("%20", " ")).find(|s| {
        let key: String = s
            .chars()
            .filter(|c| !matches!(c, '-' | '_' | ' '))
            .flat_map(char::to_lowercase)
            .collect();
        PRESS_RELEASE_SECTIONS.contains(&key.as_str())
    })
}

/// `true` when a title reads like a market-research report's.
fn market_title(title: &str) -> bool {
    let lower = title.to_lowercase();
    let words = lower_words(&lower);
    let names_market = words.iter().any(|w| w == "market" || w == "industry");
    if !names_market {
        return false;
    }
    words.last().is_some_and(|w| w == "market")
        || has_year(&lower)
        || words
            .iter()
            .any(|w| MARKET_TITLE_WORDS.contains(&w.as_str()))
}

fn spam(
    b: &mut Breakdown,
    input: &QualityInput<'_>,
    lowered: &Lowered,
    stats: Option<&TextStats>,
    config: &QualityConfig,
) {
    let s = &config.spam;
    let mut penalty = 0.0;
    let mut what: Vec<String> = Vec::new();

    let mut found: Vec<&str> = MARKET_SET.find(&lowered.title);
    for text in lowered.texts() {
        for p in MARKET_SET.find(text) {
            if !found.contains(&p) {
                found.push(p);
            }
        }
    }
    let mut market: Vec<String> = found.iter().map(|p| format!("\"{p}\"")).collect();
    if market_title(input.title) {
        if forecast_horizon(input.title) {
            market.insert(0, "forecast horizon in the title".to_string());
        }
        market.insert(0, "market-report title".to_string());
    }
    if !market.is_empty() {
        let p = (market.len() as f64 * s.market_signal).min(s.market_research_max);
        penalty += p;
        what.push(format!(
            "market-research signals ({}): {}",
            market.len(),
            market.join(", ")
        ));
    }

    if let Some(links) = input.link_count.filter(|&n| n >= 5) {
        let words = stats.map_or_else(
            || tokens(input.title).count() + input.excerpt.map_or(0, |e| tokens(e).count()),
            |st| st.words,
        );
        let density = if words == 0 {
            f64::INFINITY
        } else {
            links as f64 * 100.0 / words as f64
        };
        let frac = if density >= s.links_per_100_words {
            1.0
        } else if density >= s.links_per_100_words / 2.0 {
            0.5
        } else {
            0.0
        };
        if frac > 0.0 {
            penalty += s.link_farm * frac;
            what.push(format!("{links} links in {words} words"));
        }
    }

    if let Some(st) = stats.filter(|st| st.words >= 80) {
        if let Some((word, count)) = &st.top_word {
            let share = *count as f64 / st.words as f64;
            if share > s.keyword_share {
                let frac = ((share - s.keyword_share) / s.keyword_share).min(1.0);
                penalty += s.keyword_stuffing * frac;
                what.push(format!("\"{word}\" is {:.0}% of the words", share * 100.0));
            }
        }
    }

    if what.is_empty() {
        b.push("spam", 0, "no spam signals");
    } else {
        b.push("spam", -round(penalty), what.join("; "));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(input: &QualityInput<'_>) -> Breakdown {
        quality(input, &QualityConfig::default(), &ProviderTable::default())
    }

    #[test]
    fn links_are_counted() {
        assert_eq!(
            count_links("<p><a href=x>a</a> <A\nhref=y>b</A> <abbr>c</abbr></p>"),
            2
        );
        assert_eq!(count_links("<a>"), 1);
        assert_eq!(count_links("plain <"), 0);
    }

    #[test]
    fn press_release_sections() {
        let sec = |u: &str| press_release_section(u);
        assert_eq!(
            sec("https://www.marketwatch.com/press-release/x-2021").as_deref(),
            Some("press-release")
        );
        assert_eq!(
            sec("https://apnews.com/Wired Release/20e8").as_deref(),
            Some("Wired Release")
        );
        assert_eq!(
            sec("https://www.wfmz.com/news/pr_newswire/pr_newswire_technology/x").as_deref(),
            Some("pr_newswire")
        );
        assert_eq!(
            sec("https://www.prnewswire.com/news-releases/x.html").as_deref(),
            Some("news-releases")
        );
        assert_eq!(
            sec("https://prnewswire.com/"),
            None,
            "the host is not a section"
        );
        assert_eq!(sec("https://example.com/news/press-release-day"), None);
    }

    #[test]
    fn forecast_horizons() {
        assert!(forecast_horizon("Research and Forecasts 2017 to 2024"));
        assert!(forecast_horizon(
            "Global Travel Technologies Market 2019-2023"
        ));
        assert!(forecast_horizon(
            "Market Size to accrue $ 16.5 billion by 2027"
        ));
        assert!(forecast_horizon("Analysis With Forecast 2026"));
        assert!(!forecast_horizon("Cloud Market 2021 Growth"));
        assert!(!forecast_horizon(
            "AI skills among the most in-demand for 2020"
        ));
    }

    #[test]
    fn market_titles() {
        assert!(market_title(
            "AI in Fintech Market 2021 Growth Analysis, Share, Demand by Regions"
        ));
        assert!(market_title(
            "Statistical Natural Language Processing Market"
        ));
        assert!(market_title(
            "Worldwide AI in Computer Vision Industry to 2027"
        ));
        assert!(!market_title(
            "AWS leads $42B global Cloud services market in Q1, Microsoft 2nd"
        ));
        assert!(!market_title(
            "Driverless cars will drive a lot of market disruption in the 2020s"
        ));
        assert!(!market_title("Cloud spending grows 35% in 2021"));
    }

    #[test]
    fn seed_style_article_is_clean() {
        let b = q(&QualityInput {
            title: "AWS leads $42B global Cloud services market in Q1, Microsoft 2nd",
            excerpt: Some("Amazon Web Services (AWS) was the leading cloud service provider with 32 per cent market share in Q1 2021, as cloud infrastructure services spending grew 35 per cent to $41.8 billion in the first quarter,"),
            provider_name: Some("Sify.com"),
            provider_domain: Some("sify.com"),
            lead_image: Some(LeadImage { url: None, width: Some(700), height: Some(466) }),
            ..QualityInput::default()
        });
        assert!(b.is_consistent());
        assert_eq!(b.points("spam"), 0, "{b}");
        assert_eq!(b.points("title"), 10, "{b}");
        assert_eq!(b.points("image"), 15, "{b}");
        assert!(b.score >= 50, "{b}");
    }

    #[test]
    fn market_research_release_is_sunk() {
        let b = q(&QualityInput {
            title: "AI in Fintech Market 2021 Growth Analysis, Share, Demand by Regions, Types and Analysis of Key Players- Research Forecasts to 2027",
            excerpt: Some("Mar 02, 2021 (The Expresswire) -- Global “AI in Fintech Market” forecast 2027; research report analyzed the existing state of the market by definition"),
            provider_name: Some("MarketWatch"),
            provider_domain: Some("marketwatch.com"),
            lead_image: Some(LeadImage { url: None, width: Some(1200), height: Some(630) }),
            ..QualityInput::default()
        });
        assert!(b.points("spam") <= -60, "{b}");
        assert!(b.points("title") < 10, "{b}");
        assert!(b.score < 30, "{b}");
    }
}
