//! The provider credibility table: tiers of publishers, each with a
//! credibility in `0..=1`, read from TOML (see `default-providers.toml`).

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde::Deserialize;
use toml::Spanned;

use crate::error::{self, line_of, ConfigError, ConfigErrorKind};

/// The provider table the desk ships (see the file for the tiers' meaning).
pub const DEFAULT_PROVIDERS: &str = include_str!("../default-providers.toml");

/// The provider-table format version this crate reads.
pub const PROVIDERS_FORMAT_VERSION: i64 = 1;

/// A credibility tier.
#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    pub name: String,
    /// 0 (nothing the byline vouches for) to 1 (a news agency).
    pub credibility: f64,
    pub description: Option<String>,
    /// The providers listed in the tier, as written.
    pub providers: Vec<String>,
}

/// What the table says about one provider.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Credibility<'a> {
    /// The tier's name.
    pub tier: &'a str,
    pub value: f64,
    /// The table key that matched (a domain or a name), `None` when the
    /// provider is not listed and the default tier applies.
    pub matched: Option<&'a str>,
}

/// Provider → credibility, by domain (subdomains included) or display name.
#[derive(Debug, Clone, PartialEq)]
pub struct ProviderTable {
    tiers: Vec<Tier>,
    default_tier: usize,
    /// Lower-case key → (tier index, key as written).
    keys: HashMap<String, (usize, String)>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTable {
    version: Option<Spanned<i64>>,
    default_tier: Option<Spanned<String>>,
    #[serde(default)]
    tiers: BTreeMap<String, Spanned<RawTier>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawTier {
    credibility: Spanned<f64>,
    description: Option<String>,
    #[serde(default)]
    providers: Vec<Spanned<String>>,
}

impl Default for ProviderTable {
    fn default() -> Self {
        ProviderTable::from_toml_str(DEFAULT_PROVIDERS, "default-providers.toml")
            .expect("the shipped provider table is valid (tested)")
    }
}

/// A provider domain reduced to a lookup key: lower case, no scheme, path,
/// port, `www.` or trailing dot.
fn clean_domain(domain: &str) -> String {
    let d = domain.trim().to_lowercase();
    let d = d.split_once("://").map_or(d.as_str(), |(_, rest)| rest);
    let d = d.split(['/', '?', '#']).next().unwrap_or("");
    let d = d.rsplit_once('@').map_or(d, |(_, host)| host);
    let d = d.split(':').next().unwrap_or("");
    let d = d.trim_end_matches('.');
    d.strip_prefix("www.").unwrap_or(d).to_string()
}

impl ProviderTable {
    /// Reads a provider table file.
    pub fn from_path(path: &Path) -> Result<ProviderTable, ConfigError> {
        let text = error::read(path)?;
        ProviderTable::from_toml_str(&text, &path.display().to_string())
    }

    /// Parses and checks a provider table; `origin` names it in errors.
    pub fn from_toml_str(text: &str, origin: &str) -> Result<ProviderTable, ConfigError> {
        let fail = |offset: Option<usize>, field: Option<String>, kind| ConfigError {
            origin: origin.to_string(),
            line: offset.map(|o| line_of(text, o)),
            field,
            kind,
        };
        let raw: RawTable = toml::from_str(text).map_err(|e| error::from_toml(text, origin, &e))?;
        if let Some(v) = &raw.version {
            if *v.get_ref() != PROVIDERS_FORMAT_VERSION {
                return Err(fail(
                    Some(v.span().start),
                    Some("version".into()),
                    ConfigErrorKind::Version {
                        found: *v.get_ref(),
                        expected: PROVIDERS_FORMAT_VERSION,
                    },
                ));
            }
        }
        // Tiers in file order.
        let mut raw_tiers: Vec<(String, Spanned<RawTier>)> = raw.tiers.into_iter().collect();
        raw_tiers.sort_by_key(|(_, t)| t.span().start);

        let mut tiers = Vec::with_capacity(raw_tiers.len());
        let mut keys: HashMap<String, (usize, String)> = HashMap::new();
        for (i, (name, spanned)) in raw_tiers.into_iter().enumerate() {
            let t = spanned.into_inner();
            let c = *t.credibility.get_ref();
            if !(0.0..=1.0).contains(&c) {
                return Err(fail(
                    Some(t.credibility.span().start),
                    Some(format!("tiers.{name}.credibility")),
                    ConfigErrorKind::OutOfRange {
                        value: c,
                        expected: "a credibility between 0 and 1".into(),
                    },
                ));
            }
            let mut listed = Vec::with_capacity(t.providers.len());
            for p in &t.providers {
                let written = p.get_ref().trim();
                let field = Some(format!("tiers.{name}.providers"));
                if written.is_empty() {
                    return Err(fail(Some(p.span().start), field, ConfigErrorKind::EmptyKey));
                }
                let key = if written.contains('.') && !written.contains(' ') {
                    clean_domain(written)
                } else {
                    written.to_lowercase()
                };
                if key.is_empty() {
                    return Err(fail(Some(p.span().start), field, ConfigErrorKind::EmptyKey));
                }
                if let Some((first, _)) = keys.get(&key) {
                    let first_tier = if *first == i {
                        name.clone()
                    } else {
                        tiers
                            .get(*first)
                            .map_or_else(String::new, |t: &Tier| t.name.clone())
                    };
                    return Err(fail(
                        Some(p.span().start),
                        field,
                        ConfigErrorKind::DuplicateProvider {
                            key: written.to_string(),
                            first_tier,
                        },
                    ));
                }
                keys.insert(key, (i, written.to_string()));
                listed.push(written.to_string());
            }
            tiers.push(Tier {
                name,
                credibility: c,
                description: t.description,
                providers: listed,
            });
        }

        let default_tier = match &raw.default_tier {
            Some(d) => tiers
                .iter()
                .position(|t| t.name == *d.get_ref())
                .ok_or_else(|| {
                    fail(
                        Some(d.span().start),
                        Some("default_tier".into()),
                        ConfigErrorKind::UnknownTier {
                            name: d.get_ref().clone(),
                        },
                    )
                })?,
            None => tiers
                .iter()
                .position(|t| t.name == "unknown")
                .ok_or_else(|| {
                    fail(
                        None,
                        Some("default_tier".into()),
                        ConfigErrorKind::UnknownTier {
                            name: "unknown".into(),
                        },
                    )
                })?,
        };
        Ok(ProviderTable {
            tiers,
            default_tier,
            keys,
        })
    }

    /// The tiers in file order.
    pub fn tiers(&self) -> &[Tier] {
        &self.tiers
    }

    /// The tier unlisted providers get.
    pub fn default_tier(&self) -> &Tier {
        &self.tiers[self.default_tier]
    }

    /// The credibility of a provider, by domain first (the domain itself, then
    /// each parent domain: `news.example.co.uk`, `example.co.uk`, `co.uk`),
    /// then by display name (case-insensitive; a name that looks like a domain
    /// is tried as one too). Unlisted providers get the default tier.
    pub fn lookup(&self, name: Option<&str>, domain: Option<&str>) -> Credibility<'_> {
        let found = domain
            .and_then(|d| self.by_domain(&clean_domain(d)))
            .or_else(|| {
                let name = name?.trim();
                if name.is_empty() {
                    return None;
                }
                self.keys.get(&name.to_lowercase()).or_else(|| {
                    (name.contains('.') && !name.contains(' '))
                        .then(|| self.by_domain(&clean_domain(name)))
                        .flatten()
                })
            });
        match found {
            Some((tier, key)) => {
                let t = &self.tiers[*tier];
                Credibility {
                    tier: &t.name,
                    value: t.credibility,
                    matched: Some(key),
                }
            }
            None => {
                let t = self.default_tier();
                Credibility {
                    tier: &t.name,
                    value: t.credibility,
                    matched: None,
                }
            }
        }
    }

    fn by_domain(&self, domain: &str) -> Option<&(usize, String)> {
        let mut d = domain;
        loop {
            if d.is_empty() {
                return None;
            }
            if let Some(hit) = self.keys.get(d) {
                return Some(hit);
            }
            d = d.split_once('.')?.1;
            if !d.contains('.') && !self.keys.contains_key(d) {
                // A bare top-level domain is never a provider.
                return None;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_table_loads_and_ranks() {
        let t = ProviderTable::default();
        let c = |d: &str| t.lookup(None, Some(d)).value;
        assert!(c("reuters.com") > c("nytimes.com"));
        assert!(c("nytimes.com") > c("zdnet.com"));
        assert!(c("zdnet.com") > c("unheard-of.example"));
        assert!(c("unheard-of.example") > c("prnewswire.com"));
        assert_eq!(c("https://uk.Reuters.com/article/x"), 1.0);
        assert_eq!(c("www.openpr.com"), 0.1);
        assert_eq!(t.lookup(None, Some("unheard-of.example")).matched, None);
        assert_eq!(t.lookup(None, Some("unheard-of.example")).tier, "unknown");
        // By name when the domain is not listed.
        let abc = t.lookup(Some("ABC News"), Some("go.com"));
        assert_eq!(abc.tier, "major");
        assert_eq!(t.lookup(Some("openpr.com"), None).tier, "press_release");
        assert_eq!(t.lookup(Some("pr newswire"), None).tier, "press_release");
        assert_eq!(t.lookup(Some(""), Some("")).tier, "unknown");
        assert_eq!(t.lookup(None, Some("com")).tier, "unknown");
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let text = "version = 1\n[tiers.a]\ncredibility = 1.5\nproviders = []\n";
        let e = ProviderTable::from_toml_str(text, "p.toml").unwrap_err();
        assert_eq!(e.line, Some(3));
        assert_eq!(e.field.as_deref(), Some("tiers.a.credibility"));
        assert!(e
            .to_string()
            .starts_with("p.toml:3: tiers.a.credibility: 1.5 is out of range"));

        let text = "[tiers.unknown]\ncredibility = 0.5\n[tiers.a]\ncredibility = 1\nproviders = [\"x.com\"]\n[tiers.b]\ncredibility = 0.2\nproviders = [\n  \"y.com\",\n  \"www.X.com\",\n]\n";
        let e = ProviderTable::from_toml_str(text, "p.toml").unwrap_err();
        assert_eq!(e.line, Some(10));
        assert_eq!(
            e.kind,
            ConfigErrorKind::DuplicateProvider {
                key: "www.X.com".into(),
                first_tier: "a".into()
            }
        );

        let e = ProviderTable::from_toml_str("default_tier = \"zz\"\n", "p.toml").unwrap_err();
        assert_eq!(e.kind, ConfigErrorKind::UnknownTier { name: "zz".into() });
        assert_eq!(e.line, Some(1));

        let e = ProviderTable::from_toml_str(
            "[tiers.unknown]\ncredibility = 0.5\ncolour = 1\n",
            "p.toml",
        )
        .unwrap_err();
        assert!(matches!(e.kind, ConfigErrorKind::Toml(_)), "{e}");
        assert_eq!(e.line, Some(3));
        assert_eq!(e.field.as_deref(), Some("tiers.unknown.colour"));

        let e = ProviderTable::from_toml_str("[tiers.unknown]\ncredibility = \"high\"\n", "p.toml")
            .unwrap_err();
        assert_eq!(e.line, Some(2));
        assert_eq!(e.field.as_deref(), Some("tiers.unknown.credibility"));

        let e = ProviderTable::from_toml_str("version = 2\n", "p.toml").unwrap_err();
        assert!(matches!(e.kind, ConfigErrorKind::Version { found: 2, .. }));

        let e = ProviderTable::from_toml_str(
            "[tiers.unknown]\ncredibility = 0.5\nproviders = [\" \"]\n",
            "p.toml",
        )
        .unwrap_err();
        assert_eq!(e.kind, ConfigErrorKind::EmptyKey);

        let e = ProviderTable::from_path(Path::new("/nonexistent/providers.toml")).unwrap_err();
        assert!(matches!(e.kind, ConfigErrorKind::Io(_)));
        assert_eq!(e.origin, "/nonexistent/providers.toml");
    }

    #[test]
    fn tiers_keep_file_order() {
        let t = ProviderTable::default();
        let names: Vec<&str> = t.tiers().iter().map(|t| t.name.as_str()).collect();
        assert_eq!(
            names,
            [
                "wire",
                "major",
                "tech",
                "trade",
                "vendor",
                "unknown",
                "platform",
                "press_release"
            ]
        );
        assert_eq!(t.default_tier().name, "unknown");
    }
}
