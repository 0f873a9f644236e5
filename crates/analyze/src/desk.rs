//! The desk's memory of what it has seen: duplicates and stories, decided
//! incrementally as articles arrive.
//!
//! **Duplicates.** An article's text (its body, or title and excerpt when it
//! has no body of [`MIN_BODY_WORDS`]) is signed with MinHash and looked up in a
//! banded LSH index tuned to find pairs from about [`DUPLICATE_SIMILARITY`]
//! estimated Jaccard similarity of word 5-grams. A hit at or above it makes
//! the two articles copies of one text. Each group of copies has one
//! original: the earliest publication, then the more credible source, then
//! the first seen. When an earlier copy arrives late, it becomes the original
//! and the group is re-pointed to it ([`Desk::take_changes`] reports that).
//!
//! **Stories.** An article that is not a copy is compared with the stories
//! active within [`Config::window`] of its time: candidates come from an
//! inverted index of the stories' heaviest terms (see [`crate::features`]),
//! and the score is the cosine between the article's term vector and the
//! story's centroid. The best story at or above [`Config::join`] takes it;
//! other stories also at or above [`Config::merge`] are merged into it (an
//! article can bridge two halves of one event that started apart). Otherwise
//! the article starts a story. A copy joins its original's story.
//!
//! **Similar.** The best stories below the join threshold (down to
//! [`Config::similar`]) give each article its "similar recent coverage":
//! the related list's filler when its own story is small.
//!
//! Everything is in memory and rebuilt from persisted [`Snapshot`]s on start.

use std::collections::{HashMap, VecDeque};
use std::hash::{BuildHasherDefault, Hasher};

use crate::features::{dot, keep_heaviest, weigh_blend, DocFreq, Extractor, Part, TermVector};
use crate::lsh::LshIndex;
use crate::minhash::{sign_words, Signature, BINS};

/// The store's id of an article.
pub type ArticleId = i64;
/// A story's id.
pub type StoryId = i64;

/// A body shorter than this many words is not enough to sign on its own:
/// the title and excerpt are signed instead.
pub const MIN_BODY_WORDS: usize = 40;
/// A text of fewer words is never called a copy: two one-line notes that
/// agree ("Live updates", "Photo") are a coincidence, not a re-post.
pub const MIN_COPY_WORDS: usize = 12;
/// Estimated Jaccard similarity (word 5-grams) at or above which two texts
/// are copies of one another.
pub const DUPLICATE_SIMILARITY: f64 = 0.6;

/// Centroid terms kept per story.
const CENTROID_TERMS: usize = 64;
/// Terms of an article used to look up candidate stories.
const PROBE_TERMS: usize = 12;
/// Posting entries read per probe term (newest first)...
const PROBE_DEPTH: usize = 64;
/// ...for the [`FULL_PROBE_TERMS`] heaviest; the rest of the probe terms
/// (lighter, so with longer lists) read only the newest
/// [`LIGHT_PROBE_DEPTH`]: a report that names its event's actors in its
/// excerpt but puts its own rare words first still finds the story, at a
/// fraction of the cost of probing them all in full.
const FULL_PROBE_TERMS: usize = 8;
const LIGHT_PROBE_DEPTH: usize = 16;

/// Posting entries read for the probe term of rank `rank` (0: heaviest).
fn probe_depth(rank: usize) -> usize {
    if rank < FULL_PROBE_TERMS {
        PROBE_DEPTH
    } else {
        LIGHT_PROBE_DEPTH
    }
}
/// Centroid terms put in the postings (the heaviest).
const INDEXED_TERMS: usize = 16;
/// Seconds of postings kept behind the latest article (at least): enough
/// for archives and feed backlogs that arrive out of time order.
const RETAIN: i64 = 14 * 86_400;
/// Articles between sweeps of stale postings.
const SWEEP_EVERY: usize = 1 << 15;
/// Member vectors kept per active story, to check a newcomer resembles one.
const RECENT_MEMBERS: usize = 8;
/// Candidate stories scored in full per article.
const SCORED_CANDIDATES: usize = 10;
/// Candidate stories whose members are checked for short-text copies.
const COPY_STORIES: usize = 3;
/// Seconds behind an article within which a short text's copy is looked
/// for beyond the story window (a re-post days later is still a copy).
const COPY_LOOKBACK: i64 = 14 * 86_400;
/// Members of each (the latest) checked for short-text copies.
const COPY_MEMBERS: usize = 32;
/// Lead word 3-grams kept per short text (the smallest hashes: a bottom-k
/// sketch, so two sketches' overlap estimates their texts' overlap).
const LEAD_GRAMS: usize = 64;
/// Fewest lead 3-grams for a short text to be compared as a copy.
const MIN_LEAD_GRAMS: usize = 8;
/// Title words kept per short text.
const TITLE_WORDS: usize = 16;

/// Tuning of story assignment.
#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    /// Seconds: a story takes articles up to this long after its latest one
    /// (and before its earliest).
    pub window: i64,
    /// Seconds: the longest a story runs, first article to last. A subject
    /// that keeps coming back (a company in the news every week) is a new
    /// story each time, linked as similar coverage, not one story that
    /// never ends.
    pub max_span: i64,
    /// Cosine with a story's centroid at or above which an article with a
    /// body ([`MIN_BODY_WORDS`] or more) joins it...
    pub join: f32,
    /// ...an article with an excerpt or a short body (a feed summary, the
    /// seed site's records: fewer words to share, and what they share is
    /// the lead's names and facts)...
    pub join_excerpt: f32,
    /// ...and a headline-only article (a handful of terms: each shared one
    /// weighs much, and the same event is told in other words more often).
    pub join_short: f32,
    /// Cosine with one of a story's recent members at or above which the
    /// story may take an article with a text (besides `join` on its
    /// centroid)...
    pub member: f32,
    /// ...and a headline-only one.
    pub member_short: f32,
    /// Cosine with one of a story's recent members at or above which an
    /// excerpt joins the story with a centroid score under `join_excerpt`
    /// (down to `similar`).
    pub member_strong: f32,
    /// Cosine at or above which a second story is merged into the first...
    pub merge: f32,
    /// ...when the two stories' centroids are at least this similar.
    pub merge_stories: f32,
    /// Centroid cosine at or above which another candidate story of an
    /// article is merged into the story it joined: two stories of one
    /// event that converged as coverage came in.
    pub converge: f32,
    /// Seconds: a story's score for an article is multiplied by
    /// `exp(-gap / decay)`, the gap being the time between the article and
    /// the story's span (an ongoing story holds for a day or two; one quiet
    /// for longer needs a closer match).
    pub decay: i64,
    /// Cosine at or above which a story's article is "similar coverage".
    pub similar: f32,
    /// Similar articles kept per article.
    pub similar_count: usize,
}

impl Default for Config {
    fn default() -> Config {
        Config {
            window: 3 * 86_400,
            max_span: 7 * 86_400,
            join: 0.40,
            join_excerpt: 0.14,
            join_short: 0.16,
            member: 0.30,
            member_short: 0.10,
            member_strong: 0.35,
            merge: 0.55,
            merge_stories: 0.25,
            converge: 0.5,
            decay: 3 * 86_400,
            similar: 0.12,
            similar_count: 5,
        }
    }
}

/// What the desk needs to know about an article.
#[derive(Debug, Clone, Copy)]
pub struct Input<'a> {
    pub id: ArticleId,
    pub title: &'a str,
    /// The full text, when there is one.
    pub body: Option<&'a str>,
    pub excerpt: Option<&'a str>,
    /// Publication time (Unix seconds), as the article says.
    pub published: Option<i64>,
    /// When the desk first saw it (Unix seconds).
    pub seen: i64,
    /// The provider's domain, to tell coverage by another provider.
    pub provider: &'a str,
    /// Source credibility, higher is better (ties between copies published
    /// at the same time go to the more credible).
    pub credibility: i32,
}

/// The persisted analysis of one article: enough to rebuild the desk
/// without reading texts again.
#[derive(Debug, Clone, PartialEq)]
pub struct Snapshot {
    pub signature: Option<Signature>,
    pub terms: TermVector,
    /// The time used for ordering and windows (see [`effective_time`]).
    pub time: i64,
    pub credibility: i32,
    pub provider: u64,
    pub story: StoryId,
    pub duplicate_of: Option<ArticleId>,
}

