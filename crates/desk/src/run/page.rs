//! Completing a feed entry: from its stored version when the entry is
//! known, else from its article page (main text, date, lead image,
//! canonical and AMP links, author, language), its lead image measured and
//! cached. Never overwrites what the feed gave well.

use chrono::{DateTime, Utc};
use newsdesk_fetch::{FetchError, FetchOutcome, Fetcher, Request};
use newsdesk_ingest::prepare::EXCERPT_CHARS;
use newsdesk_model::{Article, Image};
use newsdesk_normalize as norm;

use super::Shared;

const PAGE_ACCEPT: &str = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5";

/// The stored version of a feed entry, when it is known (same link) and
/// not just a related-list stub.
fn stored_entry(shared: &Shared, locator: &str, a: &Article) -> Result<Option<Article>, String> {
    let Some(identity) = a.identity_key() else {
        return Ok(None);
    };
    let reader = shared
        .reader
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let Some(id) = reader
        .find_entry(locator, &identity, a.origin.guid.as_deref())
        .map_err(|e| e.to_string())?
    else {
        return Ok(None);
    };
    let stored = reader.article(id).map_err(|e| e.to_string())?;
    Ok(stored
        .filter(|s| !s.stub && s.article.original_url == a.original_url)
        .map(|s| s.article))
}

/// Fills what the feed left out of an entry. A known entry takes what its
/// stored version learned from its page (so a repeat is a repeat, not an
/// update back to the feed's summary); a new one is completed from its page
/// and its lead image measured and cached.
pub(super) async fn complete(
    shared: &Shared,
    locator: &str,
    a: &mut Article,
    pages: &mut usize,
    notes: &mut Vec<String>,
) {
    match stored_entry(shared, locator, a) {
        Ok(Some(stored)) => {
            apply(a, &Found::from_stored(&stored));
            return;
        }
        Ok(None) => {}
        Err(e) => notes.push(format!("looking up {:?}: {e}", a.title)),
    }
    if !shared.fetch_pages {
        return;
    }
    if let Some(link) = a.original_url.clone().or_else(|| a.web_url.clone()) {
        *pages += 1;
        match fetch_page(&shared.fetcher, &link).await {
            Ok(found) => apply(a, &found),
            Err(e) => notes.push(format!("page: {e}")),
        }
    }
    if let Some(image) = a.images.first_mut() {
        measure_image(shared, image, notes).await;
    }
}

/// What a page (or an entry's stored version) says beyond its feed entry.
#[derive(Debug, Default)]
struct Found {
    title: Option<String>,
    text: Option<String>,
    published: Option<DateTime<Utc>>,
    author: Option<String>,
    language: Option<String>,
    image: Option<Image>,
    /// Already checked to be on the page's own site.
    canonical: Option<String>,
    amp: Option<String>,
}

impl Found {
    fn from_stored(s: &Article) -> Found {
        Found {
            title: Some(s.title.clone()),
            text: s.body.clone(),
            published: s.published_at,
            author: s.author.clone(),
            language: s.language.clone(),
            image: s.images.first().cloned(),
            canonical: s.web_url.clone(),
            amp: s.amp_web_url.clone(),
        }
    }

    fn from_page(e: newsdesk_extract::Extracted, page_url: &str) -> Found {
        let nonempty = |s: Option<String>| {
            s.map(|s| norm::normalize_text_field(&s))
                .filter(|s| !s.is_empty())
        };
        Found {
            title: nonempty(e.title),
            text: Some(e.text).filter(|t| !t.trim().is_empty()),
            published: e.published,
            author: nonempty(e.author),
            language: nonempty(e.language),
            image: e.image.map(|url| Image {
                url,
                ..Image::default()
            }),
            canonical: e
                .canonical
                .and_then(|c| norm::canonical_url(&c).ok())
                .filter(|c| same_site(c, page_url)),
            amp: e.amp.and_then(|u| norm::canonical_url(&u).ok()),
        }
    }
}

/// Whether two URLs are on one site (same host, or same registrable
/// domain). A canonical link to another site (a syndicated copy naming its
/// original) is not taken as this article's identity.
fn same_site(a: &str, b: &str) -> bool {
    let host = |u: &str| url::Url::parse(u).ok()?.host_str().map(str::to_string);
    match (host(a), host(b)) {
        (Some(x), Some(y)) if x == y => true,
        _ => match (norm::registrable_domain(a), norm::registrable_domain(b)) {
            (Some(x), Some(y)) => x == y,
            _ => false,
        },
    }
}

fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// A title the feed did not really give: empty, the link, or made from the
/// entry's text by the feed reader.
fn weak_title(a: &Article) -> bool {
    let t = a.title.trim();
    t.is_empty()
        || a.original_url.as_deref() == Some(t)
        || a.body
            .as_deref()
            .or(a.excerpt.as_deref())
            .is_some_and(|b| norm::title_from_text(b) == t)
}

/// Whether `text` should replace the entry's body: there is none, or it is
/// a summary (the page has half as many words again).
fn thin_body(body: Option<&str>, text: &str) -> bool {
    let page = words(text);
    page > 0
        && match body {
            None => true,
            Some(b) => page * 2 > words(b) * 3,
        }
}

/// Fills the entry from what was found; never overwrites a title the feed
/// gave, nor a full body.
fn apply(a: &mut Article, f: &Found) {
    if let Some(t) = f.title.as_deref().filter(|t| !t.is_empty()) {
        if weak_title(a) {
            a.title = t.to_string();
        }
    }
    if let Some(text) = f.text.as_deref() {
        if thin_body(a.body.as_deref(), text) {
            a.body = Some(text.to_string());
            // The feed's HTML was the summary, not this body.
            a.content_html = None;
        }
    }
    if a.excerpt.is_none() {
        a.excerpt = a
            .body
            .as_deref()
            .map(|b| norm::excerpt(b, EXCERPT_CHARS))
            .filter(|e| !e.is_empty());
    }
    if a.published_at.is_none() {
        a.published_at = f.published;
    }
    if a.author.is_none() {
        a.author = f.author.clone();
    }
    if a.language.is_none() {
        a.language = f.language.clone();
    }
    if let Some(c) = &f.canonical {
        a.web_url = Some(c.clone());
    }
    if a.amp_web_url.is_none() {
        if let Some(amp) = &f.amp {
            a.amp_web_url = Some(amp.clone());
            a.cdn_amp_web_url = norm::cdn_amp_url(amp).ok();
        }
    }
    match (a.images.first_mut(), &f.image) {
        (None, Some(img)) => a.images.push(img.clone()),
        (Some(first), Some(img)) if first.url == img.url => {
            first.width = first.width.or(img.width);
            first.height = first.height.or(img.height);
            first.is_cached = first.is_cached.or(img.is_cached);
        }
        _ => {}
    }
}

/// Fetches and extracts an article page. The error names the URL.
async fn fetch_page(fetcher: &Fetcher, url: &str) -> Result<Found, String> {
    let request = Request {
        accept: Some(PAGE_ACCEPT.to_string()),
        ..Request::new(url)
    };
    let page = match fetcher.fetch(&request).await.map_err(|e| e.to_string())? {
        FetchOutcome::Fetched(page) => page,
        FetchOutcome::Unchanged(_) => return Err(format!("{url}: unexpected 304")),
    };
    let html = page
        .content_type
        .as_deref()
        .is_none_or(|t| t.to_ascii_lowercase().contains("html"));
    if !html {
        return Err(format!(
            "{}: not an HTML page ({})",
            page.final_url,
            page.content_type.as_deref().unwrap_or("")
        ));
    }
    let text = page.text().text.into_owned();
    // The text is decoded already (header, then the page's own declaration);
    // the fetch time bounds the publication date: none after it is taken.
    let info = newsdesk_extract::PageInfo {
        url: Some(&page.final_url),
        charset: Some("utf-8"),
        fetched: Some(Utc::now()),
    };
    let extracted = newsdesk_extract::extract_page(text.as_bytes(), &info)
        .map_err(|e| format!("{}: {e}", page.final_url))?;
    Ok(Found::from_page(extracted, &page.final_url))
}

