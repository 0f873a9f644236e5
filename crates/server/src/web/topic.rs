//! `/topics/{slug}`: a topic's published stories, hottest first (or newest
//! with `?sort=newest`), paged with the API's cursors; `?show=all` lists
//! every article with the desk's reasons for what it did not publish. The
//! page announces the topic's RSS, Atom and JSON feeds.

use std::sync::Arc;

use askama::Template;
use axum::extract::{Path, State};
use axum::response::Response;
use chrono::Utc;
use newsdesk_store::{ArticleQuery, Cursor, Sort};

use super::cards::{article_cards, story_cards, Card};
use super::layout::{feeds, page, Layout, WebError};
use super::{query_string, Params};
use crate::api::slug;
use crate::{store_error, AppState, DEFAULT_LIMIT};

/// Articles read for one page of story cards (several may share a story).
pub const PAGE_ARTICLES: usize = 30;

#[derive(Template)]
#[template(path = "topic.html")]
struct TopicPage {
    layout: Layout,
    name: String,
    newest: bool,
    show_all: bool,
    hot_href: String,
    newest_href: String,
    published_href: String,
    all_href: String,
    cards: Vec<Card>,
    next: Option<String>,
}

/// How a list page is asked for: its order, the cursor, everything or only
/// the published. Parameters a page does not know (a shared link's
/// tracking tags) are ignored; a bad value of a known one is a 400.
pub struct ListParams {
    pub sort: Sort,
    pub after: Option<Cursor>,
    pub cursor: String,
    pub show_all: bool,
}

impl ListParams {
    pub fn parse(
        params: &std::collections::HashMap<String, String>,
    ) -> Result<ListParams, WebError> {
        let sort = match params.get("sort").map(String::as_str) {
            None | Some("") | Some("heat") | Some("hot") => Sort::Heat,
            Some("newest") | Some("time") => Sort::Time,
            Some(other) => {
                return Err(WebError::bad_request(format!(
                    "sort is heat or newest, not {other:?}."
                )))
            }
        };
        let show_all = match params.get("show").map(String::as_str) {
            None | Some("") | Some("published") => false,
            Some("all") => true,
            Some(other) => {
                return Err(WebError::bad_request(format!(
                    "show is published or all, not {other:?}."
                )))
            }
        };
        let cursor = params.get("cursor").cloned().unwrap_or_default();
        let after = if cursor.is_empty() {
            None
        } else {
            Some(Cursor::decode(&cursor, sort).map_err(|e| {
                WebError::bad_request(format!("{e} (follow the page's own links)."))
            })?)
        };
        Ok(ListParams {
            sort,
            after,
            cursor,
            show_all,
        })
    }

    pub fn newest(&self) -> bool {
        self.sort == Sort::Time
    }

    /// The link to this list with another order, view or cursor.
    pub fn href(&self, base: &str, newest: bool, show_all: bool, cursor: &str) -> String {
        format!(
            "{base}{}",
            query_string(&[
                ("sort", if newest { "newest" } else { "" }),
                ("show", if show_all { "all" } else { "" }),
                ("cursor", cursor),
            ])
        )
    }
}

/// Reads a page of articles and turns it into cards.
pub async fn list(
    state: &Arc<AppState>,
    topic: Option<String>,
    p: &ListParams,
) -> Result<(Vec<Card>, Option<String>), WebError> {
    let q = ArticleQuery {
        topic,
        published: if p.show_all { None } else { Some(true) },
        sort: p.sort,
        after: p.after.clone(),
        limit: if p.show_all {
            DEFAULT_LIMIT
        } else {
            PAGE_ARTICLES
        },
        ..ArticleQuery::default()
    };
    let images = state.images_dir.clone();
    let show_all = p.show_all;
    let topic = q.topic.clone();
    let now = Utc::now();
    let (cards, next) = state
        .pool
        .with(move |s| -> Result<_, newsdesk_store::StoreError> {
            let page = s.query_articles(&q)?;
            let cards = if show_all {
                article_cards(s, &page.articles, &images, now)?
            } else {
                story_cards(s, &page.articles, topic.as_deref(), &images, now)?
            };
            Ok((cards, page.next))
        })
        .await?
        .map_err(store_error)?;
    Ok((cards, next))
}

pub async fn page_handler(
    State(state): State<Arc<AppState>>,
    Path(wanted): Path<String>,
    axum::extract::Query(params): Params,
) -> Result<Response, WebError> {
    let p = ListParams::parse(&params)?;
    let counts = state.topic_names().await?;
    let Some(topic) = counts
        .iter()
        .find(|c| slug(&c.name) == wanted || c.name == wanted)
    else {
        return Err(WebError::not_found(format!(
            "The desk has no topic {wanted:?}. The topics it has are in the navigation above."
        )));
    };
    let name = topic.name.clone();
    let s = slug(&name);
    let (cards, next) = list(&state, Some(name.clone()), &p).await?;
    let base = format!("/topics/{s}");
    let mut layout = Layout::new(&state, name.clone()).await?.current(s.clone());
    layout.feeds = feeds(&format!("{name}: the desk's coverage"), &base, "");
    let t = TopicPage {
        hot_href: p.href(&base, false, p.show_all, ""),
        newest_href: p.href(&base, true, p.show_all, ""),
        published_href: p.href(&base, p.newest(), false, ""),
        all_href: p.href(&base, p.newest(), true, ""),
        next: next.map(|n| p.href(&base, p.newest(), p.show_all, &n)),
        newest: p.newest(),
        show_all: p.show_all,
        layout,
        name,
        cards,
    };
    page(&t)
}
