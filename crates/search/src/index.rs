//! The index: opening, batch writes, search.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use chrono::{DateTime, Utc};
use tantivy::directory::error::LockError;
use tantivy::directory::{Directory, MmapDirectory, INDEX_WRITER_LOCK};
use tantivy::query::{
    AllQuery, BooleanQuery, ConstScoreQuery, EmptyQuery, Occur, Query, QueryParser, TermQuery,
};
use tantivy::schema::{IndexRecordOption, Value};
use tantivy::{
    DocAddress, Index, IndexReader, IndexWriter, ReloadPolicy, Searcher, TantivyDocument,
    TantivyError, Term,
};

use crate::collect::{self, Filters, COUNT_CAP};
use crate::docsets::DocSets;
use crate::highlight::Highlighter;
use crate::query::{
    plain_words, syntax_problem, too_deep, MAX_LIMIT, MAX_NESTING, MAX_OFFSET, MAX_QUERY_LEN,
};
use crate::schema::{self, Fields};
use crate::snippet;
use crate::{SearchError, SearchQuery, Sort};

/// A filter joins the text query as a clause when it holds this many times
/// fewer articles than the text's rarest word (see `narrowed`).
const NARROWER: u64 = 4;

/// Memory the writer may fill before it writes a segment (not a commit).
const WRITER_MEMORY: usize = 64 << 20;

/// One article as the index sees it. `id` is the store's article id.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Doc {
    /// The store's id; adding a document with an id already indexed
    /// replaces it.
    pub id: i64,
    /// The headline.
    pub title: String,
    /// The summary.
    pub excerpt: Option<String>,
    /// The full text, plain.
    pub body: Option<String>,
    /// The provider's display name.
    pub provider: Option<String>,
    /// The provider's domain (filters match it as well as the name).
    pub provider_domain: Option<String>,
    /// Topic names.
    pub topics: Vec<String>,
    /// The desk's publish decision.
    pub published: Option<bool>,
    /// Publication time (second precision is kept).
    pub published_at: Option<DateTime<Utc>>,
    /// Quality score.
    pub quality: Option<i64>,
    /// Heat score.
    pub heat: Option<i64>,
}

/// One hit.
#[derive(Debug, Clone, PartialEq)]
pub struct Hit {
    /// The article's id.
    pub id: i64,
    /// BM25 score (0 when ordered by date).
    pub score: f32,
    /// The title as stored (plain text).
    pub title: String,
    /// The excerpt as stored (plain text).
    pub excerpt: Option<String>,
    /// The title as HTML: escaped, matches marked.
    pub title_html: String,
    /// A passage as HTML: the best matching passage of the excerpt, escaped,
    /// matches marked; else the start of the excerpt. `None` without an
    /// excerpt. Never text of the body, which the index does not store.
    pub snippet_html: Option<String>,
    /// The provider's name.
    pub provider: Option<String>,
    /// Publication time.
    pub published_at: Option<DateTime<Utc>>,
}

/// One page of results.
#[derive(Debug, Clone, PartialEq)]
pub struct Results {
    /// How many articles match (all pages), counted exactly up to
    /// [`COUNT_CAP`] (see `total_exact`).
    pub total: usize,
    /// Whether `total` is the exact count; when `false`, more than
    /// `total` articles match (the count stopped at [`COUNT_CAP`]).
    pub total_exact: bool,
    /// The page start used.
    pub offset: usize,
    /// The page size used (after capping).
    pub limit: usize,
    /// The order used.
    pub sort: Sort,
    /// The hits of this page.
    pub hits: Vec<Hit>,
    /// What was done about query text the parser refused, for a person.
    pub warnings: Vec<String>,
}

/// The outcome of [`SearchIndex::check`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Check {
    /// Documents in the index (committed).
    pub indexed: u64,
    /// What the caller expected (e.g. the store's article count).
    pub expected: u64,
}

