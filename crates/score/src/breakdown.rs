//! A score with its explanation: named components whose points add up to it.

use std::fmt;

use serde::{Deserialize, Serialize};

/// One named part of a score: how many points it adds (or takes away) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Component {
    /// A stable identifier (`source`, `depth`, `coverage`, ...), usable as a key.
    pub name: String,
    /// Signed points; the components of a [`Breakdown`] sum to its score.
    pub points: i64,
    /// What the points are for, in words an editor can read.
    pub reason: String,
}

/// A score and its components. Invariant: `score == components.iter().map(|c| c.points).sum()`.
///
/// When the raw sum falls outside the allowed range, a last component named
/// `clamp` brings it back, so the invariant holds for clamped scores too.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Breakdown {
    pub score: i64,
    pub components: Vec<Component>,
}

impl Breakdown {
    pub(crate) fn push(&mut self, name: &str, points: i64, reason: impl Into<String>) {
        self.score += points;
        self.components.push(Component {
            name: name.to_string(),
            points,
            reason: reason.into(),
        });
    }

    /// Brings the score into `min..=max` with a `clamp` component when needed.
    pub(crate) fn clamp(&mut self, min: i64, max: i64) {
        if self.score < min {
            let raw = self.score;
            self.push(
                "clamp",
                min - raw,
                format!("raw sum {raw} raised to the minimum {min}"),
            );
        } else if self.score > max {
            let raw = self.score;
            self.push(
                "clamp",
                max - raw,
                format!("raw sum {raw} lowered to the maximum {max}"),
            );
        }
    }

    /// The component with this name, if present.
    pub fn component(&self, name: &str) -> Option<&Component> {
        self.components.iter().find(|c| c.name == name)
    }

    /// The points of the named component (0 when absent).
    pub fn points(&self, name: &str) -> i64 {
        self.component(name).map_or(0, |c| c.points)
    }

    /// `true` when the components add up to the score (always, for breakdowns
    /// this crate builds; useful to check deserialized ones).
    pub fn is_consistent(&self) -> bool {
        self.components.iter().map(|c| c.points).sum::<i64>() == self.score
    }
}

impl fmt::Display for Breakdown {
    /// One line per component, `+12 depth: 640 words, ...`, then `= score`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for c in &self.components {
            writeln!(f, "{:+4} {}: {}", c.points, c.name, c.reason)?;
        }
        write!(f, "= {}", self.score)
    }
}

/// Rounds a point value to an integer (half away from zero); non-finite values
/// count as 0.
pub(crate) fn round(points: f64) -> i64 {
    if points.is_finite() {
        points.round().clamp(-1e12, 1e12) as i64
    } else {
        0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clamp_keeps_the_sum() {
        let mut b = Breakdown::default();
        b.push("a", 120, "x");
        b.push("b", 60, "y");
        b.clamp(0, 150);
        assert_eq!(b.score, 150);
        assert!(b.is_consistent());
        assert_eq!(b.points("clamp"), -30);

        let mut b = Breakdown::default();
        b.push("a", -20, "x");
        b.clamp(0, 150);
        assert_eq!(b.score, 0);
        assert!(b.is_consistent());

        let mut b = Breakdown::default();
        b.push("a", 20, "x");
        b.clamp(0, 150);
        assert!(b.component("clamp").is_none());
    }

    #[test]
    fn display_lists_components() {
        let mut b = Breakdown::default();
        b.push("source", 45, "Reuters: wire");
        b.push("title", -10, "clickbait");
        assert_eq!(
            b.to_string(),
            " +45 source: Reuters: wire\n -10 title: clickbait\n= 35"
        );
    }
}
