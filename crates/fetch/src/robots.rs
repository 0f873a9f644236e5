//! robots.txt (RFC 9309): parsing, the rules for one user agent, matching.
//!
//! Groups start with one or more `User-agent` lines. The groups naming our
//! product token (case-insensitive) are merged and used; if none does, the
//! `*` groups are; if there are none either, everything is allowed. Among
//! the rules matching a path the longest pattern wins, and `Allow` wins a
//! tie. Patterns may use `*` (any run of characters) and a final `$` (end of
//! the path). `Crawl-delay` (not in the RFC, widely used) is read from the
//! chosen groups.

use std::time::Duration;

/// Only this much of a robots.txt is parsed (the RFC asks for at least
/// 500 KiB).
pub const MAX_ROBOTS_BYTES: usize = 512 * 1024;

/// The rules of one robots.txt that apply to us.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Robots {
    /// (allow, pattern), patterns percent-encoded like request paths.
    rules: Vec<(bool, String)>,
    crawl_delay: Option<Duration>,
}

impl Robots {
    /// Everything allowed (no robots.txt, or a 4xx for it).
    pub fn allow_all() -> Self {
        Self::default()
    }

    /// Everything disallowed.
    pub fn disallow_all() -> Self {
        Self {
            rules: vec![(false, "/".to_string())],
            crawl_delay: None,
        }
    }

    /// Parses `text` and keeps the rules for `product` (our user agent's
    /// product token, e.g. `newsdesk`), else those for `*`.
    pub fn parse(text: &str, product: &str) -> Self {
        let text = match text.char_indices().nth(MAX_ROBOTS_BYTES) {
            Some((i, _)) => &text[..i],
            None => text,
        };
        let product = product.to_ascii_lowercase();
        struct Group {
            agents: Vec<String>,
            rules: Vec<(bool, String)>,
            delay: Option<Duration>,
        }
        let mut groups: Vec<Group> = Vec::new();
        // Whether the last group still takes User-agent lines (no rule yet).
        let mut open = false;
        for line in text.lines() {
            let line = line.split('#').next().unwrap_or("").trim();
            let Some((key, value)) = line.split_once(':') else {
                continue;
            };
            let key = key.trim().to_ascii_lowercase();
            let value = value.trim();
            match key.as_str() {
                "user-agent" | "useragent" | "user agent" => {
                    let agent = value
                        .split(['/', ' '])
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    match groups.last_mut() {
                        Some(g) if open => g.agents.push(agent),
                        _ => {
                            groups.push(Group {
                                agents: vec![agent],
                                rules: Vec::new(),
                                delay: None,
                            });
                            open = true;
                        }
                    }
                }
                "allow" | "disallow" => {
                    open = false;
                    if let Some(g) = groups.last_mut() {
                        // An empty Disallow allows everything: no rule.
                        if !value.is_empty() {
                            g.rules.push((key == "allow", encode_pattern(value)));
                        }
                    }
                }
                "crawl-delay" | "crawl_delay" => {
                    open = false;
                    if let Some(g) = groups.last_mut() {
                        if let Ok(s) = value.parse::<f64>() {
                            if s.is_finite() && s >= 0.0 {
                                g.delay = Some(Duration::from_secs_f64(s.min(86_400.0)));
                            }
                        }
                    }
                }
                _ => {}
            }
        }
        let pick = |pred: &dyn Fn(&str) -> bool| {
            let chosen: Vec<&Group> = groups
                .iter()
                .filter(|g| g.agents.iter().any(|a| pred(a)))
                .collect();
            (!chosen.is_empty()).then(|| Robots {
                rules: chosen
                    .iter()
                    .flat_map(|g| g.rules.iter().cloned())
                    .collect(),
                crawl_delay: chosen.iter().filter_map(|g| g.delay).max(),
            })
        };
        pick(&|a| !product.is_empty() && a == product)
            .or_else(|| pick(&|a| a == "*"))
            .unwrap_or_default()
    }

    /// Whether `path_and_query` (as sent: `/a/b?c=d`) may be fetched.
    pub fn allowed(&self, path_and_query: &str) -> bool {
        if path_and_query == "/robots.txt" {
            return true;
        }
        let mut best: Option<(usize, bool)> = None;
        for (allow, pat) in &self.rules {
            if pattern_matches(pat, path_and_query) {
                let len = pat.len();
                best = match best {
                    Some((l, a)) if l > len || (l == len && a) => Some((l, a)),
                    _ => Some((len, *allow)),
                };
            }
        }
        best.is_none_or(|(_, allow)| allow)
    }

