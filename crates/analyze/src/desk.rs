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

use std::collections::HashMap;

use crate::features::{dot, weigh, DocFreq, Extractor, TermVector};
use crate::lsh::LshIndex;
use crate::minhash::{Signature, Signer, BINS};

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
const PROBE_TERMS: usize = 8;
/// Posting entries read per probe term (newest first).
const PROBE_DEPTH: usize = 64;
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
    /// Cosine at or above which an article joins a story.
    pub join: f32,
    /// Cosine with one of a story's recent members at or above which the
    /// story may take an article (besides `join` on its centroid).
    pub member: f32,
    /// Cosine at or above which a second story is merged into the first...
    pub merge: f32,
    /// ...when the two stories' centroids are at least this similar.
    pub merge_stories: f32,
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
            member: 0.30,
            merge: 0.55,
            merge_stories: 0.25,
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
}

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
    recent: Vec<TermVector>,
}

/// The incremental duplicate and story engine.
pub struct Desk {
    config: Config,
    signer: Signer,
    extractor: Extractor,
    df: DocFreq,
    lsh: LshIndex,
    /// LSH document number → article (`None` once replaced).
    lsh_docs: Vec<Option<ArticleId>>,
    lsh_of: HashMap<ArticleId, u32>,
    docs: HashMap<ArticleId, Doc>,
    /// Original → its copies.
    copies: HashMap<ArticleId, Vec<ArticleId>>,
    stories: Vec<Story>,
    story_index: HashMap<StoryId, u32>,
    /// Term → (story index, minute the entry was made), in arrival order.
    postings: HashMap<u64, Vec<(u32, u32)>>,
    /// The latest article time seen, and how many articles until the next
    /// sweep of stale postings and centroids.
    latest: i64,
    until_sweep: usize,
    next_story: StoryId,
    changes: HashMap<ArticleId, Change>,
    raw: Vec<(u64, f32)>,
    stamp: Vec<u32>,
    acc: Vec<f32>,
    round: u32,
}

