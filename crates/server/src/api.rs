//! The handlers. Parameters are parsed here, by hand, so that every bad
//! request gets the one error shape with a message naming the parameter.

use std::collections::HashMap;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use chrono::{DateTime, NaiveDate, Utc};
use newsdesk_model::document::format_date;
use newsdesk_store::prelude::*;
use newsdesk_store::{ArticleQuery, Cursor, Sort, StoredArticle};
use serde_json::{json, Value};

use crate::{store_error, ApiError, AppState, DEFAULT_LIMIT, MAX_LIMIT};

type Params = Query<HashMap<String, String>>;

const OPENAPI: &str = include_str!("openapi.json");

pub async fn healthz(State(state): State<Arc<AppState>>) -> Result<Json<Value>, ApiError> {
    let version = state
        .pool
        .with(|s| s.schema_version())
        .await?
        .map_err(store_error)?;
    Ok(Json(json!({"status": "ok", "schema": version})))
}

pub async fn metrics(State(state): State<Arc<AppState>>) -> Result<Response, ApiError> {
    let stats = state.pool.with(|s| s.stats()).await?.map_err(store_error)?;
    let text = state.metrics.render(&[
        ("articles", "Articles in the store.", stats.articles as f64),
        ("sources", "Sources in the store.", stats.sources as f64),
    ]);
    Ok((
        [(
            header::CONTENT_TYPE,
            "text/plain; version=0.0.4; charset=utf-8",
        )],
        text,
    )
        .into_response())
}

pub async fn openapi() -> Response {
    ([(header::CONTENT_TYPE, "application/json")], OPENAPI).into_response()
}

pub async fn no_route() -> ApiError {
    ApiError::not_found("no such path (the API is under /api/v1; see /api/v1/openapi.json)")
}

pub async fn no_method() -> ApiError {
    ApiError::new(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "this path does not accept that method",
    )
}

/// Refuses parameters a route does not know.
pub(crate) fn only(params: &HashMap<String, String>, known: &[&str]) -> Result<(), ApiError> {
    let mut unknown: Vec<&str> = params
        .keys()
        .map(String::as_str)
        .filter(|k| !known.contains(k))
        .collect();
    if unknown.is_empty() {
        return Ok(());
    }
    unknown.sort_unstable();
    Err(ApiError::parameter(format!(
        "unknown parameter {}: this route takes {}",
        unknown
            .iter()
            .map(|u| format!("{u:?}"))
            .collect::<Vec<_>>()
            .join(", "),
        known.join(", ")
    )))
}

pub(crate) fn parse_date(name: &str, v: &str) -> Result<DateTime<Utc>, ApiError> {
    if let Ok(d) = DateTime::parse_from_rfc3339(v) {
        return Ok(d.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(v, "%Y-%m-%d")
        .ok()
        .and_then(|d| d.and_hms_opt(0, 0, 0))
        .map(|d| d.and_utc())
        .ok_or_else(|| {
            ApiError::parameter(format!(
                "{name}: expected a date (YYYY-MM-DD) or an RFC 3339 time, found {v:?}"
            ))
        })
}

pub(crate) fn parse_int(name: &str, v: &str, min: i64, max: i64) -> Result<i64, ApiError> {
    match v.parse::<i64>() {
        Ok(n) if (min..=max).contains(&n) => Ok(n),
        _ => Err(ApiError::parameter(format!(
            "{name}: expected a whole number from {min} to {max}, found {v:?}"
        ))),
    }
}

pub(crate) fn parse_id(what: &str, v: &str) -> Result<i64, ApiError> {
    v.parse::<i64>().ok().filter(|n| *n > 0).ok_or_else(|| {
        ApiError::new(
            StatusCode::BAD_REQUEST,
            "invalid_id",
            format!("{what} ids are positive whole numbers, found {v:?}"),
        )
    })
}

/// The file extensions the image cache writes (`newsdesk_fetch`'s cache).
const IMAGE_EXTENSIONS: &[(&str, &str)] = &[
    ("jpg", "image/jpeg"),
    ("png", "image/png"),
    ("gif", "image/gif"),
    ("webp", "image/webp"),
    ("avif", "image/avif"),
    ("heic", "image/heic"),
    ("heif", "image/heif"),
    ("bmp", "image/bmp"),
    ("ico", "image/x-icon"),
    ("tiff", "image/tiff"),
    ("jxl", "image/jxl"),
    ("img", "application/octet-stream"),
];

/// The key of an image in the cache: xxh3-64 of its URL, as the fetcher's
/// cache names its files (a test in crates/newsdesk checks the two agree).
pub fn image_key(url: &str) -> String {
    format!("{:016x}", xxhash_rust::xxh3::xxh3_64(url.trim().as_bytes()))
}

/// An image as the API shows it: the record's fields and, when the desk
/// holds a copy, the URL it serves it at.
#[derive(serde::Serialize)]
struct ImageOut<'a> {
    #[serde(flatten)]
    image: &'a newsdesk_model::Image,
    #[serde(rename = "cachedUrl", skip_serializing_if = "Option::is_none")]
    cached_url: Option<String>,
}

/// A provider as a list shows it.
#[derive(serde::Serialize)]
struct ProviderOut<'a> {
    name: &'a str,
    domain: &'a str,
}

