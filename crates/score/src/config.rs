//! The weights of the scores and the default quality bar: in code by default,
//! or read from a TOML file (every field optional; see [`ScoreConfig`]).

use std::path::Path;

use serde::{Deserialize, Serialize};

use crate::error::{self, line_of_field, ConfigError, ConfigErrorKind};

/// The configuration-file format version this crate reads.
pub const CONFIG_FORMAT_VERSION: i64 = 1;

/// The quality an article needs when its topics set no bar of their own.
pub const DEFAULT_QUALITY_BAR: i64 = 50;

/// Everything the scores can be tuned by: one TOML file with the tables
/// `[quality.*]`, `[heat]` and `[publish]`. Missing fields keep their defaults.
///
/// ```toml
/// version = 1
/// [quality]
/// max = 150
/// [quality.source]
/// press_release_credibility = 0.2
/// [heat]
/// half_life_hours = 12
/// [publish]
/// default_bar = 45
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
#[serde(default, deny_unknown_fields)]
pub struct ScoreConfig {
    /// The file format version ([`CONFIG_FORMAT_VERSION`]); optional.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub version: Option<i64>,
    pub quality: QualityConfig,
    pub heat: HeatConfig,
    pub publish: PublishConfig,
}

/// Quality weights. Penalties are written as positive magnitudes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct QualityConfig {
    /// The score is clamped to `min..=max`.
    pub min: i64,
    pub max: i64,
    pub source: SourceWeights,
    pub depth: DepthWeights,
    pub originality: OriginalityWeights,
    pub image: ImageWeights,
    pub title: TitleWeights,
    pub spam: SpamWeights,
}

/// Source credibility: `points × credibility` of the provider's tier.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SourceWeights {
    pub points: f64,
    /// The credibility (at most) of a press release, wherever it is hosted:
    /// one with a press-release dateline ("/PRNewswire/", "(The
    /// Expresswire)") or under a press-release section of its site
    /// (`/press-release/`). The host did not report it; it only prints it.
    pub press_release_credibility: f64,
}

/// Depth of the body text.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct DepthWeights {
    /// Points for length, growing with the logarithm of the word count from
    /// `min_words` (0) to `full_words` (all).
    pub length: f64,
    pub min_words: u32,
    pub full_words: u32,
    /// Points for structure: half for paragraphs (full at 6), half for
    /// sentences (full at 20).
    pub structure: f64,
    /// Points for figures (distinct numbers other than years; full at 4).
    pub figures: f64,
    /// Points for quoted passages of at least 4 words (full at 2).
    pub quotes: f64,
    /// Flat points when the body is not available (a record with only a
    /// title and an excerpt): depth is unknown, not bad.
    pub without_body: f64,
}

/// Originality.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OriginalityWeights {
    /// Points for an article that is neither a copy nor a pointer elsewhere.
    pub original: f64,
    /// Taken away (instead of `original` given) from an article that is a
    /// copy of an earlier one.
    pub duplicate: f64,
    /// Taken away (instead of `original` given) from an article with
    /// aggregation signals ("originally appeared on", "via", a short body
    /// linking out).
    pub aggregation: f64,
    /// A body under this many words that links out counts as a pointer.
    pub short_body_words: u32,
}

/// The lead image.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct ImageWeights {
    /// At least `min_width` × `min_height`.
    pub large: f64,
    /// Smaller, or a logo.
    pub small: f64,
    /// Present, size unknown.
    pub unknown_size: f64,
    pub min_width: u32,
    pub min_height: u32,
}

/// The title.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TitleWeights {
    /// Points for a title with none of the problems below.
    pub clean: f64,
    /// The title of a page that is not an article (a paywall, a sign-up
    /// form, an error page: "Become an FT subscriber to read").
    pub boilerplate: f64,
    /// Clickbait phrases ("you won't believe", "will blow your mind").
    pub clickbait: f64,
    /// A list title ("7 ways to ...", "Top 10 ...").
    pub listicle: f64,
    /// Most long words in capitals.
    pub shouting: f64,
    /// Repeated `!` or `?`.
    pub punctuation: f64,
    /// Fewer than `min_words` words.
    pub too_short: f64,
    /// More than `max_chars` characters, or several `|` sections.
    pub too_long: f64,
    pub min_words: u32,
    pub max_chars: u32,
}

/// Spam signals.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct SpamWeights {
    /// Taken away per distinct market-research signal ("CAGR", "key players",
    /// "forecast period", a "… Market 2021 … Forecast" title), ...
    pub market_signal: f64,
    /// ... up to this much.
    pub market_research_max: f64,
    /// Link farm: full penalty from `links_per_100_words` links per 100 words
    /// (and at least 5 links), half from half that density.
    pub link_farm: f64,
    pub links_per_100_words: f64,
    /// Keyword stuffing: one content word making up more than
    /// `keyword_share` of the words (full penalty at twice that share), in a
    /// text of at least 80 words.
    pub keyword_stuffing: f64,
    pub keyword_share: f64,
}