/// Why an article was placed where it was.
#[derive(Debug, Clone, PartialEq)]
pub enum Placement {
    /// A copy of another article's text.
    Duplicate { of: ArticleId, similarity: f64 },
    /// A copy of another article found from short texts (no body): their
    /// leads (excerpts) share `shared` of the shorter one's word 3-grams,
    /// with or without a like headline (see [`Desk`]'s short copies).
    LeadCopy { of: ArticleId, shared: f64 },
    /// The earliest publication of a text the desk already had copies of
    /// (`copy` is one of them): it became their original.
    FirstPublication { copy: ArticleId, similarity: f64 },
    /// Joined an existing story.
    Joined { score: f32 },
    /// Started a story.
    New,
    /// Started a story because it has no words to compare.
    Empty,
    /// An article the desk knew, with new content: it keeps its story and
    /// its place among copies.
    Updated,
}

/// The desk's decision about one new article.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    pub id: ArticleId,
    pub story: StoryId,
    pub duplicate_of: Option<ArticleId>,
    pub placement: Placement,
    /// Stories merged into this article's story because of it.
    pub merged: Vec<StoryId>,
    /// Similar recent articles from other stories, best first.
    pub similar: Vec<(ArticleId, f32)>,
    /// What to persist.
    pub snapshot: Snapshot,
}

/// A change to an article decided earlier (a merge or a new original).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Change {
    pub id: ArticleId,
    pub story: StoryId,
    pub duplicate_of: Option<ArticleId>,
    pub cause: Cause,
}

/// Why an earlier decision changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cause {
    /// An earlier publication of its text arrived and became the original.
    NewOriginal,
    /// Its story was merged into another.
    Merged,
}

/// The time an article is ordered by: its publication time, unless it has
/// none or claims to be from more than a day after the desk first saw it (a
/// wrong clock); then the time it was first seen.
pub fn effective_time(published: Option<i64>, seen: i64) -> i64 {
    match published {
        Some(p) if p <= seen + 86_400 => p,
        _ => seen,
    }
}

struct Doc {
    time: i64,
    credibility: i32,
    provider: u64,
    /// Index into `stories` (follow `merged_into` for the live one).
    story: u32,
    /// The original of its copy group (itself when it is the original).
    root: ArticleId,
    /// Its number in the LSH index ([`NO_LSH`] when its text is not signed).
    lsh: u32,
}

/// [`Doc::lsh`] of an article whose text is not signed.
const NO_LSH: u32 = u32::MAX;
/// [`Desk::lsh_docs`] entry of a signature replaced by an update.
const REPLACED: ArticleId = ArticleId::MIN;

struct Story {
    id: StoryId,
    merged_into: Option<u32>,
    first: i64,
    last: i64,
    members: Vec<ArticleId>,
    /// Sum of members' vectors, heaviest [`CENTROID_TERMS`] kept, sorted.
    centroid: Vec<(u64, f32)>,
    norm: f32,
    /// The heaviest centroid terms as last put in the postings, sorted.
    indexed: Vec<u64>,
    /// The latest members' vectors (at most [`RECENT_MEMBERS`]).
    recent: Recent,
}

/// Hashes article and story ids (and term hashes) for the desk's maps: a
/// fixed mixer, cheaper than the default SipHash. Nothing hashed here is
/// persisted or iterated in an order that matters.
#[derive(Default)]
struct IdHasher(u64);

impl Hasher for IdHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 = (self.0.rotate_left(8) ^ *b as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15);
        }
    }
    fn write_u64(&mut self, n: u64) {
        // The SplitMix64 finalizer: ids are small and dense, term hashes
        // already random; either way every bit of the result depends on
        // every bit of the key.
        let mut x = n ^ (n >> 30);
        x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
        x ^= x >> 27;
        x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
        self.0 = x ^ (x >> 31);
    }
    fn write_i64(&mut self, n: i64) {
        self.write_u64(n as u64);
    }
}

type Map<K, V> = HashMap<K, V, BuildHasherDefault<IdHasher>>;

/// The incremental duplicate and story engine.
pub struct Desk {
    config: Config,
    extractor: Extractor,
    /// Scratch: the hashes of the signed text's words.
    words: Vec<u64>,
    /// Scratch: keys of terms when the heaviest are chosen.
    keys: Vec<u128>,
    /// Rarity counted over stories (see [`Desk::count_rarity`])...
    df: DocFreq,
    /// ...and over articles: a term's idf is the mean of the two.
    df_docs: DocFreq,
    lsh: LshIndex,
    /// LSH document number → article ([`REPLACED`] once replaced).
    lsh_docs: Vec<ArticleId>,
    docs: Map<ArticleId, Doc>,
    /// Original → its copies.
    copies: Map<ArticleId, Vec<ArticleId>>,
    stories: Vec<Story>,
    story_index: Map<StoryId, u32>,
    /// Term → (story index, minute the entry was made), in arrival order.
    postings: Map<u64, Vec<(u32, u32)>>,
    /// The latest article time seen, and how many articles until the next
    /// sweep of stale postings and centroids.
    latest: i64,
    until_sweep: usize,
    next_story: StoryId,
    changes: Map<ArticleId, Change>,
    raw: Vec<(u64, f32)>,
    /// Per story: the round it was last met in a probe, and the probe
    /// weight it shares with the article of that round.
    marks: Vec<(u32, f32)>,
    round: u32,
    /// Scratch for [`Desk::candidates`]: the probe terms, the stories found,
    /// and the scored candidates (best first).
    probe: Vec<(u64, f32)>,
    found: Vec<u32>,
    /// Stories older than the window met by a short text's copy probe.
    older: Vec<(u32, f32)>,
    scored: Vec<(u32, f32)>,
    /// The article being placed, for its cosines with stories and members.
    lookup: TermLookup,
    /// Scratch for centroid sums and the heaviest centroid terms.
    sum: Vec<(u64, f32)>,
    heavy: Vec<(u64, f32)>,
    heavy_terms: Vec<u64>,
    /// Short texts' sketches (see [`Short`]), for copies found without a
    /// body; dropped with the postings of stories long out of the window.
    short: Map<ArticleId, Short>,
    /// The sketch of the article being placed, when it is a short text.
    current: Option<Short>,
    /// Scratch: where the title's words end in `words`.
    title_words: usize,
    /// What the article just read has besides its title.
    length: Length,
}

/// What an article has to compare besides its title: thresholds follow it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Length {
    /// A headline alone.
    Headline,
    /// An excerpt or a body of fewer than [`MIN_BODY_WORDS`].
    Excerpt,
    /// A body of [`MIN_BODY_WORDS`] or more.
    Body,
}

/// What tells a copy among short texts: the lead's word 3-grams and the
/// title's words, as sorted 32-bit hashes (at most [`LEAD_GRAMS`] and
/// [`TITLE_WORDS`] of the smallest).
struct Short {
    lead: Box<[u32]>,
    title: Box<[u32]>,
}

impl Short {
    /// The sketch of a short text from its word hashes (title words first,
    /// then the lead's); `None` when the lead is too short to tell.
    fn of(words: &[u64], title_words: usize) -> Option<Short> {
        let lead_words = &words[title_words.min(words.len())..];
        if lead_words.len() < MIN_LEAD_GRAMS + 2 {
            return None;
        }
        let mut lead: Vec<u32> = lead_words
            .windows(3)
            .map(|w| {
                let h = w[0].rotate_left(21) ^ w[1].rotate_left(42) ^ w[2];
                mix32(h)
            })
            .collect();
        lead.sort_unstable();
        lead.dedup();
        lead.truncate(LEAD_GRAMS);
        let mut title: Vec<u32> = words[..title_words.min(words.len())]
            .iter()
            .map(|w| mix32(*w))
            .collect();
        title.sort_unstable();
        title.dedup();
        title.truncate(TITLE_WORDS);
        Some(Short {
            lead: lead.into(),
            title: title.into(),
        })
    }

    /// Whether `self` copies `other`: most of the shorter lead is in the
    /// other (a wire text or press release under another headline), or the
    /// headlines are nearly the same and the leads share a passage (a
    /// re-post whose excerpt was cut elsewhere). Returns the share of the
    /// shorter lead's 3-grams found in the other.
    fn copies(&self, other: &Short) -> Option<f64> {
        let shared = shared_sorted(&self.lead, &other.lead);
        let contained = shared as f64 / self.lead.len().min(other.lead.len()).max(1) as f64;
        if shared >= MIN_LEAD_GRAMS && contained >= LEAD_CONTAINED {
            return Some(contained);
        }
        (self.title_like(other) && shared >= 3).then_some(contained)
    }

