//! Serve: what the desk gives out. For now the two exports: a folder of
//! seed-format documents (a Jekyll `_news` collection) and JSON lines. The
//! HTTP API and feeds out build on the same views.
//!
//! Everything here reads the store through the [`Store`] trait and never
//! writes to it.

pub mod feeds;
pub mod sources;
pub mod text;

pub use feeds::{
    conditional, etag, last_modified, render, Conditional, FeedError, FeedFormat, FeedImage,
    FeedItem, FeedMeta, ItemText, Site,
};

use std::collections::HashSet;
use std::io::Write;
use std::path::{Path, PathBuf};

use newsdesk_analyze::related::{related, Candidate};
use newsdesk_model::document::{file_name, format_date};
use newsdesk_model::{Article, Document};
use newsdesk_store::{ArticleId, Store, StoreError, StoredArticle};
use serde_json::{json, Value};

/// An export failure.
#[derive(Debug, thiserror::Error)]
pub enum ServeError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
}

const PAGE: usize = 1000;

/// Calls `f` on every stored article in id order, a page at a time.
pub fn for_each_article(
    store: &dyn Store,
    mut f: impl FnMut(StoredArticle) -> Result<(), ServeError>,
) -> Result<(), ServeError> {
    let mut after: ArticleId = 0;
    loop {
        let page = store.articles_after(after, PAGE)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for a in page {
            f(a)?;
        }
    }
    Ok(())
}

/// Story members read to build a related list.
const STORY_READ: usize = 200;

/// An article's related coverage, as ids: the list its document gave, if it
/// came with one (a record of another desk keeps that desk's judgement);
/// otherwise its story's other coverage, then similar recent articles (see
/// [`newsdesk_analyze::related`]).
pub fn related_ids(store: &dyn Store, s: &StoredArticle) -> Result<Vec<ArticleId>, ServeError> {
    if !s.related.is_empty() {
        return Ok(s.related.clone());
    }
    desk_related(store, s)
}

/// The desk's own related list for an article, whatever its document said.
pub fn desk_related(store: &dyn Store, s: &StoredArticle) -> Result<Vec<ArticleId>, ServeError> {
    let Some(story) = s.story else {
        return Ok(Vec::new());
    };
    let members: Vec<Candidate> = store
        .story_members(story, STORY_READ)?
        .into_iter()
        .map(|m| Candidate {
            id: m.id,
            provider: m.provider_domain.unwrap_or_default(),
            duplicate: m.duplicate_of.is_some(),
            quality: m.quality,
            time: m.published_at.map(|t| t.timestamp()),
        })
        .collect();
    Ok(related(
        s.id,
        provider_domain(&s.article),
        s.article.published_at.map(|t| t.timestamp()),
        &members,
        &s.similar,
    ))
}

fn provider_domain(a: &Article) -> &str {
    a.provider.as_ref().map_or("", |p| p.domain.as_str())
}

/// The article as a document: its `related` list filled from the store, each
/// entry in the seeds' related layout, and the seeds' layout throughout.
pub fn document(store: &dyn Store, s: &StoredArticle) -> Result<Document, ServeError> {
    let mut a: Article = s.article.clone();
    // A sealed body goes out as the document's `secured` field (the same
    // nonce and ciphertext, no key needed); the clear text never does.
    if let Some(d) = s
        .sealed_body
        .as_deref()
        .and_then(newsdesk_store::sealed_document_form)
    {
        a.secured = Some(d);
    }
    let ids = related_ids(store, s)?;
    a.related = Vec::with_capacity(ids.len());
    for id in &ids {
        if let Some(r) = store.article(*id)? {
            a.related.push(r.article.as_related());
        }
    }
    Ok(Document::new(a))
}