/// Heat weights.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HeatConfig {
    /// Points for the story's most credible provider (× its credibility).
    pub lead: f64,
    /// Points for each further distinct credible provider (× credibility).
    pub per_provider: f64,
    /// Coverage points are capped here.
    pub coverage_max: f64,
    /// Points for fast growth: all when the story's credible coverage is all
    /// from the last `window_hours` and at least `velocity_saturation`
    /// (credibility-weighted) providers.
    pub velocity: f64,
    pub window_hours: f64,
    pub velocity_saturation: f64,
    /// Each provider's contribution halves every `half_life_hours` since its
    /// latest article in the story.
    pub half_life_hours: f64,
    /// Providers below this credibility (press-release wires) do not count.
    pub min_credibility: f64,
}

/// Publishing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct PublishConfig {
    /// The bar of topics that set none ([`DEFAULT_QUALITY_BAR`]).
    pub default_bar: i64,
}

impl Default for QualityConfig {
    fn default() -> Self {
        QualityConfig {
            min: 0,
            max: 150,
            source: SourceWeights::default(),
            depth: DepthWeights::default(),
            originality: OriginalityWeights::default(),
            image: ImageWeights::default(),
            title: TitleWeights::default(),
            spam: SpamWeights::default(),
        }
    }
}

impl Default for SourceWeights {
    fn default() -> Self {
        SourceWeights {
            points: 50.0,
            press_release_credibility: 0.1,
        }
    }
}

impl Default for DepthWeights {
    fn default() -> Self {
        DepthWeights {
            length: 20.0,
            min_words: 80,
            full_words: 1000,
            structure: 8.0,
            figures: 6.0,
            quotes: 6.0,
            without_body: 12.0,
        }
    }
}

impl Default for OriginalityWeights {
    fn default() -> Self {
        OriginalityWeights {
            original: 15.0,
            duplicate: 30.0,
            aggregation: 20.0,
            short_body_words: 100,
        }
    }
}

impl Default for ImageWeights {
    fn default() -> Self {
        ImageWeights {
            large: 15.0,
            small: 5.0,
            unknown_size: 10.0,
            min_width: 600,
            min_height: 300,
        }
    }
}

impl Default for TitleWeights {
    fn default() -> Self {
        TitleWeights {
            clean: 10.0,
            boilerplate: 40.0,
            clickbait: 25.0,
            listicle: 10.0,
            shouting: 15.0,
            punctuation: 10.0,
            too_short: 10.0,
            too_long: 10.0,
            min_words: 4,
            max_chars: 120,
        }
    }
}

impl Default for SpamWeights {
    fn default() -> Self {
        SpamWeights {
            market_signal: 15.0,
            market_research_max: 70.0,
            link_farm: 30.0,
            links_per_100_words: 5.0,
            keyword_stuffing: 25.0,
            keyword_share: 0.06,
        }
    }
}

impl Default for HeatConfig {
    fn default() -> Self {
        HeatConfig {
            lead: 50.0,
            per_provider: 15.0,
            coverage_max: 120.0,
            velocity: 30.0,
            window_hours: 6.0,
            velocity_saturation: 3.0,
            half_life_hours: 24.0,
            min_credibility: 0.3,
        }
    }
}

impl Default for PublishConfig {
    fn default() -> Self {
        PublishConfig {
            default_bar: DEFAULT_QUALITY_BAR,
        }
    }
}

#[derive(Clone, Copy)]
enum Check {
    /// Finite and ≥ 0.
    NonNegative,
    /// Finite and > 0.
    Positive,
    /// In `0..=1`.
    Unit,
    /// In `(0, 1]`.
    UnitOpen,
}

impl Check {
    fn ok(self, v: f64) -> bool {
        v.is_finite()
            && match self {
                Check::NonNegative => v >= 0.0,
                Check::Positive => v > 0.0,
                Check::Unit => (0.0..=1.0).contains(&v),
                Check::UnitOpen => v > 0.0 && v <= 1.0,
            }
    }

    fn expected(self) -> &'static str {
        match self {
            Check::NonNegative => "a number ≥ 0",
            Check::Positive => "a number > 0",
            Check::Unit => "a number between 0 and 1",
            Check::UnitOpen => "a number above 0 and at most 1",
        }
    }
}

/// The first field that fails its check, as (path, value, expected).
fn first_invalid(checks: &[(&str, f64, Check)]) -> Option<(String, f64, &'static str)> {
    checks
        .iter()
        .find(|(_, v, c)| !c.ok(*v))
        .map(|(p, v, c)| (p.to_string(), *v, c.expected()))
}