    /// Whether `self` re-posts `other` (days after it, beyond the story
    /// window): the same headline, nearly, and a shared passage. Two
    /// outlets quoting one press release under their own headlines days
    /// apart are two reports; a re-post keeps its headline.
    fn reposts(&self, other: &Short) -> Option<f64> {
        if !self.title_like(other) {
            return None;
        }
        let shared = shared_sorted(&self.lead, &other.lead);
        let contained = shared as f64 / self.lead.len().min(other.lead.len()).max(1) as f64;
        (shared >= 3).then_some(contained)
    }

    /// Title words' Jaccard similarity at least [`TITLE_ALIKE`], four words
    /// or more shared.
    fn title_like(&self, other: &Short) -> bool {
        let titles = shared_sorted(&self.title, &other.title);
        let union = self.title.len() + other.title.len() - titles;
        titles >= 4 && titles as f64 >= TITLE_ALIKE * union as f64
    }
}

/// Share of the shorter lead's 3-grams in the other at or above which two
/// short texts are copies...
const LEAD_CONTAINED: f64 = 0.5;
/// ...or the title words' Jaccard similarity at or above which a shared
/// passage of three 3-grams is enough.
const TITLE_ALIKE: f64 = 0.6;

/// Entries two sorted lists share.
fn shared_sorted(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

/// A fixed mixer to 32 bits (the SplitMix64 finalizer's top half).
fn mix32(mut x: u64) -> u32 {
    x ^= x >> 30;
    x = x.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    x ^= x >> 27;
    x = x.wrapping_mul(0x94d0_49bb_1331_11eb);
    ((x ^ (x >> 31)) >> 32) as u32
}

impl Desk {
    pub fn new(config: Config) -> Desk {
        Desk {
            config,
            extractor: Extractor::new(),
            words: Vec::new(),
            keys: Vec::new(),
            df: DocFreq::default(),
            df_docs: DocFreq::default(),
            lsh: LshIndex::new(21, 6, DUPLICATE_SIMILARITY),
            lsh_docs: Vec::new(),
            docs: Map::default(),
            copies: Map::default(),
            stories: Vec::new(),
            story_index: Map::default(),
            postings: Map::default(),
            next_story: 1,
            latest: i64::MIN,
            until_sweep: SWEEP_EVERY,
            changes: Map::default(),
            raw: Vec::new(),
            marks: Vec::new(),
            round: 0,
            probe: Vec::new(),
            found: Vec::new(),
            older: Vec::new(),
            scored: Vec::new(),
            lookup: TermLookup::default(),
            sum: Vec::new(),
            heavy: Vec::new(),
            heavy_terms: Vec::new(),
            short: Map::default(),
            current: None,
            title_words: 0,
            length: Length::Body,
        }
    }

    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Articles known.
    pub fn len(&self) -> usize {
        self.docs.len()
    }

    pub fn is_empty(&self) -> bool {
        self.docs.is_empty()
    }

    /// Whether the desk knows an article.
    pub fn contains(&self, id: ArticleId) -> bool {
        self.docs.contains_key(&id)
    }

    /// The live story of an article.
    pub fn story_of(&self, id: ArticleId) -> Option<StoryId> {
        self.docs
            .get(&id)
            .map(|d| self.stories[self.live(d.story) as usize].id)
    }

    /// The original of an article's copy group, when it is a copy.
    pub fn duplicate_of(&self, id: ArticleId) -> Option<ArticleId> {
        self.docs
            .get(&id)
            .and_then(|d| (d.root != id).then_some(d.root))
    }

    /// Members of a story, in arrival order.
    pub fn story_members(&self, story: StoryId) -> &[ArticleId] {
        match self.story_index.get(&story) {
            Some(&i) => &self.stories[self.live(i) as usize].members,
            None => &[],
        }
    }

    /// Approximate memory held per known article, in bytes (indexes,
    /// signatures, story state; the fixed idf table spread over them).
    pub fn bytes_per_article(&self) -> f64 {
        let n = self.docs.len().max(1) as f64;
        let docs =
            self.docs.capacity() as f64 * (std::mem::size_of::<(ArticleId, Doc)>() as f64 + 1.0);
        let lsh = self.lsh.bytes_per_document() * self.lsh.len() as f64
            + self.lsh_docs.capacity() as f64 * 8.0;
        let stories: f64 = self
            .stories
            .iter()
            .map(|s| {
                std::mem::size_of::<Story>() as f64
                    + s.members.capacity() as f64 * 8.0
                    + s.centroid.capacity() as f64 * 16.0
                    + s.indexed.capacity() as f64 * 8.0
            })
            .sum::<f64>()
            + self.story_index.capacity() as f64 * 13.0;
        let postings: f64 = self
            .postings
            .values()
            .map(|p| 32.0 + p.capacity() as f64 * 4.0)
            .sum();
        (docs + lsh + stories + postings + self.df.bytes() as f64) / n
    }

    fn live(&self, mut i: u32) -> u32 {
        while let Some(j) = self.stories[i as usize].merged_into {
            i = j;
        }
        i
    }

    /// Reads the article once: its raw terms (title, then the lead: the
    /// body, else the excerpt) into `self.raw`, and the signature of the
    /// text compared for copies. That text is the body when it has
    /// [`MIN_BODY_WORDS`], else title, excerpt and body one after another;
    /// one of fewer than [`MIN_COPY_WORDS`] words is not signed (too short
    /// to tell a copy from a coincidence).
    fn read(&mut self, input: &Input<'_>) -> Option<Signature> {
        let ext = &mut self.extractor;
        let words = &mut self.words;
        words.clear();
        self.title_words = usize::MAX;
        ext.begin();
        if let Some(body) = input.body {
            ext.read(input.title, Part::Title, None);
            if ext.read(body, Part::Lead, Some(words)) >= MIN_BODY_WORDS {
                self.length = Length::Body;
                ext.finish(&mut self.raw);
                return sign_words(words);
            }
            // A short body: start over, signing title, excerpt and body.
            words.clear();
            ext.begin();
        }
        let mut count = ext.read(input.title, Part::Title, Some(words));
        self.title_words = words.len();
        if let Some(excerpt) = input.excerpt {
            let part = match input.body {
                None => Part::Lead,
                Some(_) => Part::Signed,
            };
            count += ext.read(excerpt, part, Some(words));
        }
        if let Some(body) = input.body {
            count += ext.read(body, Part::Lead, Some(words));
        }
        self.length = if words.len() > self.title_words {
            Length::Excerpt
        } else {
            Length::Headline
        };
        ext.finish(&mut self.raw);
        if count >= MIN_COPY_WORDS {
            sign_words(words)
        } else {
            None
        }
    }

    /// Decides a new article's duplicate status and story. An id the desk
    /// already knows is re-analysed as an update of the same article: it
    /// keeps its story and copy group (same URL, changed text is an update,
    /// not a copy) and its signature and terms are refreshed.
    pub fn add(&mut self, input: &Input<'_>) -> Decision {
        let time = effective_time(input.published, input.seen);
        self.tick(time);
        let provider = xxhash_rust::xxh3::xxh3_64(input.provider.as_bytes());
        let signature = self.read(input);
        // A short text (no body to sign): its sketch, to find copies of it
        // from the excerpt.
        self.current = if self.title_words == usize::MAX {
            None
        } else {
            Short::of(&self.words, self.title_words)
        };
        // Weighed by the rarity known before it: an article does not make
        // its own words common.
        let terms = weigh_blend(&self.raw, &self.df, Some(&self.df_docs), &mut self.keys);

        if self.docs.contains_key(&input.id) {
            match self.current.take() {
                Some(sketch) => self.short.insert(input.id, sketch),
                None => self.short.remove(&input.id),
            };
            return self.refresh(
                input.id,
                signature,
                terms,
                time,
                input.credibility,
                provider,
            );
        }

        // Copies first: a copy belongs to its original's story.
        let mut copy_of: Option<(ArticleId, f64)> = None;
        let mut lsh = NO_LSH;
        if let Some(sig) = &signature {
            let (n, hits) = self.lsh.query_insert(sig);
            for (doc, sim) in hits {
                match self.lsh_docs.get(doc as usize) {
                    Some(&other) if other != REPLACED && other != input.id => {
                        copy_of = Some((other, sim));
                        break;
                    }
                    _ => {}
                }
            }
            crate::huge::push(&mut self.lsh_docs, input.id);
            lsh = n;
        }

        let (story_ix, placement, merged, similar) = match copy_of {
            Some((other, similarity)) => {
                let root = self.docs[&other].root;
                let story = self.live(self.docs[&root].story);
                (
                    story,
                    Placement::Duplicate {
                        of: root,
                        similarity,
                    },
                    Vec::new(),
                    Vec::new(),
                )
            }
            None => self.place(&terms, time),
        };
        self.count_rarity(story_ix);

        self.docs.insert(
            input.id,
            Doc {
                time,
                credibility: input.credibility,
                provider,
                story: story_ix,
                root: input.id,
                lsh,
            },
        );
        self.add_to_story(story_ix, input.id, &terms, time);
        if let Some(sketch) = self.current.take() {
            self.short.insert(input.id, sketch);
        }
        let mut placement = placement;
        let copied = match placement {
            Placement::Duplicate { of, similarity } => Some((of, similarity)),
            Placement::LeadCopy { of, shared } => Some((of, shared)),
            _ => None,
        };
        if let Some((of, similarity)) = copied {
            self.join_copies(of, input.id);
            if self.duplicate_of(input.id).is_none() {
                // It was published first: the copies now point to it.
                placement = Placement::FirstPublication {
                    copy: of,
                    similarity,
                };
            }
        }
        let story = self.stories[self.live(story_ix) as usize].id;
        let duplicate_of = self.duplicate_of(input.id);
        self.changes.remove(&input.id);
        Decision {
            id: input.id,
            story,
            duplicate_of,
            placement,
            merged,
            similar,
            snapshot: Snapshot {
                signature,
                terms,
                time,
                credibility: input.credibility,
                provider,
                story,
                duplicate_of,
            },
        }
    }

    /// Counts the terms of the article just read (`self.raw`) for rarity, as
    /// it goes into story `ix`: a new story counts all of them and is one
    /// more document; one joined counts only the terms its centroid lacks.
    /// Rarity is thus counted over stories: the words of a big story are
    /// not common for being repeated by its coverage, while a word many
    /// separate events share is.
    fn count_rarity(&mut self, ix: u32) {
        let ix = self.live(ix);
        let Desk {
            stories,
            df,
            df_docs,
            raw,
            ..
        } = self;
        df_docs.add(raw.iter().map(|(t, _)| *t));
        let st = &stories[ix as usize];
        if st.members.is_empty() {
            df.add(raw.iter().map(|(t, _)| *t));
            return;
        }
        let centroid = &st.centroid;
        df.count(
            raw.iter()
                .map(|(t, _)| *t)
                .filter(|t| centroid.binary_search_by_key(t, |(c, _)| *c).is_err()),
        );
    }

    /// Advances the clock; now and then drops postings and centroids of
    /// stories long out of the window, so memory follows the window, not the
    /// whole history.
    fn tick(&mut self, time: i64) {
        self.latest = self.latest.max(time);
        self.until_sweep -= 1;
        if self.until_sweep > 0 {
            return;
        }
        self.until_sweep = SWEEP_EVERY;
        let horizon = self.latest - (2 * self.config.window).max(RETAIN);
        let min_minute = minute_of(horizon);
        self.postings.retain(|_, list| {
            list.retain(|(_, m)| *m >= min_minute);
            list.shrink_to_fit();
            !list.is_empty()
        });
        let docs = &self.docs;
        self.short
            .retain(|id, _| docs.get(id).is_some_and(|d| d.time >= horizon));
        self.short.shrink_to_fit();
        for st in &mut self.stories {
            if st.last < horizon && !st.centroid.is_empty() {
                st.centroid = Vec::new();
                st.indexed = Vec::new();
                st.recent = Recent::default();
                st.norm = 0.0;
            }
        }
    }

    fn refresh(
        &mut self,
        id: ArticleId,
        signature: Option<Signature>,
        terms: TermVector,
        time: i64,
        credibility: i32,
        provider: u64,
    ) -> Decision {
        // An update keeps the article's first publication time: a corrected
        // article is still the first publication of its text.
        let lsh = match &signature {
            Some(sig) => {
                crate::huge::push(&mut self.lsh_docs, id);
                self.lsh.insert(sig)
            }
            None => NO_LSH,
        };
        let (time, was_stub) = match self.docs.get_mut(&id) {
            Some(d) => {
                if d.lsh != NO_LSH {
                    self.lsh_docs[d.lsh as usize] = REPLACED;
                }
                d.lsh = lsh;
                d.time = d.time.min(time);
                let was_stub = d.credibility < 0 && credibility >= 0;
                d.credibility = credibility;
                (d.time, was_stub)
            }
            None => (time, false),
        };
        let merged = if was_stub {
            self.replace_stub(id, &terms, time)
        } else {
            Vec::new()
        };
        let story = self.story_of(id).unwrap_or_default();
        let duplicate_of = self.duplicate_of(id);
        Decision {
            id,
            story,
            duplicate_of,
            placement: Placement::Updated,
            merged,
            similar: Vec::new(),
            snapshot: Snapshot {
                signature,
                terms,
                time,
                credibility,
                provider,
                story,
                duplicate_of,
            },
        }
    }

    /// An article known only from another's related list (credibility
    /// below 0) was placed when that list was read, often before the rest
    /// of its story arrived; now its own record came. When its story holds
    /// nothing but it and its copies, the story is decided again from the
    /// record: if the record joins another story, the stub's story is
    /// merged into that one. Returns the
    /// stories merged away.
    fn replace_stub(&mut self, id: ArticleId, terms: &TermVector, time: i64) -> Vec<StoryId> {
        let Some(doc) = self.docs.get(&id) else {
            return Vec::new();
        };
        let (ix, root) = (self.live(doc.story), doc.root);
        let alone = self.stories[ix as usize]
            .members
            .iter()
            .all(|m| self.docs.get(m).is_some_and(|d| d.root == root));
        if !alone || terms.is_empty() {
            return Vec::new();
        }
        self.candidates(terms, time);
        let scored = std::mem::take(&mut self.scored);
        let (join, member) = match self.length {
            Length::Headline => (self.config.join_short, self.config.member_short),
            Length::Excerpt => (self.config.join_excerpt, self.config.member),
            Length::Body => (self.config.join, self.config.member),
        };
        let target = scored
            .iter()
            .filter(|(c, _)| self.live(*c) != ix)
            .take_while(|(_, s)| *s >= join)
            .find(|(c, _)| self.closest_member(*c, terms) >= member)
            .map(|(c, _)| *c);
        self.scored = scored;
        match target {
            Some(t) if self.live(t) != ix => self.merge(t, ix).into_iter().collect(),
            _ => Vec::new(),
        }
    }

    /// Orders copies: earlier first, then more credible, then lower id.
    fn precedes(&self, a: ArticleId, b: ArticleId) -> bool {
        let (da, db) = (&self.docs[&a], &self.docs[&b]);
        (da.time, -da.credibility, a) < (db.time, -db.credibility, b)
    }

    /// Puts `new` into the copy group whose original is `root`; the earlier
    /// of the two becomes the group's original.
    fn join_copies(&mut self, root: ArticleId, new: ArticleId) {
        if self.precedes(root, new) {
            self.docs.get_mut(&new).expect("new").root = root;
            self.copies.entry(root).or_default().push(new);
            return;
        }
        // The newcomer is the first publication: re-point the group.
        let mut group = self.copies.remove(&root).unwrap_or_default();
        group.push(root);
        for &m in &group {
            self.docs.get_mut(&m).expect("member").root = new;
        }
        let story = self.story_of(new).unwrap_or_default();
        for &m in &group {
            self.changes.insert(
                m,
                Change {
                    id: m,
                    story,
                    duplicate_of: Some(new),
                    cause: Cause::NewOriginal,
                },
            );
        }
        self.copies.insert(new, group);
    }

    /// Finds the story for a non-copy, merging stories it bridges.
    fn place(
        &mut self,
        terms: &TermVector,
        time: i64,
    ) -> (u32, Placement, Vec<StoryId>, Vec<(ArticleId, f32)>) {
        if terms.is_empty() {
            let s = self.new_story(time);
            return (s, Placement::Empty, Vec::new(), Vec::new());
        }
        self.candidates(terms, time);
        // A copy that keeps its original's headline is taken at once; one
        // that only shares a passage yields to an older re-posted original.
        let found = self.lead_copy();
        if let Some((true, placed)) = found {
            return self.bridge(placed, terms);
        }
        if let Some(placed) = self.older_lead_copy(time) {
            return self.bridge(placed, terms);
        }
        if let Some((_, placed)) = found {
            return self.bridge(placed, terms);
        }
        let scored = std::mem::take(&mut self.scored);
        let placed = self.choose(&scored, terms, time);
        self.scored = scored;
        placed
    }

    /// A short text's copy among the latest members of its best candidate
    /// stories (a copy shares enough terms with its original's story to
    /// put it among them): the copy's story and placement.
    fn lead_copy(&self) -> Option<(bool, Placed)> {
        let current = self.current.as_ref()?;
        // Of several texts it copies, the one whose headline it keeps too
        // (a re-post), then the latest: two reports quoting one sentence
        // of a press release share a passage under their own headlines.
        let mut best: Option<(bool, ArticleId, f64)> = None;
        for &(ix, _) in self.scored.iter().take(COPY_STORIES) {
            let st = &self.stories[ix as usize];
            for m in st.members.iter().rev().take(COPY_MEMBERS) {
                let Some(other) = self.short.get(m) else {
                    continue;
                };
                let Some(shared) = current.copies(other) else {
                    continue;
                };
                let titled = current.title_like(other);
                if best.is_none_or(|(t, _, _)| titled && !t) {
                    best = Some((titled, *m, shared));
                }
                if titled {
                    break;
                }
            }
            if best.is_some_and(|(t, _, _)| t) {
                break;
            }
        }
        let (titled, m, shared) = best?;
        let root = self.docs[&m].root;
        let story = self.live(self.docs[&root].story);
        Some((
            titled,
            (
                story,
                Placement::LeadCopy { of: root, shared },
                Vec::new(),
                Vec::new(),
            ),
        ))
    }

    /// A short text's copy in a story older than the window (a re-post days
    /// later): the same probe of the postings as [`Desk::candidates`], over
    /// entries between the window and [`COPY_LOOKBACK`] behind the article,
    /// the [`COPY_STORIES`] sharing the most probe weight checked like
    /// [`Desk::lead_copy`]. Bounded like the probe: at most
    /// `PROBE_TERMS * PROBE_DEPTH` entries read (fewer: see [`probe_depth`]).
    fn older_lead_copy(&mut self, time: i64) -> Option<Placed> {
        let current = self.current.as_ref()?;
        let window = self.config.window;
        if COPY_LOOKBACK <= window {
            return None;
        }
        let mut older = std::mem::take(&mut self.older);
        older.clear();
        for (rank, (term, weight)) in self.probe.iter().take(PROBE_TERMS).enumerate() {
            let Some(list) = self.postings.get(term) else {
                continue;
            };
            let depth = probe_depth(rank);
            for &(ix, minute) in list[list.len().saturating_sub(depth)..].iter().rev() {
                let at = minute as i64 * 60;
                if at + window >= time || at + COPY_LOOKBACK < time {
                    continue;
                }
                older.push((self.live(ix), *weight));
            }
        }
        older.sort_unstable_by_key(|e| e.0);
        let mut w = 0;
        for r in 0..older.len() {
            if w > 0 && older[w - 1].0 == older[r].0 {
                older[w - 1].1 += older[r].1;
            } else {
                older[w] = older[r];
                w += 1;
            }
        }
        older.truncate(w);
        older.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        let found = older.iter().take(COPY_STORIES).find_map(|&(ix, _)| {
            let st = &self.stories[ix as usize];
            st.members.iter().rev().take(COPY_MEMBERS).find_map(|m| {
                let shared = self.short.get(m).and_then(|o| current.reposts(o))?;
                let root = self.docs[m].root;
                let story = self.live(self.docs[&root].story);
                Some((
                    story,
                    Placement::LeadCopy { of: root, shared },
                    Vec::new(),
                    Vec::new(),
                ))
            })
        });
        self.older = older;
        found
    }

    /// A short-text copy joins its original's story without scoring; when
    /// its own words would also have joined it to another candidate story
    /// (its excerpt cut elsewhere in the shared text), it bridges the two:
    /// they are merged (within a story's span).
    fn bridge(&mut self, mut placed: Placed, terms: &TermVector) -> Placed {
        let (join, member) = match self.length {
            Length::Headline => (self.config.join_short, self.config.member_short),
            Length::Excerpt => (self.config.join_excerpt, self.config.member),
            Length::Body => (self.config.join, self.config.member),
        };
        let strong = match self.length {
            Length::Excerpt => self.config.member_strong,
            Length::Headline | Length::Body => f32::INFINITY,
        };
        let floor = self.config.similar.min(join);
        let scored = std::mem::take(&mut self.scored);
        for &(ix, s) in &scored {
            if s < floor {
                break;
            }
            if self.live(ix) == self.live(placed.0) {
                continue;
            }
            let m = self.closest_member(ix, terms);
            if (s >= join && m >= member) || m >= strong {
                if let Some(id) = self.merge(placed.0, ix) {
                    placed.2.push(id);
                }
                break;
            }
        }
        self.scored = scored;
        placed.0 = self.live(placed.0);
        placed
    }

    /// Places a non-copy among its scored candidate stories (best first).
    fn choose(
        &mut self,
        scored: &[(u32, f32)],
        terms: &TermVector,
        time: i64,
    ) -> (u32, Placement, Vec<StoryId>, Vec<(ArticleId, f32)>) {
        let similar: Vec<(ArticleId, f32)> = scored
            .iter()
            .filter(|(_, s)| *s >= self.config.similar && *s < self.config.join)
            .filter_map(|(ix, s)| {
                let st = &self.stories[*ix as usize];
                st.members.last().map(|m| (*m, *s))
            })
            .take(self.config.similar_count)
            .collect();
        // The best story whose centroid is close enough and which holds an
        // article close enough: a story that has grown generic (its centroid
        // all topic words) cannot take articles no member resembles.
        let (join, member) = match self.length {
            Length::Headline => (self.config.join_short, self.config.member_short),
            Length::Excerpt => (self.config.join_excerpt, self.config.member),
            Length::Body => (self.config.join, self.config.member),
        };
        // An excerpt that closely resembles one of a story's recent members
        // joins it with a weaker centroid score (down to `similar`): as a
        // story of excerpts grows, its centroid spreads over more terms and
        // a new report's cosine with it falls, while its resemblance to the
        // report it follows up does not. Not for bodies (their members
        // share a topic's wording at that level) nor headlines (a handful
        // of terms).
        let strong = match self.length {
            Length::Excerpt => self.config.member_strong,
            Length::Headline | Length::Body => f32::INFINITY,
        };
        let floor = self.config.similar.min(join);
        let chosen = scored
            .iter()
            .take_while(|(_, s)| *s >= floor)
            .find(|(ix, s)| {
                let m = self.closest_member(*ix, terms);
                (*s >= join && m >= member) || m >= strong
            })
            .copied();
        match chosen {
            Some((ix, score)) => {
                let mut merged = Vec::new();
                for &(other, s) in scored {
                    if s < self.config.merge {
                        break;
                    }
                    // Two stories merge when the article bridges them and
                    // they resemble each other, not just the article (a
                    // round-up of two events is not one event).
                    if other == ix
                        || self.centroid_similarity(ix, other) < self.config.merge_stories
                    {
                        continue;
                    }
                    if let Some(id) = self.merge(ix, other) {
                        merged.push(id);
                    }
                }
                // Stories of the article's neighbourhood whose centroids
                // have converged on the one it joined are one story.
                for &(other, s) in scored {
                    if s < self.config.similar {
                        break;
                    }
                    let (a, b) = (self.live(ix), self.live(other));
                    if a == b || self.centroid_similarity(a, b) < self.config.converge {
                        continue;
                    }
                    // Only with the article's own evidence in the other
                    // story too, and within a story's span: a story whose
                    // centroid grew generic does not sweep up its topic.
                    let (sa, sb) = (&self.stories[a as usize], &self.stories[b as usize]);
                    let span = sa.last.max(sb.last) - sa.first.min(sb.first);
                    if span > self.config.max_span || self.closest_member(b, terms) < member {
                        continue;
                    }
                    if let Some(id) = self.merge(a, b) {
                        merged.push(id);
                    }
                }
                (ix, Placement::Joined { score }, merged, similar)
            }
            None => {
                let s = self.new_story(time);
                (s, Placement::New, Vec::new(), similar)
            }
        }
    }

    /// The highest cosine between the vector and the story's recent members.
    fn closest_member(&self, ix: u32, terms: &TermVector) -> f32 {
        let st = &self.stories[self.live(ix) as usize];
        if st.recent.is_empty() {
            // Its member vectors were dropped (the story went quiet long
            // ago) or had no terms: the centroid stands for them.
            return 1.0;
        }
        st.recent
            .members()
            .map(|(t, w)| self.lookup.dot_split(&terms.0, t, w))
            .fold(0.0, f32::max)
    }

    /// Cosine between two stories' centroids.
    fn centroid_similarity(&self, a: u32, b: u32) -> f32 {
        let (a, b) = (&self.stories[a as usize], &self.stories[b as usize]);
        if a.norm == 0.0 || b.norm == 0.0 {
            return 0.0;
        }
        dot(&a.centroid, &b.centroid) / (a.norm * b.norm)
    }

    /// Live stories sharing heavy terms with the vector and active within the
    /// window, scored by cosine with their centroid, best first, into
    /// `self.scored`. Leaves the vector in `self.lookup`.
    fn candidates(&mut self, terms: &TermVector, time: i64) {
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            self.marks.iter_mut().for_each(|m| m.0 = 0);
            self.round = 1;
        }
        if self.marks.len() < self.stories.len() {
            self.marks.resize(self.stories.len(), (0, 0.0));
        }
        let probe = &mut self.probe;
        probe.clear();
        probe.extend_from_slice(&terms.0);
        probe.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
        probe.truncate(PROBE_TERMS);
        let window = self.config.window;
        // Room for every entry read (see below), so that stories are
        // listed without a branch on whether they were met before.
        let found = &mut self.found;
        found.clear();
        found.resize(PROBE_TERMS * PROBE_DEPTH, 0);
        let mut count = 0;
        // The probe terms' lists, their newest entries requested from
        // memory before any is read.
        let mut lists: [&[(u32, u32)]; PROBE_TERMS] = [&[]; PROBE_TERMS];
        let mut touch = 0u32;
        for (rank, (list, (term, _))) in lists.iter_mut().zip(probe.iter()).enumerate() {
            if let Some(l) = self.postings.get(term) {
                *list = &l[l.len().saturating_sub(probe_depth(rank))..];
                touch ^= list.last().map_or(0, |e| e.1);
            }
        }
        std::hint::black_box(touch);
        let marks = &mut self.marks;
        let round = self.round;
        for (list, &(_, weight)) in lists.iter().zip(probe.iter()) {
            // Newest entries first. Arrival order is not time order (a
            // feed's backlog, an archive), so entries are filtered by time,
            // not cut off at the first old one.
            for &(ix, minute) in list.iter().rev() {
                let at = minute as i64 * 60;
                if at + window < time || at - window > time {
                    continue;
                }
                // A story met for the first time this round starts from
                // 0.0 (0.0 + weight is weight, as it was when the mark was
                // reset first) and is listed; the choices are selects, not
                // branches (met or not is a coin toss to the predictor).
                let mark = &mut marks[ix as usize];
                let fresh = mark.0 != round;
                found[count] = ix;
                count += fresh as usize;
                let base = if fresh { 0.0 } else { mark.1 };
                *mark = (round, base + weight);
            }
        }
        found.truncate(count);
        let out = found;
        // Only the stories sharing the most probe weight are scored in full.
        if out.len() > SCORED_CANDIDATES {
            let marks = &self.marks;
            out.select_nth_unstable_by(SCORED_CANDIDATES - 1, |a, b| {
                marks[*b as usize]
                    .1
                    .total_cmp(&marks[*a as usize].1)
                    .then(a.cmp(b))
            });
            out.truncate(SCORED_CANDIDATES);
        }
        // Stories merged away or outside the window are dropped here, where
        // few are left to check.
        let stories = &self.stories;
        let span = self.config.max_span;
        out.retain(|ix| {
            let st = &stories[*ix as usize];
            st.merged_into.is_none()
                && st.last + window >= time
                && st.first - window <= time
                && time - st.first <= span
                && st.last - time <= span
        });
        self.lookup.set(&terms.0);
        let lookup = &self.lookup;
        // The candidates' centroids (a cache line every four terms)
        // requested from memory before any is read: they are scattered
        // over the heap, and reading them one after another would wait for
        // each in turn.
        let mut touch = 0u64;
        for &ix in out.iter() {
            for (t, _) in stories[ix as usize].centroid.iter().step_by(4) {
                touch ^= t;
            }
        }
        std::hint::black_box(touch);
        self.scored.clear();
        let decay = self.config.decay.max(1) as f32;
        self.scored.extend(out.iter().map(|&ix| {
            let st = &stories[ix as usize];
            let s = if st.norm > 0.0 {
                lookup.dot(&terms.0, &st.centroid) / st.norm
            } else {
                0.0
            };
            let gap = (st.first - time).max(time - st.last).max(0) as f32;
            (ix, s * (-gap / decay).exp())
        }));
        self.scored
            .sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
    }

    fn new_story(&mut self, time: i64) -> u32 {
        let id = self.next_story;
        self.next_story += 1;
        self.insert_story(id, time)
    }

    fn insert_story(&mut self, id: StoryId, time: i64) -> u32 {
        let ix = self.stories.len() as u32;
        self.stories.push(Story {
            id,
            merged_into: None,
            first: time,
            last: time,
            members: Vec::new(),
            centroid: Vec::new(),
            norm: 0.0,
            indexed: Vec::new(),
            recent: Recent::default(),
        });
        self.story_index.insert(id, ix);
        ix
    }

    /// Adds a member's vector to a story's centroid and indexes new terms.
    fn add_to_story(&mut self, ix: u32, id: ArticleId, terms: &TermVector, time: i64) {
        let ix = self.live(ix);
        let st = &mut self.stories[ix as usize];
        st.members.push(id);
        st.first = st.first.min(time);
        st.last = st.last.max(time);
        if terms.is_empty() {
            return;
        }
        st.recent.push(&terms.0);
        add_vectors(&st.centroid, &terms.0, &mut self.sum, &mut self.keys);
        st.centroid.clear();
        st.centroid.reserve_exact(self.sum.len());
        st.centroid.extend_from_slice(&self.sum);
        st.norm = st.centroid.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        self.index_story(ix, time);
    }

    /// Puts a story's heaviest centroid terms in the postings: new ones
    /// always, all of them every fourth member (so an active story stays
    /// near the newest end of its lists).
    fn index_story(&mut self, ix: u32, time: i64) {
        let st = &mut self.stories[ix as usize];
        let heavy = &mut self.heavy;
        heavy.clear();
        heavy.extend_from_slice(&st.centroid);
        keep_heaviest(heavy, INDEXED_TERMS, &mut self.keys);
        let refresh = st.members.len().is_multiple_of(4);
        let minute = minute_of(time);
        // Still in term order.
        let now_indexed = &mut self.heavy_terms;
        now_indexed.clear();
        now_indexed.extend(heavy.iter().map(|(t, _)| *t));
        for &t in now_indexed.iter() {
            // Terms that were among the heaviest before are in the postings.
            if refresh || st.indexed.binary_search(&t).is_err() {
                self.postings.entry(t).or_default().push((ix, minute));
            }
        }
        st.indexed.clear();
        st.indexed.extend_from_slice(now_indexed);
    }

    /// Merges story `b` into story `a`; returns `b`'s id.
    fn merge(&mut self, a: u32, b: u32) -> Option<StoryId> {
        let (a, b) = (self.live(a), self.live(b));
        if a == b {
            return None;
        }
        // A merged story runs at most its span too.
        let (sa, sb) = (&self.stories[a as usize], &self.stories[b as usize]);
        if sa.last.max(sb.last) - sa.first.min(sb.first) > self.config.max_span {
            return None;
        }
        let (keep, gone) =
            if self.stories[a as usize].members.len() >= self.stories[b as usize].members.len() {
                (a, b)
            } else {
                (b, a)
            };
        let members = std::mem::take(&mut self.stories[gone as usize].members);
        let centroid = std::mem::take(&mut self.stories[gone as usize].centroid);
        let recent = std::mem::take(&mut self.stories[gone as usize].recent);
        let (first, last, gone_id) = {
            let g = &self.stories[gone as usize];
            (g.first, g.last, g.id)
        };
        self.stories[gone as usize].merged_into = Some(keep);
        let keep_id = self.stories[keep as usize].id;
        {
            let k = &mut self.stories[keep as usize];
            k.first = k.first.min(first);
            k.last = k.last.max(last);
            add_vectors(&k.centroid, &centroid, &mut self.sum, &mut self.keys);
            k.centroid.clear();
            k.centroid.extend_from_slice(&self.sum);
            k.norm = k.centroid.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            k.members.extend_from_slice(&members);
            k.recent.append(&recent);
        }
        let last = self.stories[keep as usize].last;
        self.index_story(keep, last);
        for m in members {
            let duplicate_of = self.duplicate_of(m);
            self.changes.insert(
                m,
                Change {
                    id: m,
                    story: keep_id,
                    duplicate_of,
                    cause: Cause::Merged,
                },
            );
        }
        Some(gone_id)
    }

    /// Changes to earlier articles since the last call (merges, new
    /// originals), to persist with the new decisions.
    pub fn take_changes(&mut self) -> Vec<Change> {
        // The recorded cause is the latest; story and original are read now.
        let mut out: Vec<Change> = self
            .changes
            .drain()
            .map(|(_, c)| c)
            .collect::<Vec<_>>()
            .into_iter()
            .filter_map(|c| {
                Some(Change {
                    story: self.story_of(c.id)?,
                    duplicate_of: self.duplicate_of(c.id),
                    ..c
                })
            })
            .collect();
        out.sort_by_key(|c| c.id);
        out
    }

    /// Rebuilds the desk's state for an article analysed before. Call in
    /// id order; articles whose story is gone from the window only keep
    /// their membership.
    pub fn restore(&mut self, id: ArticleId, snap: &Snapshot) {
        let lsh = match &snap.signature {
            Some(sig) => {
                crate::huge::push(&mut self.lsh_docs, id);
                self.lsh.insert(sig)
            }
            None => NO_LSH,
        };
        let ix = match self.story_index.get(&snap.story) {
            Some(&ix) => ix,
            None => self.insert_story(snap.story, snap.time),
        };
        self.next_story = self.next_story.max(snap.story + 1);
        {
            let live = self.live(ix);
            let Desk {
                stories,
                df,
                df_docs,
                ..
            } = self;
            df_docs.add(snap.terms.0.iter().map(|(t, _)| *t));
            let st = &stories[live as usize];
            let terms = snap.terms.0.iter().map(|(t, _)| *t);
            if st.members.is_empty() {
                df.add(terms);
            } else {
                let centroid = &st.centroid;
                df.count(terms.filter(|t| centroid.binary_search_by_key(t, |(c, _)| *c).is_err()));
            }
        }
        self.docs.insert(
            id,
            Doc {
                time: snap.time,
                credibility: snap.credibility,
                provider: snap.provider,
                story: ix,
                root: snap.duplicate_of.unwrap_or(id),
                lsh,
            },
        );
        if let Some(root) = snap.duplicate_of {
            self.copies.entry(root).or_default().push(id);
        }
        self.add_to_story(ix, id, &snap.terms, snap.time);
    }

    /// Whether two articles come from different providers.
    pub fn other_provider(&self, a: ArticleId, b: ArticleId) -> bool {
        match (self.docs.get(&a), self.docs.get(&b)) {
            (Some(x), Some(y)) => x.provider != y.provider,
            _ => true,
        }
    }
}