impl Desk {
    pub fn new(config: Config) -> Desk {
        Desk {
            config,
            signer: Signer::new(),
            extractor: Extractor::new(),
            df: DocFreq::default(),
            lsh: LshIndex::new(21, 6, DUPLICATE_SIMILARITY),
            lsh_docs: Vec::new(),
            lsh_of: HashMap::new(),
            docs: HashMap::new(),
            copies: HashMap::new(),
            stories: Vec::new(),
            story_index: HashMap::new(),
            postings: HashMap::new(),
            next_story: 1,
            latest: i64::MIN,
            until_sweep: SWEEP_EVERY,
            changes: HashMap::new(),
            raw: Vec::new(),
            stamp: Vec::new(),
            acc: Vec::new(),
            round: 0,
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
            + self.lsh_docs.capacity() as f64 * 16.0
            + self.lsh_of.capacity() as f64 * 13.0;
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

    /// The text signed for duplicate detection, or `None` when it is too
    /// short to tell a copy from a coincidence.
    fn dup_text<'a>(input: &Input<'a>, buf: &'a mut String) -> Option<&'a str> {
        let text = Self::dup_text_any(input, buf);
        text.split_whitespace()
            .nth(MIN_COPY_WORDS - 1)
            .is_some()
            .then_some(text)
    }

    fn dup_text_any<'a>(input: &Input<'a>, buf: &'a mut String) -> &'a str {
        if let Some(body) = input.body {
            if body.split_whitespace().nth(MIN_BODY_WORDS - 1).is_some() {
                return body;
            }
        }
        buf.clear();
        buf.push_str(input.title);
        if let Some(e) = input.excerpt {
            buf.push('\n');
            buf.push_str(e);
        }
        if let Some(body) = input.body {
            buf.push('\n');
            buf.push_str(body);
        }
        buf
    }

    /// Decides a new article's duplicate status and story. An id the desk
    /// already knows is re-analysed as an update of the same article: it
    /// keeps its story and copy group (same URL, changed text is an update,
    /// not a copy) and its signature and terms are refreshed.
    pub fn add(&mut self, input: &Input<'_>) -> Decision {
        let time = effective_time(input.published, input.seen);
        self.tick(time);
        let provider = xxhash_rust::xxh3::xxh3_64(input.provider.as_bytes());
        let mut buf = String::new();
        let signature = Self::dup_text(input, &mut buf).and_then(|t| self.signer.sign(t));
        let lead = input.body.or(input.excerpt).unwrap_or("");
        let mut raw = std::mem::take(&mut self.raw);
        self.extractor.terms(input.title, lead, &mut raw);
        self.df.add(raw.iter().map(|(t, _)| *t));
        let terms = weigh(&raw, &self.df);
        self.raw = raw;

        if self.docs.contains_key(&input.id) {
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
        if let Some(sig) = &signature {
            let (n, hits) = self.lsh.query_insert(sig);
            for (doc, sim) in hits {
                if let Some(Some(other)) = self.lsh_docs.get(doc as usize) {
                    if *other != input.id {
                        copy_of = Some((*other, sim));
                        break;
                    }
                }
            }
            self.lsh_docs.push(Some(input.id));
            self.lsh_of.insert(input.id, n);
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

        self.docs.insert(
            input.id,
            Doc {
                time,
                credibility: input.credibility,
                provider,
                story: story_ix,
                root: input.id,
            },
        );
        self.add_to_story(story_ix, input.id, &terms, time);
        let mut placement = placement;
        if let Placement::Duplicate { of, similarity } = placement {
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
        for st in &mut self.stories {
            if st.last < horizon && !st.centroid.is_empty() {
                st.centroid = Vec::new();
                st.indexed = Vec::new();
                st.recent = Vec::new();
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
        let time = match self.docs.get_mut(&id) {
            Some(d) => {
                d.time = d.time.min(time);
                d.time
            }
            None => time,
        };
        if let Some(old) = self.lsh_of.remove(&id) {
            self.lsh_docs[old as usize] = None;
        }
        if let Some(sig) = &signature {
            let n = self.lsh.insert(sig);
            self.lsh_docs.push(Some(id));
            self.lsh_of.insert(id, n);
        }
        let story = self.story_of(id).unwrap_or_default();
        let duplicate_of = self.duplicate_of(id);
        Decision {
            id,
            story,
            duplicate_of,
            placement: Placement::Updated,
            merged: Vec::new(),
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
        let scored = self.candidates(terms, time);
        let best = scored.first().copied();
        let similar: Vec<(ArticleId, f32)> = scored
            .iter()
            .filter(|(_, s)| *s >= self.config.similar && *s < self.config.join)
            .filter_map(|(ix, s)| {
                let st = &self.stories[*ix as usize];
                st.members.last().map(|m| (*m, *s))
            })
            .take(self.config.similar_count)
            .collect();
        let _ = best;
        // The best story whose centroid is close enough and which holds an
        // article close enough: a story that has grown generic (its centroid
        // all topic words) cannot take articles no member resembles.
        let chosen = scored
            .iter()
            .take_while(|(_, s)| *s >= self.config.join)
            .find(|(ix, _)| self.closest_member(*ix, terms) >= self.config.member)
            .copied();
        match chosen {
            Some((ix, score)) => {
                let mut merged = Vec::new();
                for &(other, s) in &scored {
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
            .iter()
            .map(|m| dot(&terms.0, &m.0))
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
    /// window, scored by cosine with their centroid, best first.
    fn candidates(&mut self, terms: &TermVector, time: i64) -> Vec<(u32, f32)> {
        self.round = self.round.wrapping_add(1);
        if self.round == 0 {
            self.stamp.iter_mut().for_each(|s| *s = 0);
            self.round = 1;
        }
        if self.stamp.len() < self.stories.len() {
            self.stamp.resize(self.stories.len(), 0);
        }
        if self.acc.len() < self.stories.len() {
            self.acc.resize(self.stories.len(), 0.0);
        }
        let mut probe: Vec<(u64, f32)> = terms.0.clone();
        probe.sort_unstable_by(|a, b| b.1.total_cmp(&a.1));
        probe.truncate(PROBE_TERMS);
        let window = self.config.window;
        let mut out: Vec<u32> = Vec::new();
        for (term, weight) in probe {
            let Some(list) = self.postings.get_mut(&term) else {
                continue;
            };
            // Newest entries first. Arrival order is not time order (a
            // feed's backlog, an archive), so entries are filtered by time,
            // not cut off at the first old one.
            for &(ix, minute) in list.iter().rev().take(PROBE_DEPTH) {
                let at = minute as i64 * 60;
                if at + window < time || at - window > time {
                    continue;
                }
                let slot = ix as usize;
                if self.stamp[slot] != self.round {
                    self.stamp[slot] = self.round;
                    self.acc[slot] = 0.0;
                    out.push(ix);
                }
                self.acc[slot] += weight;
            }
        }
        // Only the stories sharing the most probe weight are scored in full.
        if out.len() > SCORED_CANDIDATES {
            let acc = &self.acc;
            out.select_nth_unstable_by(SCORED_CANDIDATES - 1, |a, b| {
                acc[*b as usize].total_cmp(&acc[*a as usize]).then(a.cmp(b))
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
        let mut scored: Vec<(u32, f32)> = out
            .into_iter()
            .map(|ix| {
                let st = &self.stories[ix as usize];
                let s = if st.norm > 0.0 {
                    dot(&terms.0, &st.centroid) / st.norm
                } else {
                    0.0
                };
                (ix, s)
            })
            .collect();
        scored.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored
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
            recent: Vec::new(),
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
        if st.recent.len() == RECENT_MEMBERS {
            st.recent.remove(0);
        }
        st.recent.push(terms.clone());
        st.centroid = add_vectors(&st.centroid, &terms.0);
        st.norm = st.centroid.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
        self.index_story(ix, time);
    }

    /// Puts a story's heaviest centroid terms in the postings: new ones
    /// always, all of them every fourth member (so an active story stays
    /// near the newest end of its lists).
    fn index_story(&mut self, ix: u32, time: i64) {
        let st = &mut self.stories[ix as usize];
        let mut heavy: Vec<(u64, f32)> = st.centroid.clone();
        if heavy.len() > INDEXED_TERMS {
            heavy.select_nth_unstable_by(INDEXED_TERMS - 1, |a, b| {
                b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
            });
            heavy.truncate(INDEXED_TERMS);
        }
        let refresh = st.members.len().is_multiple_of(4);
        let minute = minute_of(time);
        let mut now_indexed: Vec<u64> = heavy.iter().map(|(t, _)| *t).collect();
        now_indexed.sort_unstable();
        for &t in &now_indexed {
            // Terms that were among the heaviest before are in the postings.
            if refresh || st.indexed.binary_search(&t).is_err() {
                self.postings.entry(t).or_default().push((ix, minute));
            }
        }
        st.indexed = now_indexed;
    }

    /// Merges story `b` into story `a`; returns `b`'s id.
    fn merge(&mut self, a: u32, b: u32) -> Option<StoryId> {
        let (a, b) = (self.live(a), self.live(b));
        if a == b {
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
            k.centroid = add_vectors(&k.centroid, &centroid);
            k.norm = k.centroid.iter().map(|(_, w)| w * w).sum::<f32>().sqrt();
            k.members.extend_from_slice(&members);
            k.recent.extend(recent);
            let extra = k.recent.len().saturating_sub(RECENT_MEMBERS);
            k.recent.drain(..extra);
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
        self.df.add(snap.terms.0.iter().map(|(t, _)| *t));
        if let Some(sig) = &snap.signature {
            let n = self.lsh.insert(sig);
            self.lsh_docs.push(Some(id));
            self.lsh_of.insert(id, n);
        }
        let ix = match self.story_index.get(&snap.story) {
            Some(&ix) => ix,
            None => self.insert_story(snap.story, snap.time),
        };
        self.next_story = self.next_story.max(snap.story + 1);
        self.docs.insert(
            id,
            Doc {
                time: snap.time,
                credibility: snap.credibility,
                provider: snap.provider,
                story: ix,
                root: snap.duplicate_of.unwrap_or(id),
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

/// Minutes since the epoch, as stored in postings (clamped to `u32`).
fn minute_of(time: i64) -> u32 {
    (time.div_euclid(60)).clamp(0, u32::MAX as i64) as u32
}

/// Sum of two sparse vectors, heaviest [`CENTROID_TERMS`] kept, sorted.
fn add_vectors(a: &[(u64, f32)], b: &[(u64, f32)]) -> Vec<(u64, f32)> {
    let mut out = Vec::with_capacity(a.len() + b.len());
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
    if out.len() > CENTROID_TERMS {
        out.select_nth_unstable_by(CENTROID_TERMS - 1, |x, y| {
            y.1.total_cmp(&x.1).then(x.0.cmp(&y.0))
        });
        out.truncate(CENTROID_TERMS);
        out.sort_unstable_by_key(|(t, _)| *t);
    }
    out
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
