//! Runs the desk's analysis (duplicates, stories, similar coverage) over
//! stored articles and writes the decisions back.
//!
//! The analysis is derived state: each article's record says which analysis
//! version made it. On start the desk's memory is rebuilt from the records,
//! then every article without a record of this version is analysed (after a
//! crash between storing and analysing, or after an upgrade). During ingest
//! the articles a batch stored or changed are analysed right after it.

use chrono::{DateTime, Utc};
use newsdesk_analyze::desk::{
    signature_bytes, signature_from_bytes, terms_bytes, terms_from_bytes, Cause, Config, Desk,
    Input, Placement as Why, Snapshot,
};
use newsdesk_store::{AnalysisRecord, ArticleId, Placement, Store, StoredArticle};

use crate::error::{store as store_err, DeskError};

/// Bump when analysis changes so much that stored decisions must be redone.
pub const ANALYSIS_VERSION: i64 = 2;

/// Articles read from the store per step.
const PAGE: usize = 2_000;

/// What a run of the analysis did.
#[derive(Debug, Default, Clone, Copy)]
pub struct Done {
    pub analysed: usize,
    pub copies: usize,
    pub changed: usize,
}

pub struct Analysis {
    desk: Desk,
    /// Earlier articles whose placement changed (re-pointed copies, merged
    /// stories): their editorial decisions are due again.
    changed: Vec<ArticleId>,
}

impl Analysis {
    /// Rebuilds the desk from the store's analysis records, then analyses
    /// whatever is pending.
    pub fn open(store: &mut dyn Store, now: DateTime<Utc>) -> Result<(Analysis, Done), DeskError> {
        let mut desk = Desk::new(Config::default());
        let mut after = 0;
        loop {
            let page = store
                .analyses_after(ANALYSIS_VERSION, after, PAGE)
                .map_err(store_err("reading the stored analysis"))?;
            let Some(last) = page.last() else { break };
            after = last.id;
            for r in &page {
                let terms = terms_from_bytes(&r.terms).ok_or_else(|| {
                    DeskError::Damaged(format!(
                        "the stored analysis of article {} is damaged (terms)",
                        r.id
                    ))
                })?;
                let signature = match &r.signature {
                    Some(b) => Some(signature_from_bytes(b).ok_or_else(|| {
                        DeskError::Damaged(format!(
                            "the stored analysis of article {} is damaged (signature)",
                            r.id
                        ))
                    })?),
                    None => None,
                };
                desk.restore(
                    r.id,
                    &Snapshot {
                        signature,
                        terms,
                        time: r.time,
                        credibility: r.credibility,
                        provider: r.provider as u64,
                        story: r.story,
                        duplicate_of: r.duplicate_of,
                    },
                );
            }
        }
        let mut me = Analysis {
            desk,
            changed: Vec::new(),
        };
        let mut done = Done::default();
        let mut after = 0;
        loop {
            let page = store
                .unanalysed(ANALYSIS_VERSION, after, PAGE)
                .map_err(store_err("listing articles to analyse"))?;
            let Some(last) = page.last() else { break };
            after = last.id;
            me.analyse(store, &page, now, &mut done)?;
        }
        Ok((me, done))
    }

    /// The earlier articles whose placement changed since the last call.
    pub fn take_changed(&mut self) -> Vec<ArticleId> {
        std::mem::take(&mut self.changed)
    }

    /// Analyses the given articles (by id, in id order) and stores the results.
    pub fn run_ids(
        &mut self,
        store: &mut dyn Store,
        ids: &mut Vec<ArticleId>,
        now: DateTime<Utc>,
    ) -> Result<Done, DeskError> {
        ids.sort_unstable();
        ids.dedup();
        let mut done = Done::default();
        for chunk in ids.chunks(PAGE) {
            let mut page = Vec::with_capacity(chunk.len());
            for id in chunk {
                if let Some(a) = store
                    .article(*id)
                    .map_err(store_err("reading an article to analyse"))?
                {
                    page.push(a);
                }
            }
            self.analyse(store, &page, now, &mut done)?;
        }
        Ok(done)
    }