/// Where an article goes: its story, why, the stories merged into it, and
/// its similar coverage.
type Placed = (u32, Placement, Vec<StoryId>, Vec<(ArticleId, f32)>);

/// Minutes since the epoch, as stored in postings (clamped to `u32`).
fn minute_of(time: i64) -> u32 {
    (time.div_euclid(60)).clamp(0, u32::MAX as i64) as u32
}

/// Sum of two sparse vectors, heaviest [`CENTROID_TERMS`] kept, sorted, into
/// `out`.
fn add_vectors(
    a: &[(u64, f32)],
    b: &[(u64, f32)],
    out: &mut Vec<(u64, f32)>,
    keys: &mut Vec<u128>,
) {
    out.clear();
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j >= b.len() || (i < a.len() && a[i].0 < b[j].0) {
            out.push(a[i]);
            i += 1;
        } else if i >= a.len() || b[j].0 < a[i].0 {
            out.push(b[j]);
            j += 1;
        } else {
            out.push((a[i].0, a[i].1 + b[j].1));
            i += 1;
            j += 1;
        }
    }
    keep_heaviest(out, CENTROID_TERMS, keys);
}

/// The latest members' vectors of a story, oldest first, one after another
/// in flat arrays (a story's are read together, so they are kept together).
#[derive(Default)]
struct Recent {
    terms: Vec<u64>,
    weights: Vec<f32>,
    /// The members' numbers of terms, oldest first.
    lens: VecDeque<u32>,
}

