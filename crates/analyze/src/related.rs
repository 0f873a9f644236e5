//! An article's related coverage: the other articles of its story, then, when
//! the story is small, similar recent articles from other stories.
//!
//! Order within the story: other providers before the article's own
//! provider (a reader wants another view, not the same outlet again), then
//! originals before copies, then higher quality, then nearer in time, then
//! lower id (so the order is total and stable).

/// Entries in a related list.
pub const MAX_RELATED: usize = 8;

/// What ordering needs to know about a candidate.
#[derive(Debug, Clone, PartialEq)]
pub struct Candidate {
    pub id: i64,
    pub provider: String,
    /// Whether it is a copy of another article.
    pub duplicate: bool,
    pub quality: Option<i64>,
    /// Publication time (Unix seconds), if known.
    pub time: Option<i64>,
}

/// The related list of an article: `story` holds the other articles of its
/// story (the article itself is skipped if present), `similar` the similar
/// articles of other stories, best first. Returns ids, at most
/// [`MAX_RELATED`], no repeats.
pub fn related(
    id: i64,
    provider: &str,
    time: Option<i64>,
    story: &[Candidate],
    similar: &[i64],
) -> Vec<i64> {
    let mut own: Vec<&Candidate> = story.iter().filter(|c| c.id != id).collect();
    let distance = |c: &Candidate| match (c.time, time) {
        (Some(a), Some(b)) => (a - b).unsigned_abs(),
        _ => u64::MAX,
    };
    own.sort_by(|a, b| {
        (a.provider == provider)
            .cmp(&(b.provider == provider))
            .then(a.duplicate.cmp(&b.duplicate))
            .then(b.quality.unwrap_or(-1).cmp(&a.quality.unwrap_or(-1)))
            .then(distance(a).cmp(&distance(b)))
            .then(a.id.cmp(&b.id))
    });
    let mut out: Vec<i64> = Vec::with_capacity(MAX_RELATED);
    for c in own {
        if out.len() == MAX_RELATED {
            return out;
        }
        out.push(c.id);
    }
    for s in similar {
        if out.len() == MAX_RELATED {
            break;
        }
        if *s != id && !out.contains(s) {
            out.push(*s);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(id: i64, provider: &str, duplicate: bool, quality: Option<i64>, time: i64) -> Candidate {
        Candidate {
            id,
            provider: provider.into(),
            duplicate,
            quality,
            time: Some(time),
        }
    }

    #[test]
    fn other_providers_first_then_quality_then_time() {
        let story = vec![
            c(1, "a.com", false, Some(90), 100), // the article itself
            c(2, "a.com", false, Some(120), 100),
            c(3, "b.com", false, Some(50), 5000),
            c(4, "c.com", false, Some(80), 200),
            c(5, "d.com", true, Some(150), 100),
            c(6, "e.com", false, Some(50), 150),
        ];
        assert_eq!(
            related(1, "a.com", Some(100), &story, &[9, 4, 1]),
            vec![4, 6, 3, 5, 2, 9]
        );
    }

    #[test]
    fn capped_and_without_repeats() {
        let story: Vec<Candidate> = (0..20).map(|i| c(i, "x.com", false, None, i)).collect();
        let r = related(100, "y.com", None, &story, &[1, 2]);
        assert_eq!(r.len(), MAX_RELATED);
        let mut sorted = r.clone();
        sorted.dedup();
        assert_eq!(sorted.len(), r.len());
        assert!(related(1, "a", None, &[], &[]).is_empty());
    }
}
