//! The newsroom live: a clock-driven view over a generated stream.
//!
//! [`Live`] generates a stream around the moment it is made and shows, at
//! any later clock, the articles published by then; each outlet's feed
//! holds its latest [`LiveConfig::feed_items`] entries, as a real feed
//! does. The stream begins [`LiveConfig::history`] before that moment, so a
//! reader has a history at once, and runs [`LiveConfig::ahead`] past it, so
//! articles keep arriving. Nothing published after the clock is shown.
//!
//! Time is compressed: the news plays [`LiveConfig::speed`] times faster
//! than real time (at 60, an hour of the newsroom's news, a story's burst
//! of coverage, passes in a minute). Publication times are rewritten to the
//! wall-clock second an article appears, so a reader that weighs how recent
//! coverage is (heat) sees it live. The newsroom's own calendar is not
//! compressed (the text and dated URL paths keep it); its days are busy by
//! day and quiet at night, and the first clock falls on a morning.
//!
//! The same configuration and the same clock give the same feeds, however
//! the clock got there.

use std::collections::{HashMap, VecDeque};
use std::time::Duration;

use chrono::{DateTime, Utc};

use crate::{generate, Config, Generated, Stream};

/// What to play.
#[derive(Debug, Clone, PartialEq)]
pub struct LiveConfig {
    /// The newsroom: seed, outlets and shares (`start`, `days` and `events`
    /// are set from the fields below).
    pub newsroom: Config,
    /// Events starting per day of the newsroom's (uncompressed) time.
    pub events_per_day: f64,
    /// How many times faster than real time the news plays (0 is taken as 1).
    pub speed: u32,
    /// Real time of news already published when the view is made (at
    /// least; the newsroom's days begin on whole days and a morning
    /// before).
    pub history: Duration,
    /// Real time of news still to come after that.
    pub ahead: Duration,
    /// The entries an outlet's feed shows (its newest).
    pub feed_items: usize,
}

impl Default for LiveConfig {
    /// 24 outlets, about 80 events a newsroom day, played 60 times faster
    /// than real time: 15 to 25 articles a minute (one every few seconds),
    /// two hours of history, a day to come.
    fn default() -> LiveConfig {
        LiveConfig {
            newsroom: Config {
                providers: 24,
                development_share: 0.2,
                ..Config::default()
            },
            events_per_day: 80.0,
            speed: 60,
            history: Duration::from_secs(2 * 3600),
            ahead: Duration::from_secs(24 * 3600),
            feed_items: 50,
        }
    }
}

/// One outlet's feed: its newest entries and how many it ever published.
#[derive(Debug)]
struct Feed {
    name: String,
    domain: String,
    items: VecDeque<Generated>,
    published: u64,
}

/// The live view. See the module documentation.
pub struct Live {
    stream: Stream,
    /// The next article, its publication time already real.
    next: Option<Generated>,
    origin: i64,
    speed: i64,
    feed_items: usize,
    feeds: Vec<Feed>,
    index: HashMap<String, usize>,
    clock: i64,
    visible: u64,
}

impl std::fmt::Debug for Live {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Live")
            .field("origin", &self.origin)
            .field("speed", &self.speed)
            .field("clock", &self.clock)
            .field("visible", &self.visible)
            .finish_non_exhaustive()
    }
}

/// How far into its day the newsroom is at the first clock (09:00).
const MORNING: i64 = 9 * 3600;

fn secs(d: Duration) -> i64 {
    i64::try_from(d.as_secs()).unwrap_or(i64::MAX)
}

impl Live {
    /// The view of `config`'s newsroom, its clock at `now`.
    pub fn new(config: &LiveConfig, now: DateTime<Utc>) -> Live {
        let speed = i64::from(config.speed.max(1));
        let origin = now.timestamp();
        // Newsroom seconds before and after `now`. Its days (busy by day,
        // quiet at night) count from its start: whole days and a morning
        // before the first clock, so that it opens on a busy morning.
        let before = secs(config.history).saturating_mul(speed);
        let before = before.saturating_add(86_399) / 86_400 * 86_400 + MORNING;
        let after = secs(config.ahead).saturating_mul(speed);
        let span = before.saturating_add(after).max(1);
        let days = u32::try_from(span.saturating_add(86_399) / 86_400)
            .unwrap_or(u32::MAX)
            .clamp(1, 36_500);
        let per_day = if config.events_per_day.is_finite() {
            config.events_per_day.max(0.0)
        } else {
            0.0
        };
        let newsroom = Config {
            start: DateTime::from_timestamp(origin.saturating_sub(before), 0).unwrap_or(now),
            days,
            events: (per_day * f64::from(days)).round() as usize,
            ..config.newsroom.clone()
        };
        let stream = generate(&newsroom);
        let feeds: Vec<Feed> = stream
            .outlets
            .iter()
            .map(|o| Feed {
                name: o.name.clone(),
                domain: o.domain.clone(),
                items: VecDeque::new(),
                published: 0,
            })
            .collect();
        let index = feeds
            .iter()
            .enumerate()
            .map(|(i, f)| (f.domain.clone(), i))
            .collect();
        let mut live = Live {
            stream,
            next: None,
            origin,
            speed,
            feed_items: config.feed_items.max(1),
            feeds,
            index,
            clock: i64::MIN,
            visible: 0,
        };
        live.advance(now);
        live
    }