impl Recent {
    fn is_empty(&self) -> bool {
        self.lens.is_empty()
    }

    /// Adds a member's vector as the newest; the oldest beyond
    /// [`RECENT_MEMBERS`] makes room.
    fn push(&mut self, v: &[(u64, f32)]) {
        if self.lens.len() == RECENT_MEMBERS {
            let n = self.lens.pop_front().unwrap_or(0) as usize;
            self.terms.drain(..n);
            self.weights.drain(..n);
        }
        self.terms.extend(v.iter().map(|(t, _)| *t));
        self.weights.extend(v.iter().map(|(_, w)| *w));
        self.lens.push_back(v.len() as u32);
    }

    /// Adds another story's members after these, oldest first.
    fn append(&mut self, other: &Recent) {
        let mut v = Vec::new();
        for (t, w) in other.members() {
            v.clear();
            v.extend(t.iter().copied().zip(w.iter().copied()));
            self.push(&v);
        }
    }

    /// Each member's terms and weights, oldest first.
    fn members(&self) -> impl Iterator<Item = (&[u64], &[f32])> {
        self.lens.iter().scan(0usize, |at, &n| {
            let from = *at;
            *at += n as usize;
            Some((&self.terms[from..*at], &self.weights[from..*at]))
        })
    }
}