impl Check {
    /// Whether the counts agree.
    pub fn is_consistent(&self) -> bool {
        self.indexed == self.expected
    }
}

/// What [`SearchIndex::open_or_recreate`] found in the folder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Opened {
    /// An index of this layout, opened as it was.
    Existing,
    /// No index: an empty one was created.
    Created,
    /// An index of another layout (or one that could not be read), replaced
    /// by an empty one; the reason says what was wrong with it.
    Recreated(String),
}

impl Opened {
    /// Whether the index starts empty (and so needs a rebuild from the store).
    pub fn is_new(&self) -> bool {
        !matches!(self, Opened::Existing)
    }
}

/// A search index in a folder (or in memory), with its writer.
pub struct SearchIndex {
    dir: Option<PathBuf>,
    reader: IndexReader,
    writer: Option<Mutex<IndexWriter>>,
    f: Fields,
    parser: QueryParser,
    sets: DocSets,
}

impl SearchIndex {
    /// Opens the index in `dir`, creating the folder (private on unix) and an
    /// empty index when absent, and takes its writer lock.
    pub fn open_or_create(dir: &Path) -> Result<SearchIndex, SearchError> {
        create_private_dir(dir)?;
        let (schema, _) = schema::schema();
        let mmap = MmapDirectory::open(dir).map_err(|e| SearchError::Io {
            path: dir.to_path_buf(),
            source: std::io::Error::other(e.to_string()),
        })?;
        let index = match Index::open_or_create(mmap, schema) {
            Err(TantivyError::SchemaError(detail)) => {
                return Err(SearchError::SchemaMismatch {
                    dir: dir.to_path_buf(),
                    detail,
                })
            }
            r => r?,
        };
        SearchIndex::with_index(index, Some(dir.to_path_buf()), true)
    }

    /// Like [`open_or_create`](Self::open_or_create), but an index this
    /// version cannot use (another [`crate::SCHEMA_VERSION`], another
    /// layout, unreadable metadata) is deleted and created again, empty,
    /// instead of being an error: the caller rebuilds it from the store. Only
    /// with the writer lock held: an index another process writes is never
    /// removed ([`SearchError::Locked`]).
    pub fn open_or_recreate(dir: &Path) -> Result<(SearchIndex, Opened), SearchError> {
        let existed = dir.join("meta.json").is_file();
        let reason = match SearchIndex::open_or_create(dir) {
            Ok(index) => {
                let how = if existed {
                    Opened::Existing
                } else {
                    Opened::Created
                };
                return Ok((index, how));
            }
            Err(SearchError::SchemaMismatch { detail, .. }) => detail,
            Err(SearchError::Index(
                e @ (TantivyError::IncompatibleIndex(_)
                | TantivyError::DataCorruption(_)
                | TantivyError::DeserializeError(_)),
            )) => e.to_string(),
            Err(e) => return Err(e),
        };
        let io = |source: std::io::Error| SearchError::Io {
            path: dir.to_path_buf(),
            source,
        };
        {
            let mmap =
                MmapDirectory::open(dir).map_err(|e| io(std::io::Error::other(e.to_string())))?;
            let _lock = match mmap.acquire_lock(&INDEX_WRITER_LOCK) {
                Ok(l) => l,
                Err(LockError::LockBusy) => {
                    return Err(SearchError::Locked {
                        dir: dir.to_path_buf(),
                    })
                }
                Err(LockError::IoError(e)) => return Err(io(std::io::Error::other(e.to_string()))),
            };
            // The folder is the index's alone: every file but the locks goes.
            for entry in std::fs::read_dir(dir).map_err(io)? {
                let entry = entry.map_err(io)?;
                let name = entry.file_name();
                let name = name.to_string_lossy();
                if name.starts_with(".tantivy-") && name.ends_with(".lock") {
                    continue;
                }
                let path = entry.path();
                if entry.file_type().map_err(io)?.is_dir() {
                    std::fs::remove_dir_all(&path).map_err(io)?;
                } else {
                    std::fs::remove_file(&path).map_err(io)?;
                }
            }
        }
        let index = SearchIndex::open_or_create(dir)?;
        Ok((index, Opened::Recreated(reason)))
    }

