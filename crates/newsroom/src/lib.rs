//! A synthetic newsroom: seeded, deterministic news streams that know their
//! truth.
//!
//! [`generate`] plays out `events` news events covered by `providers`
//! invented outlets over `days`: each outlet writes its own headline and
//! wording for an event, news agencies' copy is republished with small edits
//! (wire copies), articles are re-posted days later, corrected in place, and
//! unrelated one-off articles and generic-titled pages ("Live updates") are
//! mixed in. Every article comes with its [`Truth`]: the story it belongs to
//! and, for duplicates, the original it copies. The writers turn a stream
//! into per-provider RSS feeds ([`write_feeds`]) or JSON lines
//! ([`write_jsonl`]). [`Live`] plays a stream against a clock (the
//! newsroom live, for `newsdesk demo`); with the `serve` feature,
//! [`serve::FeedServer`] serves its feeds over HTTP.
//!
//! The same [`Config`] gives the same bytes on every platform and with every
//! dependency version: the generator uses its own PRNG and only basic
//! floating-point arithmetic.
//!
//! Articles are produced in publication-time order, and only the articles of
//! events still in progress are held in memory, so a million-article stream
//! needs a fraction of a million articles' memory.

mod live;
mod outlets;
mod rng;
#[cfg(feature = "serve")]
pub mod serve;
mod templates;
mod text;
mod vocab;
mod write;

use std::cmp::{Ordering, Reverse};
use std::collections::BinaryHeap;
use std::fmt::Write as _;
use std::sync::Arc;

use chrono::{DateTime, Datelike, TimeZone, Utc};
use newsdesk_model::{Article, Image, Origin, Provider};
use serde::{Deserialize, Serialize};

use outlets::Outlet;
use rng::Rng;
use text::{Facts, Text, Voice};

pub use live::{Live, LiveConfig};
pub use write::{write_feeds, write_jsonl, FeedsWritten, WriteError};

/// What to generate. Shares are fractions of all generated articles; they
/// are met on average, not exactly (each event draws its own numbers).
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Everything follows from the seed: same config, same bytes.
    pub seed: u64,
    /// News events, each one story with coverage from several providers.
    pub events: usize,
    /// Outlets, including a few news agencies (about one in twelve).
    pub providers: usize,
    /// Over how many days events start (0 is treated as one hour).
    pub days: u32,
    /// When the first day begins.
    pub start: DateTime<Utc>,
    /// Average fraction of the non-agency providers that write their own
    /// article about an event (events vary widely around it).
    pub coverage: f64,
    /// Agency stories republished by other outlets with small edits.
    pub wire_share: f64,
    /// The same article again, days later, under a new (or tracking-tagged) URL.
    pub repost_share: f64,
    /// An article updated in place: same URL, changed content.
    pub correction_share: f64,
    /// Unrelated one-off articles on the same topic areas.
    pub noise_share: f64,
    /// Coverage under a generic title ("Live updates", "Morning briefing").
    pub live_share: f64,
    /// Share of outlets' own reports published as a headline alone (no
    /// excerpt, no body), as many real feeds carry them.
    pub headline_only_share: f64,
    /// Share of outlets' own reports whose headline is cut to its first
    /// half ("Veritone Data wins" for "Veritone Data wins $9.6B Nairobi
    /// contract").
    pub short_title_share: f64,
    /// Share of events that have a later development, 12 to 36 hours on:
    /// the same actors in an event of another kind with new figures,
    /// covered by other outlets, and one story with the first in the truth
    /// (an ongoing story, as aggregators group them).
    pub development_share: f64,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            seed: 1,
            events: 200,
            providers: 40,
            days: 7,
            start: Utc
                .with_ymd_and_hms(2024, 5, 6, 0, 0, 0)
                .single()
                .unwrap_or_default(),
            coverage: 0.12,
            wire_share: 0.15,
            repost_share: 0.05,
            correction_share: 0.03,
            noise_share: 0.10,
            live_share: 0.02,
            headline_only_share: 0.0,
            short_title_share: 0.0,
            development_share: 0.0,
        }
    }
}

impl Config {
    /// The harder newsroom: what made real news hard for the desk, on
    /// purpose. A third of own reports are headlines alone and a quarter
    /// have shortened headlines; a third of events have a later
    /// development; events are three times as dense (the same week's
    /// stories share names and topic words).
    pub fn harder() -> Config {
        Config {
            days: 2,
            headline_only_share: 0.33,
            short_title_share: 0.25,
            development_share: 0.33,
            ..Config::default()
        }
    }
}