/// An article's terms in a small table, for its cosines with many stories
/// and members without a merge of two lists for each. The table is sized
/// and its hash chosen (per article, among a few) so that no two of the
/// article's terms share a slot: a lookup is one read, with no branch on
/// whether the term is there. Sums in the other vector's (term) order, as
/// [`dot`] does, so the results are the same to the bit.
struct TermLookup {
    keys: Box<[u64; LOOKUP_SLOTS]>,
    /// The weight of the term in each slot; 0.0 in empty slots.
    weights: Box<[f32; LOOKUP_SLOTS]>,
    used: Vec<usize>,
    /// Multiplier of the hash (odd).
    mult: u64,
    /// No hash put the terms in distinct slots, or a weight is not
    /// finite: use [`dot`].
    fallback: bool,
}

const LOOKUP_BITS: u32 = 9;
const LOOKUP_SLOTS: usize = 1 << LOOKUP_BITS;
/// Hashes tried per article: each puts 32 terms in distinct slots with a
/// chance of about 1 in 3.
const LOOKUP_TRIES: u64 = 16;

impl Default for TermLookup {
    fn default() -> TermLookup {
        TermLookup {
            keys: Box::new([0; LOOKUP_SLOTS]),
            weights: Box::new([0.0; LOOKUP_SLOTS]),
            used: Vec::new(),
            mult: 1,
            fallback: true,
        }
    }
}

