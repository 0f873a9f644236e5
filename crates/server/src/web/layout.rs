//! The frame every page shares: the head (stylesheet, script, feed links),
//! the header with the search box, the topics navigation with its
//! hierarchy, the footer and the shortcuts dialog; and the error pages.

use std::collections::HashMap;
use std::sync::Arc;

use askama::Template;
use axum::extract::Request;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};

use super::assets::{ICON_SVG, SCRIPT, STYLE};
use crate::api::slug;
use crate::{ApiError, AppState};

/// Topics shown in the navigation at most (the rest are reachable by URL).
const NAV_TOPICS: usize = 40;

/// What the frame shows.
pub struct Layout {
    /// The page's title (before " · newsdesk").
    pub title: String,
    pub css: String,
    pub js: String,
    pub icon: String,
    pub nav: Vec<NavTopic>,
    /// The slug of the topic being shown ("" for none).
    pub current: String,
    /// The search box's text.
    pub q: String,
    /// Feeds announced with `<link rel="alternate">`.
    pub feeds: Vec<FeedLink>,
}

/// A topic in the navigation, with its subtopics.
pub struct NavTopic {
    pub name: String,
    pub slug: String,
    pub children: Vec<NavTopic>,
}

/// A feed of the page.
pub struct FeedLink {
    pub title: String,
    /// `RSS`, `Atom`, `JSON Feed`.
    pub label: &'static str,
    pub mime: &'static str,
    pub href: String,
}

/// The three feeds under `base` (`/topics/ai` → `/topics/ai/feed.rss`, ...;
/// `query` is appended as it is).
pub fn feeds(title: &str, base: &str, query: &str) -> Vec<FeedLink> {
    [
        ("RSS", "application/rss+xml", "rss"),
        ("Atom", "application/atom+xml", "atom"),
        ("JSON Feed", "application/feed+json", "json"),
    ]
    .into_iter()
    .map(|(label, mime, ext)| FeedLink {
        title: format!("{title} ({label})"),
        label,
        mime,
        href: format!("{base}/feed.{ext}{query}"),
    })
    .collect()
}

impl Layout {
    /// A frame without navigation (error pages that must not touch the store).
    pub fn bare(title: impl Into<String>) -> Layout {
        Layout {
            title: title.into(),
            css: STYLE.url(),
            js: SCRIPT.url(),
            icon: ICON_SVG.url(),
            nav: Vec::new(),
            current: String::new(),
            q: String::new(),
            feeds: Vec::new(),
        }
    }

    /// The frame with the topics the desk knows (counted at most once per
    /// store change, see `AppState::topic_names`).
    pub async fn new(state: &Arc<AppState>, title: impl Into<String>) -> Result<Layout, WebError> {
        let counts = state.topic_names().await?;
        let mut layout = Layout::bare(title);
        let published: Vec<(String, u64)> = counts
            .iter()
            .filter(|c| c.published > 0)
            .map(|c| (c.name.clone(), c.published))
            .collect();
        layout.nav = tree(&published, &state.topic_parents);
        Ok(layout)
    }

    pub fn current(mut self, slug: impl Into<String>) -> Layout {
        self.current = slug.into();
        self
    }
}

/// The navigation tree: topics under their parents (from the topics file
/// when the server was given it, else a topic named "X Y" goes under a
/// topic "Y": "AWS AI" under "AI"), roots and children in the order given
/// (most published first), three levels at most (deeper ones join the
/// third).
pub fn tree(topics: &[(String, u64)], parents: &HashMap<String, String>) -> Vec<NavTopic> {
    let names: Vec<&str> = topics
        .iter()
        .take(NAV_TOPICS)
        .map(|(n, _)| n.as_str())
        .collect();
    let parent_of = |name: &str| -> Option<&str> {
        if let Some(p) = parents.get(name) {
            return names.iter().copied().find(|n| n == p);
        }
        if !parents.is_empty() {
            return None;
        }
        // The longest other topic whose name ends this one's as a word.
        names
            .iter()
            .copied()
            .filter(|n| {
                *n != name
                    && name.len() > n.len()
                    && name.ends_with(n)
                    && name[..name.len() - n.len()].ends_with(' ')
            })
            .max_by_key(|n| n.len())
    };
    // Walk up at most a few steps (a cycle in the given parents ends there).
    let chain = |name: &str| -> Vec<&str> {
        let mut out = Vec::new();
        let mut at = name;
        while let Some(p) = parent_of(at) {
            if out.contains(&p) || out.len() >= 8 || p == name {
                break;
            }
            out.push(p);
            at = p;
        }
        out.reverse();
        out
    };
    let mut roots: Vec<NavTopic> = Vec::new();
    fn node(name: &str) -> NavTopic {
        NavTopic {
            name: name.to_string(),
            slug: slug(name),
            children: Vec::new(),
        }
    }
    fn child<'a>(list: &'a mut Vec<NavTopic>, name: &str) -> &'a mut NavTopic {
        let i = match list.iter().position(|t| t.name == name) {
            Some(i) => i,
            None => {
                list.push(node(name));
                list.len() - 1
            }
        };
        &mut list[i]
    }
    // Roots first so they keep their order among themselves.
    for name in &names {
        if chain(name).is_empty() {
            child(&mut roots, name);
        }
    }
    for name in &names {
        let ancestors = chain(name);
        if ancestors.is_empty() {
            continue;
        }
        let mut path: Vec<&str> = ancestors;
        path.push(name);
        // At most three levels: the deepest ancestors beyond the second are
        // skipped so the topic joins the third level.
        if path.len() > 3 {
            let last = path[path.len() - 1];
            path = vec![path[0], path[1], last];
        }
        let mut level = &mut roots;
        for step in path {
            level = &mut child(level, step).children;
        }
    }
    roots
}