/// Caches the lead image (which also measures it); one too large to cache is
/// measured from its first bytes.
async fn measure_image(shared: &Shared, image: &mut Image, notes: &mut Vec<String>) {
    if image.is_cached == Some(true) && image.width.is_some() {
        return;
    }
    let cached = shared.fetcher.cache_image(&shared.images, &image.url).await;
    let info = match cached {
        Ok(c) => {
            image.is_cached = Some(true);
            c.info
        }
        Err(e) => {
            let too_large = matches!(e, FetchError::TooLarge { .. });
            notes.push(format!("lead image not cached: {e}"));
            if !too_large {
                return;
            }
            match shared.fetcher.image_size(&image.url).await {
                Ok(info) => info,
                Err(e) => {
                    notes.push(format!("lead image: {e}"));
                    return;
                }
            }
        }
    };
    image.width = Some(info.width);
    image.height = Some(info.height);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entry(title: &str, body: Option<&str>) -> Article {
        Article {
            title: title.into(),
            body: body.map(str::to_string),
            excerpt: body.map(|b| norm::excerpt(b, EXCERPT_CHARS)),
            content_html: body.map(|b| format!("<p>{b}</p>")),
            original_url: Some("https://news.example/a?utm_source=rss".into()),
            web_url: Some("https://news.example/a".into()),
            ..Article::default()
        }
    }

    fn page() -> Found {
        let page = br#"<html lang="en"><head><title>The page's headline - News</title>
            <meta property="og:title" content="The page's headline">
            <meta property="og:image" content="/lead.jpg">
            <link rel="canonical" href="https://www.news.example/2026/a">
            <link rel="amphtml" href="https://news.example/amp/a"></head><body>
            <article><h1>The page's headline</h1>
            <p>The first paragraph of the story says what happened, where and when it happened.</p>
            <p>The second paragraph adds who said what about it, and what comes next for them.</p>
            <p>The third paragraph gives the background that readers need to follow the story.</p>
            </article></body></html>"#;
        let e =
            newsdesk_extract::extract(page, Some("https://news.example/a?utm_source=rss")).unwrap();
        Found::from_page(e, "https://news.example/a?utm_source=rss")
    }

    #[test]
    fn a_page_fills_what_the_feed_lacks_and_keeps_what_it_gave() {
        // A summary under a real title: the body comes from the page, the
        // title stays.
        let mut a = entry("The feed's title", Some("A one-line summary."));
        apply(&mut a, &page());
        assert_eq!(a.title, "The feed's title");
        assert!(a
            .body
            .as_deref()
            .unwrap()
            .starts_with("The first paragraph"));
        assert_eq!(a.content_html, None);
        assert_eq!(a.excerpt.as_deref(), Some("A one-line summary."));
        assert_eq!(
            a.web_url.as_deref(),
            Some("https://www.news.example/2026/a")
        );
        assert_eq!(a.amp_web_url.as_deref(), Some("https://news.example/amp/a"));
        assert_eq!(a.images[0].url, "https://news.example/lead.jpg");
        assert_eq!(a.language.as_deref(), Some("en"));

        // No title in the feed (the reader made one from the text): the page's.
        let mut b = entry(
            &norm::title_from_text("A one-line summary."),
            Some("A one-line summary."),
        );
        apply(&mut b, &page());
        assert_eq!(b.title, "The page's headline");

        // A full body stays, with its HTML.
        let full = "The first paragraph of the story says what happened, where and when it happened. \
                    The second paragraph adds who said what about it, and what comes next for them.";
        let mut c = entry("The feed's title", Some(full));
        apply(&mut c, &page());
        assert_eq!(c.body.as_deref(), Some(full));
        assert!(c.content_html.is_some());
    }

    #[test]
    fn a_known_entry_completed_from_its_stored_version_is_a_repeat() {
        let feeds = [
            entry("The feed's title", Some("A one-line summary.")),
            entry(&norm::title_from_text("A summary."), Some("A summary.")),
            entry("Only a title", None),
        ];
        for feed in feeds {
            let mut first = feed.clone();
            apply(&mut first, &page());
            first.images[0].width = Some(800);
            first.images[0].is_cached = Some(true);
            let mut again = feed.clone();
            apply(&mut again, &Found::from_stored(&first));
            assert_eq!(again, first);
        }
    }

    #[test]
    fn a_canonical_link_to_another_site_is_not_an_identity() {
        assert!(same_site(
            "https://www.news.example/a",
            "https://news.example/b"
        ));
        assert!(same_site(
            "http://127.0.0.1:8080/a",
            "http://127.0.0.1:8080/b"
        ));
        assert!(!same_site(
            "https://wire.example/a",
            "https://news.example/a"
        ));
        assert!(!same_site("http://127.0.0.1/a", "http://127.0.0.2/a"));
    }
}