    fn analyse(
        &mut self,
        store: &mut dyn Store,
        page: &[StoredArticle],
        now: DateTime<Utc>,
        done: &mut Done,
    ) -> Result<(), DeskError> {
        let mut records = Vec::with_capacity(page.len());
        for s in page {
            let a = &s.article;
            let input = Input {
                id: s.id,
                title: &a.title,
                body: a.body.as_deref(),
                excerpt: a.excerpt.as_deref(),
                published: a.published_at.map(|d| d.timestamp()),
                seen: s.first_seen.timestamp(),
                provider: a.provider.as_ref().map_or("", |p| p.domain.as_str()),
                // A record known only from a related list yields to a full
                // one published at the same time.
                credibility: if s.stub { -1 } else { 0 },
            };
            let d = self.desk.add(&input);
            if d.duplicate_of.is_some() {
                done.copies += 1;
            }
            records.push(AnalysisRecord {
                id: d.id,
                version: ANALYSIS_VERSION,
                signature: d.snapshot.signature.as_ref().map(signature_bytes),
                terms: terms_bytes(&d.snapshot.terms),
                time: d.snapshot.time,
                credibility: d.snapshot.credibility,
                provider: d.snapshot.provider as i64,
                story: d.story,
                duplicate_of: d.duplicate_of,
                reason: reason(
                    &d.placement,
                    d.story,
                    d.duplicate_of,
                    &d.merged,
                    self.desk.config().window,
                ),
                similar: d.similar.iter().map(|(id, _)| *id).collect(),
            });
        }
        let changes: Vec<Placement> = self
            .desk
            .take_changes()
            .into_iter()
            .map(|c| Placement {
                id: c.id,
                story: c.story,
                duplicate_of: c.duplicate_of,
                reason: match (c.cause, c.duplicate_of) {
                    (Cause::NewOriginal, Some(of)) => format!(
                        "copy of article {of}: an earlier publication of the same text, \
                         which arrived later, is the original"
                    ),
                    (_, Some(of)) => format!(
                        "copy of article {of}, in story {}: its story was merged into it",
                        c.story
                    ),
                    (_, None) => format!("in story {}: its story was merged into it", c.story),
                },
            })
            .collect();
        // A record written in this page already carries the final placement
        // unless a later article of the page changed it.
        for r in &mut records {
            r.story = self.desk.story_of(r.id).unwrap_or(r.story);
            r.duplicate_of = self.desk.duplicate_of(r.id);
        }
        done.analysed += records.len();
        done.changed += changes.len();
        self.changed.extend(changes.iter().map(|c| c.id));
        store
            .apply_analysis(&records, &changes, now)
            .map_err(store_err("storing the analysis"))?;
        Ok(())
    }
}

/// The decision in words, as `newsdesk explain` and the JSON export show it.
fn reason(why: &Why, story: i64, original: Option<i64>, merged: &[i64], window: i64) -> String {
    let mut out = match why {
        Why::Duplicate { of, similarity } => format!(
            "copy of article {of}: about {:.0}% of their word 5-grams are shared (MinHash estimate); \
             the earliest publication is the original",
            similarity * 100.0
        ),
        Why::LeadCopy { of, shared } => format!(
            "copy of article {of}: a short text (no body) whose excerpt shares {:.0}% of its word \
             3-grams with the other's (or a like headline and a shared passage); the earliest \
             publication is the original",
            shared * 100.0
        ),
        Why::FirstPublication { copy, similarity } => format!(
            "original of article {copy} and its copies: published first, with about {:.0}% of \
             their word 5-grams shared (MinHash estimate)",
            similarity * 100.0
        ),
        Why::Joined { score } => {
            format!("joined story {story}: its terms match the story's coverage at {score:.2} (cosine)")
        }
        Why::New => format!(
            "started story {story}: no story active within {} days of it is similar enough",
            window / 86_400
        ),
        Why::Empty => format!("started story {story}: it has no words to compare"),
        Why::Updated => match original {
            Some(of) => format!("copy of article {of}; its text was updated, which keeps its place"),
            None => format!("in story {story}; its text was updated, which keeps its place"),
        },
    };
    if !merged.is_empty() {
        let list: Vec<String> = merged.iter().map(|m| m.to_string()).collect();
        out.push_str(&format!(
            "; it bridged story {story} and stories {} (merged)",
            list.join(", ")
        ));
    }
    out
}