/// An article as a list shows it. Serialized straight from the stored
/// record (no intermediate JSON tree: lists are the hot path).
#[derive(serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary<'a> {
    id: i64,
    title: &'a str,
    excerpt: Option<&'a str>,
    web_url: Option<&'a str>,
    amp_web_url: Option<&'a str>,
    published_date_time: Option<String>,
    provider: Option<ProviderOut<'a>>,
    topics: &'a [String],
    images: Vec<ImageOut<'a>>,
    quality: Option<i64>,
    heat: Option<i64>,
    published: Option<bool>,
    pinned: bool,
    story: Option<i64>,
    duplicate_of: Option<i64>,
}

/// An article as a list shows it.
pub fn summary<'a>(base: &str, a: &'a StoredArticle) -> Summary<'a> {
    let art = &a.article;
    Summary {
        id: a.id,
        title: &art.title,
        excerpt: art.excerpt.as_deref(),
        web_url: art.web_url.as_deref(),
        amp_web_url: art.amp_web_url.as_deref(),
        published_date_time: art.published_at.as_ref().map(format_date),
        provider: art.provider.as_ref().map(|p| ProviderOut {
            name: &p.name,
            domain: &p.domain,
        }),
        topics: &art.topics,
        images: art
            .images
            .iter()
            .map(|i| ImageOut {
                image: i,
                cached_url: (i.is_cached == Some(true))
                    .then(|| format!("{base}/images/{}", image_key(&i.url))),
            })
            .collect(),
        quality: art.quality,
        heat: art.heat,
        published: art.published,
        pinned: a.pinned,
        story: a.story,
        duplicate_of: a.duplicate_of,
    }
}