/// What an article is, in the truth.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// A provider's own report of an event (agencies' reports included).
    Original,
    /// An agency story republished by another outlet: a duplicate.
    Wire,
    /// An article published again later: a duplicate.
    Repost,
    /// An article updated in place (same URL and guid, changed text): the
    /// same article, not a duplicate.
    Correction,
    /// A one-off article, alone in its story.
    Noise,
    /// Coverage of an event under a generic title shared by many stories.
    LiveUpdates,
}

impl Kind {
    /// The name used in `truth.jsonl` and JSON lines.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Original => "original",
            Kind::Wire => "wire",
            Kind::Repost => "repost",
            Kind::Correction => "correction",
            Kind::Noise => "noise",
            Kind::LiveUpdates => "live-updates",
        }
    }
}

/// What is true about an article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Truth {
    /// The article's URL (`original_url` = `web_url`). Unique, except that a
    /// [`Kind::Correction`] shares the id of the article it updates. A
    /// re-post "under the same URL" differs only by tracking parameters
    /// (`?utm_source=...`), so it is the same page after URL canonicalization.
    pub id: String,
    /// The story: one per event, one per noise article.
    pub story: u64,
    /// For [`Kind::Wire`] and [`Kind::Repost`]: the id of the first
    /// publication of the text, always an earlier article of the same story.
    #[serde(rename = "duplicateOf")]
    pub duplicate_of: Option<String>,
    pub kind: Kind,
    /// The event's topic area ("Cloud", "Face recognition", ...): stories
    /// sharing an area share vocabulary and often companies.
    pub area: &'static str,
}

/// One generated article and its truth.
#[derive(Debug, Clone)]
pub struct Generated {
    pub article: Article,
    pub truth: Truth,
}

/// Shares as used: finite, within `[0, 1]`, together at most 0.9 so that
/// originals remain.
struct Shares {
    wire: f64,
    repost: f64,
    correction: f64,
    noise: f64,
    live: f64,
    original: f64,
}

impl Shares {
    fn of(c: &Config) -> Shares {
        let clean = |x: f64| {
            if x.is_finite() {
                x.clamp(0.0, 1.0)
            } else {
                0.0
            }
        };
        let mut s = [
            clean(c.wire_share),
            clean(c.repost_share),
            clean(c.correction_share),
            clean(c.noise_share),
            clean(c.live_share),
        ];
        let sum: f64 = s.iter().sum();
        if sum > 0.9 {
            s.iter_mut().for_each(|x| *x *= 0.9 / sum);
        }
        let used: f64 = s.iter().sum();
        Shares {
            wire: s[0],
            repost: s[1],
            correction: s[2],
            noise: s[3],
            live: s[4],
            original: 1.0 - used,
        }
    }
}

/// Where a stream item comes from: an event (with its number of own
/// reports) or a noise article.
#[derive(Debug, Clone, Copy)]
struct Source {
    start: i64,
    index: u64,
    area: usize,
    own: usize,
    noise: bool,
}

/// A planned article: enough to write it when its time comes.
#[derive(Debug)]
struct Plan {
    kind: Kind,
    story: u64,
    provider: usize,
    seed: u64,
    num: u64,
    time: i64,
    facts: Arc<Facts>,
    /// The article copied or updated (wire, repost, correction).
    source: Option<Arc<Plan>>,
    tracking_url: bool,
    live_title: Option<&'static str>,
}

struct Pending(Arc<Plan>);

