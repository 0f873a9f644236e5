//! `/`: the hottest published stories across every topic (or the newest
//! with `?sort=newest`), as cards, paged with the API's cursors.

use std::sync::Arc;

use askama::Template;
use axum::extract::State;
use axum::response::Response;

use super::cards::Card;
use super::layout::{page, Layout, WebError};
use super::topic::{list, ListParams};
use super::Params;
use crate::AppState;

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    layout: Layout,
    newest: bool,
    cards: Vec<Card>,
    next: Option<String>,
}

pub async fn page_handler(
    State(state): State<Arc<AppState>>,
    axum::extract::Query(params): Params,
) -> Result<Response, WebError> {
    let p = ListParams::parse(&params)?;
    if p.show_all {
        return Err(WebError::bad_request(
            "The front page shows published stories; a topic's page shows everything.",
        ));
    }
    let (cards, next) = list(&state, None, &p).await?;
    let t = HomePage {
        layout: Layout::new(&state, "Top stories").await?,
        newest: p.newest(),
        next: next.map(|n| p.href("/", p.newest(), false, &n)),
        cards,
    };
    page(&t)
}