impl QualityConfig {
    fn invalid(&self) -> Option<(String, f64, &'static str)> {
        use Check::*;
        let (d, o, i, t, s) = (
            &self.depth,
            &self.originality,
            &self.image,
            &self.title,
            &self.spam,
        );
        if self.min >= self.max {
            return Some((
                "quality.max".into(),
                self.max as f64,
                "a maximum above quality.min",
            ));
        }
        if d.full_words <= d.min_words {
            return Some((
                "quality.depth.full_words".into(),
                f64::from(d.full_words),
                "a word count above quality.depth.min_words",
            ));
        }
        first_invalid(&[
            ("quality.source.points", self.source.points, NonNegative),
            (
                "quality.source.press_release_credibility",
                self.source.press_release_credibility,
                Unit,
            ),
            ("quality.depth.length", d.length, NonNegative),
            ("quality.depth.structure", d.structure, NonNegative),
            ("quality.depth.figures", d.figures, NonNegative),
            ("quality.depth.quotes", d.quotes, NonNegative),
            ("quality.depth.without_body", d.without_body, NonNegative),
            ("quality.originality.original", o.original, NonNegative),
            ("quality.originality.duplicate", o.duplicate, NonNegative),
            (
                "quality.originality.aggregation",
                o.aggregation,
                NonNegative,
            ),
            ("quality.image.large", i.large, NonNegative),
            ("quality.image.small", i.small, NonNegative),
            ("quality.image.unknown_size", i.unknown_size, NonNegative),
            ("quality.title.clean", t.clean, NonNegative),
            ("quality.title.boilerplate", t.boilerplate, NonNegative),
            ("quality.title.clickbait", t.clickbait, NonNegative),
            ("quality.title.listicle", t.listicle, NonNegative),
            ("quality.title.shouting", t.shouting, NonNegative),
            ("quality.title.punctuation", t.punctuation, NonNegative),
            ("quality.title.too_short", t.too_short, NonNegative),
            ("quality.title.too_long", t.too_long, NonNegative),
            ("quality.spam.market_signal", s.market_signal, NonNegative),
            (
                "quality.spam.market_research_max",
                s.market_research_max,
                NonNegative,
            ),
            ("quality.spam.link_farm", s.link_farm, NonNegative),
            (
                "quality.spam.links_per_100_words",
                s.links_per_100_words,
                Positive,
            ),
            (
                "quality.spam.keyword_stuffing",
                s.keyword_stuffing,
                NonNegative,
            ),
            ("quality.spam.keyword_share", s.keyword_share, UnitOpen),
        ])
    }
}

impl HeatConfig {
    fn invalid(&self) -> Option<(String, f64, &'static str)> {
        use Check::*;
        first_invalid(&[
            ("heat.lead", self.lead, NonNegative),
            ("heat.per_provider", self.per_provider, NonNegative),
            ("heat.coverage_max", self.coverage_max, NonNegative),
            ("heat.velocity", self.velocity, NonNegative),
            ("heat.window_hours", self.window_hours, Positive),
            (
                "heat.velocity_saturation",
                self.velocity_saturation,
                Positive,
            ),
            ("heat.half_life_hours", self.half_life_hours, Positive),
            ("heat.min_credibility", self.min_credibility, Unit),
        ])
    }
}

impl ScoreConfig {
    /// Reads a configuration file.
    pub fn from_path(path: &Path) -> Result<ScoreConfig, ConfigError> {
        let text = error::read(path)?;
        ScoreConfig::from_toml_str(&text, &path.display().to_string())
    }