impl PartialEq for Pending {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}
impl Eq for Pending {}
impl PartialOrd for Pending {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Pending {
    fn cmp(&self, other: &Self) -> Ordering {
        (self.0.time, self.0.num).cmp(&(other.0.time, other.0.num))
    }
}

/// The stream [`generate`] returns.
pub struct Stream {
    seed: u64,
    shares: Shares,
    outlets: Vec<Outlet>,
    agencies: usize,
    majors: Vec<Vec<String>>,
    sources: Vec<Source>,
    next_source: usize,
    heap: BinaryHeap<Reverse<Pending>>,
    next_num: u64,
    start: DateTime<Utc>,
    headline_only: f64,
    short_title: f64,
    development: f64,
}

// Stream labels for derived PRNGs, so that parts never share randomness.
const SETUP: u64 = 1;
const EVENT: u64 = 2;
const NOISE: u64 = 3;
const WRITE: u64 = 4;
/// The harder newsroom's own draws (never taken at the default shares, so
/// the default stream stays as it was).
const HARDER: u64 = 5;

/// Starts generating. Nothing is written until the iterator is advanced.
/// Zero events or zero providers give an empty stream.
pub fn generate(config: &Config) -> Stream {
    let shares = Shares::of(config);
    let coverage = if config.coverage.is_finite() {
        config.coverage.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let seed = config.seed;
    let outlets = if config.events == 0 {
        Vec::new()
    } else {
        outlets::outlets(seed, config.providers)
    };
    let agencies = outlets::agency_count(outlets.len());
    let span: i64 = if config.days == 0 {
        3600
    } else {
        i64::from(config.days) * 86_400
    };
    let base = config.start.timestamp();
    let mut sources = Vec::new();
    if !outlets.is_empty() {
        let writers = (outlets.len() - agencies).max(1);
        let mut own_total = 0usize;
        sources.reserve(config.events);
        for i in 0..config.events as u64 {
            let mut rng = Rng::derive(seed, SETUP, i);
            let area = rng.below(vocab::AREAS.len());
            let start = base.saturating_add(start_offset(&mut rng, span));
            // Heavy-tailed attention: most events get a few reports, some
            // get most of the market (mean factor 1).
            let u = rng.unit();
            let factor = 0.25 + 3.0 * u * u * u;
            let own = ((coverage * writers as f64 * factor).round() as usize).clamp(1, writers);
            own_total += own;
            sources.push(Source {
                start,
                index: i,
                area,
                own,
                noise: false,
            });
        }
        let noise = (own_total as f64 * shares.noise / shares.original).round() as u64;
        for j in 0..noise {
            let mut rng = Rng::derive(seed, SETUP, u64::MAX - j);
            let area = rng.below(vocab::AREAS.len());
            let start = base.saturating_add(start_offset(&mut rng, span));
            sources.push(Source {
                start,
                index: config.events as u64 + j,
                area,
                own: 1,
                noise: true,
            });
        }
        sources.sort_by_key(|s| (s.start, s.index));
    }
    let majors = (0..vocab::AREAS.len())
        .map(|a| text::majors(seed, a))
        .collect();
    Stream {
        seed,
        shares,
        outlets,
        agencies,
        majors,
        sources,
        next_source: 0,
        heap: BinaryHeap::new(),
        next_num: 0,
        start: config.start,
        headline_only: share(config.headline_only_share),
        short_title: share(config.short_title_share),
        development: share(config.development_share),
    }
}

/// A share as used: finite, within `[0, 1]`.
fn share(x: f64) -> f64 {
    if x.is_finite() {
        x.clamp(0.0, 1.0)
    } else {
        0.0
    }
}

/// Seconds into the period, busier in the working day (UTC) than at night.
fn start_offset(rng: &mut Rng, span: i64) -> i64 {
    if span < 86_400 {
        return rng.range(0, span as u64 - 1) as i64;
    }
    let day = rng.range(0, (span / 86_400 - 1) as u64) as i64;
    const WEIGHT: [u64; 24] = [
        1, 1, 1, 1, 2, 3, 5, 7, 8, 8, 8, 8, 7, 7, 7, 7, 6, 5, 4, 3, 3, 2, 2, 1,
    ];
    let mut pick = rng.range(0, WEIGHT.iter().sum::<u64>() - 1);
    let mut hour = 0;
    while pick >= WEIGHT[hour] {
        pick -= WEIGHT[hour];
        hour += 1;
    }
    day * 86_400 + hour as i64 * 3600 + rng.range(0, 3599) as i64
}

/// Burst then decay: most reports within hours, a tail over days.
fn report_delay(rng: &mut Rng) -> i64 {
    let mean = if rng.chance(0.8) {
        2.5 * 3600.0
    } else {
        20.0 * 3600.0
    };
    (rng.exp(mean) as i64).min(4 * 86_400)
}

fn calendar(t: i64) -> (i32, u32, u32, usize) {
    let d = DateTime::from_timestamp(t, 0).unwrap_or_default();
    (
        d.year(),
        d.month(),
        d.day(),
        d.weekday().num_days_from_monday() as usize,
    )
}

impl Stream {
    fn num(&mut self) -> u64 {
        self.next_num += 1;
        self.next_num
    }

    #[allow(clippy::too_many_arguments)]
    fn push(
        &mut self,
        kind: Kind,
        story: u64,
        provider: usize,
        time: i64,
        facts: &Arc<Facts>,
        source: Option<Arc<Plan>>,
        rng: &mut Rng,
    ) -> Arc<Plan> {
        let plan = Arc::new(Plan {
            kind,
            story,
            provider,
            seed: rng.next_u64(),
            num: self.num(),
            time,
            facts: Arc::clone(facts),
            source,
            tracking_url: false,
            live_title: None,
        });
        self.heap.push(Reverse(Pending(Arc::clone(&plan))));
        plan
    }

    /// Plans every article of one source.
    fn expand(&mut self, src: Source) {
        if src.noise {
            let mut rng = Rng::derive(self.seed, NOISE, src.index);
            let facts = Arc::new(Facts::new(
                &mut rng,
                src.area,
                &self.majors[src.area],
                calendar(src.start),
            ));
            let provider = self.writer(&mut rng);
            self.push(
                Kind::Noise,
                src.index,
                provider,
                src.start,
                &facts,
                None,
                &mut rng,
            );
            return;
        }
        let mut rng = Rng::derive(self.seed, EVENT, src.index);
        let facts = Arc::new(Facts::new(
            &mut rng,
            src.area,
            &self.majors[src.area],
            calendar(src.start),
        ));
        let story = src.index;
        let sh = &self.shares;
        let (wire_r, live_r, repost_r, corr_r) = (
            sh.wire / sh.original,
            sh.live / sh.original,
            sh.repost / sh.original,
            sh.correction / sh.original,
        );

        let writers: Vec<usize> = self.pick_writers(src.own, &mut rng);
        let mut originals: Vec<Arc<Plan>> = Vec::with_capacity(writers.len() + 1);
        let mut copyable: Vec<Arc<Plan>> = Vec::new();
        for &p in &writers {
            let t = src.start + report_delay(&mut rng);
            originals.push(self.push(Kind::Original, story, p, t, &facts, None, &mut rng));
        }
        let free: Vec<usize> = (self.agencies..self.outlets.len())
            .filter(|p| !writers.contains(p))
            .collect();
        let wires = rng.round((src.own + 1) as f64 * wire_r).min(free.len());
        if self.agencies > 0 && wires > 0 {
            let agency = rng.below(self.agencies);
            let t0 = src.start + rng.range(0, 1800) as i64;
            let wire = self.push(Kind::Original, story, agency, t0, &facts, None, &mut rng);
            originals.push(Arc::clone(&wire));
            let mut pool = free;
            for _ in 0..wires {
                let p = pool.swap_remove(rng.below(pool.len()));
                let t = t0 + 300 + rng.exp(3.0 * 3600.0) as i64;
                copyable.push(self.push(
                    Kind::Wire,
                    story,
                    p,
                    t,
                    &facts,
                    Some(Arc::clone(&wire)),
                    &mut rng,
                ));
            }
        }
        if self.development > 0.0 {
            let mut h = Rng::derive(self.seed, HARDER, src.index);
            if h.chance(self.development) {
                let later = Arc::new(facts.development(&mut h));
                let start = src.start + 12 * 3600 + h.range(0, 24 * 3600) as i64;
                let n = src.own.div_ceil(2).max(1);
                for p in self.pick_writers(n, &mut h) {
                    let t = start + report_delay(&mut h);
                    originals.push(self.push(Kind::Original, story, p, t, &later, None, &mut h));
                }
            }
        }
        let own = originals.len() as f64;
        for _ in 0..rng.round(own * live_r) {
            let p = self.writer(&mut rng);
            let t = src.start + rng.exp(3600.0) as i64;
            let title = *rng.pick(vocab::GENERIC_TITLES);
            let plan = Arc::new(Plan {
                kind: Kind::LiveUpdates,
                story,
                provider: p,
                seed: rng.next_u64(),
                num: self.num(),
                time: t,
                facts: Arc::clone(&facts),
                source: None,
                tracking_url: false,
                live_title: Some(title),
            });
            self.heap.push(Reverse(Pending(plan)));
        }
        for _ in 0..rng.round(own * corr_r) {
            let target = Arc::clone(&originals[rng.below(originals.len())]);
            let t = target.time + 1800 + rng.exp(4.0 * 3600.0) as i64;
            self.push(
                Kind::Correction,
                story,
                target.provider,
                t,
                &facts,
                Some(target),
                &mut rng,
            );
        }
        copyable.extend(originals.iter().cloned());
        for _ in 0..rng.round(own * repost_r) {
            let target = Arc::clone(&copyable[rng.below(copyable.len())]);
            let t = target.time + 86_400 + rng.exp(1.5 * 86_400.0) as i64;
            let plan = Arc::new(Plan {
                kind: Kind::Repost,
                story,
                provider: target.provider,
                seed: rng.next_u64(),
                num: self.num(),
                time: t,
                facts: Arc::clone(&facts),
                source: Some(target),
                tracking_url: rng.chance(0.25),
                live_title: None,
            });
            self.heap.push(Reverse(Pending(plan)));
        }
    }

    /// A non-agency outlet, popular ones more often.
    fn writer(&self, rng: &mut Rng) -> usize {
        let n = self.outlets.len() - self.agencies;
        if n == 0 {
            return rng.below(self.outlets.len());
        }
        let u = rng.unit();
        self.agencies + ((n as f64 * u * u.sqrt()) as usize).min(n - 1)
    }

    fn pick_writers(&self, k: usize, rng: &mut Rng) -> Vec<usize> {
        let n = self.outlets.len() - self.agencies;
        let mut out: Vec<usize> = Vec::with_capacity(k);
        if n == 0 {
            out.push(rng.below(self.outlets.len()));
            return out;
        }
        let k = k.min(n);
        if k * 2 > n {
            let mut all: Vec<usize> = (self.agencies..self.outlets.len()).collect();
            rng.shuffle(&mut all);
            all.truncate(k);
            return all;
        }
        let mut tries = 0;
        while out.len() < k {
            let p = self.writer(rng);
            tries += 1;
            if !out.contains(&p) {
                out.push(p);
            } else if tries > 8 * k {
                // Popularity skew can stall on a crowded head; finish uniformly.
                let p = self.agencies + rng.below(n);
                if !out.contains(&p) {
                    out.push(p);
                }
            }
        }
        out
    }

    fn url(&self, o: &Outlet, num: u64, time: i64, title: &str) -> String {
        let code = code(num);
        let slug = text::slug(title);
        let mut u = String::with_capacity(40 + o.domain.len() + slug.len());
        match o.url_style {
            0 => {
                let d = DateTime::from_timestamp(time, 0).unwrap_or_default();
                let _ = write!(
                    u,
                    "https://www.{}/{}/{:02}/{:02}/{slug}-{code}/",
                    o.domain,
                    d.year(),
                    d.month(),
                    d.day()
                );
            }
            1 => {
                let _ = write!(u, "https://{}/news/{slug}-{code}.html", o.domain);
            }
            2 => {
                let _ = write!(u, "https://www.{}/articles/{code}/{slug}", o.domain);
            }
            _ => {
                let _ = write!(u, "https://{}/{}/{slug}-{code}", o.domain, o.section);
            }
        }
        u
    }

    fn guid(&self, o: &Outlet, num: u64, time: i64, url: &str) -> String {
        if o.permalink_guid {
            url.to_string()
        } else {
            let year = DateTime::from_timestamp(time, 0).unwrap_or_default().year();
            format!("tag:{},{year}:{}", o.domain, code(num))
        }
    }

    /// Writes a planned article (and, for copies, what it copies).
    fn realize(&self, plan: &Plan) -> Written {
        let o = &self.outlets[plan.provider];
        let mut rng = Rng::derive(self.seed, WRITE, plan.seed);
        match (&plan.source, plan.kind) {
            (Some(src), Kind::Wire) => {
                let base = self.realize(src);
                let text = text::wire_edit(&base.text, &plan.facts, &o.style, &mut rng);
                let url = self.url(o, plan.num, plan.time, &text.title);
                Written {
                    guid: self.guid(o, plan.num, plan.time, &url),
                    url,
                    text,
                    root: Some(base.root.unwrap_or(base.url)),
                    image: base.image,
                    author: base.author,
                }
            }
            (Some(src), Kind::Repost) => {
                let base = self.realize(src);
                let first = DateTime::from_timestamp(src.time, 0).unwrap_or_default();
                let first = format!("{} {}", vocab::MONTHS[first.month0() as usize], first.day());
                let text = text::repost_edit(&base.text, &mut rng, &first, src.kind != Kind::Wire);
                let url = if plan.tracking_url {
                    format!("{}?utm_source=newsletter&utm_medium=email", base.url)
                } else {
                    self.url(o, plan.num, plan.time, &text.title)
                };
                let root = base.root.unwrap_or_else(|| base.url.clone());
                Written {
                    guid: self.guid(o, plan.num, plan.time, &url),
                    url,
                    text,
                    root: Some(root),
                    image: base.image,
                    author: base.author,
                }
            }
            (Some(src), _) => {
                let base = self.realize(src);
                Written {
                    text: text::correction_edit(&base.text, &plan.facts, &o.style),
                    ..base
                }
            }
            (None, _) => {
                let voice = match (plan.live_title, o.agency) {
                    (Some(t), _) => Voice::Live(t),
                    (None, true) => Voice::Agency(&o.name),
                    (None, false) => Voice::Own,
                };
                let text = text::compose(&plan.facts, &o.style, &mut rng, voice);
                let url = self.url(o, plan.num, plan.time, &text.title);
                let author = if o.agency && rng.chance(0.3) {
                    format!("{} staff", o.name)
                } else {
                    rng.pick(&o.staff).clone()
                };
                Written {
                    guid: self.guid(o, plan.num, plan.time, &url),
                    image: format!("https://www.{}/images/{}.jpg", o.domain, code(plan.num)),
                    url,
                    text,
                    root: None,
                    author,
                }
            }
        }
    }

    fn emit(&self, plan: &Plan) -> Generated {
        let o = &self.outlets[plan.provider];
        let w = self.realize(plan);
        let id = w.url.clone();
        let duplicate_of = match plan.kind {
            Kind::Wire | Kind::Repost => w.root.clone(),
            _ => None,
        };
        let published = DateTime::from_timestamp(plan.time, 0).unwrap_or(self.start);
        let Text {
            mut title,
            excerpt,
            body,
        } = w.text;
        let (mut excerpt, mut body) = (Some(excerpt), Some(body));
        if plan.kind == Kind::Original
            && !o.agency
            && (self.headline_only > 0.0 || self.short_title > 0.0)
        {
            let mut h = Rng::derive(self.seed, HARDER, u64::MAX - plan.num);
            if h.chance(self.short_title) {
                title = text::shorten(&title);
            }
            if h.chance(self.headline_only) {
                excerpt = None;
                body = None;
            }
        }
        Generated {
            article: Article {
                category: Some("news".to_string()),
                title,
                excerpt,
                published_at: Some(published),
                original_url: Some(w.url.clone()),
                web_url: Some(w.url),
                kind: Some("article".to_string()),
                provider: Some(Provider {
                    name: o.name.clone(),
                    domain: o.domain.clone(),
                    images: Vec::new(),
                }),
                images: vec![Image {
                    url: w.image,
                    width: Some(1200),
                    height: Some(675),
                    is_cached: None,
                    title: None,
                }],
                body,
                author: Some(w.author),
                language: Some("en".to_string()),
                origin: Origin {
                    source: format!("https://www.{}/feed.xml", o.domain),
                    format: "rss".to_string(),
                    guid: Some(w.guid),
                },
                ..Article::default()
            },
            truth: Truth {
                id,
                story: plan.story,
                duplicate_of,
                kind: plan.kind,
                area: vocab::AREAS[plan.facts.area].name,
            },
        }
    }
}

struct Written {
    text: Text,
    url: String,
    guid: String,
    /// For copies: the id of the first publication of the text.
    root: Option<String>,
    image: String,
    author: String,
}

/// A short, unique code for a plan number: a bijective scramble, so codes
/// look random but never collide.
fn code(num: u64) -> String {
    let mut x = num as u32;
    x = (x ^ (x >> 16)).wrapping_mul(0x045d_9f3b);
    x = (x ^ (x >> 16)).wrapping_mul(0x045d_9f3b);
    x ^= x >> 16;
    let mut out = base36(u64::from(x));
    if num >> 32 != 0 {
        out.push('x');
        out.push_str(&base36(num >> 32));
    }
    out
}

fn base36(mut v: u64) -> String {
    const DIGITS: &[u8] = b"0123456789abcdefghijklmnopqrstuvwxyz";
    let mut buf = Vec::with_capacity(13);
    loop {
        buf.push(DIGITS[(v % 36) as usize]);
        v /= 36;
        if v == 0 {
            break;
        }
    }
    buf.reverse();
    String::from_utf8(buf).unwrap_or_default()
}

impl Iterator for Stream {
    type Item = Generated;

    fn next(&mut self) -> Option<Generated> {
        loop {
            let due = match (self.sources.get(self.next_source), self.heap.peek()) {
                (Some(s), Some(Reverse(top))) => s.start <= top.0.time,
                (Some(_), None) => true,
                (None, _) => false,
            };
            if !due {
                break;
            }
            let src = self.sources[self.next_source];
            self.next_source += 1;
            self.expand(src);
        }
        let Reverse(Pending(plan)) = self.heap.pop()?;
        Some(self.emit(&plan))
    }
}
