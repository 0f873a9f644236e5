//! Heat: how much a story is trending now, from its members' providers,
//! credibility and publication times. Pure: `now` is an argument.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::breakdown::{round, Breakdown};
use crate::config::HeatConfig;
use crate::providers::ProviderTable;

/// The heat of an article the desk does not publish.
pub const UNPUBLISHED_HEAT: i64 = -1;

/// The heat to store on an article: its story's heat when published,
/// [`UNPUBLISHED_HEAT`] otherwise.
pub fn stored_heat(published: bool, story_heat: &Breakdown) -> i64 {
    if published {
        story_heat.score
    } else {
        UNPUBLISHED_HEAT
    }
}

/// One article of a story, as heat sees it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct StoryMember {
    /// Who published it: a stable key per provider (its domain, else its
    /// name). Members with the same key count as one provider.
    pub provider: String,
    /// The provider's credibility, `0..=1` (see [`ProviderTable::lookup`]).
    pub credibility: f64,
    /// When it was published (or first seen, when the date is missing or wrong).
    pub published_at: DateTime<Utc>,
}

impl StoryMember {
    /// A member whose credibility comes from the provider table; the key is
    /// the domain when there is one, else the name.
    pub fn from_table(
        table: &ProviderTable,
        name: Option<&str>,
        domain: Option<&str>,
        published_at: DateTime<Utc>,
    ) -> StoryMember {
        let name = name.map(str::trim).filter(|s| !s.is_empty());
        let domain = domain.map(str::trim).filter(|s| !s.is_empty());
        StoryMember {
            provider: domain.or(name).unwrap_or("").to_lowercase(),
            credibility: table.lookup(name, domain).value,
            published_at,
        }
    }
}

/// One provider of a story: its best credibility, its first and latest article.
struct ProviderCoverage {
    key: String,
    credibility: f64,
    first: DateTime<Utc>,
    latest: DateTime<Utc>,
}

fn hours_between(earlier: DateTime<Utc>, later: DateTime<Utc>) -> f64 {
    ((later - earlier).num_milliseconds() as f64 / 3_600_000.0).max(0.0)
}

/// `lead × (largest weight) + per_provider × (the others)`, capped.
fn coverage_points(weights: &mut [f64], config: &HeatConfig) -> f64 {
    weights.sort_by(|a, b| b.total_cmp(a));
    let Some((&first, rest)) = weights.split_first() else {
        return 0.0;
    };
    let raw = config.lead * first + config.per_provider * rest.iter().sum::<f64>();
    raw.min(config.coverage_max)
}

