//! `newsdesk export`: documents for a static site, or JSON lines for scripts.

use std::collections::HashSet;
use std::io::{BufWriter, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;
use newsdesk_model::document::{file_name, format_date};
use newsdesk_model::{Article, Document};
use newsdesk_store::{SqliteStore, Store, StoredArticle};
use serde_json::{json, Value};

use crate::ingest::open_store;

const PAGE: usize = 1000;

/// Calls `f` on every stored article in id order, a page at a time.
fn for_each(
    store: &SqliteStore,
    include_stubs: bool,
    mut f: impl FnMut(StoredArticle) -> anyhow::Result<()>,
) -> anyhow::Result<()> {
    let mut after = 0;
    loop {
        let page = store.articles_after(after, PAGE)?;
        let Some(last) = page.last() else { break };
        after = last.id;
        for a in page {
            if include_stubs || !a.stub {
                f(a)?;
            }
        }
    }
    Ok(())
}

/// The article with its `related` list filled from the store, in the seeds'
/// related layout.
fn with_related(store: &SqliteStore, s: &StoredArticle) -> anyhow::Result<Article> {
    let mut a = s.article.clone();
    a.related = Vec::with_capacity(s.related.len());
    for id in &s.related {
        if let Some(r) = store.article(*id)? {
            a.related.push(r.article.as_related());
        }
    }
    Ok(a)
}

pub fn docs(data_dir: &Path, dir: &Path, include_stubs: bool) -> anyhow::Result<ExitCode> {
    let store = open_store(data_dir)?;
    std::fs::create_dir_all(dir).with_context(|| format!("creating {}", dir.display()))?;
    let mut names = HashSet::new();
    let mut written = 0usize;
    for_each(&store, include_stubs, |s| {
        let article = with_related(&store, &s)?;
        let base = file_name(&article, s.first_seen);
        let mut name = base.clone();
        let mut n = 2;
        while !names.insert(name.clone()) {
            name = format!("{}-{n}.md", base.trim_end_matches(".md"));
            n += 1;
        }
        let path = dir.join(&name);
        // Write to a temporary name and rename, so a reader never sees half a file.
        let tmp = dir.join(format!(".{name}.tmp"));
        std::fs::write(&tmp, Document::new(article).to_bytes())
            .with_context(|| format!("writing {}", tmp.display()))?;
        std::fs::rename(&tmp, &path).with_context(|| format!("writing {}", path.display()))?;
        written += 1;
        Ok(())
    })?;
    eprintln!("wrote {written} documents to {}", dir.display());
    Ok(ExitCode::SUCCESS)
}

fn jsonl_record(s: &StoredArticle) -> Value {
    let a = &s.article;
    json!({
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
        "related": s.related,
        "author": a.author,
        "language": a.language,
    })
}

/// Every article, stubs included: the `related` ids must resolve.
pub fn jsonl(data_dir: &Path) -> anyhow::Result<ExitCode> {
    let store = open_store(data_dir)?;
    let stdout = std::io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    for_each(&store, true, |s| {
        serde_json::to_writer(&mut out, &jsonl_record(&s))?;
        out.write_all(b"\n")?;
        Ok(())
    })?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