    /// The real second a newsroom second plays at.
    fn real(&self, t: i64) -> i64 {
        self.origin + (t - self.origin).div_euclid(self.speed)
    }

    fn pull(&mut self) -> Option<Generated> {
        let mut g = self.stream.next()?;
        let t = g
            .article
            .published_at
            .map_or(self.origin, |d| d.timestamp());
        g.article.published_at = DateTime::from_timestamp(self.real(t), 0);
        Some(g)
    }

    /// Moves the clock to `now` (a clock going back changes nothing): the
    /// articles published since appear. Returns how many.
    pub fn advance(&mut self, now: DateTime<Utc>) -> usize {
        let t = now.timestamp();
        if t <= self.clock {
            return 0;
        }
        self.clock = t;
        let mut appeared = 0;
        loop {
            if self.next.is_none() {
                self.next = self.pull();
            }
            let due = self
                .next
                .as_ref()
                .is_some_and(|g| g.article.published_at.is_some_and(|p| p.timestamp() <= t));
            if !due {
                return appeared;
            }
            if let Some(g) = self.next.take() {
                self.show(g);
                appeared += 1;
            }
        }
    }

    fn show(&mut self, g: Generated) {
        let domain = g.article.provider.as_ref().map(|p| p.domain.as_str());
        let Some(&i) = domain.and_then(|d| self.index.get(d)) else {
            return;
        };
        let feed = &mut self.feeds[i];
        feed.items.push_back(g);
        if feed.items.len() > self.feed_items {
            feed.items.pop_front();
        }
        feed.published += 1;
        self.visible += 1;
    }

    /// The clock: the latest `now` given.
    pub fn now(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.clock, 0).unwrap_or_default()
    }

    /// When the view was made (the first clock).
    pub fn origin(&self) -> DateTime<Utc> {
        DateTime::from_timestamp(self.origin, 0).unwrap_or_default()
    }

    /// How many times faster than real time the news plays.
    pub fn speed(&self) -> u32 {
        u32::try_from(self.speed).unwrap_or(1)
    }

    /// The outlets, as `(domain, name)`, in the newsroom's order (its news
    /// agencies first).
    pub fn outlets(&self) -> impl Iterator<Item = (&str, &str)> {
        self.feeds
            .iter()
            .map(|f| (f.domain.as_str(), f.name.as_str()))
    }

    /// Articles published so far, all outlets.
    pub fn visible(&self) -> u64 {
        self.visible
    }

    /// When the next article appears; `None` once the stream is over.
    pub fn next_at(&mut self) -> Option<DateTime<Utc>> {
        if self.next.is_none() {
            self.next = self.pull();
        }
        self.next.as_ref().and_then(|g| g.article.published_at)
    }

    /// An outlet's feed entries (by domain), oldest first.
    pub fn items(&self, domain: &str) -> Option<impl Iterator<Item = &Generated>> {
        let &i = self.index.get(domain)?;
        Some(self.feeds[i].items.iter())
    }

    /// How many articles an outlet published so far (it changes exactly
    /// when its feed does).
    pub fn published(&self, domain: &str) -> Option<u64> {
        let &i = self.index.get(domain)?;
        Some(self.feeds[i].published)
    }

    /// An outlet's RSS feed, as [`crate::write_feeds`] writes its files.
    pub fn rss(&self, domain: &str) -> Option<String> {
        let &i = self.index.get(domain)?;
        let f = &self.feeds[i];
        Some(crate::write::channel(&f.domain, &f.name, &f.items))
    }
}

#[cfg(test)]
mod tests {
    use std::collections::{HashMap, HashSet};

    use chrono::TimeZone;

    use super::*;