pub async fn list_articles(
    State(state): State<Arc<AppState>>,
    Query(params): Params,
) -> Result<Response, ApiError> {
    only(
        &params,
        &[
            "topic",
            "provider",
            "from",
            "to",
            "published",
            "min_quality",
            "sort",
            "cursor",
            "limit",
        ],
    )?;
    let sort = match params.get("sort").map(String::as_str) {
        None | Some("heat") => Sort::Heat,
        Some("time") => Sort::Time,
        Some(other) => {
            return Err(ApiError::parameter(format!(
                "sort: expected heat or time, found {other:?}"
            )))
        }
    };
    let limit = match params.get("limit") {
        Some(v) => parse_int("limit", v, 1, MAX_LIMIT as i64)? as usize,
        None => DEFAULT_LIMIT,
    };
    let after = match params.get("cursor").filter(|c| !c.is_empty()) {
        Some(c) => Some(Cursor::decode(c, sort).map_err(|e| {
            ApiError::new(StatusCode::BAD_REQUEST, "invalid_cursor", e.to_string())
        })?),
        None => None,
    };
    let topic = match params.get("topic") {
        Some(t) => {
            let counts = state.topic_names().await?;
            let found = counts
                .iter()
                .find(|c| c.name == *t || slug(&c.name) == *t)
                .map(|c| c.name.clone());
            Some(found.ok_or_else(|| {
                ApiError::new(
                    StatusCode::NOT_FOUND,
                    "unknown_topic",
                    format!("no article has the topic {t:?} (see /api/v1/topics)"),
                )
            })?)
        }
        None => None,
    };
    let published = match params.get("published").map(String::as_str) {
        None => Some(true),
        Some("true") => Some(true),
        Some("false") => Some(false),
        Some("any") => None,
        Some(other) => {
            return Err(ApiError::parameter(format!(
                "published: expected true, false or any, found {other:?}"
            )))
        }
    };
    let from = params
        .get("from")
        .map(|v| parse_date("from", v))
        .transpose()?;
    let to = params.get("to").map(|v| parse_date("to", v)).transpose()?;
    let q = ArticleQuery {
        topic,
        provider: params.get("provider").map(|p| p.to_lowercase()),
        from,
        to,
        published,
        min_quality: params
            .get("min_quality")
            .map(|v| parse_int("min_quality", v, -1000, 1000))
            .transpose()?,
        story: None,
        sort,
        after,
        limit,
    };
    let page = state
        .pool
        .with(move |s| s.query_articles(&q))
        .await?
        .map_err(store_error)?;
    #[derive(serde::Serialize)]
    struct Page<'a> {
        articles: Vec<Summary<'a>>,
        next: Option<String>,
    }
    Ok(Json(Page {
        articles: page
            .articles
            .iter()
            .map(|a| summary(state.base_url(), a))
            .collect(),
        next: page.next.clone(),
    })
    .into_response())
}

/// `GET /api/v1/sources`: the followed feeds with their health, failing
/// ones first, then by URL.
pub async fn list_sources(
    State(state): State<Arc<AppState>>,
    Query(params): Params,
) -> Result<Response, ApiError> {
    only(&params, &[])?;
    let sources = state
        .pool
        .with(|s| s.followed_sources())
        .await?
        .map_err(store_error)?;
    let mut views: Vec<crate::sources::SourceView> = sources
        .into_iter()
        .map(|s| {
            let h = newsdesk_store::source_health(&s).unwrap_or_else(|e| {
                store_error(format!("{}: damaged health record: {e}", s.locator));
                Default::default()
            });
            crate::sources::SourceView::new(s, h)
        })
        .collect();
    let rank = |v: &crate::sources::SourceView| match v.status {
        "dead" => 0,
        "failing" => 1,
        "new" => 2,
        _ => 3,
    };
    views.sort_by(|a, b| rank(a).cmp(&rank(b)).then_with(|| a.url.cmp(&b.url)));
    #[derive(serde::Serialize)]
    struct Sources {
        sources: Vec<crate::sources::SourceView>,
    }
    Ok(Json(Sources { sources: views }).into_response())
}

pub async fn get_article(
    State(state): State<Arc<AppState>>,
    caller: Option<axum::Extension<crate::Caller>>,
    Path(id): Path<String>,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    only(&params, &[])?;
    let id = parse_id("article", &id)?;
    let fulltext = caller.is_some_and(|c| c.has_scope(newsdesk_secure::Scope::Fulltext));
    let record = state
        .pool
        .with(move |s| -> Result<Option<(Value, StoredArticle)>, String> {
            let Some(a) = s.article(id).map_err(|e| e.to_string())? else {
                return Ok(None);
            };
            newsdesk_render::jsonl_record(s as &dyn Store, &a)
                .map(|r| Some((r, a)))
                .map_err(|e| e.to_string())
        })
        .await?
        .map_err(store_error)?;
    let Some((mut r, a)) = record else {
        return Err(ApiError::not_found(format!("there is no article {id}")));
    };
    // Everyone gets the secured form at most; clear text only with the
    // `fulltext` scope (see crate::auth::fulltext).
    let secured = crate::auth::secured_form(&a);
    let body = if fulltext {
        crate::auth::fulltext(&state, &a)?
    } else {
        None
    };
    if let Some(o) = r.as_object_mut() {
        o.remove("body");
        o.insert("secured".into(), json!(secured));
        if fulltext {
            o.insert("body".into(), json!(body));
        }
    }
    Ok(Json(r))
}