/// An error page (HTML), with its status.
#[derive(Debug)]
pub struct WebError {
    pub status: StatusCode,
    pub heading: String,
    pub message: String,
}

impl WebError {
    pub fn not_found(message: impl Into<String>) -> WebError {
        WebError {
            status: StatusCode::NOT_FOUND,
            heading: "Not found".into(),
            message: message.into(),
        }
    }

    pub fn bad_request(message: impl Into<String>) -> WebError {
        WebError {
            status: StatusCode::BAD_REQUEST,
            heading: "That request cannot be answered".into(),
            message: message.into(),
        }
    }
}

/// An API error as a page (the message is the API's, already written for
/// people; internal errors say nothing more than that).
impl From<ApiError> for WebError {
    fn from(e: ApiError) -> WebError {
        let status = e.status;
        WebError {
            status,
            heading: match status {
                StatusCode::NOT_FOUND => "Not found".into(),
                s if s.is_server_error() => "Something went wrong".into(),
                _ => "That request cannot be answered".into(),
            },
            message: e.message,
        }
    }
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage<'a> {
    layout: Layout,
    heading: &'a str,
    message: &'a str,
}

impl IntoResponse for WebError {
    fn into_response(self) -> Response {
        let page = ErrorPage {
            layout: Layout::bare(self.heading.clone()),
            heading: &self.heading,
            message: &self.message,
        };
        match page.render() {
            Ok(body) => super::html(self.status, body),
            Err(_) => (self.status, self.message).into_response(),
        }
    }
}

/// Renders a page template into a 200 answer.
pub fn page(t: &impl Template) -> Result<Response, WebError> {
    let body = t.render().map_err(|e| {
        crate::store_error(format!("rendering a page: {e}"));
        WebError {
            status: StatusCode::INTERNAL_SERVER_ERROR,
            heading: "Something went wrong".into(),
            message: "The page could not be rendered.".into(),
        }
    })?;
    Ok(super::html(StatusCode::OK, body))
}

/// The fallback: an HTML 404 for browsers outside the API, the API's JSON
/// 404 for everyone else.
pub async fn no_route(req: Request) -> Response {
    if !req.uri().path().starts_with("/api/") && super::wants_html(&req) {
        return WebError::not_found(format!(
            "There is no page at {}. The topics are in the navigation above.",
            req.uri().path()
        ))
        .into_response();
    }
    crate::api::no_route().await.into_response()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(t: &[NavTopic]) -> Vec<String> {
        t.iter()
            .map(|n| {
                if n.children.is_empty() {
                    n.name.clone()
                } else {
                    format!("{} [{}]", n.name, names(&n.children).join(", "))
                }
            })
            .collect()
    }

    fn topics(list: &[&str]) -> Vec<(String, u64)> {
        list.iter().map(|n| (n.to_string(), 1)).collect()
    }

    #[test]
    fn subtopics_go_under_the_topic_their_name_ends_with() {
        let t = tree(
            &topics(&[
                "AWS AI",
                "AI",
                "Microsoft AI",
                "Cloud",
                "Google Cloud",
                "FAIR",
            ]),
            &HashMap::new(),
        );
        assert_eq!(
            names(&t),
            ["AI [AWS AI, Microsoft AI]", "Cloud [Google Cloud]", "FAIR"]
        );
    }

    #[test]
    fn given_parents_win_and_depth_stops_at_three() {
        let parents: HashMap<String, String> = [
            ("AWS AI", "AWS"),
            ("AWS", "Cloud"),
            ("Bedrock", "AWS AI"),
            ("Cloud", "Cloud"),
        ]
        .iter()
        .map(|(a, b)| (a.to_string(), b.to_string()))
        .collect();
        let t = tree(
            &topics(&["Bedrock", "AWS AI", "AWS", "Cloud", "AI"]),
            &parents,
        );
        assert_eq!(names(&t), ["Cloud [AWS [Bedrock, AWS AI]]", "AI"]);
    }
}