    fn at(h: u32, m: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2026, 3, 2, h, m, 0).single().unwrap()
    }

    fn config() -> LiveConfig {
        LiveConfig {
            ahead: Duration::from_secs(3 * 3600),
            feed_items: 100_000,
            ..LiveConfig::default()
        }
    }

    /// Every visible article: (outlet, link, published, story).
    fn shown(live: &Live) -> Vec<(String, String, DateTime<Utc>, u64)> {
        let mut out = Vec::new();
        for (domain, _) in live.outlets() {
            for g in live.items(domain).unwrap() {
                out.push((
                    domain.to_string(),
                    g.truth.id.clone(),
                    g.article.published_at.unwrap(),
                    g.truth.story,
                ));
            }
        }
        out
    }

    #[test]
    fn a_history_at_once_and_nothing_from_the_future() {
        let now = at(12, 0);
        let mut live = Live::new(&config(), now);
        let seen = shown(&live);
        assert!(seen.len() > 100, "history: {}", seen.len());
        assert_eq!(seen.len() as u64, live.visible());
        assert!(seen.iter().all(|(_, _, p, _)| *p <= now));
        // Published over the two hours of history, not all at once.
        let first = seen.iter().map(|s| s.2).min().unwrap();
        assert!(first < now - chrono::Duration::minutes(90), "{first}");
        assert!(live.next_at().unwrap() > now);
    }

    #[test]
    fn articles_appear_as_the_clock_passes_and_stories_grow() {
        let start = at(12, 0);
        let mut live = Live::new(&config(), start);
        let mut seen: HashSet<_> = shown(&live).into_iter().collect();
        let mut stories: HashMap<u64, usize> = HashMap::new();
        for s in &seen {
            *stories.entry(s.3).or_default() += 1;
        }
        let mut grew = HashSet::new();
        for minute in 1..=30 {
            let now = start + chrono::Duration::minutes(minute);
            let appeared = live.advance(now);
            let all: HashSet<_> = shown(&live).into_iter().collect();
            assert_eq!(all.len(), seen.len() + appeared);
            // What was there stays; what is new was published since.
            assert!(seen.is_subset(&all));
            for s in all.iter().filter(|s| !seen.contains(s)) {
                assert!(s.2 <= now && s.2 > now - chrono::Duration::minutes(1));
                if stories.get(&s.3).is_some_and(|&n| n > 0) {
                    grew.insert(s.3);
                }
                *stories.entry(s.3).or_default() += 1;
            }
            seen = all;
        }
        assert!(
            seen.len() as u64 == live.visible() && live.visible() > 300,
            "{}",
            live.visible()
        );
        assert!(grew.len() > 3, "stories that grew: {grew:?}");
    }

    #[test]
    fn the_same_seed_and_clock_give_the_same_feeds() {
        let start = at(8, 30);
        let later = start + chrono::Duration::minutes(17);
        let mut stepped = Live::new(&config(), start);
        for m in 1..=17 {
            stepped.advance(start + chrono::Duration::minutes(m));
        }
        let mut jumped = Live::new(&config(), start);
        jumped.advance(later);
        // A clock going back shows nothing new and hides nothing.
        assert_eq!(jumped.advance(start), 0);
        assert_eq!(stepped.visible(), jumped.visible());
        let mut feeds = 0;
        for (domain, _) in stepped.outlets() {
            let a = stepped.rss(domain).unwrap();
            assert_eq!(Some(&a), jumped.rss(domain).as_ref(), "{domain}");
            assert!(a.starts_with("<?xml"));
            feeds += 1;
        }
        assert_eq!(feeds, 24);
        let other = Live::new(
            &LiveConfig {
                newsroom: Config {
                    seed: 2,
                    ..config().newsroom
                },
                ..config()
            },
            start,
        );
        let (domain, _) = other.outlets().nth(5).unwrap();
        assert!(stepped.rss(domain).is_none() || stepped.rss(domain) != other.rss(domain));
    }

    #[test]
    fn feeds_keep_their_newest_entries() {
        let live = Live::new(
            &LiveConfig {
                feed_items: 5,
                ..config()
            },
            at(12, 0),
        );
        for (domain, _) in live.outlets() {
            let items: Vec<_> = live.items(domain).unwrap().collect();
            assert!(items.len() <= 5);
            assert!(live.published(domain).unwrap() >= items.len() as u64);
            assert!(items
                .windows(2)
                .all(|w| w[0].article.published_at <= w[1].article.published_at));
        }
        assert!(live.items("nowhere.example").is_none());
    }
}
