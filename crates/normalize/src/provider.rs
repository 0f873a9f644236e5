//! Who published an article: the registrable domain and a display name.

use crate::provider_table::PROVIDERS;
use newsdesk_model::Provider;

/// The registrable domain (public suffix + one label) of a host or URL, from
/// the Public Suffix List: `www.sify.com` → `sify.com`, `news.bbc.co.uk` →
/// `bbc.co.uk`. `None` for IP addresses, bare suffixes (`co.uk`) and
/// single-label hosts (`localhost`).
///
/// ```
/// use newsdesk_normalize::registrable_domain;
/// assert_eq!(registrable_domain("https://news.bbc.co.uk/x").as_deref(), Some("bbc.co.uk"));
/// ```
pub fn registrable_domain(host_or_url: &str) -> Option<String> {
    let host = host_of(host_or_url)?;
    registrable_of_host(&host)
}

fn registrable_of_host(host: &str) -> Option<String> {
    if host.parse::<std::net::IpAddr>().is_ok() || host.starts_with('[') {
        return None;
    }
    let domain = psl::domain_str(host)?;
    // A name the list does not know ends in psl's implicit `*` rule; a
    // registrable domain still needs a real label before the suffix.
    (domain.contains('.') && !domain.starts_with('.')).then(|| domain.to_string())
}

/// The host of a URL, or the input itself when it is a bare host (a port or
/// path after it is ignored), lower-case and in punycode.
fn host_of(host_or_url: &str) -> Option<String> {
    let s = host_or_url.trim();
    if s.is_empty() {
        return None;
    }
    let host = if s.contains("://") {
        url::Url::parse(s).ok()?.host_str()?.to_string()
    } else {
        let end = s.find(['/', '?', '#']).unwrap_or(s.len());
        let authority = &s[..end];
        let authority = authority.rsplit('@').next().unwrap_or(authority);
        let host = match authority.rfind(':') {
            Some(i) if !authority.starts_with('[') => &authority[..i],
            _ => authority,
        };
        idna::domain_to_ascii(host).ok()?
    };
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    (!host.is_empty()).then_some(host)
}

/// The provider of an article at `url`: the known-providers table when the host
/// (or a parent of it) is listed, else the site's own title (`site_title`,
/// e.g. `og:site_name` or `<title>` of the home page) with boilerplate such as
/// ` - Home` or ` | Latest news` removed, else a name made from the domain
/// (`example-news.com` → `Example News`). The domain is always the registrable
/// domain. `None` when the URL has no registrable domain.
///
/// ```
/// use newsdesk_normalize::provider_for;
/// let p = provider_for("https://www.sify.com/finance/x.html", None).unwrap();
/// assert_eq!((p.name.as_str(), p.domain.as_str()), ("Sify.com", "sify.com"));
/// ```
pub fn provider_for(url: &str, site_title: Option<&str>) -> Option<Provider> {
    let host = host_of(url)?;
    let domain = registrable_of_host(&host)?;
    let name = known_provider(&host, &domain)
        .map(str::to_string)
        .or_else(|| {
            site_title
                .and_then(clean_site_title)
                .filter(|t| names_the_site(t, &domain))
        })
        .unwrap_or_else(|| name_from_domain(&domain));
    Some(Provider {
        name,
        domain,
        images: Vec::new(),
    })
}

/// The most specific table entry for the host: the host itself, then each
/// parent down to the registrable domain.
fn known_provider(host: &str, domain: &str) -> Option<&'static str> {
    let mut candidate = host;
    loop {
        if let Ok(i) = PROVIDERS.binary_search_by(|(k, _)| (*k).cmp(candidate)) {
            return Some(PROVIDERS[i].1);
        }
        if candidate.len() <= domain.len() {
            return None;
        }
        candidate = candidate.split_once('.')?.1;
    }
}

/// Words that make up a site title's boilerplate rather than its name.
const BOILERPLATE: &[&str] = &[
    "home",
    "homepage",
    "home page",
    "welcome",
    "official site",
    "official website",
    "news",
    "latest news",
    "breaking news",
    "top news",
    "top stories",
    "latest news and updates",
    "breaking news and updates",
    "latest headlines",
    "headlines",
    "front page",
    "index",
];