    /// Opens an existing index for searching only (no writer lock): it sees
    /// what the writing process commits, shortly after each commit.
    pub fn open_read_only(dir: &Path) -> Result<SearchIndex, SearchError> {
        let index = Index::open_in_dir(dir)?;
        let (schema, _) = schema::schema();
        if index.schema() != schema {
            return Err(SearchError::SchemaMismatch {
                dir: dir.to_path_buf(),
                detail: "its fields or analyzers differ from this version's".into(),
            });
        }
        SearchIndex::with_index(index, Some(dir.to_path_buf()), false)
    }

    /// An index in memory (tests, one-off tools).
    pub fn create_in_ram() -> Result<SearchIndex, SearchError> {
        let (schema, _) = schema::schema();
        SearchIndex::with_index(Index::create_in_ram(schema), None, true)
    }

    fn with_index(
        index: Index,
        dir: Option<PathBuf>,
        writable: bool,
    ) -> Result<SearchIndex, SearchError> {
        schema::register(index.tokenizers());
        let (_, f) = schema::schema();
        let writer = if writable {
            match index.writer_with_num_threads(1, WRITER_MEMORY) {
                Ok(w) => Some(Mutex::new(w)),
                Err(TantivyError::LockFailure(LockError::LockBusy, _)) => {
                    return Err(SearchError::Locked {
                        dir: dir.unwrap_or_default(),
                    })
                }
                Err(e) => return Err(e.into()),
            }
        } else {
            None
        };
        let reader = index
            .reader_builder()
            .reload_policy(if writable {
                ReloadPolicy::Manual
            } else {
                ReloadPolicy::OnCommitWithDelay
            })
            .try_into()?;
        let mut parser = QueryParser::for_index(&index, vec![f.all]);
        parser.set_conjunction_by_default();
        Ok(SearchIndex {
            dir,
            reader,
            writer,
            f,
            parser,
            sets: DocSets::default(),
        })
    }

    /// The index folder (`None` in memory).
    pub fn dir(&self) -> Option<&Path> {
        self.dir.as_deref()
    }