    /// The `Crawl-delay` of the chosen groups.
    pub fn crawl_delay(&self) -> Option<Duration> {
        self.crawl_delay
    }
}

/// Percent-encodes what a request path would have encoded (non-ASCII bytes,
/// spaces), so patterns and paths compare in one form.
fn encode_pattern(p: &str) -> String {
    let mut out = String::with_capacity(p.len());
    for b in p.bytes() {
        if b.is_ascii_graphic() {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `*` matches any run, `$` at the end anchors; otherwise a prefix match.
/// Iterative with one backtrack point per star: O(pattern × path).
fn pattern_matches(pattern: &str, path: &str) -> bool {
    let (pat, anchored) = match pattern.strip_suffix('$') {
        Some(p) => (p.as_bytes(), true),
        None => (pattern.as_bytes(), false),
    };
    let s = path.as_bytes();
    let (mut pi, mut si) = (0usize, 0usize);
    let mut star: Option<(usize, usize)> = None;
    loop {
        if pi == pat.len() {
            if !anchored || si == s.len() {
                return true;
            }
        } else if pat[pi] == b'*' {
            star = Some((pi, si));
            pi += 1;
            continue;
        } else if si < s.len() && pat[pi] == s[si] {
            pi += 1;
            si += 1;
            continue;
        }
        // Mismatch (or anchored end not reached): let the last star eat one
        // more byte.
        match star {
            Some((sp, ss)) if ss < s.len() => {
                star = Some((sp, ss + 1));
                pi = sp + 1;
                si = ss + 1;
            }
            _ => return false,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const TXT: &str = "\
# comment
User-agent: *
Disallow: /private/
Allow: /private/open
Crawl-delay: 2

User-agent: OtherBot
Disallow: /

User-agent: newsdesk
User-agent: another
Disallow: /no-news
Disallow: /*.pdf$
Allow: /no-news/but-this
Crawl-delay: 0.5
";

    #[test]
    fn our_group_wins_over_star() {
        let r = Robots::parse(TXT, "NewsDesk");
        assert!(!r.allowed("/no-news/x"));
        assert!(r.allowed("/no-news/but-this/too"));
        assert!(r.allowed("/private/x"), "star group does not apply to us");
        assert!(!r.allowed("/a/b/file.pdf"));
        assert!(r.allowed("/a/b/file.pdf?x=1"));
        assert_eq!(r.crawl_delay(), Some(Duration::from_millis(500)));
    }

    #[test]
    fn star_group_when_not_named() {
        let r = Robots::parse(TXT, "somebot");
        assert!(!r.allowed("/private/x"));
        assert!(r.allowed("/private/open/1"));
        assert!(r.allowed("/"));
        assert_eq!(r.crawl_delay(), Some(Duration::from_secs(2)));
        assert!(r.allowed("/robots.txt"));
    }

    #[test]
    fn longest_match_and_ties() {
        let r = Robots::parse(
            "User-agent: *\nDisallow: /a\nAllow: /a\nDisallow: /ab*c\n",
            "x",
        );
        assert!(r.allowed("/a"), "allow wins a tie");
        assert!(!r.allowed("/abxxc"));
        assert!(Robots::parse("User-agent: *\nDisallow:\n", "x").allowed("/anything"));
        assert!(Robots::parse("", "x").allowed("/anything"));
        assert!(!Robots::disallow_all().allowed("/x"));
    }

    #[test]
    fn wildcards() {
        assert!(pattern_matches("/*", "/"));
        assert!(pattern_matches("/a*b*c", "/axxbyyc/z"));
        assert!(!pattern_matches("/a*b*c$", "/axxbyyc/z"));
        assert!(pattern_matches("/a*b*c$", "/axxbyyczc"));
        assert!(pattern_matches("*", ""));
        assert!(!pattern_matches("/x$", "/xy"));
        // Pathological patterns stay cheap.
        let pat = "/".to_string() + &"*a".repeat(50) + "$";
        let path = "/".to_string() + &"a".repeat(49) + &"b".repeat(2000);
        assert!(!pattern_matches(&pat, &path));
    }

    #[test]
    fn non_ascii_patterns_compare_encoded() {
        let r = Robots::parse("User-agent: *\nDisallow: /café\n", "x");
        assert!(!r.allowed("/caf%C3%A9/menu"));
    }
}