/// A site title reduced to the site's name: split at ` - `, ` | `, ` – `,
/// ` — `, ` · `, ` :: ` and ` : `, boilerplate parts dropped, the first part left
/// kept. `None` when nothing useful remains.
fn clean_site_title(title: &str) -> Option<String> {
    let title = crate::text::clean_whitespace(title).replace('\n', " ");
    let mut parts = vec![title.as_str()];
    for sep in [" | ", " - ", " – ", " — ", " · ", " :: ", " : ", " » "] {
        parts = parts.iter().flat_map(|p| p.split(sep)).collect();
    }
    parts
        .into_iter()
        .map(str::trim)
        .filter(|p| !p.is_empty())
        .find(|p| {
            let lower = p.to_lowercase();
            !BOILERPLATE.contains(&lower.as_str())
        })
        .map(str::to_string)
}

/// Whether a site title names the site rather than a section of it: a feed
/// titled "newest submissions" on reddit.com or "News, Politics, Opinion" on
/// newyorker.com says nothing about who publishes it. The test: the title,
/// letters and digits only, contains the domain's name or is contained in it,
/// or one of its words (4 letters or more) starts the domain's name
/// ("Example Daily" on example-news.com).
fn names_the_site(title: &str, domain: &str) -> bool {
    let compact = |s: &str| -> String {
        s.chars()
            .filter(|c| c.is_alphanumeric())
            .flat_map(char::to_lowercase)
            .collect()
    };
    let label = compact(domain.split('.').next().unwrap_or(domain));
    let word_starts_label = title
        .split(|c: char| !c.is_alphanumeric())
        .map(compact)
        .any(|w| w.chars().count() >= 4 && label.starts_with(&w));
    let title = compact(title);
    !label.is_empty()
        && !title.is_empty()
        && (title.contains(&label) || label.contains(&title) || word_starts_label)
}

/// A modest name from the domain: the label before the public suffix, split at
/// `-` and `_`, each word capitalized (`example-news.com` → `Example News`).
fn name_from_domain(domain: &str) -> String {
    let label = domain.split('.').next().unwrap_or(domain);
    let words: Vec<String> = label
        .split(['-', '_'])
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            match chars.next() {
                Some(first) => first.to_uppercase().chain(chars).collect(),
                None => String::new(),
            }
        })
        .collect();
    if words.is_empty() {
        domain.to_string()
    } else {
        words.join(" ")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_lower_case() {
        for pair in PROVIDERS.windows(2) {
            assert!(pair[0].0 < pair[1].0, "{} before {}", pair[0].0, pair[1].0);
        }
        for (host, name) in PROVIDERS {
            assert_eq!(host.to_ascii_lowercase(), *host);
            assert!(!name.trim().is_empty());
            assert!(
                registrable_of_host(host).is_some(),
                "{host} has no registrable domain"
            );
        }
    }

    #[test]
    fn site_titles_lose_their_boilerplate() {
        for (title, expected) in [
            ("BBC News - Home", Some("BBC News")),
            ("The Verge | Latest news", Some("The Verge")),
            ("Home | Example Daily", Some("Example Daily")),
            ("  Acme   Times  ", Some("Acme Times")),
            ("Home - News", None),
            ("", None),
        ] {
            assert_eq!(clean_site_title(title).as_deref(), expected, "{title:?}");
        }
    }

    #[test]
    fn site_titles_must_name_the_site() {
        for (title, domain, expected) in [
            ("The Cloudflare Blog", "cloudflare.com", true),
            ("BBC News", "bbc.co.uk", true),
            ("Example Chip Notes", "example.org", true),
            ("newest submissions", "reddit.com", false),
            (
                "News, Politics, Opinion, Commentary, and Analysis",
                "newyorker.com",
                false,
            ),
        ] {
            assert_eq!(
                names_the_site(title, domain),
                expected,
                "{title:?} on {domain}"
            );
        }
        let p = provider_for(
            "https://ud.somesite-example.com/r/x",
            Some("newest submissions"),
        )
        .unwrap();
        assert_eq!(p.name, "Somesite Example");
    }

    #[test]
    fn names_from_domains() {
        assert_eq!(name_from_domain("example-news.com"), "Example News");
        assert_eq!(name_from_domain("acme.co.uk"), "Acme");
    }
}