    /// Parses and checks a configuration; `origin` names it in errors.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<ScoreConfig, ConfigError> {
        let config: ScoreConfig =
            toml::from_str(text).map_err(|e| error::from_toml(text, origin, &e))?;
        let fail = |field: String, kind| ConfigError {
            origin: origin.to_string(),
            line: line_of_field(text, &field),
            field: Some(field),
            kind,
        };
        if let Some(found) = config.version {
            if found != CONFIG_FORMAT_VERSION {
                return Err(fail(
                    "version".into(),
                    ConfigErrorKind::Version {
                        found,
                        expected: CONFIG_FORMAT_VERSION,
                    },
                ));
            }
        }
        if let Some((field, value, expected)) = config.validate() {
            return Err(fail(
                field,
                ConfigErrorKind::OutOfRange {
                    value,
                    expected: expected.to_string(),
                },
            ));
        }
        Ok(config)
    }

    /// The first field out of its range, as (dotted path, value, what was
    /// expected); `None` when every field is usable. [`ScoreConfig::from_toml_str`]
    /// runs it; call it on a configuration built in code.
    pub fn validate(&self) -> Option<(String, f64, &'static str)> {
        self.quality.invalid().or_else(|| self.heat.invalid())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn empty_file_is_the_defaults() {
        let c = ScoreConfig::from_toml_str("", "s.toml").unwrap();
        assert_eq!(c, ScoreConfig::default());
        assert_eq!(c.publish.default_bar, DEFAULT_QUALITY_BAR);
        assert!(c.validate().is_none());
    }

    #[test]
    fn defaults_round_trip_through_serde() {
        let json = serde_json::to_string(&ScoreConfig::default()).unwrap();
        let back: ScoreConfig = serde_json::from_str(&json).unwrap();
        assert_eq!(back, ScoreConfig::default());
    }

    #[test]
    fn partial_file_overrides_only_its_fields() {
        let c = ScoreConfig::from_toml_str(
            "version = 1\n[quality.spam]\nmarket_signal = 20\n[heat]\nhalf_life_hours = 12\n",
            "s.toml",
        )
        .unwrap();
        assert_eq!(c.quality.spam.market_signal, 20.0);
        assert_eq!(c.quality.spam.link_farm, 30.0);
        assert_eq!(c.heat.half_life_hours, 12.0);
        assert_eq!(c.heat.lead, 50.0);
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let e = ScoreConfig::from_toml_str("[quality.depth]\nlength = 20\nquotes = -1\n", "s.toml")
            .unwrap_err();
        assert_eq!(e.origin, "s.toml");
        assert_eq!(e.line, Some(3));
        assert_eq!(e.field.as_deref(), Some("quality.depth.quotes"));
        assert!(matches!(e.kind, ConfigErrorKind::OutOfRange { .. }));

        let e = ScoreConfig::from_toml_str("[heat]\nhalf_life_hours = 0\n", "s.toml").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("heat.half_life_hours"));
        assert_eq!(e.line, Some(2));

        let e = ScoreConfig::from_toml_str("[heat]\nhalf_life = 3\n", "s.toml").unwrap_err();
        assert!(matches!(e.kind, ConfigErrorKind::Toml(_)));
        assert_eq!(e.line, Some(2));
        assert_eq!(e.field.as_deref(), Some("heat.half_life"));
        assert!(e.to_string().contains("half_life"), "{e}");

        let e =
            ScoreConfig::from_toml_str("[quality.title]\nclean = \"ten\"\n", "s.toml").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("quality.title.clean"));
        assert_eq!(e.line, Some(2));

        let e =
            ScoreConfig::from_toml_str("[quality]\nmin = 10\nmax = 10\n", "s.toml").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("quality.max"));
        assert_eq!(e.line, Some(3));

        let e = ScoreConfig::from_toml_str("version = 3\n", "s.toml").unwrap_err();
        assert!(matches!(e.kind, ConfigErrorKind::Version { found: 3, .. }));
        assert_eq!(e.line, Some(1));

        let e = ScoreConfig::from_toml_str("[heat\n", "s.toml").unwrap_err();
        assert_eq!(e.line, Some(1));

        let e = ScoreConfig::from_path(Path::new("/nonexistent/score.toml")).unwrap_err();
        assert!(matches!(e.kind, ConfigErrorKind::Io(_)));
    }

    #[test]
    fn garbage_is_an_error_not_a_panic() {
        for text in [
            "[[[",
            "é = ",
            "[quality]\nmin = \"日本\"",
            "[heat]\nlead = 1\n[heat]\nlead = 2\n",
            "quality = 3",
            "\u{feff}[quality.depth]\nlength = -5\n",
            "[quality.depth]\nmin_words = 500\nfull_words = 100\n",
            "[heat]\nmin_credibility = 1.5\n",
            "[publish]\ndefault_bar = \"x\"\n",
        ] {
            let e = ScoreConfig::from_toml_str(text, "g.toml").unwrap_err();
            assert_eq!(e.origin, "g.toml");
            assert!(!e.to_string().is_empty());
        }
        for text in [
            "[[[",
            "[tiers.x]\ncredibility = -0.1\n",
            "tiers = 1",
            "[tiers.日本]\n",
        ] {
            assert!(
                crate::ProviderTable::from_toml_str(text, "p.toml").is_err(),
                "{text}"
            );
        }
    }

    #[test]
    fn nan_and_infinity_are_refused() {
        let e = ScoreConfig::from_toml_str("[heat]\nlead = nan\n", "s.toml").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("heat.lead"));
        let e =
            ScoreConfig::from_toml_str("[quality.source]\npoints = inf\n", "s.toml").unwrap_err();
        assert_eq!(e.field.as_deref(), Some("quality.source.points"));
    }
}