pub async fn get_story(
    State(state): State<Arc<AppState>>,
    Path(id): Path<String>,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    only(&params, &[])?;
    let id = parse_id("story", &id)?;
    let (page, heat) = state
        .pool
        .with(move |s| -> Result<_, String> {
            let page = s
                .query_articles(&ArticleQuery {
                    story: Some(id),
                    published: None,
                    sort: Sort::Time,
                    limit: MAX_LIMIT,
                    ..ArticleQuery::default()
                })
                .map_err(|e| e.to_string())?;
            let heat = s.story_heat(id).map_err(|e| e.to_string())?;
            Ok((page, heat))
        })
        .await?
        .map_err(store_error)?;
    if page.articles.is_empty() {
        return Err(ApiError::not_found(format!("there is no story {id}")));
    }
    let providers: std::collections::BTreeSet<&str> = page
        .articles
        .iter()
        .filter_map(|a| a.article.provider.as_ref().map(|p| p.domain.as_str()))
        .collect();
    Ok(Json(json!({
        "id": id,
        "heat": heat.as_ref().map(|h| h.heat),
        "heatBreakdown": heat.and_then(|h| serde_json::from_str::<Value>(&h.detail).ok()),
        "providers": providers,
        "articles": page.articles.iter().map(|a| summary(state.base_url(), a)).collect::<Vec<_>>(),
        "more": page.next.is_some(),
    })))
}