impl TermLookup {
    #[inline]
    fn slot(&self, t: u64) -> usize {
        (t.wrapping_mul(self.mult) >> (64 - LOOKUP_BITS)) as usize
    }

    fn clear(&mut self) {
        for &s in &self.used {
            self.keys[s] = 0;
            self.weights[s] = 0.0;
        }
        self.used.clear();
    }

    fn set(&mut self, terms: &[(u64, f32)]) {
        self.clear();
        self.fallback = true;
        if terms.len() > LOOKUP_SLOTS / 8 || terms.iter().any(|(_, w)| !w.is_finite()) {
            return;
        }
        for i in 0..LOOKUP_TRIES {
            self.mult = 0x9e37_79b9_7f4a_7c15u64.wrapping_mul(2 * i + 1);
            let mut taken = [0u64; LOOKUP_SLOTS / 64];
            let distinct = terms.iter().all(|&(t, _)| {
                let s = self.slot(t);
                let bit = 1u64 << (s % 64);
                let free = taken[s / 64] & bit == 0;
                taken[s / 64] |= bit;
                free
            });
            if distinct {
                for &(t, w) in terms {
                    let s = self.slot(t);
                    self.keys[s] = t;
                    self.weights[s] = w;
                    self.used.push(s);
                }
                self.fallback = false;
                return;
            }
        }
    }

    /// [`TermLookup::dot`] with the other vector's terms and weights apart.
    fn dot_split(&self, terms: &[(u64, f32)], other: &[u64], weights: &[f32]) -> f32 {
        if self.fallback {
            return dot_split(terms, other, weights);
        }
        let mut sum = 0f32;
        for (&t, &w) in other.iter().zip(weights) {
            let s = self.slot(t);
            let bits = self.weights[s].to_bits();
            let mask = (std::hint::black_box(self.keys[s] == t) as u32).wrapping_neg();
            sum += f32::from_bits(bits & mask) * w;
        }
        sum
    }