/// Heat of a story at `now`. Components, in order:
///
/// - `coverage`: the story's distinct credible providers (credibility at least
///   `min_credibility`): `lead` × the most credible one's credibility plus
///   `per_provider` × each other's, capped at `coverage_max`;
/// - `velocity`: the credible coverage that joined in the last `window_hours`,
///   as a share of all of it, times how close that recent coverage comes to
///   `velocity_saturation` providers;
/// - `age`: what coverage loses to time (≤ 0): each provider's weight halves
///   every `half_life_hours` since its latest article in the story.
///
/// Members published after `now` count as published at `now`.
pub fn heat(members: &[StoryMember], now: DateTime<Utc>, config: &HeatConfig) -> Breakdown {
    let mut b = Breakdown::default();
    let mut by_provider: BTreeMap<String, ProviderCoverage> = BTreeMap::new();
    for m in members {
        let c = if m.credibility.is_finite() {
            m.credibility.clamp(0.0, 1.0)
        } else {
            0.0
        };
        let at = m.published_at.min(now);
        let key = m.provider.trim().to_lowercase();
        by_provider
            .entry(key.clone())
            .and_modify(|p| {
                p.credibility = p.credibility.max(c);
                p.first = p.first.min(at);
                p.latest = p.latest.max(at);
            })
            .or_insert(ProviderCoverage {
                key,
                credibility: c,
                first: at,
                latest: at,
            });
    }
    let (credible, below): (Vec<&ProviderCoverage>, Vec<&ProviderCoverage>) = by_provider
        .values()
        .partition(|p| p.credibility >= config.min_credibility);

    if credible.is_empty() {
        let reason = if members.is_empty() {
            "no coverage".to_string()
        } else {
            format!(
                "no credible provider ({} below credibility {:.2})",
                below.len(),
                config.min_credibility
            )
        };
        b.push("coverage", 0, reason);
        b.push("velocity", 0, "no credible coverage");
        b.push("age", 0, "no credible coverage");
        return b;
    }

    // Coverage, fresh and decayed.
    let mut fresh: Vec<f64> = credible.iter().map(|p| p.credibility).collect();
    let mut decayed: Vec<f64> = credible
        .iter()
        .map(|p| {
            let age = hours_between(p.latest, now);
            p.credibility * 0.5f64.powf(age / config.half_life_hours)
        })
        .collect();
    let fresh_points = round(coverage_points(&mut fresh, config));
    let decayed_points = round(coverage_points(&mut decayed, config));

    let mut names: Vec<&ProviderCoverage> = credible.clone();
    names.sort_by(|a, b| {
        b.credibility
            .total_cmp(&a.credibility)
            .then_with(|| a.key.cmp(&b.key))
    });
    let mut listed: Vec<String> = names
        .iter()
        .take(5)
        .map(|p| {
            let key = if p.key.is_empty() {
                "(unnamed)"
            } else {
                p.key.as_str()
            };
            format!("{key} {:.2}", p.credibility)
        })
        .collect();
    if names.len() > 5 {
        listed.push(format!("+{} more", names.len() - 5));
    }
    let mut reason = format!(
        "{} credible provider{}: {}",
        credible.len(),
        if credible.len() == 1 { "" } else { "s" },
        listed.join(", ")
    );
    if !below.is_empty() {
        reason.push_str(&format!(
            "; {} below credibility {:.2} not counted",
            below.len(),
            config.min_credibility
        ));
    }
    b.push("coverage", fresh_points, reason);

    // Velocity: credible coverage that joined within the window.
    let (mut recent, mut before, mut recent_n) = (0.0, 0.0, 0usize);
    for p in &credible {
        if hours_between(p.first, now) < config.window_hours {
            recent += p.credibility;
            recent_n += 1;
        } else {
            before += p.credibility;
        }
    }
    let share = if recent + before > 0.0 {
        recent / (recent + before)
    } else {
        0.0
    };
    let saturation = (recent / config.velocity_saturation).min(1.0);
    b.push(
        "velocity",
        round(config.velocity * share * saturation),
        format!(
            "{recent_n} of {} credible providers joined in the last {} h",
            credible.len(),
            config.window_hours
        ),
    );

    // Age.
    let newest = credible.iter().map(|p| p.latest).max().unwrap_or(now);
    let oldest = credible.iter().map(|p| p.latest).min().unwrap_or(now);
    let (newest_h, oldest_h) = (hours_between(newest, now), hours_between(oldest, now));
    let span = if credible.len() > 1 && (oldest_h - newest_h) >= 1.0 {
        format!("{newest_h:.0}–{oldest_h:.0} h old")
    } else {
        format!("{newest_h:.0} h old")
    };
    b.push(
        "age",
        decayed_points - fresh_points,
        format!(
            "latest coverage per provider {span}; half-life {} h",
            config.half_life_hours
        ),
    );
    b
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::{Duration, TimeZone};

    fn t0() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2021, 5, 4, 12, 0, 0).unwrap()
    }

    fn m(p: &str, c: f64, hours_ago: i64) -> StoryMember {
        StoryMember {
            provider: p.into(),
            credibility: c,
            published_at: t0() - Duration::hours(hours_ago),
        }
    }

    #[test]
    fn single_fresh_wire_story() {
        let b = heat(&[m("reuters.com", 1.0, 0)], t0(), &HeatConfig::default());
        assert_eq!(b.points("coverage"), 50);
        assert_eq!(b.points("velocity"), 10);
        assert_eq!(b.points("age"), 0);
        assert_eq!(b.score, 60);
        assert!(b.is_consistent());
    }

    #[test]
    fn empty_and_incredible_stories_are_cold() {
        let b = heat(&[], t0(), &HeatConfig::default());
        assert_eq!(b.score, 0);
        let b = heat(
            &[m("prnewswire.com", 0.1, 0), m("openpr.com", 0.1, 0)],
            t0(),
            &HeatConfig::default(),
        );
        assert_eq!(b.score, 0);
        assert!(b.components[0].reason.contains("2 below"), "{b}");
    }

    #[test]
    fn one_provider_counts_once() {
        let c = HeatConfig::default();
        let one = heat(&[m("a.com", 0.75, 1)], t0(), &c);
        let three = heat(
            &[
                m("a.com", 0.75, 1),
                m("a.com", 0.75, 2),
                m("A.com ", 0.5, 3),
            ],
            t0(),
            &c,
        );
        assert_eq!(one.points("coverage"), three.points("coverage"));
    }

    #[test]
    fn future_members_count_as_now() {
        let c = HeatConfig::default();
        let later = heat(&[m("a.com", 1.0, -5)], t0(), &c);
        let now = heat(&[m("a.com", 1.0, 0)], t0(), &c);
        assert_eq!(later, now);
    }

    #[test]
    fn stored_heat_of_unpublished_is_minus_one() {
        let b = heat(&[m("a.com", 1.0, 0)], t0(), &HeatConfig::default());
        assert_eq!(stored_heat(false, &b), UNPUBLISHED_HEAT);
        assert_eq!(stored_heat(true, &b), b.score);
    }

    #[test]
    fn members_from_the_table() {
        let t = ProviderTable::default();
        let s = StoryMember::from_table(&t, Some("Reuters"), Some("Reuters.com"), t0());
        assert_eq!(s.provider, "reuters.com");
        assert_eq!(s.credibility, 1.0);
        let s = StoryMember::from_table(&t, Some("Someone"), None, t0());
        assert_eq!(s.provider, "someone");
        assert_eq!(s.credibility, 0.5);
    }
}