/// Writes one document per article into `dir` (created if missing), named
/// `YYYY-MM-DD-slug.md`; a second article with the same name gets `-2`, `-3`.
/// Articles known only from related lists are left out unless
/// `include_stubs`. Each file is written to a temporary name and renamed, so
/// a site build never reads half a file. Returns how many were written.
pub fn export_docs(
    store: &dyn Store,
    dir: &Path,
    include_stubs: bool,
) -> Result<usize, ServeError> {
    let io = |path: &Path| {
        let path = path.to_path_buf();
        move |source| ServeError::Write { path, source }
    };
    std::fs::create_dir_all(dir).map_err(io(dir))?;
    let mut names = HashSet::new();
    let mut written = 0usize;
    for_each_article(store, |s| {
        if s.stub && !include_stubs {
            return Ok(());
        }
        let doc = document(store, &s)?;
        let base = file_name(&doc.article, s.first_seen);
        let stem = base.trim_end_matches(".md").to_string();
        let mut name = base;
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = format!("{stem}-{n}.md");
            n += 1;
        }
        let path = dir.join(&name);
        let tmp = dir.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, doc.to_bytes()).map_err(io(&tmp))?;
        std::fs::rename(&tmp, &path).map_err(io(&path))?;
        written += 1;
        Ok(())
    })?;
    Ok(written)
}

/// The JSON-lines view of a stored article. Fields the pipeline has not
/// computed yet are `null`; `related` holds article ids (see
/// [`related_ids`]); `analysis` says why the article sits in its story or is
/// a copy.
pub fn jsonl_record(store: &dyn Store, s: &StoredArticle) -> Result<Value, ServeError> {
    let related = related_ids(store, s)?;
    let a = &s.article;
    // The editorial decision's details and the story's heat breakdown are
    // stored as JSON by the desk; a damaged one is shown as null.
    let decision: Value = s
        .editorial
        .as_deref()
        .and_then(|d| serde_json::from_str(d).ok())
        .unwrap_or(Value::Null);
    let heat: Value = match (s.story, a.published) {
        (Some(story), Some(true)) => store
            .story_heat(story)?
            .and_then(|h| serde_json::from_str(&h.detail).ok())
            .unwrap_or(Value::Null),
        _ => Value::Null,
    };
    Ok(json!({
        "id": s.id,
        "source": a.origin.source,
        "format": a.origin.format,
        "guid": a.origin.guid,
        "stub": s.stub,
        "category": a.category,
        "title": a.title,
        "excerpt": a.excerpt,
        "originalUrl": a.original_url,
        "webUrl": a.web_url,
        "ampWebUrl": a.amp_web_url,
        "cdnAmpWebUrl": a.cdn_amp_web_url,
        "type": a.kind,
        "provider": a.provider.as_ref().map(|p| json!({"name": p.name, "domain": p.domain})),
        "publishedDateTime": a.published_at.as_ref().map(format_date),
        "firstSeen": format_date(&s.first_seen),
        "topics": a.topics,
        "images": a.images,
        "quality": a.quality,
        "heat": a.heat,
        "published": a.published,
        "story": s.story,
        "duplicateOf": s.duplicate_of,
        "related": related,
        "analysis": s.reason,
        "pinned": s.pinned,
        "decision": decision,
        "heatBreakdown": heat,
        "override": s.editor_override,
        "given": s.given,
        "author": a.author,
        "language": a.language,
    }))
}

/// Writes every article, stubs included (so `related` ids resolve), as one
/// JSON object per line. Returns how many were written.
pub fn export_jsonl(store: &dyn Store, out: &mut dyn Write) -> Result<usize, ServeError> {
    let mut n = 0;
    let stdout = Path::new("<output>");
    for_each_article(store, |s| {
        let line = jsonl_record(store, &s)?.to_string();
        out.write_all(line.as_bytes())
            .and_then(|_| out.write_all(b"\n"))
            .map_err(|source| ServeError::Write {
                path: stdout.to_path_buf(),
                source,
            })?;
        n += 1;
        Ok(())
    })?;
    out.flush().map_err(|source| ServeError::Write {
        path: stdout.to_path_buf(),
        source,
    })?;
    Ok(n)
}