    /// The dot product of `terms` (the vector last [`TermLookup::set`]) and
    /// `other`.
    fn dot(&self, terms: &[(u64, f32)], other: &[(u64, f32)]) -> f32 {
        if self.fallback {
            return dot(terms, other);
        }
        let mut sum = 0f32;
        for &(t, w) in other {
            let s = self.slot(t);
            // A term not shared adds +0.0, which leaves the (positive) sum
            // as it was; chosen without a branch (shared or not is a coin
            // toss to the branch predictor).
            let bits = self.weights[s].to_bits();
            let mask = (std::hint::black_box(self.keys[s] == t) as u32).wrapping_neg();
            sum += f32::from_bits(bits & mask) * w;
        }
        sum
    }
}

/// [`dot`] of a vector and one with its terms and weights apart.
fn dot_split(a: &[(u64, f32)], b: &[u64], weights: &[f32]) -> f32 {
    let (mut i, mut j, mut s) = (0, 0, 0f32);
    while i < a.len() && j < b.len() {
        match a[i].0.cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                s += a[i].1 * weights[j];
                i += 1;
                j += 1;
            }
        }
    }
    s
}

/// Serializes a signature for storage: 128 little-endian `u32`s.
pub fn signature_bytes(sig: &Signature) -> Vec<u8> {
    sig.0.iter().flat_map(|v| v.to_le_bytes()).collect()
}

/// Reads [`signature_bytes`] back; `None` when the length is wrong.
pub fn signature_from_bytes(bytes: &[u8]) -> Option<Signature> {
    if bytes.len() != BINS * 4 {
        return None;
    }
    let mut out = [0u32; BINS];
    for (i, c) in bytes.chunks_exact(4).enumerate() {
        out[i] = u32::from_le_bytes([c[0], c[1], c[2], c[3]]);
    }
    Some(Signature(out))
}

/// Serializes a term vector: per term 8 bytes of term, 4 of weight.
pub fn terms_bytes(v: &TermVector) -> Vec<u8> {
    let mut out = Vec::with_capacity(v.0.len() * 12);
    for (t, w) in &v.0 {
        out.extend_from_slice(&t.to_le_bytes());
        out.extend_from_slice(&w.to_le_bytes());
    }
    out
}

/// Reads [`terms_bytes`] back; `None` when the length is wrong.
pub fn terms_from_bytes(bytes: &[u8]) -> Option<TermVector> {
    if !bytes.len().is_multiple_of(12) {
        return None;
    }
    let v = bytes
        .chunks_exact(12)
        .map(|c| {
            let mut t = [0u8; 8];
            t.copy_from_slice(&c[..8]);
            let mut w = [0u8; 4];
            w.copy_from_slice(&c[8..]);
            (u64::from_le_bytes(t), f32::from_le_bytes(w))
        })
        .collect();
    Some(TermVector(v))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sparse vectors as the desk makes them: sorted by term, positive
    /// weights; terms drawn from a small range so that vectors share some.
    fn vectors(count: usize, len: usize, seed: u64) -> Vec<Vec<(u64, f32)>> {
        let mut x = seed | 1;
        let mut next = move || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        (0..count)
            .map(|_| {
                let mut v: Vec<(u64, f32)> = (0..len)
                    .map(|_| {
                        let t = (next() % 200).wrapping_mul(0x9e37_79b9_7f4a_7c15);
                        (t, (next() % 1000 + 1) as f32 / 997.0)
                    })
                    .collect();
                v.sort_unstable_by_key(|(t, _)| *t);
                v.dedup_by_key(|(t, _)| *t);
                v
            })
            .collect()
    }

    #[test]
    fn lookup_cosines_equal_merged_ones_to_the_bit() {
        let mut lookup = TermLookup::default();
        for (seed, len) in [(1, 32), (2, 8), (3, 64), (4, 0)] {
            let articles = vectors(20, len, seed);
            let others = vectors(20, 64, seed + 10);
            for a in &articles {
                lookup.set(a);
                for o in &others {
                    let (t, w): (Vec<u64>, Vec<f32>) = o.iter().copied().unzip();
                    let expect = dot(a, o);
                    assert_eq!(lookup.dot(a, o).to_bits(), expect.to_bits());
                    assert_eq!(lookup.dot_split(a, &t, &w).to_bits(), expect.to_bits());
                }
            }
        }
        // Term 0 (the empty key) is a term like any other.
        let a = vec![(0u64, 0.5f32), (7, 0.5)];
        let o = vec![(0u64, 0.25f32), (9, 1.0)];
        lookup.set(&a);
        assert_eq!(lookup.dot(&a, &o), dot(&a, &o));
        assert_eq!(lookup.dot(&a, &o), 0.125);
    }

    #[test]
    fn recent_members_are_the_latest_in_order() {
        // The model: the vectors themselves, oldest first, at most
        // RECENT_MEMBERS.
        let vs = vectors(30, 32, 5);
        let keep = |model: &mut VecDeque<Vec<(u64, f32)>>| {
            while model.len() > RECENT_MEMBERS {
                model.pop_front();
            }
        };
        let same = |r: &Recent, model: &VecDeque<Vec<(u64, f32)>>| {
            let got: Vec<Vec<(u64, f32)>> = r
                .members()
                .map(|(t, w)| t.iter().copied().zip(w.iter().copied()).collect())
                .collect();
            assert_eq!(got, model.iter().cloned().collect::<Vec<_>>());
        };
        let (mut a, mut b) = (Recent::default(), Recent::default());
        let (mut ma, mut mb) = (VecDeque::new(), VecDeque::new());
        for (i, v) in vs.iter().enumerate() {
            let (r, m) = if i % 3 == 0 {
                (&mut b, &mut mb)
            } else {
                (&mut a, &mut ma)
            };
            r.push(v);
            m.push_back(v.clone());
            keep(m);
            same(r, m);
        }
        a.append(&b);
        ma.extend(mb.iter().cloned());
        keep(&mut ma);
        same(&a, &ma);
        assert!(!a.is_empty() && Recent::default().is_empty());
    }

    #[test]
    fn one_read_signs_and_weighs_the_texts_the_rules_name() {
        use crate::features::{weigh, DocFreq};
        use crate::minhash::Signer;
        let long = "The regulator fined the chip maker 2.4 billion euros on Tuesday for \
            abusing its dominant position in the market for processors used in personal \
            computers, the largest penalty of its kind, and ordered it to stop paying \
            rebates to computer makers that bought most of their chips from it. Analysts \
            said the ruling would be appealed.";
        let short = "Shares of Veritone Data rose 4.5% after the results.";
        let title = "EU fines Intel 1.06 billion euros";
        let excerpt = "The European Commission said on Wednesday the chip maker broke rules.";
        let cases: [(Option<&str>, Option<&str>, &str); 6] = [
            (Some(long), Some(excerpt), long),
            (Some(short), Some(excerpt), "title\nexcerpt\nbody"),
            (Some(short), None, "title\nbody"),
            (None, Some(excerpt), "title\nexcerpt"),
            (None, None, "title"),
            (Some("Photo"), None, "title\nbody"),
        ];
        for (body, excerpt, signed) in cases {
            let mut desk = Desk::new(Config::default());
            let d = desk.add(&Input {
                id: 1,
                title,
                body,
                excerpt,
                published: Some(1_700_000_000),
                seen: 1_700_000_000,
                provider: "example.com",
                credibility: 0,
            });
            let text = match signed {
                "title\nexcerpt\nbody" => {
                    format!("{title}\n{}\n{}", excerpt.unwrap(), body.unwrap())
                }
                "title\nbody" => format!("{title}\n{}", body.unwrap()),
                "title\nexcerpt" => format!("{title}\n{}", excerpt.unwrap()),
                "title" => title.to_string(),
                other => other.to_string(),
            };
            let expect = (text.split_whitespace().count() >= MIN_COPY_WORDS)
                .then(|| Signer::new().sign(&text))
                .flatten();
            assert_eq!(d.snapshot.signature, expect, "{signed}");
            let lead = body.or(excerpt).unwrap_or("");
            let mut raw = Vec::new();
            Extractor::new().terms(title, lead, &mut raw);
            // The first article is weighed before it is counted.
            let df = DocFreq::default();
            assert_eq!(d.snapshot.terms, weigh(&raw, &df), "{signed}");
        }
    }
}