    fn writer(&self) -> Result<MutexGuard<'_, IndexWriter>, SearchError> {
        let w = self.writer.as_ref().ok_or(SearchError::ReadOnly)?;
        // A panic while holding the lock cannot leave the writer half-used
        // in a way a later commit or rollback does not handle.
        Ok(w.lock().unwrap_or_else(|p| p.into_inner()))
    }

    /// Queues documents for indexing, replacing any with the same id. Nothing
    /// is visible or durable until [`commit`](Self::commit).
    pub fn add_batch(&self, docs: &[Doc]) -> Result<(), SearchError> {
        let writer = self.writer()?;
        for doc in docs {
            writer.delete_term(Term::from_field_i64(self.f.id, doc.id));
            writer.add_document(self.to_tantivy(doc))?;
        }
        Ok(())
    }

    /// Queues the removal of a document.
    pub fn delete(&self, id: i64) -> Result<(), SearchError> {
        self.writer()?
            .delete_term(Term::from_field_i64(self.f.id, id));
        Ok(())
    }

    /// Queues the removal of every document (takes effect at the commit, so
    /// a clear followed by adds and one commit swaps the whole index at once).
    pub fn clear(&self) -> Result<(), SearchError> {
        self.writer()?.delete_all_documents()?;
        Ok(())
    }

    /// Makes the queued changes durable and visible.
    pub fn commit(&self) -> Result<(), SearchError> {
        self.writer()?.commit()?;
        self.reader.reload()?;
        Ok(())
    }

    /// Drops the queued changes.
    pub fn rollback(&self) -> Result<(), SearchError> {
        self.writer()?.rollback()?;
        Ok(())
    }

    /// Replaces the whole index with `docs` in one commit: until it, searches
    /// see the old index, and a crash before it leaves the old index.
    /// Returns the number of documents added.
    pub fn rebuild<I: IntoIterator<Item = Doc>>(&self, docs: I) -> Result<u64, SearchError> {
        self.clear()?;
        let mut n = 0u64;
        let mut batch = Vec::with_capacity(1024);
        let flush = |batch: &mut Vec<Doc>| -> Result<(), SearchError> {
            let r = self.add_batch(batch);
            batch.clear();
            r
        };
        for doc in docs {
            batch.push(doc);
            n += 1;
            if batch.len() == 1024 {
                if let Err(e) = flush(&mut batch) {
                    let _ = self.rollback();
                    return Err(e);
                }
            }
        }
        if let Err(e) = flush(&mut batch).and_then(|()| self.commit()) {
            let _ = self.rollback();
            return Err(e);
        }
        Ok(n)
    }

    /// Reloads the committed state (a read-only index also does this by
    /// itself shortly after each commit).
    pub fn reload(&self) -> Result<(), SearchError> {
        self.reader.reload()?;
        Ok(())
    }

    /// Committed documents.
    pub fn doc_count(&self) -> u64 {
        self.reader.searcher().num_docs()
    }

    /// Compares the committed document count with the caller's count (e.g.
    /// the store's articles after a crash).
    pub fn check(&self, expected: u64) -> Check {
        Check {
            indexed: self.doc_count(),
            expected,
        }
    }

    /// The ids of the committed documents, sorted (to find which articles a
    /// crash left out).
    pub fn ids(&self) -> Result<Vec<i64>, SearchError> {
        let searcher = self.reader.searcher();
        let mut ids = Vec::with_capacity(searcher.num_docs() as usize);
        for seg in searcher.segment_readers() {
            let col = seg.fast_fields().i64("id")?;
            for doc in seg.doc_ids_alive() {
                ids.extend(col.first(doc));
            }
        }
        ids.sort_unstable();
        Ok(ids)
    }

    /// Runs a search.
    pub fn search(&self, q: &SearchQuery) -> Result<Results, SearchError> {
        if q.text.len() > MAX_QUERY_LEN {
            return Err(SearchError::QueryTooLong {
                len: q.text.len(),
                max: MAX_QUERY_LEN,
            });
        }
        if q.offset > MAX_OFFSET {
            return Err(SearchError::OffsetTooLarge {
                offset: q.offset,
                max: MAX_OFFSET,
            });
        }
        let limit = q.limit.clamp(1, MAX_LIMIT);
        let mut warnings = Vec::new();
        let text_query = if q.text.trim().is_empty() {
            None
        } else {
            Some(self.parse(&q.text, q.strict, &mut warnings)?)
        };
        let sort = if text_query.is_none() {
            Sort::Newest
        } else {
            q.sort
        };
        let searcher = self.reader.searcher();
        let filters = Filters::of(q, &self.f, &searcher, &self.sets);
        let query = match text_query {
            None => self.browse(q),
            Some(text) => self.narrowed(&searcher, text, q)?,
        };
        let k = q.offset + limit;
        let (total, total_exact, mut found) = match sort {
            Sort::Relevance if !collect::prunable(query.as_ref()) => {
                let (found, total) =
                    collect::top_and_count(&searcher, query.as_ref(), &filters, k)?;
                (total, true, found)
            }
            Sort::Relevance => {
                let found = collect::top_by_score(&searcher, query.as_ref(), &filters, k)?;
                // Short of a full page, every match was seen: that is the total.
                let (total, exact) = if found.len() < k {
                    (found.len(), true)
                } else {
                    collect::count(&searcher, query.as_ref(), &filters, COUNT_CAP)?
                };
                (total, exact, found)
            }
            Sort::Newest => {
                let (docs, (total, exact)) =
                    collect::top_by_date(&searcher, query.as_ref(), &filters, k, COUNT_CAP)?;
                (total, exact, docs.into_iter().map(|a| (0.0, a)).collect())
            }
        };
        let found: Vec<(f32, DocAddress)> = found.drain(q.offset.min(found.len())..).collect();
        let hits = self.hits(&searcher, query.as_ref(), q, found)?;
        Ok(Results {
            total,
            total_exact,
            offset: q.offset,
            limit,
            sort,
            hits,
            warnings,
        })
    }

    /// The text query, joined with the most selective topic or provider
    /// filter when that filter holds far fewer articles than the rarest word
    /// of the text: the search then walks the filter's short posting list
    /// instead of scoring every match of a common word only to drop most of
    /// them. Otherwise the text alone (filters are checked per candidate,
    /// and block-max pruning applies). Either way the filters are checked
    /// again per candidate, and the scores are the text's alone.
    fn narrowed(
        &self,
        searcher: &Searcher,
        text: Box<dyn Query>,
        q: &SearchQuery,
    ) -> Result<Box<dyn Query>, SearchError> {
        if q.topics.is_empty() && q.providers.is_empty() {
            return Ok(text);
        }
        let mut terms = Vec::new();
        text.query_terms(&mut |t, _| terms.push(t.clone()));
        let mut text_est = searcher.num_docs();
        for t in &terms {
            text_est = text_est.min(searcher.doc_freq(t)?);
        }
        let mut best: Option<(u64, Box<dyn Query>)> = None;
        for topic in &q.topics {
            let t = self.topic_term(topic);
            let df = searcher.doc_freq(&t)?;
            if best.as_ref().is_none_or(|(b, _)| df < *b) {
                best = Some((df, exact(t)));
            }
        }
        if !q.providers.is_empty() {
            let mut df = 0;
            for p in &q.providers {
                df += searcher.doc_freq(&self.provider_term(p))?;
            }
            if best.as_ref().is_none_or(|(b, _)| df < *b) {
                best = Some((df, self.any_provider(&q.providers)));
            }
        }
        Ok(match best {
            Some((df, filter)) if df.saturating_mul(NARROWER) < text_est => {
                Box::new(BooleanQuery::new(vec![
                    (Occur::Must, text),
                    (Occur::Must, Box::new(ConstScoreQuery::new(filter, 0.0))),
                ]))
            }
            _ => text,
        })
    }

    /// What drives a search without words: the first topic's postings when
    /// a topic is asked for, else the providers', else every document (the
    /// filters then check each candidate).
    fn browse(&self, q: &SearchQuery) -> Box<dyn Query> {
        if let Some(topic) = q.topics.first() {
            return exact(self.topic_term(topic));
        }
        if !q.providers.is_empty() {
            return self.any_provider(&q.providers);
        }
        Box::new(AllQuery)
    }

    fn topic_term(&self, topic: &str) -> Term {
        Term::from_field_text(self.f.topic_key, &schema::key(topic))
    }

    fn provider_term(&self, provider: &str) -> Term {
        Term::from_field_text(self.f.provider_key, &schema::key(provider))
    }

    /// Articles of any of `providers` (names or domains).
    fn any_provider(&self, providers: &[String]) -> Box<dyn Query> {
        Box::new(BooleanQuery::new(
            providers
                .iter()
                .map(|p| (Occur::Should, exact(self.provider_term(p))))
                .collect(),
        ))
    }

    fn parse(
        &self,
        text: &str,
        strict: bool,
        warnings: &mut Vec<String>,
    ) -> Result<Box<dyn Query>, SearchError> {
        let (message, position) = if let Some(at) = too_deep(text) {
            (
                format!("parentheses nested deeper than {MAX_NESTING}"),
                Some(at),
            )
        } else {
            let err = match self.parser.parse_query(text) {
                Ok(q) => match self.usable(q.as_ref()) {
                    Ok(()) => return Ok(q),
                    Err(e) => e,
                },
                Err(e) => e.to_string(),
            };
            match syntax_problem(text) {
                Some((m, p)) => (m, Some(p)),
                None => (err, None),
            }
        };
        if strict {
            return Err(SearchError::Query { message, position });
        }
        let at = position
            .map(|p| format!(" at character {}", p + 1))
            .unwrap_or_default();
        let words = plain_words(text);
        warnings.push(format!(
            "query not understood ({message}{at}); searched for the words instead"
        ));
        if words.is_empty() {
            return Ok(Box::new(EmptyQuery));
        }
        match self.parser.parse_query(&words) {
            Ok(q) if self.usable(q.as_ref()).is_ok() => Ok(q),
            _ => {
                let q = self.parser.parse_query_lenient(&words).0;
                match self.usable(q.as_ref()) {
                    Ok(()) => Ok(q),
                    Err(_) => Ok(Box::new(EmptyQuery)),
                }
            }
        }
    }

    /// Whether a parsed query can run: the parser accepts some queries
    /// that fail only when searched (`nofield:*`, `title:*` on a field that
    /// is not a fast field), which must be the person's error, not ours.
    fn usable(&self, q: &dyn Query) -> Result<(), String> {
        let searcher = self.reader.searcher();
        match q.weight(tantivy::query::EnableScoring::disabled_from_searcher(
            &searcher,
        )) {
            Ok(_) => Ok(()),
            Err(TantivyError::FieldNotFound(f)) => Err(format!("there is no field {f:?}")),
            Err(TantivyError::SchemaError(m)) => Err(m),
            Err(e) => Err(e.to_string()),
        }
    }

    fn hits(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
        q: &SearchQuery,
        found: Vec<(f32, DocAddress)>,
    ) -> Result<Vec<Hit>, SearchError> {
        let f = &self.f;
        let h = &q.highlight;
        if !q.snippets {
            let mut hits = Vec::with_capacity(found.len());
            for (score, addr) in found {
                let doc: TantivyDocument = searcher.doc(addr)?;
                hits.push(self.hit(&doc, score, None, None));
            }
            return Ok(hits);
        }
        let mut hl = Highlighter::new(self.query_terms(searcher, query)?);
        let max = h.max_chars.max(20);
        let mut hits = Vec::with_capacity(found.len());
        for (score, addr) in found {
            let doc: TantivyDocument = searcher.doc(addr)?;
            let text = |field| doc.get_first(field).and_then(|v| v.as_str());
            let title_html = hl.whole(text(f.title).unwrap_or(""), &h.pre, &h.post);
            let excerpt = text(f.excerpt).filter(|e| !e.trim().is_empty());
            let snippet_html = if hl.is_empty() {
                None
            } else {
                excerpt.and_then(|e| hl.passage(e, max, &h.pre, &h.post))
            }
            .or_else(|| excerpt.map(|p| snippet::lead(p, max)));
            hits.push(self.hit(&doc, score, Some(title_html), snippet_html));
        }
        Ok(hits)
    }

    /// The analyzed words of the query's text clauses, weighted by rarity.
    fn query_terms(
        &self,
        searcher: &Searcher,
        query: &dyn Query,
    ) -> Result<HashMap<String, f32>, SearchError> {
        let f = &self.f;
        let text_fields = [f.all, f.title, f.excerpt, f.body, f.provider, f.topics];
        let mut terms: Vec<&Term> = Vec::new();
        query.query_terms(&mut |t, _| {
            if text_fields.contains(&t.field()) {
                terms.push(t);
            }
        });
        let mut out: HashMap<String, f32> = HashMap::new();
        for t in terms {
            let value = t.value();
            let Some(word) = value.as_str() else {
                continue;
            };
            let df = searcher.doc_freq(t)?;
            if df == 0 {
                continue;
            }
            let w = 1.0 / (1.0 + df as f32);
            let e = out.entry(word.to_string()).or_insert(0.0);
            *e = e.max(w);
        }
        Ok(out)
    }

    fn hit(
        &self,
        doc: &TantivyDocument,
        score: f32,
        title_html: Option<String>,
        snippet_html: Option<String>,
    ) -> Hit {
        let f = &self.f;
        let text = |field| doc.get_first(field).and_then(|v| v.as_str());
        Hit {
            id: doc
                .get_first(f.id)
                .and_then(|v| v.as_i64())
                .unwrap_or_default(),
            score,
            title: text(f.title).unwrap_or("").to_string(),
            excerpt: text(f.excerpt).map(str::to_string),
            title_html: title_html.unwrap_or_else(|| snippet::escape(text(f.title).unwrap_or(""))),
            snippet_html,
            provider: text(f.provider).map(str::to_string),
            published_at: doc
                .get_first(f.published_at)
                .and_then(|v| v.as_datetime())
                .and_then(|d| DateTime::from_timestamp(d.into_timestamp_secs(), 0)),
        }
    }

    fn to_tantivy(&self, doc: &Doc) -> TantivyDocument {
        let f = &self.f;
        let mut d = TantivyDocument::new();
        d.add_i64(f.id, doc.id);
        d.add_text(f.title, &doc.title);
        d.add_text(f.all, &doc.title);
        d.add_text(f.all, &doc.title);
        if let Some(e) = &doc.excerpt {
            d.add_text(f.excerpt, e);
            d.add_text(f.all, e);
        }
        if let Some(b) = &doc.body {
            d.add_text(f.body, b);
            d.add_text(f.all, b);
        }
        if let Some(p) = &doc.provider {
            d.add_text(f.provider, p);
            d.add_text(f.all, p);
        }
        let mut keys: Vec<String> = doc
            .provider
            .iter()
            .chain(doc.provider_domain.iter())
            .map(|p| schema::key(p))
            .filter(|k| !k.is_empty())
            .collect();
        keys.dedup();
        for k in keys {
            d.add_text(f.provider_key, &k);
        }
        for t in &doc.topics {
            d.add_text(f.topics, t);
            d.add_text(f.all, t);
            d.add_text(f.topic_key, schema::key(t));
        }
        if let Some(p) = doc.published {
            d.add_bool(f.published, p);
        }
        if let Some(at) = doc.published_at {
            d.add_date(f.published_at, date(at));
        }
        if let Some(q) = doc.quality {
            d.add_i64(f.quality, q);
        }
        if let Some(h) = doc.heat {
            d.add_i64(f.heat, h);
        }
        d
    }
}

impl std::fmt::Debug for SearchIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SearchIndex")
            .field("dir", &self.dir)
            .field("writable", &self.writer.is_some())
            .field("docs", &self.doc_count())
            .finish()
    }
}

/// The documents holding `term` (an exact-match filter field; no scores).
fn exact(term: Term) -> Box<dyn Query> {
    Box::new(TermQuery::new(term, IndexRecordOption::Basic))
}

/// tantivy keeps dates as i64 nanoseconds (the years 1678 to 2262): times
/// outside are clamped to the ends, which no real article's date reaches.
fn date(d: DateTime<Utc>) -> tantivy::DateTime {
    const MAX_SECS: i64 = i64::MAX / 1_000_000_000;
    tantivy::DateTime::from_timestamp_secs(d.timestamp().clamp(-MAX_SECS, MAX_SECS))
}

fn create_private_dir(dir: &Path) -> Result<(), SearchError> {
    if dir.is_dir() {
        return Ok(());
    }
    let mut b = std::fs::DirBuilder::new();
    b.recursive(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::DirBuilderExt;
        b.mode(0o700);
    }
    b.create(dir).map_err(|source| SearchError::Io {
        path: dir.to_path_buf(),
        source,
    })
}