/// A topic's URL name: lower case, words joined by dashes (`AWS AI` → `aws-ai`).
pub fn slug(name: &str) -> String {
    let mut out = String::new();
    for c in name.chars() {
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if !out.is_empty() && !out.ends_with('-') {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_string()
}

pub async fn list_topics(
    State(state): State<Arc<AppState>>,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    only(&params, &[])?;
    let counts = state.topic_counts().await?;
    let base = state.base_url();
    Ok(Json(json!({
        "topics": counts.iter().map(|c| {
            let s = slug(&c.name);
            json!({
                "name": c.name,
                "slug": s,
                "articles": c.articles,
                "published": c.published,
                "feeds": {
                    "rss": format!("{base}/topics/{s}/feed.rss"),
                    "atom": format!("{base}/topics/{s}/feed.atom"),
                    "json": format!("{base}/topics/{s}/feed.json"),
                },
            })
        }).collect::<Vec<_>>(),
    })))
}

pub async fn stats(
    State(state): State<Arc<AppState>>,
    Query(params): Params,
) -> Result<Json<Value>, ApiError> {
    only(&params, &[])?;
    let stats = state.pool.with(|s| s.stats()).await?.map_err(store_error)?;
    Ok(Json(serde_json::to_value(stats).map_err(store_error)?))
}

/// `/articles/{id}.md`: the article as a seed-format document.
pub async fn document(
    State(state): State<Arc<AppState>>,
    Path(file): Path<String>,
    Query(params): Params,
) -> Result<Response, ApiError> {
    only(&params, &[])?;
    let Some(id) = file.strip_suffix(".md") else {
        return Err(ApiError::not_found(
            "documents are at /articles/{id}.md".to_string(),
        ));
    };
    let id = parse_id("article", id)?;
    let bytes = state
        .pool
        .with(move |s| -> Result<Option<Vec<u8>>, String> {
            let Some(a) = s.article(id).map_err(|e| e.to_string())? else {
                return Ok(None);
            };
            if a.stub {
                return Ok(None);
            }
            let doc = newsdesk_render::document(s as &dyn Store, &a).map_err(|e| e.to_string())?;
            Ok(Some(doc.to_bytes()))
        })
        .await?
        .map_err(store_error)?
        .ok_or_else(|| ApiError::not_found(format!("there is no article {id}")))?;
    Ok((
        [(header::CONTENT_TYPE, "text/markdown; charset=utf-8")],
        bytes,
    )
        .into_response())
}

/// `/images/{key}`: a lead image from the desk's cache.
pub async fn image(
    State(state): State<Arc<AppState>>,
    Path(key): Path<String>,
    Query(params): Params,
) -> Result<Response, ApiError> {
    only(&params, &[])?;
    if key.len() != 16
        || !key
            .bytes()
            .all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase())
    {
        return Err(ApiError::not_found(
            "cached images are at /images/{16 hex digits} (see an image's cachedUrl)",
        ));
    }
    for (ext, mime) in IMAGE_EXTENSIONS {
        let path = state.images_dir.join(format!("{key}.{ext}"));
        match tokio::fs::read(&path).await {
            Ok(bytes) => {
                return Ok((
                    [
                        (header::CONTENT_TYPE, *mime),
                        (header::CACHE_CONTROL, "public, max-age=86400"),
                    ],
                    bytes,
                )
                    .into_response())
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => continue,
            Err(e) => return Err(store_error(format!("reading {}: {e}", path.display()))),
        }
    }
    Err(ApiError::not_found(format!("no cached image {key}")))
}

/// Items in a topic's feed.
const FEED_ITEMS: usize = 50;

/// `/topics/{slug}/feed.rss|atom|json`: a topic's newest published
/// articles (excerpts only), with an ETag; `If-None-Match` gets a 304.
pub async fn topic_feed(
    State(state): State<Arc<AppState>>,
    Path((slug_or_name, file)): Path<(String, String)>,
    Query(params): Params,
    headers: axum::http::HeaderMap,
) -> Result<Response, ApiError> {
    use newsdesk_render::feeds::{self, FeedFormat, ItemText};
    only(&params, &[])?;
    let format = file
        .strip_prefix("feed.")
        .and_then(FeedFormat::from_extension)
        .ok_or_else(|| {
            ApiError::not_found("a topic's feeds are feed.rss, feed.atom and feed.json")
        })?;
    let counts = state.topic_names().await?;
    let name = counts
        .iter()
        .find(|c| slug(&c.name) == slug_or_name || c.name == slug_or_name)
        .map(|c| c.name.clone())
        .ok_or_else(|| {
            ApiError::new(
                StatusCode::NOT_FOUND,
                "unknown_topic",
                format!("no article has the topic {slug_or_name:?} (see /api/v1/topics)"),
            )
        })?;
    let topic = name.clone();
    let page = state
        .pool
        .with(move |s| {
            s.query_articles(&ArticleQuery {
                topic: Some(topic),
                published: Some(true),
                sort: Sort::Time,
                limit: FEED_ITEMS,
                ..ArticleQuery::default()
            })
        })
        .await?
        .map_err(store_error)?;
    let items: Vec<_> = page
        .articles
        .iter()
        .map(|a| state.site.item(a, ItemText::Excerpt))
        .collect();
    let updated = feeds::last_modified(&items).unwrap_or(DateTime::UNIX_EPOCH);
    let meta = state
        .site
        .topic_feed_meta(
            &name,
            format,
            &format!("{name}: the desk's coverage"),
            updated,
            None,
        )
        .map_err(store_error)?;
    let bytes = feeds::render(format, &meta, &items).map_err(store_error)?;
    Ok(feed_response(&headers, format, updated, bytes))
}

/// A rendered feed with its ETag, caching headers and `Last-Modified`, or
/// 304 when the client's `If-None-Match` names this version.
pub(crate) fn feed_response(
    headers: &axum::http::HeaderMap,
    format: newsdesk_render::feeds::FeedFormat,
    updated: DateTime<Utc>,
    bytes: Vec<u8>,
) -> Response {
    use newsdesk_render::feeds::{self, Conditional};
    let tag = feeds::etag(&bytes);
    let inm = headers
        .get(header::IF_NONE_MATCH)
        .and_then(|v| v.to_str().ok());
    let common = [
        (header::ETAG, tag.clone()),
        (header::CACHE_CONTROL, "public, max-age=60".to_string()),
        (
            header::LAST_MODIFIED,
            updated.format("%a, %d %b %Y %H:%M:%S GMT").to_string(),
        ),
    ];
    match feeds::conditional(inm, &tag) {
        Conditional::NotModified => (StatusCode::NOT_MODIFIED, common).into_response(),
        Conditional::Send => (
            common,
            [(header::CONTENT_TYPE, format.content_type().to_string())],
            bytes,
        )
            .into_response(),
    }
}
